"""Which annotations caused which change: the traceability of a comparison.

A *hunk* is one changed passage of a section's word diff — a run of deleted
and/or inserted text between two unchanged stretches. A hunk is traced to the
decided annotations behind it: annotations made on the older round (or carried
onto it unchanged from an earlier one, see :class:`Placement`) on that section,
decided ``accepted`` or ``partial``, whose anchor on the older version overlaps
or touches the hunk's old text. An :class:`AppliedChange` row refines this when
there is one: a change still in conflict in the rounds compared did not go in,
and a change already applied in a round up to the older one is not this
comparison's doing. A hunk nobody asked for shows the messages the Coordinating
Team saved the section's working copy with.

The diffs come from the compare cache and stay pure; tracing is computed per
request with a fixed number of queries for the whole comparison (not per
section, not per hunk).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.orm.util import AliasedClass

from wpw.annotations.models import (
    Annotation,
    AnnotationState,
    Decision,
    Outcome,
    Placement,
)
from wpw.compare.services import RoundComparison
from wpw.documents.models import EventAction, Round, RoundEvent, RoundStatus
from wpw.extensions import db
from wpw.review.models import AppliedChange, ChangeStatus
from wpw.text.diff import Op, TextDiff

#: Decisions that change the text: only these claim a changed passage.
CHANGING_DECISIONS = (Decision.ACCEPTED, Decision.PARTIALLY_ACCEPTED)
#: Round events whose message describes a save of a section.
_SAVE_EVENTS = (EventAction.ADDED, EventAction.EDITED)


@dataclass(frozen=True, slots=True)
class Hunk:
    """One changed passage: ops ``first_op``…``last_op`` of the diff.

    Offsets are into the old and new texts (end exclusive; an insertion has an
    empty old range, a deletion an empty new one); lines are numbered from 1.
    """

    number: int
    first_op: int
    last_op: int
    old_start: int
    old_end: int
    new_start: int
    new_end: int
    old_lines: tuple[int, int]
    new_lines: tuple[int, int]

    @property
    def removes(self) -> bool:
        return self.old_end > self.old_start

    @property
    def adds(self) -> bool:
        return self.new_end > self.new_start


@dataclass(frozen=True, slots=True)
class ResultingPassage:
    """Where a decided annotation's passage stands in a later round."""

    round: Round
    section_key: str
    first_line: int | None
    last_line: int | None
    #: How the passage reads now (for a changed passage), else its quote.
    wording: str | None
    orphaned: bool

    @property
    def url(self) -> str | None:
        """The section page at the passage's first line; None when it is gone."""
        if self.orphaned:
            return None
        url = url_for(
            "documents.section",
            slug=self.round.programme.slug,
            number=self.round.number,
            key=self.section_key,
        )
        return f"{url}#L{self.first_line}" if self.first_line else url


@dataclass(frozen=True, slots=True)
class TracedAnnotation:
    """A decided annotation behind one or more hunks."""

    annotation: Annotation
    #: Its anchor on the older version: character offsets.
    start: int
    end: int
    passage: ResultingPassage | None


@dataclass(slots=True)
class HunkTrace:
    hunk: Hunk
    annotations: list[TracedAnnotation] = field(default_factory=list)
    #: The working copy's save messages, when no annotation claims the hunk.
    messages: tuple[str, ...] = ()

    @property
    def explained(self) -> bool:
        return bool(self.annotations)


@dataclass(frozen=True, slots=True)
class SectionTrace:
    """The hunks of one section's diff with what caused each."""

    hunks: tuple[HunkTrace, ...]

    @property
    def by_last_op(self) -> dict[int, HunkTrace]:
        """Each hunk by the index of its last op (where a marker goes inline)."""
        return {t.hunk.last_op: t for t in self.hunks}

    def markers(self, row_old: int | None, row_new: int | None) -> list[HunkTrace]:
        """The hunks that end on a side-by-side row with these line numbers:
        on its new line when the hunk adds text, else on its old line."""
        return [
            t
            for t in self.hunks
            if (t.hunk.adds and row_new == t.hunk.new_lines[1])
            or (not t.hunk.adds and row_old == t.hunk.old_lines[1])
        ]

    @property
    def annotations(self) -> list[TracedAnnotation]:
        """Every annotation behind some hunk, once, in order of first claim."""
        seen: dict[int, TracedAnnotation] = {}
        for trace in self.hunks:
            for traced in trace.annotations:
                seen.setdefault(traced.annotation.id, traced)
        return list(seen.values())


