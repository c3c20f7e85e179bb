"""Accepted proposals flow into the working copy: applied as patches, or conflicts.

When the Coordinating Team opens the next round's working copy (and again whenever
they ask), :func:`apply_accepted_changes` takes every proposed change decided
``accepted`` (its wording) or ``partial`` (the adopted wording) on the round the
working copy was opened from, merges them section by section with
:func:`wpw.text.merging.merge`, saves each section through the working copy's own
save service (so the save is recorded with a message, like any other), and records an
:class:`~wpw.review.models.AppliedChange` per proposal: ``applied`` with where its
wording now stands, or ``conflict`` with the reason. Conflicts are resolved by hand in
the editor, then marked with :func:`resolve_conflict`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import exists, select

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    Outcome,
)
from wpw.audit.services import record
from wpw.auth.models import User
from wpw.auth.permissions import can_publish
from wpw.core import utcnow
from wpw.documents.models import Round, RoundStatus, SectionVersion
from wpw.documents.services.reading import latest_public_round
from wpw.documents.services.working_copy import save_section
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.review.models import AppliedChange, ChangeStatus
from wpw.text import merging
from wpw.text.anchoring import AnchorError, OffsetMapper, anchor_for_offsets


@dataclass(frozen=True, slots=True)
class ApplyReport:
    """What one run recorded: the changes applied and the conflicts found."""

    applied: list[AppliedChange] = field(default_factory=list)
    conflicts: list[AppliedChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.applied or self.conflicts)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """An accepted proposal, placed on the previous round's version of its section."""

    annotation: Annotation
    wording: str
    base: SectionVersion | None  #: None when it cannot be placed (see *problem*)
    start: int = 0
    end: int = 0
    problem: str = ""  #: why it is a conflict before any merging


def _check_coordinator(actor: User | None) -> None:
    if not can_publish(actor):
        raise NotAllowed(_("Zmiany do wersji roboczej wprowadza Zespół Koordynujący."))


def _check_working(round_: Round) -> None:
    if round_.status is not RoundStatus.WORKING:
        raise InvalidTransition(
            _("Zmiany wprowadza się tylko do wersji roboczej rundy.")
        )


def apply_accepted_changes(actor: User, working_round: Round) -> ApplyReport:
    """Apply the accepted proposals not yet handled to *working_round*.

    Proposals made on the previous published round are placed where they were made;
    those made on earlier rounds where their passage stands on the previous round
    (a passage edited or gone since is a conflict). Sections are saved through
    :func:`~wpw.documents.services.working_copy.save_section`; every proposal gets an
    :class:`AppliedChange`. Running it again applies nothing new. Flushes, never
    commits.

    Raises :class:`NotAllowed` unless *actor* is on the Coordinating Team and
    :class:`InvalidTransition` unless *working_round* is a working copy.
    """
    _check_coordinator(actor)
    _check_working(working_round)
    previous = latest_public_round(working_round.programme)
    if previous is None:
        return ApplyReport()
    candidates = [
        c
        for c in (_candidate(a, previous) for a in _pending(working_round, previous))
        if c is not None
    ]
    working = {v.section_id: v for v in working_round.versions}
    by_section: dict[int, list[_Candidate]] = defaultdict(list)
    report = ApplyReport()
    for candidate in candidates:
        if candidate.base is None:
            _conflict(report, actor, working_round, candidate, candidate.problem)
        elif candidate.annotation.section_id not in working:
            problem = _("Tego paragrafu nie ma w wersji roboczej.")
            _conflict(report, actor, working_round, candidate, problem)
        else:
            by_section[candidate.annotation.section_id].append(candidate)
    for section_id, items in by_section.items():
        _merge_section(report, actor, working[section_id], items, previous)
    if report:
        record(
            actor,
            "changes.applied",
            working_round,
            _(
                "Wprowadzono zmian: %(applied)d, konfliktów: %(conflicts)d.",
                applied=len(report.applied),
                conflicts=len(report.conflicts),
            ),
            applied=[c.annotation.id for c in report.applied],
            conflicts=[c.annotation.id for c in report.conflicts],
        )
    db.session.flush()
    return report


