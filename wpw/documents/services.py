"""Rules for programmes, rounds and section versions.

Services take the acting user explicitly, check permissions and invariants, raise
errors from :mod:`wpw.errors`, flush and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.exc import StaleDataError

from wpw.auth.models import User
from wpw.auth.permissions import can_edit_round, can_publish, can_view_round
from wpw.core import utcnow
from wpw.documents.models import (
    EventAction,
    Programme,
    Round,
    RoundEvent,
    RoundStatus,
    Section,
    SectionVersion,
)
from wpw.errors import Conflict, Invalid, InvalidTransition, NotAllowed
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
    _record(actor, round_, EventAction.PUBLISHED, message=message)
    db.session.flush()
    return round_


# --- The working copy (check-out / check-in, in Plone's words) -----------------

#: Section keys appear in URLs: lower-case ASCII words joined by hyphens.
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def working_round(programme: Programme) -> Round | None:
    return next((r for r in programme.rounds if r.status is RoundStatus.WORKING), None)


def open_working_copy(
    actor: User, programme: Programme, title: str, message: str = ""
) -> Round:
    """Open the next round as a copy of the latest published round.

    Raises what :func:`create_round` raises, and :class:`Invalid` for an empty
    title.
    """
    title = title.strip()
    if not title:
        raise Invalid(_("Podaj tytuł nowej rundy."))
    base = latest_public_round(programme)
    round_ = create_round(actor, programme, title)
    for old in base.versions if base else ():
        db.session.add(
            SectionVersion(
                round=round_,
                section=old.section,
                number=old.number,
                title=old.title,
                position=old.position,
                text=old.text,
                author=actor,
                message=message,
            )
        )
    _record(actor, round_, EventAction.OPENED, message=message)
    db.session.flush()
    return round_


def _check_editable(actor: User, round_: Round) -> None:
    if round_.is_frozen:
        raise InvalidTransition(_("Opublikowana runda nie może się już zmienić."))
    if not can_edit_round(actor, round_):
        raise NotAllowed(_("Wersję roboczą edytuje tylko Zespół Koordynujący."))


def _check_heading(number: str, title: str) -> tuple[str, str]:
    number, title = number.strip(), " ".join(title.split())
    problems = []
    if not number or len(number) > 20:
        problems.append(_("Numer paragrafu: od 1 do 20 znaków, np. „§ 4”."))
    if not title or len(title) > 300:
        problems.append(_("Tytuł paragrafu: od 1 do 300 znaków."))
    if problems:
        raise Invalid("\n".join(problems))
    return number, title


def _record(
    actor: User | None,
    round_: Round,
    action: EventAction,
    version: SectionVersion | None = None,
    *,
    message: str = "",
    with_text: bool = False,
) -> None:
    db.session.add(
        RoundEvent(
            round=round_,
            action=action,
            author=actor,
            message=message,
            section=version.section if version else None,
            revision=version.revision if version else None,
            number=version.number if version else None,
            title=version.title if version else None,
            text=version.text if version and with_text else None,
        )
    )


def save_section(
    actor: User,
    version: SectionVersion,
    *,
    number: str,
    title: str,
    text: str,
    base_revision: int,
    message: str = "",
) -> SectionVersion:
    """Save a section of the working copy, if nobody saved it since *base_revision*.

    Saving the same number, title and text changes nothing and records nothing.
    Raises :class:`Conflict` (with the current version) when the form is stale,
    :class:`Invalid` for an empty number or title, and what editing a frozen or
    foreign round raises.
    """
    _check_editable(actor, version.round)
    number, title = _check_heading(number, title)
    if version.revision != base_revision:
        raise Conflict(
            _("Ktoś zapisał ten paragraf, gdy go edytowałaś/eś. Nic nie nadpisano."),
            current=version,
        )
    text = normalise_text(text)
    if (version.number, version.title, version.text) == (number, title, text):
        return version
    version.number, version.title, version.text = number, title, text
    version.author, version.message, version.updated_at = actor, message, utcnow()
    try:
        db.session.flush()  # bumps the revision, or matches no row if a race was lost
    except StaleDataError:
        raise Conflict(
            _("Ktoś zapisał ten paragraf, gdy go edytowałaś/eś. Nic nie nadpisano."),
        ) from None
    _record(
        actor,
        version.round,
        EventAction.EDITED,
        version,
        message=message,
        with_text=True,
    )
    return version


def add_section(
    actor: User,
    round_: Round,
    *,
    key: str,
    number: str,
    title: str,
    text: str,
    position: int | None = None,
    message: str = "",
) -> SectionVersion:
    """Add a section to the working copy at *position* (default: at the end).

    A *key* the programme already knows brings that section back (its identity
    and history); a new key creates a section. Raises :class:`Invalid` for a
    malformed key or one already in the round.
    """
    _check_editable(actor, round_)
    number, title = _check_heading(number, title)
    key = key.strip().lower()
    if not _KEY.match(key) or len(key) > 80:
        raise Invalid(
            _(
                "Identyfikator: małe litery bez polskich znaków, cyfry i "
                "łączniki, np. „zadania-edukacja”."
            )
        )
    if any(v.section.key == key for v in round_.versions):
        raise Invalid(
            _("Ta runda ma już paragraf o identyfikatorze „%(key)s”.", key=key)
        )
    section = db.session.scalar(
        select(Section).where(
            Section.programme_id == round_.programme_id, Section.key == key
        )
    ) or Section(programme=round_.programme, key=key)
    versions = list(round_.versions)
    position = max(1, min(position or len(versions) + 1, len(versions) + 1))
    version = SectionVersion(
        section=section,
        number=number,
        title=title,
        text=normalise_text(text),
        position=position,
        author=actor,
        message=message,
    )
    versions.insert(position - 1, version)
    round_.versions = versions
    _renumber(round_)
    db.session.flush()
    _record(actor, round_, EventAction.ADDED, version, message=message, with_text=True)
    return version


def remove_section(actor: User, version: SectionVersion, *, message: str = "") -> None:
    """Take a section out of the working copy; its identity and history stay."""
    round_ = version.round
    _check_editable(actor, round_)
    _record(actor, round_, EventAction.REMOVED, version, message=message)
    round_.versions.remove(version)
    db.session.delete(version)
    _renumber(round_)
    db.session.flush()


def move_section(actor: User, version: SectionVersion, position: int) -> None:
    """Move a section to *position* (from 1) in the working copy's reading order."""
    round_ = version.round
    _check_editable(actor, round_)
    versions = [v for v in round_.versions if v is not version]
    position = max(1, min(position, len(versions) + 1))
    if version.position == position:
        return
    versions.insert(position - 1, version)
    round_.versions = versions
    _renumber(round_)
    db.session.flush()
    _record(actor, round_, EventAction.MOVED, version)


def _renumber(round_: Round) -> None:
    """Positions 1…n in list order, touching only rows whose position changed."""
    for position, version in enumerate(round_.versions, 1):
        if version.position != position:
            version.position = position


def discard_working_copy(actor: User, round_: Round) -> None:
    """Delete the working copy and everything recorded in it.

    Sections that exist only in this round go too; the others keep their
    published versions.
    """
    _check_editable(actor, round_)
    sections = [v.section for v in round_.versions]
    programme = round_.programme
    programme.rounds.remove(round_)
    db.session.delete(round_)
    db.session.flush()
    for section in sections:
        if not db.session.scalar(
            select(SectionVersion.id).where(SectionVersion.section_id == section.id)
        ):
            db.session.delete(section)
    db.session.flush()


def round_events(round_: Round) -> Sequence[RoundEvent]:
    return db.session.scalars(
        select(RoundEvent)
        .where(RoundEvent.round_id == round_.id)
        .order_by(RoundEvent.created_at, RoundEvent.id)
    ).all()


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
