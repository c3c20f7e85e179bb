"""The working copy (check-out / check-in, in Plone's words): the Coordinating
Team opens the next round as a copy of the latest published one, then edits,
adds, moves and removes sections, each step recorded; or discards it.

Every save carries the revision its form started from; a stale one is a
:class:`wpw.errors.Conflict` and overwrites nothing.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from wpw.auth.models import User
from wpw.auth.permissions import can_edit_round
from wpw.core import utcnow
from wpw.documents.models import (
    EventAction,
    Programme,
    Round,
    Section,
    SectionVersion,
)
from wpw.documents.services.reading import latest_public_round
from wpw.documents.services.rounds import create_round, record_event
from wpw.errors import Conflict, Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.text.lines import normalise_text

# --- The working copy (check-out / check-in, in Plone's words) -----------------

#: Section keys appear in URLs: lower-case ASCII words joined by hyphens.
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def open_working_copy(
    actor: User, programme: Programme, title: str, message: str = ""
) -> Round:
    """Open the next round as a copy of the latest published round, with the
    accepted proposals made on it applied
    (:func:`wpw.review.applying.apply_accepted_changes`).

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
    record_event(actor, round_, EventAction.OPENED, message=message)
    db.session.flush()
    # Accepted proposals flow into the new copy in this transaction. Imported here:
    # review depends on documents, not the other way round when modules load.
    from wpw.review.applying import apply_accepted_changes

    apply_accepted_changes(actor, round_)
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
    record_event(
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
    record_event(
        actor, round_, EventAction.ADDED, version, message=message, with_text=True
    )
    return version


def remove_section(actor: User, version: SectionVersion, *, message: str = "") -> None:
    """Take a section out of the working copy; its identity and history stay."""
    round_ = version.round
    _check_editable(actor, round_)
    record_event(actor, round_, EventAction.REMOVED, version, message=message)
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
    record_event(actor, round_, EventAction.MOVED, version)


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
