"""The queues: the Coordinating Team's (filtered), a sub-team's (by status),
and the groups of identical comments offered for one bulk decision.

Queue functions return ``select()`` statements for ``db.paginate``; what a row
shows is loaded with the page (a few ``IN`` queries, never one per row).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from wpw.annotations.models import Annotation, AnnotationKind, AnnotationState
from wpw.auth.models import Organisation
from wpw.documents.models import (
    Programme,
    Round,
    Section,
    SectionVersion,
    section_sectors,
)
from wpw.extensions import db
from wpw.review.models import Recommendation, ReviewStatus
from wpw.sectors.models import Sector

#: Rows per page of a queue.
PER_PAGE = 50


# --- the queues -----------------------------------------------------------------


def _row_options() -> tuple:
    """What a queue row shows, loaded with the page (no query per row). Built
    on call: options made at import would configure the mappers too early."""
    return (
        selectinload(Annotation.section).selectinload(Section.sectors),
        # Not the section's text: only its number and title are shown.
        selectinload(Annotation.version).load_only(
            SectionVersion.number, SectionVersion.title
        ),
        selectinload(Annotation.round),
        selectinload(Annotation.author),
        selectinload(Annotation.organisation),
        selectinload(Annotation.decided_by),
    )


def _recommended():
    return exists().where(Recommendation.annotation_id == Annotation.id)


def _status_clause(status: ReviewStatus):
    open_ = Annotation.state == AnnotationState.OPEN
    if status is ReviewStatus.WITHDRAWN:
        return Annotation.state == AnnotationState.WITHDRAWN
    if status is ReviewStatus.DECIDED:
        return open_ & Annotation.decision.is_not(None)
    undecided = open_ & Annotation.decision.is_(None)
    if status is ReviewStatus.RECOMMENDED:
        return undecided & _recommended()
    return undecided & ~_recommended()


def _in_sector(sector: Sector):
    return Annotation.section_id.in_(
        select(section_sectors.c.section_id).where(
            section_sectors.c.sector_id == sector.id
        )
    )


def _reviewed() -> Select:
    """Top-level annotations (replies are never reviewed), oldest first."""
    return (
        select(Annotation)
        .where(Annotation.parent_id.is_(None))
        .order_by(Annotation.id)
        .options(*_row_options())
    )


def queue_query(
    *,
    programme: Programme,
    round_: Round | None = None,
    section: Section | None = None,
    sector: Sector | None = None,
    kind: AnnotationKind | None = None,
    status: ReviewStatus | None = None,
    organisation: Organisation | None = None,
) -> Select:
    """The Coordinating Team's queue, filtered; paginate it (``db.paginate``)."""
    query = _reviewed().where(
        Annotation.round_id.in_(
            select(Round.id).where(Round.programme_id == programme.id)
        )
    )
    if round_ is not None:
        query = query.where(Annotation.round_id == round_.id)
    if section is not None:
        query = query.where(Annotation.section_id == section.id)
    if sector is not None:
        query = query.where(_in_sector(sector))
    if kind is not None:
        query = query.where(Annotation.kind == kind)
    if status is not None:
        query = query.where(_status_clause(status))
    if organisation is not None:
        query = query.where(Annotation.organisation_id == organisation.id)
    return query


def sector_queue_query(sector: Sector, status: ReviewStatus | None = None) -> Select:
    """A sub-team's queue: the annotations on its sectors' sections."""
    query = _reviewed().where(_in_sector(sector))
    if status is not None:
        query = query.where(_status_clause(status))
    return query


def count(query: Select) -> int:
    """How many rows a queue query returns, counted by the database (on the
    annotations alone: the eager loads would make it a join)."""
    return db.session.scalar(
        query.with_only_columns(func.count(Annotation.id)).order_by(None)
    )


def sector_counts(sector: Sector) -> dict[ReviewStatus, int]:
    """How many annotations of *sector*'s queue stand in each status, in one
    pass over the table."""
    statuses = list(ReviewStatus)
    row = db.session.execute(
        select(
            *(func.count(Annotation.id).filter(_status_clause(s)) for s in statuses)
        ).where(Annotation.parent_id.is_(None), _in_sector(sector))
    ).one()
    return dict(zip(statuses, row, strict=True))


# --- identical comments ---------------------------------------------------------


def normalise(body: str) -> str:
    """Case and spacing do not make two comments different."""
    return " ".join(body.casefold().split())


@dataclass(frozen=True)
class IdenticalGroup:
    """Undecided annotations with the same text, offered for one bulk decision."""

    body: str
    annotations: list[Annotation]


def identical_groups(
    round_: Round | None = None,
    *,
    programme: Programme | None = None,
    section: Section | None = None,
    sector: Sector | None = None,
    kind: AnnotationKind | None = None,
    limit: int = 20,
) -> list[IdenticalGroup]:
    """Groups of two or more open, undecided annotations (of *round_*, or of
    *programme*) whose normalised bodies are equal, largest first."""
    query = select(Annotation.id, Annotation.body).where(
        Annotation.parent_id.is_(None),
        Annotation.state == AnnotationState.OPEN,
        Annotation.decision.is_(None),
    )
    if round_ is not None:
        query = query.where(Annotation.round_id == round_.id)
    if programme is not None:
        query = query.where(
            Annotation.round_id.in_(
                select(Round.id).where(Round.programme_id == programme.id)
            )
        )
    if section is not None:
        query = query.where(Annotation.section_id == section.id)
    if sector is not None:
        query = query.where(_in_sector(sector))
    if kind is not None:
        query = query.where(Annotation.kind == kind)
    buckets: dict[str, list[int]] = {}
    for annotation_id, body in db.session.execute(query):
        buckets.setdefault(normalise(body), []).append(annotation_id)
    chosen = sorted(
        (ids for ids in buckets.values() if len(ids) > 1),
        key=lambda ids: (-len(ids), ids[0]),
    )[:limit]
    wanted = [i for ids in chosen for i in ids]
    if not wanted:
        return []
    loaded = {
        a.id: a
        for a in db.session.scalars(
            select(Annotation).where(Annotation.id.in_(wanted)).options(*_row_options())
        )
    }
    return [
        IdenticalGroup(loaded[ids[0]].body, [loaded[i] for i in sorted(ids)])
        for ids in chosen
    ]
