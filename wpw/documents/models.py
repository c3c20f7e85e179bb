"""Programmes, their drafting rounds, sections and the text of each section per round.

A :class:`Section` is a stable identity that survives renames and moves; its
number, title, position and text live on :class:`SectionVersion`, one per round,
because those are exactly what a new round may change. Versions of a published
round never change (enforced in :mod:`wpw.documents.services`).
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import UTCDateTime, str_enum, utcnow
from wpw.extensions import db
from wpw.text.lines import split_lines

if TYPE_CHECKING:
    from wpw.auth.models import User
    from wpw.process.models import Phase
    from wpw.sectors.models import Sector


class RoundStatus(enum.StrEnum):
    WORKING = "working"  #: the Coordinating Team's editable copy, not public
    PUBLISHED = "published"  #: frozen and public, open to comments in its phase
    CLOSED = "closed"  #: frozen and public, superseded by a newer round


section_sectors = Table(
    "section_sectors",
    db.Model.metadata,
    Column(
        "section_id", ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("sector_id", ForeignKey("sectors.id", ondelete="CASCADE"), primary_key=True),
)


class Programme(db.Model):
    """A document co-written over several rounds, e.g. WPW 2012–2014."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(400))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rounds: Mapped[list[Round]] = relationship(
        back_populates="programme",
        order_by="Round.number",
        cascade="all, delete-orphan",
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )
    phases: Mapped[list[Phase]] = relationship(
        back_populates="programme",
        order_by="Phase.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Programme {self.slug}>"


class Section(db.Model):
    """The stable identity of a part of the programme across rounds."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: URL slug that never changes, even when the section is renamed or moved.
    key: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    programme: Mapped[Programme] = relationship(back_populates="sections")
    sectors: Mapped[list[Sector]] = relationship(
        secondary=section_sectors, order_by="Sector.number"
    )
    versions: Mapped[list[SectionVersion]] = relationship(back_populates="section")

    def __repr__(self) -> str:
        return f"<Section {self.key}>"


class Round(db.Model):
    """One drafting round: 1 "Założenia programu", 2 "Projekt programu", …"""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[RoundStatus] = mapped_column(
        str_enum(RoundStatus), default=RoundStatus.WORKING
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    #: The publisher's message, like a commit message for the whole round.
    publish_message: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="rounds")
    published_by: Mapped[User | None] = relationship()
    versions: Mapped[list[SectionVersion]] = relationship(
        back_populates="round",
        order_by="SectionVersion.position",
        cascade="all, delete-orphan",
    )

    @property
    def is_public(self) -> bool:
        """Published and closed rounds are public; the working copy is not."""
        return self.status is not RoundStatus.WORKING

    @property
    def is_frozen(self) -> bool:
        return self.status is not RoundStatus.WORKING

    def __repr__(self) -> str:
        return f"<Round {self.programme_id}#{self.number} {self.status}>"


class SectionVersion(db.Model):
    """The number, title, position and text of one section in one round."""

    __tablename__ = "section_versions"
    __table_args__ = (UniqueConstraint("round_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    #: Display number such as "§ 4" or "2.3"; may change between rounds.
    number: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    #: Reading order within the round, from 1.
    position: Mapped[int]
    #: Plain text; its ``\n``-separated lines are numbered from 1 for readers.
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Bumped by SQLAlchemy on every UPDATE (``version_id_col``): a form carries
    #: the revision it started from, and a stale one is a conflict — also when two
    #: requests race, since the UPDATE then matches no row.
    revision: Mapped[int] = mapped_column(default=1)

    __mapper_args__: ClassVar[dict] = {"version_id_col": revision}

    round: Mapped[Round] = relationship(back_populates="versions")
    section: Mapped[Section] = relationship(back_populates="versions")
    author: Mapped[User | None] = relationship()

    @property
    def lines(self) -> tuple[str, ...]:
        return split_lines(self.text)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()

    def __repr__(self) -> str:
        return f"<SectionVersion {self.section_id}@{self.round_id} {self.number}>"


class EventAction(enum.StrEnum):
    OPENED = "opened"  #: the working copy was opened from a published round
    ADDED = "added"
    EDITED = "edited"
    MOVED = "moved"
    REMOVED = "removed"
    PUBLISHED = "published"


class RoundEvent(db.Model):
    """One recorded step in the making of a round: who did what, when and why.

    Append-only. Edits keep the text they saved, so every save of a working copy
    can be read back even though the version itself holds only the latest text.
    """

    __tablename__ = "round_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="SET NULL")
    )
    action: Mapped[EventAction] = mapped_column(str_enum(EventAction))
    #: The version's revision after this step (edits and additions).
    revision: Mapped[int | None]
    number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[Round] = relationship()
    section: Mapped[Section | None] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<RoundEvent {self.round_id} {self.action} {self.section_id}>"
