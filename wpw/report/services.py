"""The rows and the summary of the consultation report, for every format.

One query path feeds the page, the CSV, XLSX and ODS downloads and the JSON API:
:func:`build_report` reads a public round's top-level annotations (comments,
questions, proposed changes — never replies) with their section version,
author, organisation and placement on the next public round in one SELECT of
plain columns (no ORM objects, so 20,000 rows cost one round trip and no lazy
loads), plus one small SELECT of the sections' sectors, and returns frozen
:class:`ReportRow` values already shaped for readers:

* the author as they chose to be shown (``show_name`` off → only the
  organisation), expert opinions marked;
* a hidden annotation's text replaced by the moderator's reason (its proposed
  wording withheld too);
* the decision's label (withdrawn and undecided included), the justification,
  the wording adopted for a partial acceptance;
* the resulting wording in the next public round, from the annotation's
  :class:`~wpw.annotations.models.Placement` there: unchanged, changed (the new
  wording) or removed. A working copy is never a "next round".

Only published and closed rounds are reported: :func:`report_round` refuses a
working copy exactly like a round that does not exist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    Outcome,
    Placement,
)
from wpw.auth.models import Organisation, User
from wpw.documents.models import (
    Programme,
    Round,
    RoundStatus,
    Section,
    SectionVersion,
    section_sectors,
)
from wpw.extensions import db
from wpw.review.labels import DECISION_LABELS, WITHDRAWN_LABEL
from wpw.sectors.models import Sector

#: Row decisions beyond :class:`~wpw.annotations.models.Decision`.
WITHDRAWN = "withdrawn"
UNDECIDED = "undecided"
#: Every value of :attr:`ReportRow.decision`, in the summary's order.
DECISION_ORDER: tuple[str, ...] = (
    *(d.value for d in Decision),
    WITHDRAWN,
    UNDECIDED,
)
UNDECIDED_LABEL = _l("bez rozstrzygnięcia")

KIND_LABELS = {
    AnnotationKind.COMMENT: _l("Uwaga"),
    AnnotationKind.QUESTION: _l("Pytanie"),
    AnnotationKind.CHANGE: _l("Propozycja zmiany"),
}

#: How the passage fares in the next round (:attr:`ReportRow.outcome`).
OUTCOME_LABELS = {
    Outcome.EXACT: _l("bez zmian"),
    Outcome.CHANGED: _l("zmienione"),
    Outcome.ORPHANED: _l("usunięte"),
}


def decision_label(decision: str) -> str:
    """The Polish label of a row decision (see :data:`DECISION_ORDER`)."""
    if decision == WITHDRAWN:
        return str(WITHDRAWN_LABEL)
    if decision == UNDECIDED:
        return str(UNDECIDED_LABEL)
    return str(DECISION_LABELS[Decision(decision)])


@dataclass(frozen=True, slots=True)
class ReportSector:
    slug: str
    name: str
    number: int


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One annotation of the report, as every format shows it."""

    id: int
    kind: AnnotationKind
    expert: bool
    #: "Uwaga", "Pytanie", "Propozycja zmiany"; experts' marked as an opinion.
    kind_label: str
    section_key: str
    section_number: str
    section_title: str
    first_line: int
    last_line: int
    #: The quoted passage, exactly as in the round.
    quote: str
    #: The author's name, or ``None`` (not shown by choice, or account deleted).
    author: str | None
    organisation: str | None
    hidden: bool
    #: The body; for a hidden annotation the moderator's reason instead.
    content: str
    #: A proposed change's new wording (withheld when hidden).
    proposed_wording: str | None
    #: A :class:`Decision` value, ``withdrawn`` or ``undecided``.
    decision: str
    decision_label: str
    justification: str | None
    adopted_wording: str | None
    #: The passage in the next public round: ``exact``, ``changed``, ``orphaned``,
    #: or ``None`` when there is no next public round (or no placement on it).
    outcome: Outcome | None
    resulting_wording: str | None
    #: The table cell: the resulting wording, "usunięte", or empty.
    resulting_text: str
    sectors: tuple[ReportSector, ...]

    @property
    def lines(self) -> str:
        if self.first_line == self.last_line:
            return str(self.first_line)
        return f"{self.first_line}–{self.last_line}"