def _pending(working_round: Round, previous: Round) -> Sequence[Annotation]:
    """Accepted proposals up to *previous* with no change recorded for this round
    — nor for a published one (a proposal flows into the next round once)."""
    handled = (
        select(AppliedChange.id)
        .join(Round, Round.id == AppliedChange.round_id)
        .where(
            AppliedChange.annotation_id == Annotation.id,
            (AppliedChange.round_id == working_round.id)
            | (Round.status != RoundStatus.WORKING),
        )
    )
    rounds = select(Round.id).where(
        Round.programme_id == previous.programme_id, Round.number <= previous.number
    )
    return db.session.scalars(
        select(Annotation)
        .where(
            Annotation.kind == AnnotationKind.CHANGE,
            Annotation.parent_id.is_(None),
            Annotation.state != AnnotationState.WITHDRAWN,
            Annotation.decision.in_([Decision.ACCEPTED, Decision.PARTIALLY_ACCEPTED]),
            Annotation.round_id.in_(rounds),
            ~exists(handled),
        )
        .order_by(Annotation.id)
    ).all()


def _candidate(annotation: Annotation, previous: Round) -> _Candidate | None:
    """Where *annotation*'s passage stands on *previous*, or why it cannot be placed;
    None when *previous* already reads as the proposal wants (a round edited by
    hand before the proposal could flow, as the demo's round 2)."""
    if annotation.decision is Decision.PARTIALLY_ACCEPTED:
        wording = annotation.adopted_wording
    else:
        wording = annotation.replacement or ""
    if wording is None:
        problem = _("Brak przyjętego brzmienia przy częściowym uwzględnieniu.")
        return _Candidate(annotation, "", None, problem=problem)
    if annotation.round_id == previous.id:
        return _Candidate(
            annotation,
            wording,
            annotation.version,
            annotation.start or 0,
            annotation.end or 0,
        )
    placement = next(
        (p for p in annotation.placements if p.round_id == previous.id), None
    )
    if placement is None or placement.outcome is Outcome.ORPHANED:
        problem = _(
            "Cytowanego fragmentu nie ma już w rundzie %(n)d.", n=previous.number
        )
        return _Candidate(annotation, wording, None, problem=problem)
    if placement.outcome is Outcome.CHANGED and placement.new_exact == wording:
        return None
    if placement.outcome is Outcome.CHANGED:
        problem = _(
            "Fragment zmieniono w rundzie %(n)d, zanim propozycję wprowadzono.",
            n=previous.number,
        )
        return _Candidate(annotation, wording, None, problem=problem)
    return _Candidate(
        annotation, wording, placement.version, placement.start or 0, placement.end or 0
    )


def _merge_section(
    report: ApplyReport,
    actor: User,
    version: SectionVersion,
    items: list[_Candidate],
    previous: Round,
) -> None:
    """Merge one section's proposals into *version* and save it once."""
    base = items[0].base
    assert base is not None  # grouped only when placed
    by_id = {c.annotation.id: c for c in items}
    proposals = [
        merging.Proposal(
            c.annotation.id, c.start, c.end, c.annotation.exact or "", c.wording
        )
        for c in items
    ]
    result = merging.merge(base.text, version.text, proposals)
    applied_ids = [o.proposal_id for o in result.applied]
    if applied_ids:
        save_section(
            actor,
            version,
            number=version.number,
            title=version.title,
            text=result.text,
            base_revision=version.revision,
            message=_(
                "Wprowadzono uwagi nr %(numbers)s (zaakceptowane propozycje zmian)",
                numbers=", ".join(str(i) for i in sorted(applied_ids)),
            ),
        )
    for outcome in result.outcomes:
        candidate = by_id[outcome.proposal_id]
        if isinstance(outcome, merging.Applied):
            change = _record(actor, version.round, candidate, ChangeStatus.APPLIED, "")
            change.start, change.end = outcome.start, outcome.end
            report.applied.append(change)
        else:
            detail = _conflict_detail(outcome, previous)
            _conflict(report, actor, version.round, candidate, detail)


