"""Sub-teams' internal notes, recommendations and the review history (reading)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wpw.annotations.models import Annotation
from wpw.auth.models import User
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.review.models import Recommendation, ReviewEvent, ReviewNote
from wpw.review.permissions import can_decide, can_read_notes, member_sectors
from wpw.review.services.steps import MAX_BODY, clean_text
from wpw.sectors.models import Sector


def add_note(
    actor: User, annotation: Annotation, body: str, *, sector: Sector | None = None
) -> ReviewNote:
    """An internal note by a member of the annotation's sub-teams (for *sector*,
    or their only one of its sectors) or by a coordinator (for *sector*, or for
    the Coordinating Team alone when ``None``).

    Raises :class:`NotAllowed` and :class:`Invalid` (empty or overlong body, no
    or a wrong sector).
    """
    if not can_read_notes(actor, annotation):
        raise NotAllowed(
            _("Notatki piszą członkowie podzespołu i Zespół Koordynujący.")
        )
    body = clean_text(body)
    if not body:
        raise Invalid(_("Napisz treść notatki."))
    if len(body) > MAX_BODY:
        raise Invalid(_("Treść może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
    if not can_decide(actor):
        mine = member_sectors(actor, annotation)
        if sector is None and len(mine) == 1:
            sector = mine[0]
        if sector is None or sector not in mine:
            raise Invalid(_("Wybierz podzespół, którego dotyczy notatka."))
    elif sector is not None and sector not in annotation.section.sectors:
        raise Invalid(_("Ta uwaga nie trafiła do wybranego podzespołu."))
    note = ReviewNote(annotation=annotation, sector=sector, author=actor, body=body)
    db.session.add(note)
    db.session.flush()
    return note


def notes_for(user: User | None, annotation: Annotation) -> Sequence[ReviewNote]:
    """The internal notes *user* may read: all for coordinators, their sectors'
    notes for sub-team members, none for anyone else."""
    if not can_read_notes(user, annotation):
        return []
    query = (
        select(ReviewNote)
        .where(ReviewNote.annotation_id == annotation.id)
        .order_by(ReviewNote.created_at, ReviewNote.id)
        .options(selectinload(ReviewNote.author), selectinload(ReviewNote.sector))
    )
    if not can_decide(user):
        mine = [s.id for s in member_sectors(user, annotation)]
        query = query.where(ReviewNote.sector_id.in_(mine))
    return db.session.scalars(query).all()


def recommendations(annotation: Annotation) -> Sequence[Recommendation]:
    return db.session.scalars(
        select(Recommendation)
        .where(Recommendation.annotation_id == annotation.id)
        .join(Sector, Recommendation.sector_id == Sector.id)
        .order_by(Sector.number)
        .options(
            selectinload(Recommendation.author), selectinload(Recommendation.sector)
        )
    ).all()


def recommendations_by_annotation(
    annotation_ids: Iterable[int],
) -> dict[int, list[Recommendation]]:
    """The recommendations of many annotations in one query (a queue page)."""
    ids = list(annotation_ids)
    found: dict[int, list[Recommendation]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.annotation_id.in_(ids))
        .options(selectinload(Recommendation.sector))
    )
    for rec in rows:
        found[rec.annotation_id].append(rec)
    for recs in found.values():
        recs.sort(key=lambda r: r.sector.number)
    return found


def history(annotation: Annotation) -> Sequence[ReviewEvent]:
    """Every review step of *annotation*, oldest first."""
    return db.session.scalars(
        select(ReviewEvent)
        .where(ReviewEvent.annotation_id == annotation.id)
        .order_by(ReviewEvent.created_at, ReviewEvent.id)
        .options(selectinload(ReviewEvent.actor), selectinload(ReviewEvent.sector))
    ).all()
