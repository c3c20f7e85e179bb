"""Import every feature's models so the metadata (and Alembic) sees all tables."""

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    ApiToken,
    Decision,
    ModerationAction,
    ModerationEvent,
    Outcome,
    Placement,
)
from wpw.audit.models import AuditEvent
from wpw.auth.models import LoginAttempt, Organisation, Role, User
from wpw.documents.models import (
    EventAction,
    Programme,
    Round,
    RoundEvent,
    RoundStatus,
    Section,
    SectionVersion,
    section_sectors,
)
from wpw.mail.models import MailCategory, OutboxMail, QueueMail
from wpw.process.models import Phase, PhaseKind
from wpw.review.models import (
    AppliedChange,
    ChangeStatus,
    Recommendation,
    ReviewAction,
    ReviewEvent,
    ReviewNote,
    ReviewStatus,
)
from wpw.search.models import SearchOutbox
from wpw.sectors.models import MembershipRole, Sector, SectorMembership

__all__ = [
    "Annotation",
    "AnnotationKind",
    "AnnotationState",
    "ApiToken",
    "AppliedChange",
    "AuditEvent",
    "ChangeStatus",
    "Decision",
    "EventAction",
    "LoginAttempt",
    "MailCategory",
    "MembershipRole",
    "ModerationAction",
    "ModerationEvent",
    "Organisation",
    "OutboxMail",
    "Outcome",
    "Phase",
    "PhaseKind",
    "Placement",
    "Programme",
    "QueueMail",
    "Recommendation",
    "ReviewAction",
    "ReviewEvent",
    "ReviewNote",
    "ReviewStatus",
    "Role",
    "Round",
    "RoundEvent",
    "RoundStatus",
    "SearchOutbox",
    "Section",
    "SectionVersion",
    "Sector",
    "SectorMembership",
    "User",
    "section_sectors",
]