def _conflict_detail(conflict: merging.Conflict, previous: Round) -> str:
    reason = conflict.reason
    if reason is merging.ConflictReason.OVERLAP:
        return _(
            "Dotyczy tego samego fragmentu co uwagi nr %(numbers)s.",
            numbers=", ".join(str(i) for i in conflict.others),
        )
    if reason is merging.ConflictReason.EDITED:
        return _("Ten fragment zmieniono już w wersji roboczej.")
    if reason is merging.ConflictReason.QUOTE_NOT_FOUND:
        return _(
            "Cytowanego fragmentu nie znaleziono w rundzie %(n)d.", n=previous.number
        )
    return _(
        "Zmiany nie dało się nanieść bez ryzyka zniekształcenia tekstu: otoczenie "
        "fragmentu zmieniono w wersji roboczej."
    )


def _conflict(
    report: ApplyReport,
    actor: User,
    round_: Round,
    candidate: _Candidate,
    detail: str,
) -> None:
    report.conflicts.append(
        _record(actor, round_, candidate, ChangeStatus.CONFLICT, detail)
    )


def _record(
    actor: User,
    round_: Round,
    candidate: _Candidate,
    status: ChangeStatus,
    detail: str,
) -> AppliedChange:
    change = AppliedChange(
        annotation=candidate.annotation,
        round=round_,
        section_id=candidate.annotation.section_id,
        status=status,
        wording=candidate.wording,
        detail=detail,
        actor=actor,
    )
    db.session.add(change)
    return change


def resolve_conflict(actor: User, change: AppliedChange, note: str) -> AppliedChange:
    """Mark a conflict resolved by hand, with *note* saying how.

    Raises :class:`NotAllowed` unless *actor* is on the Coordinating Team,
    :class:`InvalidTransition` unless *change* is a conflict in a working copy,
    and :class:`Invalid` for an empty note.
    """
    _check_coordinator(actor)
    _check_working(change.round)
    if change.status is not ChangeStatus.CONFLICT:
        raise InvalidTransition(_("Ta zmiana nie jest konfliktem do rozstrzygnięcia."))
    note = note.strip()
    if not note:
        raise Invalid(_("Opisz, jak rozstrzygnięto konflikt."))
    reason = change.detail
    change.status, change.detail = ChangeStatus.RESOLVED, note
    change.actor, change.updated_at = actor, utcnow()
    record(
        actor,
        "changes.resolved",
        change.round,
        _("Rozstrzygnięto ręcznie konflikt uwagi nr %(n)d.", n=change.annotation_id),
        annotation=change.annotation_id,
        reason=reason,
        note=note,
    )
    db.session.flush()
    return change


# --- Reading, for the changes page -------------------------------------------------


def changes_in_round(round_: Round) -> Sequence[AppliedChange]:
    """The round's recorded changes: conflicts first, then by section and number."""
    changes = db.session.scalars(
        select(AppliedChange)
        .where(AppliedChange.round_id == round_.id)
        .order_by(AppliedChange.annotation_id)
    ).all()
    positions = {v.section_id: v.position for v in round_.versions}
    order = {
        ChangeStatus.CONFLICT: 0,
        ChangeStatus.RESOLVED: 1,
        ChangeStatus.APPLIED: 2,
    }
    return sorted(
        changes,
        key=lambda c: (
            order[c.status],
            positions.get(c.section_id, len(positions) + 1),
            c.annotation_id,
        ),
    )


def current_passage(change: AppliedChange) -> str | None:
    """How the proposal's passage reads in the working copy now: its applied
    wording, or the quoted passage mapped onto the working text (edited or not);
    None when the section or the passage is gone."""
    version = next(
        (v for v in change.round.versions if v.section_id == change.section_id), None
    )
    if version is None:
        return None
    if change.status is ChangeStatus.APPLIED and change.start is not None:
        wording = version.text[change.start : change.end]
        if wording == change.wording:
            return wording  # else the section was edited since: map the quote
    annotation = change.annotation
    base, start, end = annotation.version, annotation.start, annotation.end
    if base is None or start is None or end is None:
        return None
    try:
        anchor = anchor_for_offsets(base.text, start, end)
        placed = OffsetMapper(base.text, version.text).reanchor(anchor)
    except AnchorError:
        return None
    if placed.anchor is None:
        return None
    return version.text[placed.anchor.position.start : placed.anchor.position.end]
