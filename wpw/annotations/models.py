"""Annotations on a section version, their replies, moderation and re-anchoring.

An annotation is made on one :class:`~wpw.documents.models.SectionVersion` of a
published round and anchored there by line range, character offsets and a W3C
TextQuote (exact, prefix, suffix). When a newer round is published, each
annotation gets a :class:`Placement` on the new version of its section: where
its passage is now (``exact``), how it reads now (``changed``), or that it is
gone (``orphaned``). Replies are annotations with a parent and no anchor.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import UTCDateTime, str_enum, utcnow
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import Organisation, User
    from wpw.documents.models import Round, Section, SectionVersion


class AnnotationKind(enum.StrEnum):
    COMMENT = "comment"  #: uwaga
    QUESTION = "question"  #: pytanie
    CHANGE = "change"  #: propozycja zmiany: replacement text plus a reason
    REPLY = "reply"  #: an answer in a thread (no anchor)


class AnnotationState(enum.StrEnum):
    OPEN = "open"  #: waiting for the Coordinating Team's decision
    WITHDRAWN = "withdrawn"  #: its author took it back


class Decision(enum.StrEnum):
    """The Coordinating Team's decision; withdrawal is the author's, see the state."""

    ACCEPTED = "accepted"  #: uwzględniona
    PARTIALLY_ACCEPTED = "partial"  #: uwzględniona częściowo (with the adopted wording)
    REJECTED = "rejected"  #: nieuwzględniona
    NOTED = "noted"  #: przyjęta do wiadomości (needs no change)


class Outcome(enum.StrEnum):
    EXACT = "exact"  #: the same words, maybe on other lines
    CHANGED = "changed"  #: the passage was edited; both wordings are kept
    ORPHANED = "orphaned"  #: the passage is gone from the new round


class ModerationAction(enum.StrEnum):
    REPORTED = "reported"
    HIDDEN = "hidden"
    RESTORED = "restored"


class Annotation(db.Model):
    """A comment, question or proposed change on a passage — or a reply."""

    __tablename__ = "annotations"
    __table_args__ = (
        CheckConstraint(
            "(parent_id IS NULL) = (first_line IS NOT NULL)", name="anchor_xor_parent"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The version it was written on; its round is "the round it was made on".
    version_id: Mapped[int] = mapped_column(
        ForeignKey("section_versions.id", ondelete="CASCADE"), index=True
    )
    #: Denormalised from the version: filters and reports group by section.
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AnnotationKind] = mapped_column(str_enum(AnnotationKind))
    state: Mapped[AnnotationState] = mapped_column(
        str_enum(AnnotationState), default=AnnotationState.OPEN
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    #: The author's organisation when writing (people change organisations).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    #: Written by an expert: shown as an expert opinion.
    is_expert: Mapped[bool] = mapped_column(default=False)
    #: The comment, the question, or the reason for a proposed change.
    body: Mapped[str] = mapped_column(Text)
    #: A proposed change's new wording for the quoted passage.
    replacement: Mapped[str | None] = mapped_column(Text)

    # The anchor on the version it was made on (NULL for replies).
    first_line: Mapped[int | None]
    last_line: Mapped[int | None]
    #: Character offsets into the version's text (W3C TextPosition, end exclusive).
    start: Mapped[int | None]
    end: Mapped[int | None]
    #: W3C TextQuote: the passage and up to 32 characters either side.
    exact: Mapped[str | None] = mapped_column(Text)
    prefix: Mapped[str | None] = mapped_column(String(32))
    suffix: Mapped[str | None] = mapped_column(String(32))

    hidden_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The Coordinating Team's current decision (its history: ReviewEvent).
    decision: Mapped[Decision | None] = mapped_column(str_enum(Decision), index=True)
    justification: Mapped[str | None] = mapped_column(Text)
    #: For ``partial``: the wording actually adopted.
    adopted_wording: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: Bumped by every review step; a step from a stale page is refused with it.
    review_revision: Mapped[int] = mapped_column(default=0)

    version: Mapped[SectionVersion] = relationship()
    section: Mapped[Section] = relationship()
    round: Mapped[Round] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    organisation: Mapped[Organisation | None] = relationship()
    parent: Mapped[Annotation | None] = relationship(
        back_populates="replies", remote_side=[id]
    )
    replies: Mapped[list[Annotation]] = relationship(
        back_populates="parent", order_by="Annotation.created_at"
    )
    placements: Mapped[list[Placement]] = relationship(
        back_populates="annotation", cascade="all, delete-orphan"
    )

    @property
    def is_hidden(self) -> bool:
        return self.hidden_reason is not None

    @property
    def thread_root(self) -> Annotation:
        return self.parent.thread_root if self.parent else self

    def __repr__(self) -> str:
        return f"<Annotation {self.id} {self.kind} v{self.version_id}>"


class Placement(db.Model):
    """Where an annotation stands on a later round's version of its section."""

    __tablename__ = "annotation_placements"
    __table_args__ = (UniqueConstraint("annotation_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    #: The section's version in that round; NULL when the section was removed.
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("section_versions.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[Outcome] = mapped_column(str_enum(Outcome))
    first_line: Mapped[int | None]
    last_line: Mapped[int | None]
    start: Mapped[int | None]
    end: Mapped[int | None]
    #: For ``changed``: how the passage reads in the new version.
    new_exact: Mapped[str | None] = mapped_column(Text)
    #: "mapped" through the diff, "fuzzy" by the fallback search, or "none".
    method: Mapped[str] = mapped_column(String(10), default="mapped")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship(back_populates="placements")
    round: Mapped[Round] = relationship()
    version: Mapped[SectionVersion | None] = relationship()

    def __repr__(self) -> str:
        return f"<Placement a{self.annotation_id} r{self.round_id} {self.outcome}>"


class ModerationEvent(db.Model):
    """A report, a hiding or a restoring: everything moderation does is kept."""

    __tablename__ = "moderation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(
        ForeignKey("annotations.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[ModerationAction] = mapped_column(str_enum(ModerationAction))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    annotation: Mapped[Annotation] = relationship()
    actor: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ModerationEvent a{self.annotation_id} {self.action}>"


class ApiToken(db.Model):
    """A personal API token; only its SHA-256 hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} user={self.user_id}>"