def find_hunks(diff: TextDiff) -> tuple[Hunk, ...]:
    """Cut *diff* into its changed passages (pure; raises nothing)."""
    spans: list[tuple[int, int, int, int, int, int]] = []
    old_pos = new_pos = 0
    current: list[int] | None = None  # first op, last op, old start, new start
    ops: Sequence[Op] = diff.ops
    for index, op in enumerate(ops):
        if op.kind == "equal":
            if current is not None:
                spans.append((*current, old_pos, new_pos))  # type: ignore[arg-type]
                current = None
            old_pos += len(op.text)
            new_pos += len(op.text)
            continue
        if current is None:
            current = [index, index, old_pos, new_pos]
        current[1] = index
        if op.kind == "delete":
            old_pos += len(op.text)
        else:
            new_pos += len(op.text)
    if current is not None:
        spans.append((*current, old_pos, new_pos))  # type: ignore[arg-type]
    old_breaks = _breaks(diff.old_text)
    new_breaks = _breaks(diff.new_text)
    return tuple(
        Hunk(
            number=number,
            first_op=first,
            last_op=last,
            old_start=old_start,
            old_end=old_end,
            new_start=new_start,
            new_end=new_end,
            old_lines=_lines(old_breaks, old_start, old_end),
            new_lines=_lines(new_breaks, new_start, new_end),
        )
        for number, (first, last, old_start, new_start, old_end, new_end) in enumerate(
            spans, 1
        )
    )


def _breaks(text: str) -> list[int]:
    """The offsets of *text*'s line breaks."""
    return [match.start() for match in _LINE_BREAK.finditer(text)]


_LINE_BREAK = re.compile("\n")


def _lines(breaks: list[int], start: int, end: int) -> tuple[int, int]:
    """The first and last line (from 1) of the range *start*–*end*; an empty
    range is on the line of its position."""
    first = bisect.bisect_left(breaks, start) + 1
    last = bisect.bisect_left(breaks, max(start, end - 1)) + 1
    return first, last


def overlaps(start: int, end: int, hunk: Hunk) -> bool:
    """Whether the range *start*–*end* overlaps or touches *hunk*'s old text."""
    return start <= hunk.old_end and hunk.old_start <= end


def trace_comparison(comparison: RoundComparison) -> dict[str, SectionTrace]:
    """The traces of the comparison's changed sections, by section key.

    Empty when the comparison does not go forward to a later round. Runs at
    most four queries (annotations with their placements, their sections,
    applied changes, save messages) whatever the number of sections and hunks.
    """
    from_round, to_round = comparison.from_round, comparison.to_round
    if from_round.number >= to_round.number:
        return {}
    # (section id, key, hunks, newer version's own message) per changed section
    changed = [
        (s.old.section_id, s.key, find_hunks(s.diff), s.new.message.strip())
        for s in comparison.sections
        if s.old and s.new and s.diff and s.diff.changed
    ]
    if not changed:
        return {}
    candidates = _candidates(from_round, to_round, [c[0] for c in changed])
    traces: dict[str, SectionTrace] = {}
    unexplained: list[tuple[int, str, HunkTrace]] = []
    for section_id, key, hunks, message in changed:
        claims = candidates.get(section_id, [])
        section_traces = []
        for hunk in hunks:
            trace = HunkTrace(
                hunk, [t for t in claims if overlaps(t.start, t.end, hunk)]
            )
            if not trace.explained:
                unexplained.append((section_id, message, trace))
            section_traces.append(trace)
        traces[key] = SectionTrace(tuple(section_traces))
    if unexplained:
        saved = _save_messages(from_round, to_round, {u[0] for u in unexplained})
        for section_id, message, trace in unexplained:
            trace.messages = saved.get(section_id) or ((message,) if message else ())
    return traces


@cache
def _placement_aliases() -> tuple[AliasedClass[Placement], AliasedClass[Placement]]:
    """An annotation's placement on the older round (if carried there) and on the
    newer one. Made once, on first use (making them configures the mappers, which
    must all be imported by then): a fresh alias per query cost ~5 ms to build the
    statement, and the same aliases let SQLAlchemy reuse the statement it compiled."""
    return (
        aliased(Placement, name="placement_here"),
        aliased(Placement, name="placement_later"),
    )


def _candidates(
    from_round: Round, to_round: Round, section_ids: list[int]
) -> dict[int, list[TracedAnnotation]]:
    """The decided annotations that may claim changes, by section id (one query
    for the annotations with their placements, one for their applied changes)."""
    here, later = _placement_aliases()
    rows = db.session.execute(
        select(Annotation, here, later)
        .outerjoin(
            here,
            and_(here.annotation_id == Annotation.id, here.round_id == from_round.id),
        )
        .outerjoin(
            later,
            and_(later.annotation_id == Annotation.id, later.round_id == to_round.id),
        )
        .where(
            Annotation.section_id.in_(section_ids),
            Annotation.parent_id.is_(None),
            Annotation.state == AnnotationState.OPEN,
            Annotation.decision.in_(CHANGING_DECISIONS),
            or_(
                Annotation.round_id == from_round.id,
                # Carried onto the older round with its passage untouched: the
                # change it asked for had not been made yet.
                here.outcome == Outcome.EXACT,
            ),
        )
        .options(selectinload(Annotation.section))
        .order_by(Annotation.id)
    ).all()
    if not rows:
        return {}
    refused = _refused(from_round, to_round, [a.id for a, _h, _l in rows])
    found: dict[int, list[TracedAnnotation]] = defaultdict(list)
    for annotation, placed, placement in rows:
        if annotation.id in refused:
            continue
        if annotation.round_id == from_round.id:
            start, end = annotation.start, annotation.end
        else:
            start, end = placed.start, placed.end
        if start is None or end is None:
            continue
        found[annotation.section_id].append(
            TracedAnnotation(
                annotation, start, end, _passage(annotation, to_round, placement)
            )
        )
    return found


