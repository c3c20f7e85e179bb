"""Rules for programmes, rounds and section versions.

Services take the acting user explicitly, check permissions and invariants, raise
errors from :mod:`wpw.errors`, flush and never commit.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session as OrmSession

from wpw.auth.models import User
from wpw.auth.permissions import can_edit_round, can_publish, can_view_round
from wpw.core import utcnow
from wpw.documents.models import Programme, Round, RoundStatus, Section, SectionVersion
from wpw.errors import InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.text.lines import normalise_text


class FrozenVersionError(RuntimeError):
    """A flush tried to change or delete a version of a published round.

    Raised by the ORM guard below, as a last line of defence behind the service
    checks: it means a bug, not a user error.
    """


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


def create_round(actor: User, programme: Programme, title: str) -> Round:
    """Open a new, empty working round after the last one.

    Raises :class:`NotAllowed` unless *actor* is on the Coordinating Team, and
    :class:`InvalidTransition` if a working round is already open.
    """
    if not can_publish(actor):
        raise NotAllowed(_("Nową rundę otwiera tylko Zespół Koordynujący."))
    if any(r.status is RoundStatus.WORKING for r in programme.rounds):
        raise InvalidTransition(_("Ten program ma już otwartą wersję roboczą."))
    number = max((r.number for r in programme.rounds), default=0) + 1
    round_ = Round(programme=programme, number=number, title=title)
    db.session.add(round_)
    db.session.flush()
    return round_


def save_section_version(
    actor: User,
    round_: Round,
    section: Section,
    *,
    number: str,
    title: str,
    position: int,
    text: str,
    message: str = "",
) -> SectionVersion:
    """Create or update *section*'s version in the working *round_*.

    Saving identical number, title, position and text changes nothing.
    Raises :class:`InvalidTransition` if the round is published or closed, and
    :class:`NotAllowed` unless *actor* may edit the round.
    """
    if round_.is_frozen:
        raise InvalidTransition(_("Opublikowana runda nie może się już zmienić."))
    if not can_edit_round(actor, round_):
        raise NotAllowed(_("Wersję roboczą edytuje tylko Zespół Koordynujący."))
    text = normalise_text(text)
    version = next((v for v in round_.versions if v.section_id == section.id), None)
    if version is None:
        version = SectionVersion(round=round_, section=section, author=actor)
        db.session.add(version)
    elif (version.number, version.title, version.position, version.text) == (
        number,
        title,
        position,
        text,
    ):
        return version
    else:
        version.revision += 1
        version.updated_at = utcnow()
    version.number, version.title, version.position = number, title, position
    version.text, version.message, version.author = text, message, actor
    db.session.flush()
    return version


def publish_round(actor: User, round_: Round, message: str = "") -> Round:
    """Freeze the working *round_* and make it public; close the previous round.

    Raises :class:`NotAllowed` unless *actor* is on the Coordinating Team and
    :class:`InvalidTransition` unless the round is a working copy with sections.
    """
    if not can_publish(actor):
        raise NotAllowed(_("Rundę publikuje tylko Zespół Koordynujący."))
    if round_.status is not RoundStatus.WORKING:
        raise InvalidTransition(_("Opublikować można tylko wersję roboczą."))
    if not round_.versions:
        raise InvalidTransition(_("Nie można opublikować pustej rundy."))
    for other in round_.programme.rounds:
        if other is not round_ and other.status is RoundStatus.PUBLISHED:
            other.status = RoundStatus.CLOSED
    round_.status = RoundStatus.PUBLISHED
    round_.published_at = utcnow()
    round_.published_by = actor
    round_.publish_message = message
    db.session.flush()
    return round_


@event.listens_for(OrmSession, "before_flush")
def _guard_frozen_versions(session: OrmSession, flush_context, instances) -> None:
    """Refuse any flush that edits or deletes a version of a frozen round."""
    for obj in (*session.dirty, *session.deleted):
        if not isinstance(obj, SectionVersion):
            continue
        if (
            obj in session.deleted
            and obj.round is not None
            and obj.round in session.deleted
        ):
            continue  # the whole round goes (e.g. a programme is deleted)
        state = db.inspect(obj)
        changed = obj in session.deleted or any(
            state.attrs[name].history.has_changes()
            for name in (
                "number",
                "title",
                "position",
                "text",
                "round_id",
                "section_id",
            )
        )
        if changed and obj.round is not None and obj.round.is_frozen:
            # The round may be becoming frozen in this very flush; what counts
            # is whether it was frozen before.
            status_history = db.inspect(obj.round).attrs.status.history
            was = (
                status_history.deleted[0]
                if status_history.deleted
                else obj.round.status
            )
            if was is not RoundStatus.WORKING:
                raise FrozenVersionError(f"{obj!r} belongs to a published round")
