"""Finding programmes, rounds and versions, and what a user may see of them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from wpw.auth.models import User
from wpw.auth.permissions import can_view_round
from wpw.documents.models import (
    Programme,
    Round,
    RoundEvent,
    RoundStatus,
    Section,
    SectionVersion,
)
from wpw.extensions import db


def all_programmes() -> Sequence[Programme]:
    """Every programme, newest first (a city runs several over the years)."""
    return db.session.scalars(select(Programme).order_by(Programme.id.desc())).all()


def programme_by_slug(slug: str) -> Programme | None:
    return db.session.scalar(select(Programme).where(Programme.slug == slug))


def visible_rounds(user: User | None, programme: Programme) -> list[Round]:
    """The programme's rounds this user may read, oldest first."""
    return [r for r in programme.rounds if can_view_round(user, r)]


def latest_public_round(programme: Programme) -> Round | None:
    public = [r for r in programme.rounds if r.is_public]
    return public[-1] if public else None


def round_by_number(programme: Programme, number: int) -> Round | None:
    return db.session.scalar(
        select(Round).where(Round.programme_id == programme.id, Round.number == number)
    )


def version_in_round(round_: Round, key: str) -> SectionVersion | None:
    """The version of the section with *key* in *round_*, if the round has it."""
    return db.session.scalar(
        select(SectionVersion)
        .join(Section)
        .where(SectionVersion.round_id == round_.id, Section.key == key)
    )


def section_history(section: Section) -> Sequence[SectionVersion]:
    """The section's versions across rounds, oldest round first."""
    return db.session.scalars(
        select(SectionVersion)
        .join(Round)
        .where(SectionVersion.section_id == section.id)
        .order_by(Round.number)
    ).all()


def working_round(programme: Programme) -> Round | None:
    return next((r for r in programme.rounds if r.status is RoundStatus.WORKING), None)


def round_events(round_: Round) -> Sequence[RoundEvent]:
    return db.session.scalars(
        select(RoundEvent)
        .where(RoundEvent.round_id == round_.id)
        .order_by(RoundEvent.created_at, RoundEvent.id)
    ).all()