def _refused(from_round: Round, to_round: Round, annotation_ids: list[int]) -> set[int]:
    """Annotations whose applied-change rows say they did not change the text
    between the two rounds: applied already up to the older round, or only ever
    in conflict in the rounds after it."""
    rows = db.session.execute(
        select(AppliedChange.annotation_id, AppliedChange.status, Round.number)
        .join(Round, Round.id == AppliedChange.round_id)
        .where(
            AppliedChange.annotation_id.in_(annotation_ids),
            Round.programme_id == from_round.programme_id,
            Round.number <= to_round.number,
        )
    ).all()
    earlier: set[int] = set()
    went_in: set[int] = set()
    conflicts: set[int] = set()
    for annotation_id, status, number in rows:
        applied = status is not ChangeStatus.CONFLICT
        if number <= from_round.number:
            if applied:
                earlier.add(annotation_id)
        elif applied:
            went_in.add(annotation_id)
        else:
            conflicts.add(annotation_id)
    return earlier | (conflicts - went_in)


def _save_messages(
    from_round: Round, to_round: Round, section_ids: set[int]
) -> dict[int, tuple[str, ...]]:
    """The distinct messages of the saves of each section in the rounds after
    *from_round* up to *to_round*, oldest first (one query)."""
    rows = db.session.execute(
        select(RoundEvent.section_id, RoundEvent.message)
        .join(Round, Round.id == RoundEvent.round_id)
        .where(
            Round.programme_id == from_round.programme_id,
            Round.number > from_round.number,
            Round.number <= to_round.number,
            RoundEvent.section_id.in_(section_ids),
            RoundEvent.action.in_(_SAVE_EVENTS),
            RoundEvent.message != "",
        )
        .order_by(Round.number, RoundEvent.created_at, RoundEvent.id)
    ).all()
    messages: dict[int, list[str]] = defaultdict(list)
    for section_id, message in rows:
        message = message.strip()
        if message and message not in messages[section_id]:
            messages[section_id].append(message)
    return {k: tuple(v) for k, v in messages.items()}


def _passage(
    annotation: Annotation, later_round: Round, placement: Placement | None
) -> ResultingPassage | None:
    if placement is None:
        return None
    return ResultingPassage(
        round=later_round,
        section_key=annotation.section.key,
        first_line=placement.first_line,
        last_line=placement.last_line,
        wording=placement.new_exact
        if placement.outcome is Outcome.CHANGED
        else annotation.exact,
        orphaned=placement.outcome is Outcome.ORPHANED,
    )


def resulting_passage(
    annotation: Annotation, later_round: Round
) -> ResultingPassage | None:
    """Where *annotation*'s passage is in *later_round*: its placement's lines
    and wording. When re-anchoring lost the passage (the accepted change replaced
    every word of it), the lines of the wording its applied change put in, if
    that wording still stands there. ``None`` if it has no placement there (the
    round is not published yet, or is not later)."""
    placement = db.session.scalar(
        select(Placement).where(
            Placement.annotation_id == annotation.id,
            Placement.round_id == later_round.id,
        )
    )
    passage = _passage(annotation, later_round, placement)
    if passage is None or not passage.orphaned or placement.version is None:
        return passage
    change = db.session.scalar(
        select(AppliedChange).where(
            AppliedChange.annotation_id == annotation.id,
            AppliedChange.round_id == later_round.id,
            AppliedChange.status != ChangeStatus.CONFLICT,
        )
    )
    text = placement.version.text
    if (
        change is None
        or change.start is None
        or change.end is None
        or text[change.start : change.end] != change.wording
    ):
        return passage
    first, last = _lines(_breaks(text), change.start, change.end)
    return ResultingPassage(
        later_round, annotation.section.key, first, last, change.wording, False
    )


def next_public_round(round_: Round) -> Round | None:
    """The first published or closed round after *round_*, if any."""
    later = [
        r
        for r in round_.programme.rounds
        if r.number > round_.number and r.status is not RoundStatus.WORKING
    ]
    return min(later, key=lambda r: r.number, default=None)


def trace_url(annotation: Annotation) -> str | None:
    """The compare permalink of *annotation*'s section from the round it was
    made on to the next published round, or ``None`` when there is none yet
    (or for a reply, which has no passage)."""
    root = annotation.thread_root
    later = next_public_round(root.round)
    if later is None:
        return None
    return url_for(
        "compare.rounds",
        slug=root.round.programme.slug,
        **{
            "from": root.round.number,
            "to": later.number,
            "section": root.section.key,
            "mode": "inline",
        },
    )


def answer_label(count: int) -> str:
    """ "zmienione w odpowiedzi na N uwag…" with the Polish plural form."""
    if count == 1:
        return _("zmienione w odpowiedzi na %(num)d uwagę", num=count)
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return _("zmienione w odpowiedzi na %(num)d uwagi", num=count)
    return _("zmienione w odpowiedzi na %(num)d uwag", num=count)