def kind_label(kind: AnnotationKind, expert: bool) -> str:
    label = str(KIND_LABELS[kind])
    if expert:
        return _("Opinia eksperta (%(kind)s)", kind=label.lower())
    return label


@dataclass(frozen=True)
class SectorCount:
    sector: ReportSector | None  #: ``None``: sections of no sector
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Summary:
    """Counts per decision, and per sector and decision (a row counts under
    every sector of its section, so sector totals may exceed the total)."""

    total: int
    decisions: dict[str, int]
    sectors: tuple[SectorCount, ...]


@dataclass(frozen=True)
class Report:
    programme: Programme
    round: Round
    #: The next public round, whose wording the rows show; ``None`` if none yet.
    next_round: Round | None
    sector: Sector | None
    rows: tuple[ReportRow, ...]
    #: ``rows`` are every row of the selection (not one page of it).
    complete: bool = True

    @cached_property
    def summary(self) -> Summary:
        """Counted from the rows when they are all here, else by the database;
        computed on first use (the downloads never need it)."""
        if self.complete:
            return summarise(self.rows, self.sector)
        return count_summary(self.round, self.sector)


def public_rounds(programme: Programme) -> list[Round]:
    """The rounds a report can cover (published and closed), oldest first."""
    return [r for r in programme.rounds if r.is_public]


def report_round(programme: Programme, number: int | None) -> Round | None:
    """Round *number* if public; without a number the latest public round that
    has annotations (else the latest public one). ``None``: nothing to report —
    an unknown number, a working copy, or no public round at all."""
    rounds = public_rounds(programme)
    if number is not None:
        return next((r for r in rounds if r.number == number), None)
    if not rounds:
        return None
    annotated = set(
        db.session.scalars(
            select(Annotation.round_id)
            .where(
                Annotation.round_id.in_([r.id for r in rounds]),
                Annotation.parent_id.is_(None),
            )
            .distinct()
        )
    )
    with_rows = [r for r in rounds if r.id in annotated]
    return (with_rows or rounds)[-1]


def next_public_round(round_: Round) -> Round | None:
    """The round after *round_* if it is public (a working copy is not)."""
    return next(
        (
            r
            for r in round_.programme.rounds
            if r.number == round_.number + 1 and r.status is not RoundStatus.WORKING
        ),
        None,
    )


def programme_sectors(programme: Programme) -> list[Sector]:
    """The sectors of the programme's sections, in their order: the filter's choices."""
    return list(
        db.session.scalars(
            select(Sector)
            .where(
                exists()
                .where(section_sectors.c.sector_id == Sector.id)
                .where(section_sectors.c.section_id == Section.id)
                .where(Section.programme_id == programme.id)
            )
            .order_by(Sector.number)
        )
    )


