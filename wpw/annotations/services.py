"""Annotating a published round: write, edit, withdraw, reply, report, moderate.

Services take the acting user explicitly, check the rules, raise errors from
:mod:`wpw.errors`, flush and never commit. Commenting is open only while a
consultation phase of the round runs (by the city's calendar): every write checks
it, so a form opened before the phase closed is refused after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import Integer, and_, cast, func, null, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import ColumnElement, Subquery

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    ModerationAction,
    ModerationEvent,
    Outcome,
    Placement,
)
from wpw.annotations.permissions import can_moderate, is_author
from wpw.audit.services import record
from wpw.auth.models import Organisation, Role, User
from wpw.core import utcnow
from wpw.documents.models import Round, RoundStatus, SectionVersion, section_sectors
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.process.models import PhaseKind
from wpw.sectors.models import Sector
from wpw.signals import annotation_created, reply_created
from wpw.text.anchoring import AnchorError, anchor_for_lines, anchor_for_offsets

MAX_BODY = 20_000
ANCHORED_KINDS = (
    AnnotationKind.COMMENT,
    AnnotationKind.QUESTION,
    AnnotationKind.CHANGE,
)


def consultation_open(round_: Round, today: date) -> bool:
    """True while the round is published and one of its consultation phases runs."""
    if round_.status is not RoundStatus.PUBLISHED:
        return False
    return any(
        p.kind is PhaseKind.CONSULTATION
        and p.round_id == round_.id
        and p.is_current(today)
        for p in round_.programme.phases
    )


def _check_open(round_: Round, today: date) -> None:
    if round_.status is not RoundStatus.PUBLISHED:
        raise InvalidTransition(_("Uwagi można zgłaszać tylko do opublikowanej rundy."))
    if not consultation_open(round_, today):
        raise InvalidTransition(
            _("Konsultacje tej rundy są zamknięte. Nic nie zostało zapisane.")
        )


def _check_signed_in(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated:
        raise NotAllowed(_("Zaloguj się, aby zgłosić uwagę."))
    return actor


def _clean_body(body: str, *, what: str | None = None) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid(what or _("Napisz treść uwagi."))
    if len(body) > MAX_BODY:
        raise Invalid(_("Treść może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
    return body


def create_annotation(
    actor: User,
    version: SectionVersion,
    *,
    kind: AnnotationKind,
    body: str,
    first_line: int,
    last_line: int,
    start: int | None = None,
    end: int | None = None,
    replacement: str | None = None,
    today: date,
) -> Annotation:
    """Annotate lines *first_line*–*last_line* of *version* (or the passage
    *start*–*end*, character offsets into its text, when given).

    Raises :class:`NotAllowed` for an anonymous actor, :class:`InvalidTransition`
    when the round is not open for comments, and :class:`Invalid` for a bad
    range, an empty or overlong body, or a proposed change identical to the text.
    """
    actor = _check_signed_in(actor)
    _check_open(version.round, today)
    if kind not in ANCHORED_KINDS:
        raise Invalid(_("Nieznany rodzaj uwagi."))
    try:
        if start is not None and end is not None:
            anchor = anchor_for_offsets(version.text, start, end)
        else:
            anchor = anchor_for_lines(version.text, first_line, last_line)
    except AnchorError:
        count = len(version.lines)
        raise Invalid(
            _(
                "Wybierz wiersze od 1 do %(count)d (początek nie może być po końcu).",
                count=count,
            )
        ) from None
    body = _clean_body(
        body,
        what=_("Uzasadnij proponowaną zmianę.")
        if kind is AnnotationKind.CHANGE
        else None,
    )
    if kind is AnnotationKind.CHANGE:
        replacement = (replacement or "").replace("\r\n", "\n").strip()
        if len(replacement) > MAX_BODY:
            raise Invalid(_("Treść może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
        if replacement == anchor.quote.exact.strip():
            raise Invalid(_("Proponowany tekst jest taki sam jak obecny."))
    else:
        replacement = None
    annotation = Annotation(
        version=version,
        section_id=version.section_id,
        round_id=version.round_id,
        kind=kind,
        author=actor,
        organisation_id=actor.organisation_id,
        is_expert=actor.role is Role.EXPERT,
        body=body,
        replacement=replacement,
        first_line=anchor.first_line,
        last_line=anchor.last_line,
        start=anchor.position.start,
        end=anchor.position.end,
        exact=anchor.quote.exact,
        prefix=anchor.quote.prefix,
        suffix=anchor.quote.suffix,
    )
    db.session.add(annotation)
    db.session.flush()
    annotation_created.send(annotation)
    return annotation


def reply(actor: User, parent: Annotation, body: str, *, today: date) -> Annotation:
    """Answer in *parent*'s thread, while the round it was made on is open."""
    actor = _check_signed_in(actor)
    root = parent.thread_root
    _check_open(root.round, today)
    if root.is_hidden:
        raise InvalidTransition(_("Nie można odpowiadać na ukrytą uwagę."))
    answer = Annotation(
        version_id=root.version_id,
        section_id=root.section_id,
        round_id=root.round_id,
        parent=root,
        kind=AnnotationKind.REPLY,
        author=actor,
        organisation_id=actor.organisation_id,
        is_expert=actor.role is Role.EXPERT,
        body=_clean_body(body, what=_("Napisz treść odpowiedzi.")),
    )
    db.session.add(answer)
    db.session.flush()
    reply_created.send(answer)
    return answer


