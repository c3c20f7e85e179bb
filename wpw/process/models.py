"""The dated schedule (harmonogram) of a programme's drafting."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import str_enum
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.documents.models import Programme, Round


class PhaseKind(enum.StrEnum):
    MEETING = "meeting"  #: a single meeting, e.g. of the Coordinating Team
    SECTOR_MEETINGS = "sector_meetings"  #: a tour of sector meetings
    DRAFTING = "drafting"  #: the Coordinating Team writes the next round
    CONSULTATION = "consultation"  #: a published round is open to comments
    INFORMATION = "information"  #: information policy and online forms


class Phase(db.Model):
    """A dated stage. A consultation phase opens commenting on its round."""

    __tablename__ = "phases"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="dates_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    #: The round this phase drafts or consults, if any.
    round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="SET NULL")
    )
    kind: Mapped[PhaseKind] = mapped_column(str_enum(PhaseKind))
    name: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    #: Who takes part, as the seed's schedule says.
    participants: Mapped[str] = mapped_column(Text, default="")
    #: First and last day, inclusive, in the city's time zone (Europe/Warsaw).
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    position: Mapped[int]

    programme: Mapped[Programme] = relationship(back_populates="phases")
    round: Mapped[Round | None] = relationship()

    def is_current(self, today: date) -> bool:
        return self.starts_on <= today <= self.ends_on

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Phase {self.position} {self.kind} {self.starts_on}–{self.ends_on}>"