def build_report(
    round_: Round,
    sector: Sector | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> Report:
    """The report of public *round_*, optionally only *sector*'s sections.

    With *offset* / *limit* the rows are one page of the report (the summary
    still covers every row, counted by the database). Raises
    :class:`ValueError` for a working copy (callers answer 404 first).
    """
    if not round_.is_public:
        raise ValueError("a working copy is never reported")
    next_round = next_public_round(round_)
    rows = tuple(report_rows(round_, next_round, sector, offset=offset, limit=limit))
    return Report(
        programme=round_.programme,
        round=round_,
        next_round=next_round,
        sector=sector,
        rows=rows,
        complete=offset == 0 and (limit is None or len(rows) < limit),
    )


def _selected(round_: Round, sector: Sector | None) -> list:
    """The WHERE clauses of the report's rows: one round, no replies, a sector."""
    clauses = [Annotation.round_id == round_.id, Annotation.parent_id.is_(None)]
    if sector is not None:
        clauses.append(
            Annotation.section_id.in_(
                select(section_sectors.c.section_id).where(
                    section_sectors.c.sector_id == sector.id
                )
            )
        )
    return clauses


def _row_query(round_: Round, next_round: Round | None, sector: Sector | None):
    """One SELECT of every column the rows need (see the module docstring)."""
    placement = (
        [Placement.outcome, Placement.new_exact]
        if next_round is not None
        else [None, None]
    )
    columns = [
        Annotation.id,
        Annotation.kind,
        Annotation.state,
        Annotation.is_expert,
        Annotation.section_id,
        SectionVersion.number,
        SectionVersion.title,
        Section.key,
        Annotation.first_line,
        Annotation.last_line,
        Annotation.exact,
        User.name,
        User.show_name,
        Organisation.name,
        Annotation.hidden_reason,
        Annotation.body,
        Annotation.replacement,
        Annotation.decision,
        Annotation.justification,
        Annotation.adopted_wording,
    ]
    query = (
        select(*columns, *(c for c in placement if c is not None))
        .join(SectionVersion, SectionVersion.id == Annotation.version_id)
        .join(Section, Section.id == Annotation.section_id)
        .outerjoin(User, User.id == Annotation.author_id)
        .outerjoin(Organisation, Organisation.id == Annotation.organisation_id)
        .where(*_selected(round_, sector))
        .order_by(SectionVersion.position, Annotation.first_line, Annotation.id)
    )
    if next_round is not None:
        query = query.outerjoin(
            Placement,
            (Placement.annotation_id == Annotation.id)
            & (Placement.round_id == next_round.id),
        )
    return query


def _sectors_by_section(programme: Programme) -> dict[int, tuple[ReportSector, ...]]:
    pairs = db.session.execute(
        select(section_sectors.c.section_id, Sector.slug, Sector.name, Sector.number)
        .join(Sector, Sector.id == section_sectors.c.sector_id)
        .join(Section, Section.id == section_sectors.c.section_id)
        .where(Section.programme_id == programme.id)
        .order_by(Sector.number)
    )
    found: dict[int, list[ReportSector]] = {}
    for section_id, slug, name, number in pairs:
        found.setdefault(section_id, []).append(ReportSector(slug, name, number))
    return {k: tuple(v) for k, v in found.items()}


def report_rows(
    round_: Round,
    next_round: Round | None,
    sector: Sector | None = None,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[ReportRow]:
    """The report's rows in reading order (section, first line, number)."""
    sectors = _sectors_by_section(round_.programme)
    hidden_text = _("Ukryta przez moderatora: %(reason)s", reason="{}")
    # Labels are translated once per report, not once per row.
    kinds = {(k, e): kind_label(k, e) for k in KIND_LABELS for e in (False, True)}
    verdicts = {d: decision_label(d) for d in DECISION_ORDER}
    removed = str(OUTCOME_LABELS[Outcome.ORPHANED])
    rows = []
    # Plain columns through the connection: no ORM identity map, no lazy loads.
    query = _row_query(round_, next_round, sector).offset(offset).limit(limit)
    result = db.session.connection().execute(query)
    for record in result:
        (
            id_,
            kind,
            state,
            expert,
            section_id,
            number,
            title,
            key,
            first,
            last,
            exact,
            name,
            show_name,
            organisation,
            hidden_reason,
            body,
            replacement,
            decision,
            justification,
            adopted,
            *placement,
        ) = record
        hidden = hidden_reason is not None
        outcome, new_exact = placement if placement else (None, None)
        resulting = _resulting(outcome, exact, new_exact)
        verdict = _verdict(state, decision)
        rows.append(
            ReportRow(
                id=id_,
                kind=kind,
                expert=expert,
                kind_label=kinds[kind, expert],
                section_key=key,
                section_number=number,
                section_title=title,
                first_line=first,
                last_line=last,
                quote=exact or "",
                author=name if show_name else None,
                organisation=organisation,
                hidden=hidden,
                content=hidden_text.format(hidden_reason) if hidden else body,
                proposed_wording=None if hidden else replacement,
                decision=verdict,
                decision_label=verdicts[verdict],
                justification=justification,
                adopted_wording=adopted
                if decision is Decision.PARTIALLY_ACCEPTED
                else None,
                outcome=outcome,
                resulting_wording=resulting,
                resulting_text=removed
                if outcome is Outcome.ORPHANED
                else (resulting or ""),
                sectors=sectors.get(section_id, ()),
            )
        )
    return rows


def _resulting(
    outcome: Outcome | None, exact: str | None, new_exact: str | None
) -> str | None:
    if outcome is Outcome.EXACT:
        return exact
    if outcome is Outcome.CHANGED:
        return new_exact
    return None


def summarise(rows: Sequence[ReportRow], sector: Sector | None = None) -> Summary:
    """Counts per decision, and per sector (only *sector* when filtered)."""
    decisions = Counter(row.decision for row in rows)
    per_sector: dict[ReportSector | None, Counter] = {}
    for row in rows:
        for s in row.sectors or (None,):
            if sector is None or (s is not None and s.slug == sector.slug):
                per_sector.setdefault(s, Counter())[row.decision] += 1
    return _summary(len(rows), decisions, per_sector)


def _summary(
    total: int, decisions: Counter, per_sector: dict[ReportSector | None, Counter]
) -> Summary:
    ordered = sorted(
        per_sector.items(), key=lambda item: item[0].number if item[0] else 1_000
    )
    return Summary(
        total=total,
        decisions={d: decisions[d] for d in DECISION_ORDER},
        sectors=tuple(
            SectorCount(s, {d: counts[d] for d in DECISION_ORDER})
            for s, counts in ordered
        ),
    )


def _verdict(state: AnnotationState, decision: Decision | None) -> str:
    if state is AnnotationState.WITHDRAWN:
        return WITHDRAWN
    return UNDECIDED if decision is None else decision.value


def count_summary(round_: Round, sector: Sector | None = None) -> Summary:
    """:func:`summarise` of every row, counted by the database (for a page)."""
    decisions: Counter = Counter()
    for state, decision, n in db.session.execute(
        select(Annotation.state, Annotation.decision, func.count())
        .where(*_selected(round_, sector))
        .group_by(Annotation.state, Annotation.decision)
    ):
        decisions[_verdict(state, decision)] += n
    query = (
        select(
            section_sectors.c.sector_id,
            Annotation.state,
            Annotation.decision,
            func.count(),
        )
        .select_from(Annotation)
        .outerjoin(
            section_sectors, section_sectors.c.section_id == Annotation.section_id
        )
        .where(*_selected(round_, sector))
        .group_by(section_sectors.c.sector_id, Annotation.state, Annotation.decision)
    )
    if sector is not None:
        query = query.where(section_sectors.c.sector_id == sector.id)
    found = {
        s.id: ReportSector(s.slug, s.name, s.number)
        for s in db.session.scalars(select(Sector))
    }
    per_sector: dict[ReportSector | None, Counter] = {}
    for sector_id, state, decision, n in db.session.execute(query):
        key = found.get(sector_id)
        per_sector.setdefault(key, Counter())[_verdict(state, decision)] += n
    return _summary(sum(decisions.values()), decisions, per_sector)


def annotation_count(round_: Round) -> int:
    """How many top-level annotations *round_* has (for the index page)."""
    return (
        db.session.scalar(
            select(func.count(Annotation.id)).where(
                Annotation.round_id == round_.id, Annotation.parent_id.is_(None)
            )
        )
        or 0
    )


def columns(report: Report) -> list[tuple[str, str]]:
    """(key, header) of every column, in order: the page, the downloads and
    :func:`cells` alike."""
    if report.next_round is not None:
        resulting = _("Brzmienie w rundzie %(n)d", n=report.next_round.number)
    else:
        resulting = _("Brzmienie w następnej rundzie")
    return [
        ("id", _("Nr")),
        ("kind", _("Rodzaj")),
        ("section_number", _("Paragraf")),
        ("section_title", _("Tytuł paragrafu")),
        ("lines", _("Wiersze")),
        ("quote", _("Cytowany fragment")),
        ("author", _("Autor")),
        ("organisation", _("Organizacja")),
        ("content", _("Treść")),
        ("proposed_wording", _("Proponowane brzmienie")),
        ("decision", _("Rozstrzygnięcie")),
        ("justification", _("Uzasadnienie")),
        ("adopted_wording", _("Przyjęte brzmienie")),
        ("resulting", resulting),
        ("sectors", _("Podzespoły")),
    ]


def cells(row: ReportRow) -> tuple[str | int, ...]:
    """*row* as the cells of :func:`columns` (text, the number as an int)."""
    return (
        row.id,
        row.kind_label,
        row.section_number,
        row.section_title,
        row.lines,
        row.quote,
        row.author or "",
        row.organisation or "",
        row.content,
        row.proposed_wording or "",
        row.decision_label,
        row.justification or "",
        row.adopted_wording or "",
        row.resulting_text,
        ", ".join(s.name for s in row.sectors),
    )
