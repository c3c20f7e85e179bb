"""Import every feature's models so the metadata (and Alembic) sees all tables."""

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    ApiToken,
    ModerationAction,
    ModerationEvent,
    Outcome,
    Placement,
)
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
from wpw.process.models import Phase, PhaseKind
from wpw.sectors.models import MembershipRole, Sector, SectorMembership

__all__ = [
    "Annotation",
    "AnnotationKind",
    "AnnotationState",
    "ApiToken",
    "EventAction",
    "LoginAttempt",
    "MembershipRole",
    "ModerationAction",
    "ModerationEvent",
    "Organisation",
    "Outcome",
    "Phase",
    "PhaseKind",
    "Placement",
    "Programme",
    "Role",
    "Round",
    "RoundEvent",
    "RoundStatus",
    "Section",
    "SectionVersion",
    "Sector",
    "SectorMembership",
    "User",
    "section_sectors",
]