def edit_annotation(
    actor: User,
    annotation: Annotation,
    *,
    body: str,
    replacement: str | None = None,
    today: date,
) -> Annotation:
    """The author rewrites an open annotation while the consultation runs."""
    if not is_author(actor, annotation):
        raise NotAllowed(_("Uwagę może zmienić tylko jej autor."))
    if annotation.state is not AnnotationState.OPEN:
        raise InvalidTransition(_("Tej uwagi nie można już zmienić."))
    if annotation.decision is not None:
        raise InvalidTransition(
            _("Uwaga jest już rozstrzygnięta przez Zespół Koordynujący.")
        )
    _check_open(annotation.thread_root.round, today)
    body = _clean_body(body)
    if annotation.kind is AnnotationKind.CHANGE:
        replacement = (replacement or "").replace("\r\n", "\n").strip()
        if replacement == (annotation.exact or "").strip():
            raise Invalid(_("Proponowany tekst jest taki sam jak obecny."))
        annotation.replacement = replacement
    annotation.body = body
    annotation.updated_at = utcnow()
    db.session.flush()
    return annotation


def withdraw_annotation(actor: User, annotation: Annotation) -> Annotation:
    """The author takes an open annotation back; it stays visible as withdrawn."""
    if not is_author(actor, annotation):
        raise NotAllowed(_("Uwagę może wycofać tylko jej autor."))
    if annotation.state is not AnnotationState.OPEN:
        raise InvalidTransition(_("Tej uwagi nie można już wycofać."))
    # Refuses once decided; records the step in the review history.
    from wpw.review.services import withdraw_review

    withdraw_review(actor, annotation)
    db.session.flush()
    return annotation


def report(actor: User, annotation: Annotation, reason: str) -> ModerationEvent:
    """Anyone signed in flags an annotation for the moderators."""
    actor = _check_signed_in(actor)
    event = ModerationEvent(
        annotation=annotation,
        actor=actor,
        action=ModerationAction.REPORTED,
        reason=_clean_body(reason, what=_("Napisz, co jest nie tak z tą uwagą.")),
    )
    db.session.add(event)
    record(actor, "annotation.reported", annotation, event.reason)
    db.session.flush()
    return event


def hide(actor: User, annotation: Annotation, reason: str) -> None:
    """A moderator hides an annotation; *reason* is shown in place of its text."""
    if not can_moderate(actor, annotation):
        raise NotAllowed(
            _("Ukrywać uwagi może Zespół Koordynujący i lider podzespołu.")
        )
    reason = _clean_body(reason, what=_("Podaj powód ukrycia."))
    annotation.hidden_reason = reason
    db.session.add(
        ModerationEvent(
            annotation=annotation,
            actor=actor,
            action=ModerationAction.HIDDEN,
            reason=reason,
        )
    )
    record(actor, "annotation.hidden", annotation, reason)
    db.session.flush()


def restore(actor: User, annotation: Annotation, reason: str = "") -> None:
    if not can_moderate(actor, annotation):
        raise NotAllowed(
            _("Przywracać uwagi może Zespół Koordynujący i lider podzespołu.")
        )
    if not annotation.is_hidden:
        raise InvalidTransition(_("Ta uwaga nie jest ukryta."))
    annotation.hidden_reason = None
    db.session.add(
        ModerationEvent(
            annotation=annotation,
            actor=actor,
            action=ModerationAction.RESTORED,
            reason=reason,
        )
    )
    record(actor, "annotation.restored", annotation, reason)
    db.session.flush()


#: Load what a page shows of an annotation in a few queries, not one per row.
_SHOWN = (
    joinedload(Annotation.author),
    joinedload(Annotation.organisation),
    selectinload(Annotation.replies).options(
        joinedload(Annotation.author), joinedload(Annotation.organisation)
    ),
)


def annotations_on_version(version: SectionVersion) -> Sequence[Annotation]:
    """Top-level annotations made on *version*, oldest first (replies via .replies)."""
    return db.session.scalars(
        select(Annotation)
        .where(Annotation.version_id == version.id, Annotation.parent_id.is_(None))
        .order_by(Annotation.first_line, Annotation.created_at)
        .options(*_SHOWN)
    ).all()


def placements_on_version(version: SectionVersion) -> Sequence[Placement]:
    """Annotations from earlier rounds that stand on *version* (exact or changed)."""
    return db.session.scalars(
        select(Placement)
        .where(
            Placement.version_id == version.id, Placement.outcome != Outcome.ORPHANED
        )
        .options(selectinload(Placement.annotation).options(*_SHOWN))
    ).all()


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


def moderation_history(annotation: Annotation) -> Sequence[ModerationEvent]:
    return db.session.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.annotation_id == annotation.id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
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
    rows = db.session.execute(
        select(entries.c.annotation_id, entries.c.placement_id)
        .order_by(entries.c.line, entries.c.created_at, entries.c.annotation_id)
        .offset(offset)
        .limit(limit)
    ).all()
    annotations = {
        a.id: a
        for a in db.session.scalars(
            select(Annotation)
            .where(Annotation.id.in_({a for a, _p in rows}))
            .options(*_SHOWN)
        )
    }
    placed = {p for _a, p in rows if p is not None}
    placements = {
        p.id: p
        for p in (
            db.session.scalars(select(Placement).where(Placement.id.in_(placed)))
            if placed
            else ()
        )
    }
    return [(annotations[a], placements.get(p) if p else None) for a, p in rows]


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
