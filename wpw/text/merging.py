"""Merging accepted proposals into a working copy's text, or reporting conflicts.

A proposal was made on the *base* text (the section as published in the round the
working copy was opened from) and replaces ``base[start:end]`` — its quote — with a
new wording. The working copy's *current* text may have been edited since it was
opened. :func:`merge` carries every proposal into the current text as a
diff-match-patch patch and **never guesses**:

- proposals whose ranges overlap each other are all conflicts (``overlap``), except
  identical duplicates — same range, same wording — which are one change;
- a quote that is not at its offsets in the base text is a conflict
  (``quote-not-found``);
- the passage is mapped from the base onto the current text through their diff
  (:class:`wpw.text.anchoring.OffsetMapper`); unless the same characters stand at
  the mapped place (text added or edited around it is fine), the passage was already
  edited in the working copy: a conflict (``edited``);
- otherwise the patch from base to base-with-this-change is applied at that place,
  and the result must be exactly the current text with the passage replaced by the
  new wording — any other outcome (a failed hunk, a patch landing elsewhere) is a
  conflict (``patch-failed``) and leaves the text as it was.

Proposals are handled in order of their start (then end, then id), so the result is
deterministic. The text returned is normalised as the working copy stores it
(:func:`wpw.text.lines.normalise_text`), and the offsets of applied wordings point
into that text.

Pure: ``str``, ``int`` and frozen dataclasses in and out; no IO.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch

from wpw.text.anchoring import AnchorError, OffsetMapper, Outcome, anchor_for_offsets


@dataclass(frozen=True, slots=True)
class Proposal:
    """A proposed change: replace ``base[start:end]`` (the *quote*) with *wording*.

    *id* identifies it in the result (an annotation's id); *wording* may be empty
    (the passage is removed).
    """

    id: int
    start: int
    end: int
    quote: str
    wording: str


class ConflictReason(StrEnum):
    """Why a proposal was not applied."""

    OVERLAP = "overlap"  #: it touches the same passage as other proposals
    EDITED = "edited"  #: its passage was already edited in the working copy
    QUOTE_NOT_FOUND = "quote-not-found"  #: the quote is not at its place in the base
    PATCH_FAILED = "patch-failed"  #: the patch did not apply cleanly


@dataclass(frozen=True, slots=True)
class Applied:
    """The proposal's wording stands at ``text[start:end]`` of the result."""

    proposal_id: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """The proposal was not applied; *others* are the overlapping proposals' ids."""

    proposal_id: int
    reason: ConflictReason
    others: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MergeResult:
    """The new text and, per proposal in handling order, what became of it."""

    text: str
    outcomes: tuple[Applied | Conflict, ...]

    @property
    def applied(self) -> tuple[Applied, ...]:
        return tuple(o for o in self.outcomes if isinstance(o, Applied))

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(o for o in self.outcomes if isinstance(o, Conflict))

    def outcome_of(self, proposal_id: int) -> Applied | Conflict:
        """The outcome for *proposal_id*; raises KeyError for an unknown id."""
        for outcome in self.outcomes:
            if outcome.proposal_id == proposal_id:
                return outcome
        raise KeyError(proposal_id)


def merge(base: str, current: str, proposals: Iterable[Proposal]) -> MergeResult:
    """Apply *proposals*, made on *base*, to *current* (see the module docstring).

    Never raises for a proposal that does not fit: that is a :class:`Conflict`.
    Raises ValueError only for two different proposals with the same id.
    """
    ordered = sorted(proposals, key=lambda p: (p.start, p.end, p.id))
    ids = [p.id for p in ordered]
    if len(set(ids)) != len(ids):
        raise ValueError("proposal ids must be unique")
    ordered = [_clean(p) for p in ordered]
    outcomes: dict[int, Applied | Conflict] = {}
    valid = []
    for proposal in ordered:
        if not _quote_stands(base, proposal):
            outcomes[proposal.id] = Conflict(
                proposal.id, ConflictReason.QUOTE_NOT_FOUND
            )
        else:
            valid.append(proposal)
    for proposal, others in _overlaps(valid).items():
        outcomes[proposal.id] = Conflict(proposal.id, ConflictReason.OVERLAP, others)
    groups = _groups([p for p in valid if p.id not in outcomes])
    text, applied = _apply(base, current, groups, outcomes)
    normalised, offsets = normalise_with_offsets(text)
    for proposal_id, (start, end) in applied.items():
        outcomes[proposal_id] = Applied(proposal_id, offsets[start], offsets[end])
    return MergeResult(normalised, tuple(outcomes[p.id] for p in ordered))


def _clean(proposal: Proposal) -> Proposal:
    """The proposal with its wording's line endings as stored texts have them."""
    wording = proposal.wording.replace("\r\n", "\n").replace("\r", "\n")
    if wording == proposal.wording:
        return proposal
    return Proposal(proposal.id, proposal.start, proposal.end, proposal.quote, wording)


def _quote_stands(base: str, proposal: Proposal) -> bool:
    return (
        0 <= proposal.start < proposal.end <= len(base)
        and base[proposal.start : proposal.end] == proposal.quote
    )


def _same_change(a: Proposal, b: Proposal) -> bool:
    return (a.start, a.end, a.wording) == (b.start, b.end, b.wording)


def _overlaps(proposals: Sequence[Proposal]) -> dict[Proposal, tuple[int, ...]]:
    """Each proposal sharing characters with a different change, and those changes'
    ids. Identical duplicates are one change and do not conflict with each other."""
    found: dict[Proposal, list[int]] = {}
    for i, a in enumerate(proposals):
        for b in proposals[i + 1 :]:
            if b.start >= a.end:
                break  # sorted by start: no later proposal reaches back into a
            if _same_change(a, b):
                continue
            found.setdefault(a, []).append(b.id)
            found.setdefault(b, []).append(a.id)
    return {p: tuple(sorted(ids)) for p, ids in found.items()}


def _groups(proposals: Sequence[Proposal]) -> list[tuple[Proposal, ...]]:
    """Identical duplicates gathered into one group, in order."""
    groups: list[list[Proposal]] = []
    for proposal in proposals:
        if groups and _same_change(groups[-1][0], proposal):
            groups[-1].append(proposal)
        else:
            groups.append([proposal])
    return [tuple(g) for g in groups]


def _apply(
    base: str,
    current: str,
    groups: Sequence[tuple[Proposal, ...]],
    outcomes: dict[int, Applied | Conflict],
) -> tuple[str, dict[int, tuple[int, int]]]:
    """Patch each group into *current* in order; conflicts go into *outcomes*.

    Returns the patched (not yet normalised) text and each applied proposal's range
    in it. Both texts advance together: the patch for a change is made on the base
    with the earlier applied changes already in it, and applied to the current text
    with the same changes in it, so an adjacent earlier change does not spoil the
    patch's context.
    """
    mapper = OffsetMapper(base, current)
    dmp = diff_match_patch()
    text, progress = current, base
    # How far positions moved in each text because of the changes applied so far.
    text_shift = base_shift = 0
    last_end = 0  # end of the last applied passage in *current*
    applied: dict[int, tuple[int, int]] = {}
    for group in groups:
        change = group[0]
        place = _place(mapper, base, change)
        if place is None or place[0] < last_end:
            for p in group:
                outcomes[p.id] = Conflict(p.id, ConflictReason.EDITED)
            continue
        at = place[0] + text_shift
        expected = text[:at] + change.wording + text[at + len(change.quote) :]
        patched = _patch(dmp, progress, change, base_shift, at, text)
        if patched != expected:
            for p in group:
                outcomes[p.id] = Conflict(p.id, ConflictReason.PATCH_FAILED)
            continue
        text = patched
        start = change.start + base_shift
        progress = (
            progress[:start] + change.wording + progress[change.end + base_shift :]
        )
        delta = len(change.wording) - len(change.quote)
        text_shift += delta
        base_shift += delta
        last_end = place[1]
        for p in group:
            applied[p.id] = (at, at + len(change.wording))
    return text, applied


def _place(mapper: OffsetMapper, base: str, change: Proposal) -> tuple[int, int] | None:
    """Where the change's passage stands, unedited, in the current text; None when
    it was edited, removed or only a copy of it stands elsewhere."""
    try:
        anchor = anchor_for_offsets(base, change.start, change.end)
    except AnchorError:  # a passage of whitespace only: mapped by its offsets
        start, end, whole = mapper.map_span(change.start, change.end)
        intact = mapper.new_text[start:end] == change.quote
        return (start, end) if whole and intact else None
    placed = mapper.reanchor(anchor)
    if placed.outcome is not Outcome.EXACT or placed.method != "mapped":
        return None
    assert placed.anchor is not None  # exact placements always have one
    return placed.anchor.position.start, placed.anchor.position.end


def _patch(
    dmp: diff_match_patch,
    progress: str,
    change: Proposal,
    base_shift: int,
    at: int,
    text: str,
) -> str | None:
    """The patch from *progress* to *progress* with *change*, applied to *text* with
    the passage at *at*; None when a hunk fails."""
    start = change.start + base_shift
    changed = progress[:start] + change.wording + progress[change.end + base_shift :]
    patches = dmp.patch_make(progress, changed)
    # The patch was made where the passage stood in the base; it stands at *at* now.
    for patch in patches:
        patch.start1 += at - start
        patch.start2 += at - start
    result, hunks = dmp.patch_apply(patches, text)
    return result if all(hunks) else None


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """:func:`wpw.text.lines.normalise_text` for a text without ``\\r``, and where
    each offset went: ``offsets[i]`` is the normalised offset of *text*'s offset *i*
    (``0 <= i <= len(text)``)."""
    keep = [True] * len(text)
    position = 0
    last_content_end = 0  # end of the last line with something left on it
    for line in text.split("\n"):
        stripped = len(line.rstrip())
        for i in range(position + stripped, position + len(line)):
            keep[i] = False
        if stripped:
            last_content_end = position + stripped
        position += len(line) + 1
    for i in range(last_content_end, len(text)):
        keep[i] = False  # trailing empty lines
    offsets = [0] * (len(text) + 1)
    count = 0
    for i, kept in enumerate(keep):
        offsets[i] = count
        count += kept
    offsets[len(text)] = count
    return "".join(c for c, kept in zip(text, keep, strict=True) if kept), offsets
