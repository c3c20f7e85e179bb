"""The mail outbox. Rows are written in the transaction that caused them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import UTCDateTime, str_enum, utcnow
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import User


class MailCategory(enum.StrEnum):
    """What a mail is about; users choose which categories they receive."""

    DECISION = "decision"  #: your annotation was decided
    REPLY = "reply"  #: someone replied to your annotation
    QUEUE = "queue"  #: your sub-team's queue has new items
    DIGEST = "digest"  #: the daily digest of a sub-team's queue


class QueueMail(enum.StrEnum):
    """How a sub-team member hears of new items in the queue."""

    OFF = "off"
    IMMEDIATE = "immediate"
    DAILY = "daily"


class OutboxMail(db.Model):
    """A mail waiting to be sent, or sent (kept for the record)."""

    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(254))
    category: Mapped[MailCategory] = mapped_column(str_enum(MailCategory))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not before this time (backoff after a failure); NULL = now.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.category} to={self.to_address}>"
