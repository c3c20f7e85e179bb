"""Rounds: creating one, filling it, publishing it — and the guard that keeps a
published round's versions from ever changing.

Services take the acting user explicitly, check permissions and invariants, raise
errors from :mod:`wpw.errors`, flush and never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from wpw.audit.services import record
from wpw.auth.models import User
from wpw.auth.permissions import can_edit_round, can_publish
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
from wpw.errors import InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.text.lines import normalise_text


class FrozenVersionError(RuntimeError):
    """A flush tried to change or delete a version of a published round.

    Raised by the ORM guard below, as a last line of defence behind the service
    checks: it means a bug, not a user error.
    """


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
    """Freeze the working *round_* and make it public; close the previous round
    and re-anchor the annotations standing on it onto *round_*
    (:func:`wpw.annotations.reanchoring.reanchor_round`).

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
    record_event(actor, round_, EventAction.PUBLISHED, message=message)
    record(
        actor,
        "round.published",
        round_,
        message,
        programme=round_.programme.slug,
        number=round_.number,
        title=round_.title,
    )
    db.session.flush()
    # Annotations on the previous round follow the text onto this one, in this
    # transaction. Imported here, not at the top: annotations depend on documents,
    # and documents must not depend on annotations when its modules load (cycle).
    from wpw.annotations.reanchoring import reanchor_round

    reanchor_round(round_)
    return round_


def record_event(
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
