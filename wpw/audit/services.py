"""Write to the audit log. Callers pass the actor explicitly, like every service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wpw.audit.models import AuditEvent
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import User


def record(
    actor: User | None,
    action: str,
    subject: Any,
    summary: str = "",
    **details: Any,
) -> AuditEvent:
    """Log *action* (e.g. ``"annotation.decided"``) on *subject*, a model with an
    ``id``, in the current transaction. *details* must be JSON-serialisable."""
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=type(subject).__name__.lower(),
        subject_id=getattr(subject, "id", None),
        summary=summary,
        details=details,
    )
    db.session.add(event)
    return event
