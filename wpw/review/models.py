"""Sub-team recommendations and notes, the decision history, and applied changes.

The current decision lives on :class:`~wpw.annotations.models.Annotation`
(``decision``, ``justification``, ``adopted_wording``); every step that led to it
is a :class:`ReviewEvent`, so the history keeps who, when, what and why.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.annotations.models import Decision
from wpw.core import UTCDateTime, str_enum, utcnow
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.annotations.models import Annotation
    from wpw.auth.models import User
    from wpw.documents.models import Round, Section
    from wpw.sectors.models import Sector


class ReviewAction(enum.StrEnum):
    RECOMMENDED = "recommended"  #: a sub-team leader's recommended decision
    DECIDED = "decided"  #: the Coordinating Team's first decision
    REVISED = "revised"  #: a later decision replacing an earlier one
    WITHDRAWN = "withdrawn"  #: the author took the annotation back


class ReviewStatus(enum.StrEnum):
    """Where an annotation stands in the queues (derived, never stored)."""

    NEW = "new"
    RECOMMENDED = "recommended"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class ChangeStatus(enum.StrEnum):
    APPLIED = "applied"  #: patched into the working copy
    CONFLICT = "conflict"  #: not applied: a coordinator must resolve it by hand
    RESOLVED = "resolved"  #: a coordinator resolved the conflict by hand


class Recommendation(db.Model):
    """A sector sub-team's recommended decision with a draft justification."""

    __tablename__ = "recommendations"
    __table_args__ = (UniqueConstraint("annotation_id", "sector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    sector_id: Mapped[int] = mapped_column(
        ForeignKey("sectors.id", ondelete="CASCADE"), index=True
    )
    decision: Mapped[Decision] = mapped_column(str_enum(Decision))
    justification: Mapped[str] = mapped_column(Text)
    adopted_wording: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship()
    sector: Mapped[Sector] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Recommendation a{self.annotation_id} {self.decision}>"


class ReviewNote(db.Model):
    """An internal note of a sub-team on an annotation (never public)."""

    __tablename__ = "review_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("sectors.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship()
    sector: Mapped[Sector | None] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReviewNote a{self.annotation_id} by {self.author_id}>"


class ReviewEvent(db.Model):
    """One step of an annotation's review: who, when, what and why."""

    __tablename__ = "review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[ReviewAction] = mapped_column(str_enum(ReviewAction))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: For a recommendation: the sub-team that made it.
    sector_id: Mapped[int | None] = mapped_column(
        ForeignKey("sectors.id", ondelete="SET NULL")
    )
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision))
    justification: Mapped[str] = mapped_column(Text, default="")
    adopted_wording: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    annotation: Mapped[Annotation] = relationship()
    actor: Mapped[User | None] = relationship()
    sector: Mapped[Sector | None] = relationship()

    def __repr__(self) -> str:
        return f"<ReviewEvent a{self.annotation_id} {self.action} {self.decision}>"


class AppliedChange(db.Model):
    """What became of an accepted proposal in a working copy: applied or a conflict."""

    __tablename__ = "applied_changes"
    __table_args__ = (UniqueConstraint("annotation_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    #: The round whose working copy received (or refused) the change.
    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ChangeStatus] = mapped_column(str_enum(ChangeStatus))
    #: The wording put in (the proposal's, or the adopted one for ``partial``).
    wording: Mapped[str] = mapped_column(Text, default="")
    #: Character offsets of the new wording in the working copy's text, when applied.
    start: Mapped[int | None]
    end: Mapped[int | None]
    #: Why it conflicts (shown to the coordinator), or how it was resolved.
    detail: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship()
    round: Mapped[Round] = relationship()
    section: Mapped[Section] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AppliedChange a{self.annotation_id} r{self.round_id} {self.status}>"
