"""One row per auditable act, with its actor, time and details."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import UTCDateTime, utcnow
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import User


class AuditEvent(db.Model):
    """Something a coordinator, moderator or admin did.

    ``action`` is a dotted name (``annotation.decided``, ``round.published``,
    ``annotation.hidden``, ``user.role_changed``…); ``subject_type`` and
    ``subject_id`` name what it was done to; ``details`` holds the rest.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.subject_type}:{self.subject_id}>"
