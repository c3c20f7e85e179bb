"""What the reading pages load about annotations, without changing anything.

The section page's part: filtered, counted per line by the database and shown a
page at a time, with their authors and replies eagerly loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Integer, and_, cast, func, null, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import ColumnElement, Subquery

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    Outcome,
    Placement,
)
from wpw.auth.models import Organisation
from wpw.documents.models import Round, SectionVersion, section_sectors
from wpw.extensions import db
from wpw.sectors.models import Sector

#: Load what a page shows of an annotation in a few queries, not one per row.
_SHOWN = (
    joinedload(Annotation.author),
    joinedload(Annotation.organisation),
    selectinload(Annotation.replies).options(
        joinedload(Annotation.author), joinedload(Annotation.organisation)
    ),
)


def orphans_in_round(
    round_: Round, section_id: int, wanted: NoteFilter | None = None
) -> Sequence[Placement]:
    """Annotations of *section_id* whose passage is gone from *round_* (those
    *wanted* by the section page's filter, if given)."""
    return db.session.scalars(
        select(Placement)
        .join(Annotation, Placement.annotation_id == Annotation.id)
        .where(
            Placement.round_id == round_.id,
            Placement.outcome == Outcome.ORPHANED,
            Annotation.section_id == section_id,
            *_conditions(wanted or NoteFilter()),
        )
        .order_by(Annotation.first_line, Annotation.created_at)
        .options(selectinload(Placement.annotation).options(*_SHOWN))
    ).all()


# --- the section page: filtered, counted per line, a page at a time --------------

#: Filter values besides the :class:`Decision` values.
UNDECIDED = "undecided"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class NoteFilter:
    """What the section page's filter asks for; empty means any.

    *decision* is a :class:`Decision` value, :data:`UNDECIDED` (open, no decision
    yet) or :data:`WITHDRAWN` (taken back by its author, whatever else it has).
    """

    kind: str = ""
    sector: str = ""
    decision: str = ""
    organisation_id: int | None = None


def _conditions(wanted: NoteFilter) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions on :class:`Annotation`."""
    conditions: list[ColumnElement[bool]] = []
    if wanted.kind:
        conditions.append(Annotation.kind == AnnotationKind(wanted.kind))
    if wanted.sector:
        conditions.append(
            Annotation.section_id.in_(
                select(section_sectors.c.section_id)
                .join(Sector, Sector.id == section_sectors.c.sector_id)
                .where(Sector.slug == wanted.sector)
            )
        )
    if wanted.decision == WITHDRAWN:
        conditions.append(Annotation.state == AnnotationState.WITHDRAWN)
    elif wanted.decision:
        conditions.append(Annotation.state == AnnotationState.OPEN)
        conditions.append(
            Annotation.decision.is_(None)
            if wanted.decision == UNDECIDED
            else Annotation.decision == Decision(wanted.decision)
        )
    if wanted.organisation_id is not None:
        conditions.append(Annotation.organisation_id == wanted.organisation_id)
    return conditions


def _entries(version: SectionVersion, wanted: NoteFilter) -> Subquery:
    """One row per annotation standing on *version*: made there, or carried over
    by a placement — its id, the placement's id (or NULL), its first line there
    (0 if none) and when it was written."""
    conditions = _conditions(wanted)
    made = select(
        Annotation.id.label("annotation_id"),
        cast(null(), Integer).label("placement_id"),
        func.coalesce(Annotation.first_line, 0).label("line"),
        Annotation.created_at.label("created_at"),
    ).where(
        Annotation.version_id == version.id,
        Annotation.parent_id.is_(None),
        *conditions,
    )
    carried = (
        select(
            Annotation.id,
            Placement.id,
            func.coalesce(Placement.first_line, 0),
            Annotation.created_at,
        )
        .join(Annotation, Placement.annotation_id == Annotation.id)
        .where(
            Placement.version_id == version.id,
            Placement.outcome != Outcome.ORPHANED,
            *conditions,
        )
    )
    return union_all(made, carried).subquery()


def line_counts(version: SectionVersion, wanted: NoteFilter) -> dict[int, int]:
    """How many annotations (made or placed on *version*, *wanted* by the filter)
    start on each line, counted by the database."""
    entries = _entries(version, wanted)
    rows = db.session.execute(
        select(entries.c.line, func.count()).group_by(entries.c.line)
    )
    return {line: count for line, count in rows}


def entries_on_version(
    version: SectionVersion, wanted: NoteFilter, *, offset: int, limit: int
) -> list[tuple[Annotation, Placement | None]]:
    """One page of what :func:`line_counts` counts, by line then age: each
    annotation with its placement when carried over, replies and authors loaded."""
    entries = _entries(version, wanted)
    order = (entries.c.line, entries.c.created_at, entries.c.annotation_id)
    page = select(entries).order_by(*order).offset(offset).limit(limit).subquery()
    rows = db.session.execute(
        select(Annotation, Placement)
        .join(page, page.c.annotation_id == Annotation.id)
        .outerjoin(Placement, Placement.id == page.c.placement_id)
        .order_by(page.c.line, page.c.created_at, page.c.annotation_id)
        .options(*_SHOWN)
    )
    return [(annotation, placement) for annotation, placement in rows]


def organisations_on_version(
    round_: Round, version: SectionVersion
) -> list[Organisation]:
    """The organisations whose annotations the section page may show (made on
    *version*, placed on it, or orphaned in its section in *round_*), by name."""
    made = select(Annotation.organisation_id).where(
        Annotation.version_id == version.id, Annotation.parent_id.is_(None)
    )
    placed = (
        select(Annotation.organisation_id)
        .join(Placement, Placement.annotation_id == Annotation.id)
        .where(
            or_(
                Placement.version_id == version.id,
                and_(
                    Placement.round_id == round_.id,
                    Placement.outcome == Outcome.ORPHANED,
                    Annotation.section_id == version.section_id,
                ),
            )
        )
    )
    found = db.session.scalars(
        select(Organisation).where(Organisation.id.in_(union_all(made, placed)))
    )
    return sorted(found, key=lambda o: o.name)
