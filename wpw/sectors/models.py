"""Sectors (podzespoły branżowe) and who belongs to them."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wpw.core import str_enum
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import User


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    LEADER = "leader"


class Sector(db.Model):
    """One of the sector sub-teams, e.g. "Edukacja"."""

    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    #: Position in lists, 1–8 for the seed's sub-teams.
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    memberships: Mapped[list[SectorMembership]] = relationship(
        back_populates="sector", cascade="all, delete-orphan"
    )

    def display_name(self, locale: str) -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    def __repr__(self) -> str:
        return f"<Sector {self.slug}>"


class SectorMembership(db.Model):
    """A user in a sector sub-team, as a member or its leader."""

    __tablename__ = "sector_memberships"
    __table_args__ = (UniqueConstraint("user_id", "sector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sector_id: Mapped[int] = mapped_column(
        ForeignKey("sectors.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        str_enum(MembershipRole),
        default=MembershipRole.MEMBER,
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    sector: Mapped[Sector] = relationship(back_populates="memberships")

    def __repr__(self) -> str:
        return f"<SectorMembership {self.user_id}@{self.sector_id} {self.role}>"
