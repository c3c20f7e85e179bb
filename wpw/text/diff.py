"""Word-level differences between two texts: inline (:func:`diff_text`) and side by
side (:func:`side_by_side`).

The aim is a careful editor's track changes, not char soup: ``[-podmiotów-]{+dotacje+}``
rather than letter fragments. How a diff is made:

1. Lines the texts share at both ends, and non-blank lines found exactly once in each
   text (in the same order), are matched whole.
2. The rest is cut into tokens (:func:`tokenize`) — words (``\\w+``, so Polish letters
   belong to words; punctuation between two word characters stays inside, as in
   ``1,5`` or ``celno-skarbowego``), runs of spaces, newlines, single punctuation
   marks — and each distinct token becomes one character, as diff-match-patch's
   diff_linesToChars does for lines. Python strings hold every code point, so
   1,114,112 distinct tokens fit, far past the 65,536 of the BMP.
3. The character strings are diffed: tokens found once on each side anchor the match
   (patience diff); the stretches between anchors get a bit-parallel LCS, or
   diff-match-patch's diff_main when too big for it. Myers' bisection alone, in pure
   Python, took ~600 ms on a rewritten 6 KB section of the Polish act that now takes
   4 ms (``bench/compare.py``).
4. The result is tidied: a lone edit slides to the most readable boundary, and short
   equalities between two changes fold into them.

When the time budget runs out — or there are more distinct tokens than code points —
the texts are diffed line by line instead, and the result says so (``fallback``).

Texts are expected to be normalised already (:func:`wpw.text.lines.normalise_text`):
``\\n`` is the only line break.
"""

from __future__ import annotations

import bisect
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from diff_match_patch import diff_match_patch

from wpw.text.lines import split_lines

OpKind = Literal["equal", "insert", "delete"]
RowKind = Literal["equal", "changed", "inserted", "deleted"]

# Every character is a word character, a newline, other whitespace or punctuation, so
# the tokens of a text always join back into the text. Punctuation between two word
# characters stays inside the word — 1,5 · 29.9.2020 · celno-skarbowego · Dz.U — so a
# changed number reads [-1-]{+1,5+} rather than 1{+,5+}.
_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*|\n|[^\S\n]+|[^\w\s]")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"[^\S\n]+")

#: Distinct tokens one diff can encode: every code point is one token.
_MAX_TOKENS = 0x110000
#: Stretches shorter than this (in tokens) are not searched for anchors.
_ANCHOR_MIN = 32
#: Stretches without anchors go to a bit-parallel LCS instead of Myers' bisection when
#: their lengths multiply to at most this (bits of memory, 2 MB: 4,096 × 4,096 tokens
#: in ~15 ms); bigger ones go to diff_main, under the deadline.
_LCS_CELLS = 1 << 24
#: Words of shared context kept around a change when long texts are trimmed.
_MARGIN_WORDS = 2
#: Line-level diffs are the last resort, so they get at least this many seconds even
#: when the caller's budget for the word-level diff is smaller.
_LINE_TIMEOUT_FLOOR = 1.0
#: Lines in a changed block are paired by similarity (a small dynamic programme) when
#: the block has at most this many removed × added lines; bigger ones pair in order.
_PAIRING_CELLS = 10_000
#: Two lines of a changed block count as the same line edited when the Dice
#: coefficient of their non-space tokens reaches this.
_PAIRING_SIMILARITY = 0.35

_DMP = diff_match_patch()  # for its stateless helpers
_KINDS: dict[int, OpKind] = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_INSERT: "insert",
    diff_match_patch.DIFF_DELETE: "delete",
}


@dataclass(frozen=True, slots=True)
class Op:
    """One piece of a diff: text kept (``equal``), added (``insert``) or removed
    (``delete``)."""

    kind: OpKind
    text: str


@dataclass(frozen=True, slots=True)
class TextDiff:
    """The differences between two texts.

    Joining the ``equal`` and ``delete`` texts of :attr:`ops` gives the old text;
    joining the ``equal`` and ``insert`` texts gives the new one. No op is empty and
    no two neighbouring ops have the same kind.
    """

    ops: tuple[Op, ...]
    #: Word tokens (``\\w+``) inside insert ops.
    words_added: int
    #: Word tokens (``\\w+``) inside delete ops.
    words_removed: int
    #: True when the word-level diff could not finish in time (or the texts had too
    #: many distinct tokens) and a line-level diff was used instead.
    fallback: bool

    @property
    def changed(self) -> bool:
        """Whether the two texts differ."""
        return any(op.kind != "equal" for op in self.ops)

    @property
    def old_text(self) -> str:
        """The old text, rebuilt from the ops."""
        return "".join(op.text for op in self.ops if op.kind != "insert")

    @property
    def new_text(self) -> str:
        """The new text, rebuilt from the ops."""
        return "".join(op.text for op in self.ops if op.kind != "delete")


@dataclass(frozen=True, slots=True)
class SideBySideRow:
    """One row of a side-by-side comparison: a line of the old text, of the new text,
    or of both.

    ``old_ops`` render the old line (``equal`` and ``delete`` ops, empty for an inserted
    line or an empty line); ``new_ops`` render the new line (``equal`` and ``insert``
    ops, empty for a deleted line or an empty line). No op contains ``\\n``.
    """

    kind: RowKind
    #: 1-based number of the line in the old text, None for an inserted line.
    old_number: int | None
    #: 1-based number of the line in the new text, None for a deleted line.
    new_number: int | None
    old_ops: tuple[Op, ...]
    new_ops: tuple[Op, ...]


def tokenize(text: str) -> list[str]:
    """Cut *text* into the tokens the diff works on: words (with punctuation between
    word characters, as in ``1,5``), runs of spaces, newlines, single punctuation
    marks. The tokens join back into *text*."""
    return _TOKEN.findall(text)


def count_words(text: str) -> int:
    """Return the number of word tokens (``\\w+``) in *text*."""
    return len(_WORD.findall(text))


def diff_text(old: str, new: str, *, timeout: float = 1.0) -> TextDiff:
    """Diff *old* against *new* word by word.

    The word-level diff gets *timeout* seconds (0 or less: no limit), checked before
    each stretch of text is diffed. When it cannot finish in time, diff-match-patch
    would answer the unfinished part with one coarse delete and insert; instead the
    texts are diffed line by line (with at least one second of its own) and the
    result has ``fallback=True``. Raises nothing.
    """
    if old == new:
        return TextDiff((Op("equal", old),) if old else (), 0, 0, False)
    ops = _word_ops(old, new, _deadline(timeout), timeout)
    fallback = ops is None
    if ops is None:
        ops = _line_ops(old, new, timeout)
    return TextDiff(
        tuple(ops),
        sum(count_words(op.text) for op in ops if op.kind == "insert"),
        sum(count_words(op.text) for op in ops if op.kind == "delete"),
        fallback,
    )


def side_by_side(
    old: str, new: str, *, timeout: float = 1.0
) -> tuple[SideBySideRow, ...]:
    """Align the lines of *old* and *new* into rows, numbered as
    :func:`wpw.text.lines.split_lines` numbers them.

    Unchanged lines are ``equal`` rows. In each block of removed lines followed by
    added lines, lines are paired when they look like the same line edited (always
    when the block is one line against one line) and the pair is diffed word by word
    (a ``changed`` row); the other lines become ``deleted`` and ``inserted`` rows.
    The word-level diffs of all pairs share *timeout* seconds; a pair left without
    time shows its whole old line deleted and whole new line inserted. Raises
    nothing.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    deadline = _deadline(timeout)
    rows: list[SideBySideRow] = []
    i = j = 0  # next unconsumed line of old_lines / new_lines
    for same, n_old, n_new in _line_blocks(old_lines, new_lines, timeout):
        if same:
            rows.extend(
                _equal_row(old_lines[i + k], i + k, j + k) for k in range(n_old)
            )
        else:
            removed, added = old_lines[i : i + n_old], new_lines[j : j + n_new]
            for a, b in _pair_lines(removed, added):
                if b is None:
                    assert a is not None
                    rows.append(_deleted_row(removed[a], i + a))
                elif a is None:
                    rows.append(_inserted_row(added[b], j + b))
                else:
                    rows.append(
                        _changed_row(
                            removed[a], added[b], i + a, j + b, deadline, timeout
                        )
                    )
        i, j = i + n_old, j + n_new
    return tuple(rows)


# --- word level --------------------------------------------------------------------


class _Differ(diff_match_patch):
    """diff_match_patch that notices when its deadline cut a bisection short."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.Diff_Timeout = timeout
        self.timed_out = False

    def diff_bisect(
        self, text1: str, text2: str, deadline: float
    ) -> list[tuple[int, str]]:
        diffs: list[tuple[int, str]] = super().diff_bisect(text1, text2, deadline)
        # Giving up looks like "delete all, insert all" — which is also the honest
        # answer for texts with nothing in common, hence the look at the clock.
        if (
            len(diffs) == 2
            and diffs[0] == (self.DIFF_DELETE, text1)
            and diffs[1] == (self.DIFF_INSERT, text2)
            and time.time() > deadline
        ):
            self.timed_out = True
        return diffs

    def diff_anchored(
        self, text1: str, text2: str, deadline: float
    ) -> list[tuple[int, str]]:
        """Like diff_main, but fast on long texts with many differences.

        Myers' bisection in pure Python costs length × differences: ~600 ms for the
        rewritten preamble (4 KB → 6 KB) of the Polish act in the benchmark. After the
        common prefix and suffix are set aside, characters found exactly once in
        each text and in the same order are matched first (patience diff); each
        stretch between them is anchored again on what is unique within it, and a
        stretch with no anchors goes to :func:`_lcs_diff` — or, when too big for it,
        to diff_main under the deadline. Once the deadline has passed (checked before
        every LCS and by diff_main), the rest is answered coarsely and
        :attr:`timed_out` is set. Neighbouring pieces are not merged (see
        :func:`_compact`).
        """
        if text1 == text2:
            return [(self.DIFF_EQUAL, text1)] if text1 else []
        if not text1 or not text2 or self.timed_out:
            return _replace(text1, text2)
        prefix = self.diff_commonPrefix(text1, text2)
        suffix = self.diff_commonSuffix(text1[prefix:], text2[prefix:])
        middle1 = text1[prefix : len(text1) - suffix]
        middle2 = text2[prefix : len(text2) - suffix]
        anchors = (
            _unique_common(middle1, middle2)
            if len(middle1) >= _ANCHOR_MIN and len(middle2) >= _ANCHOR_MIN
            else []
        )
        diffs = [(self.DIFF_EQUAL, text1[:prefix])] if prefix else []
        if anchors:
            i = j = kept = 0  # middle1[kept:i] is equal text not yet in diffs
            for a, b in [*anchors, (len(middle1), len(middle2))]:
                gap1, gap2 = middle1[i:a], middle2[j:b]
                if gap1 != gap2:  # most gaps are equal: nothing to do
                    if kept < i:
                        diffs.append((self.DIFF_EQUAL, middle1[kept:i]))
                    diffs += self.diff_anchored(gap1, gap2, deadline)
                    kept = a
                i, j = a + 1, b + 1
            if kept < len(middle1):
                diffs.append((self.DIFF_EQUAL, middle1[kept:]))
        elif not middle1 or not middle2:
            diffs += _replace(middle1, middle2)
        elif len(middle1) * len(middle2) <= _LCS_CELLS:
            if time.time() > deadline:
                self.timed_out = True
                diffs += _replace(middle1, middle2)
            else:
                diffs += _lcs_diff(middle1, middle2)
        else:
            diffs += self.diff_main(middle1, middle2, False, deadline)
        if suffix:
            diffs.append((self.DIFF_EQUAL, text1[len(text1) - suffix :]))
        return diffs


def _replace(text1: str, text2: str) -> list[tuple[int, str]]:
    """Delete all of *text1*, insert all of *text2*."""
    diffs = [(diff_match_patch.DIFF_DELETE, text1)] if text1 else []
    if text2:
        diffs.append((diff_match_patch.DIFF_INSERT, text2))
    return diffs


def _lcs_diff(text1: str, text2: str) -> list[tuple[int, str]]:
    """A minimal diff of two non-empty texts, from their longest common subsequence.

    Bit-parallel LCS (Allison–Dix, Hyyrö): one bit per character of the longer text,
    one big-integer step per character of the shorter, so Python's C arithmetic does
    the inner loop — unlike Myers' bisection, whose Python loop costs length ×
    differences (30 ms for 40 tokens against 1,000). Bit k of ``rows[j]`` is 0 where
    the LCS of ``longer[:k + 1]`` and ``shorter[:j]`` grows by one over ``longer[:k]``.
    """
    swapped = len(text1) < len(text2)
    longer, shorter = (text2, text1) if swapped else (text1, text2)
    longer_op = (
        diff_match_patch.DIFF_INSERT if swapped else diff_match_patch.DIFF_DELETE
    )
    shorter_op = -longer_op
    # masks[char]: bit k set where longer[k] == char, built as a string of binary
    # digits (OR-ing 1 << k one by one would be quadratic in the length).
    found: dict[str, list[int]] = {char: [] for char in set(shorter)}
    for k, char in enumerate(longer):
        if char in found:
            found[char].append(k)
    masks: dict[str, int] = {}
    for char, positions in found.items():
        digits = bytearray(b"0") * len(longer)  # most significant bit first
        for k in positions:
            digits[-1 - k] = ord("1")
        masks[char] = int(digits, 2)
    full = (1 << len(longer)) - 1
    row = full
    rows = [row]
    for char in shorter:
        match = row & masks[char]
        row = ((row + match) | (row - match)) & full
        rows.append(row)
    # Walk back from the end: take a match when there is one, else skip characters
    # of the longer text while that keeps the LCS, else skip one of the shorter.
    pieces: list[tuple[int, str]] = []
    i, j = len(longer), len(shorter)
    while j > 0:
        char = shorter[j - 1]
        stops = (~rows[j] | masks[char]) & ((1 << i) - 1)
        k = stops.bit_length() - 1  # highest position below i to stop at, or -1
        if k + 1 < i:
            pieces.append((longer_op, longer[k + 1 : i]))
            i = k + 1
        if i > 0 and longer[i - 1] == char:
            pieces.append((diff_match_patch.DIFF_EQUAL, char))
            i -= 1
        else:
            pieces.append((shorter_op, char))
        j -= 1
    if i > 0:
        pieces.append((longer_op, longer[:i]))
    pieces.reverse()
    return pieces


def _unique_common(
    seq1: Sequence[str], seq2: Sequence[str], *, skip_blank: bool = False
) -> list[tuple[int, int]]:
    """Positions of items found once in each sequence, the longest run of them that
    is in the same order in both. With *skip_blank*, blank items never count."""
    once1 = {item for item, n in Counter(seq1).items() if n == 1}
    unique = {item for item, n in Counter(seq2).items() if n == 1 and item in once1}
    if skip_blank:
        unique = {item for item in unique if not item.isspace()}
    where2 = {item: k for k, item in enumerate(seq2) if item in unique}
    candidates = [(k, where2[item]) for k, item in enumerate(seq1) if item in where2]
    # Longest increasing subsequence of the positions in seq2 (patience sorting).
    tails: list[int] = []  # tails[n]: candidate ending the best run of length n + 1
    ends: list[int] = []  # ends[n]: its position in seq2
    previous: list[int] = [-1] * len(candidates)
    for index, (_, b) in enumerate(candidates):
        n = bisect.bisect_left(ends, b)
        if n:
            previous[index] = tails[n - 1]
        if n == len(tails):
            tails.append(index)
            ends.append(b)
        else:
            tails[n] = index
            ends[n] = b
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index != -1:
        run.append(candidates[index])
        index = previous[index]
    run.reverse()
    return run


def _deadline(timeout: float) -> float:
    # diff-match-patch reads the clock with time.time(), so the deadline must too.
    return time.time() + timeout if timeout > 0 else math.inf


def _word_ops(old: str, new: str, deadline: float, timeout: float) -> list[Op] | None:
    """Word-level ops of *old* → *new*, or None when time or token codes ran out.

    Lines shared at the start and end, and the lines :func:`_stretches` matches, are
    matched whole; only the stretches between them are cut into tokens. Whole lines
    end in a newline, a token boundary, so the stretches tokenise as they would
    inside the whole texts — and since their equalities hold a newline, folding (see
    :func:`_tidy`) never reaches across them either.
    """
    head, old, new, tail = _trim_lines(old, new)
    differ = _Differ(timeout)
    ops = list(_ops("equal", head))
    for old_part, new_part in _stretches(old, new):
        if old_part == new_part:
            ops += _ops("equal", old_part)
            continue
        block = _word_block(differ, old_part, new_part, deadline)
        if block is None or differ.timed_out:
            return None
        ops += block
    ops += _ops("equal", tail)
    return _merge(ops)


def _word_block(
    differ: _Differ, old: str, new: str, deadline: float
) -> list[Op] | None:
    """Word-level ops of one stretch of text (None: too many distinct tokens)."""
    head, old, new, tail = _trim_words(old, new)
    encoded = _encode(_TOKEN.findall(old), _TOKEN.findall(new))
    if encoded is None:
        return None
    chars_old, chars_new, vocabulary = encoded
    diffs = _compact(differ.diff_anchored(chars_old, chars_new, deadline))
    differ.diff_cleanupMerge(diffs)
    diffs = _slide_edits(diffs, vocabulary)
    ops = _tidy(
        [
            (
                _KINDS[op],
                "".join(map(vocabulary.__getitem__, map(ord, chars))),
                len(chars),
            )
            for op, chars in diffs
        ]
    )
    return [*_ops("equal", head), *ops, *_ops("equal", tail)]


def _trim_words(old: str, new: str) -> tuple[str, str, str, str]:
    """Split off most of the text *old* and *new* share at their start and end.

    Returns (head, old middle, new middle, tail), cut where a space meets a word —
    a token boundary in both texts — and :data:`_MARGIN_WORDS` words short of where
    they differ, so that an edit can still slide (:func:`_slide_edits`). Cutting by
    ``str.find`` spares tokenising a long paragraph for a one-word change.
    """
    prefix = _DMP.diff_commonPrefix(old, new)
    start = _word_start_before(old, prefix - 1)
    suffix = _DMP.diff_commonSuffix(old[start:], new[start:])
    size = len(old) - _word_end_after(old, len(old) - suffix + 1)
    return (
        old[:start],
        old[start : len(old) - size],
        new[start : len(new) - size],
        old[len(old) - size :],
    )


def _word_start_before(text: str, limit: int) -> int:
    """A position before *limit* where a space is followed by a non-space, as far
    back as :data:`_MARGIN_WORDS` such places; 0 when there are not enough."""
    found = 0
    while found <= _MARGIN_WORDS:
        limit = text.rfind(" ", 0, max(limit, 0))
        if limit < 1:
            return 0
        if not text[limit + 1].isspace():
            found += 1
    return limit + 1


def _word_end_after(text: str, limit: int) -> int:
    """A position from *limit* on where a non-space is followed by a space, as far
    on as :data:`_MARGIN_WORDS` such places; ``len(text)`` when there are not
    enough."""
    found = 0
    limit -= 1
    while found <= _MARGIN_WORDS:
        limit = text.find(" ", limit + 1)
        if limit == -1:
            return len(text)
        if not text[limit - 1].isspace():
            found += 1
    return limit


def _slide_edits(
    diffs: list[tuple[int, str]], vocabulary: list[str]
) -> list[tuple[int, str]]:
    """Slide each lone insert or delete between two equalities to where it reads
    best: ``b) {+kultura; c) +}sport`` rather than ``b{+) kultura; c+}) sport``.

    diff-match-patch's diff_cleanupSemanticLossless, one token at a time (its own
    works on characters, and would score our token codes as if they were letters).
    Ties go to the rightmost place, so edits keep trailing rather than leading spaces.
    """

    def score(one: str, two: str) -> int:
        if not one or not two:
            return 6  # an edge
        left, right = vocabulary[ord(one[-1])], vocabulary[ord(two[0])]
        if left == "\n" or right == "\n":
            return 4
        if left.isspace() or right.isspace():
            return 3 if right.isspace() and not left[-1].isalnum() else 2
        return 1 if not (left[-1].isalnum() and right[0].isalnum()) else 0

    slid = list(diffs)
    k = 1
    while k < len(slid) - 1:
        (before, equal1), (op, edit), (after, equal2) = slid[k - 1 : k + 2]
        if before != diff_match_patch.DIFF_EQUAL or after != before or op == before:
            k += 1
            continue
        common = _DMP.diff_commonSuffix(equal1, edit)
        if common:  # as far left as it goes
            moved = edit[-common:]
            equal1, edit, equal2 = (
                equal1[:-common],
                moved + edit[:-common],
                moved + equal2,
            )
        best = (score(equal1, edit) + score(edit, equal2), equal1, edit, equal2)
        while edit and equal2 and edit[0] == equal2[0]:
            equal1, edit, equal2 = equal1 + edit[0], edit[1:] + equal2[0], equal2[1:]
            points = score(equal1, edit) + score(edit, equal2)
            if points >= best[0]:
                best = (points, equal1, edit, equal2)
        _, equal1, edit, equal2 = best
        if equal1 != slid[k - 1][1]:
            pieces = [(diff_match_patch.DIFF_EQUAL, equal1)] if equal1 else []
            pieces.append((op, edit))
            if equal2:
                pieces.append((diff_match_patch.DIFF_EQUAL, equal2))
            slid[k - 1 : k + 2] = pieces
            k += len(pieces) - 3
        k += 1
    return slid


def _compact(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join neighbouring pieces: equal runs, and each change as one delete then one
    insert. (diff_cleanupMerge does this too, but edits its list in place, which is
    quadratic for the thousands of pieces an anchored diff can return.)"""
    compact: list[tuple[int, str]] = []
    equal: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        if equal:
            compact.append((diff_match_patch.DIFF_EQUAL, "".join(equal)))
        if removed:
            compact.append((diff_match_patch.DIFF_DELETE, "".join(removed)))
        if added:
            compact.append((diff_match_patch.DIFF_INSERT, "".join(added)))
        equal.clear()
        removed.clear()
        added.clear()

    for op, text in diffs:
        if op == diff_match_patch.DIFF_EQUAL:
            if removed or added:
                flush()
            equal.append(text)
        else:
            if equal:
                flush()
            (removed if op == diff_match_patch.DIFF_DELETE else added).append(text)
    flush()
    return compact


def _stretches(old: str, new: str) -> list[tuple[str, str]]:
    """Cut *old* and *new* into (old, new) stretches, equal ones included.

    Non-blank lines found once in each text and in the same order are matched
    whole. Between them, a stretch that is the same lines each edited a little —
    as many on each side, every pair sharing at least half its text at its ends —
    is cut into pairs of lines, each diffed (and tokenised) on its own.
    """
    lines_old, lines_new = _lines(old), _lines(new)
    pieces: list[tuple[str, str]] = []
    equal: list[str] = []
    i = j = 0
    anchors = _unique_common(lines_old, lines_new, skip_blank=True)
    for a, b in [*anchors, (len(lines_old), len(lines_new))]:
        gap_old, gap_new = lines_old[i:a], lines_new[j:b]
        if gap_old == gap_new:
            equal += gap_old
        else:
            if equal:
                text = "".join(equal)
                pieces.append((text, text))
                equal = []
            pieces += _line_pairs(gap_old, gap_new)
        equal += lines_old[a : a + 1]  # the anchor; nothing for the sentinel
        i, j = a + 1, b + 1
    if equal:
        text = "".join(equal)
        pieces.append((text, text))
    return pieces


def _line_pairs(lines_old: list[str], lines_new: list[str]) -> list[tuple[str, str]]:
    """The lines paired one to one when each pair looks like one line edited;
    otherwise one stretch of all of them."""
    if len(lines_old) == len(lines_new) > 1:
        for line_old, line_new in zip(lines_old, lines_new, strict=True):
            if line_old != line_new:
                prefix = _DMP.diff_commonPrefix(line_old, line_new)
                suffix = _DMP.diff_commonSuffix(line_old[prefix:], line_new[prefix:])
                if 2 * (prefix + suffix) < max(len(line_old), len(line_new)):
                    break
        else:
            return list(zip(lines_old, lines_new, strict=True))
    return [("".join(lines_old), "".join(lines_new))]


def _lines(text: str) -> list[str]:
    """The lines of *text*, each with its newline (the last one may have none)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _trim_lines(old: str, new: str) -> tuple[str, str, str, str]:
    """Split off the whole lines *old* and *new* share at their start and end.

    Returns (head, old middle, new middle, tail). The head is empty or ends with a
    newline, the middles too, so the tail is whole lines: the cuts are token
    boundaries (the middles tokenise as they would inside the whole texts, and only
    they need tokenising) and the middles' lines are whole lines, which
    :func:`_stretches` can match.
    """
    prefix = _DMP.diff_commonPrefix(old, new)
    start = old.rfind("\n", 0, prefix) + 1
    suffix = _DMP.diff_commonSuffix(old[start:], new[start:])
    # A newline inside the common suffix ends the middles; the tail follows it.
    end = old.find("\n", len(old) - suffix) if suffix else -1
    size = len(old) - end - 1 if end != -1 else 0
    return (
        old[:start],
        old[start : len(old) - size],
        new[start : len(new) - size],
        old[len(old) - size :],
    )


def _encode(
    tokens1: list[str], tokens2: list[str]
) -> tuple[str, str, list[str]] | None:
    """One character per distinct token: the two encoded texts and the tokens by code,
    or None when there are more distinct tokens than code points."""
    vocabulary = list(dict.fromkeys(tokens1 + tokens2))
    if len(vocabulary) > _MAX_TOKENS:
        return None
    # Lone surrogates are valid in a Python str; the diff never encodes them.
    codes = {token: chr(code) for code, token in enumerate(vocabulary)}
    return (
        "".join(map(codes.__getitem__, tokens1)),
        "".join(map(codes.__getitem__, tokens2)),
        vocabulary,
    )


@dataclass(slots=True)
class _Equal:
    text: str
    tokens: int


@dataclass(slots=True)
class _Change:
    removed: str = ""
    removed_tokens: int = 0
    added: str = ""
    added_tokens: int = 0

    @property
    def tokens(self) -> int:
        return max(self.removed_tokens, self.added_tokens)

    def add(self, kind: OpKind, text: str, tokens: int) -> None:
        if kind == "delete":
            self.removed += text
            self.removed_tokens += tokens
        else:
            self.added += text
            self.added_tokens += tokens

    def fold(self, equal: _Equal, after: _Change) -> None:
        """Take in *equal* (on both sides) and the change *after* it."""
        self.add(
            "delete", equal.text + after.removed, equal.tokens + after.removed_tokens
        )
        self.add("insert", equal.text + after.added, equal.tokens + after.added_tokens)


def _tidy(runs: list[tuple[OpKind, str, int]]) -> list[Op]:
    """Turn (kind, text, token count) runs into ops that read like an editor's marks.

    Short equalities between two changes are folded into them — whitespace always,
    other text when it has no more tokens than the changes on either side (the rule
    of diff-match-patch's semantic cleanup, counted in tokens) — so a rewritten phrase
    reads ``[-zadania publiczne-]{+cele statutowe+}`` rather than word by word.
    Equalities holding a newline are never folded: line structure stays visible.
    """
    segments: list[_Equal | _Change] = []
    for kind, text, tokens in runs:
        if kind == "equal":
            segments.append(_Equal(text, tokens))
            continue
        change = segments[-1] if segments else None
        if not isinstance(change, _Change):
            change = _Change()
            segments.append(change)
        change.add(kind, text, tokens)
    while True:
        # Folding grows a change, which may make the equality before it foldable:
        # repeat until nothing changes.
        folded: list[_Equal | _Change] = []
        for segment in segments:
            if isinstance(segment, _Change) and len(folded) >= 2:
                before, equal = folded[-2], folded[-1]
                if (
                    isinstance(before, _Change)
                    and isinstance(equal, _Equal)
                    and _foldable(before, equal, segment)
                ):
                    before.fold(equal, segment)
                    folded.pop()
                    continue
            folded.append(segment)
        if len(folded) == len(segments):
            break
        segments = folded
    ops: list[Op] = []
    for segment in segments:
        if isinstance(segment, _Equal):
            ops.append(Op("equal", segment.text))
        else:
            ops.extend(_ops("delete", segment.removed))
            ops.extend(_ops("insert", segment.added))
    return ops


def _foldable(before: _Change, equal: _Equal, after: _Change) -> bool:
    if "\n" in equal.text:
        return False
    if _SPACES.fullmatch(equal.text):
        return True
    return equal.tokens <= before.tokens and equal.tokens <= after.tokens


# --- line level --------------------------------------------------------------------


def _line_ops(old: str, new: str, timeout: float) -> list[Op]:
    """Line-level ops of *old* → *new* (each op is whole lines)."""
    differ = _Differ(max(timeout, _LINE_TIMEOUT_FLOOR))
    chars_old, chars_new, lines = differ.diff_linesToChars(old, new)
    diffs = _line_diff(differ, chars_old, chars_new)
    differ.diff_charsToLines(diffs, lines)
    return [Op(_KINDS[op], text) for op, text in diffs]


def _line_diff(
    differ: _Differ, chars_old: str, chars_new: str
) -> list[tuple[int, str]]:
    """The anchored diff of two texts of line codes, merged, under the line deadline."""
    deadline = _deadline(differ.Diff_Timeout)
    diffs = _compact(differ.diff_anchored(chars_old, chars_new, deadline))
    differ.diff_cleanupMerge(diffs)
    return diffs


def _line_blocks(
    old_lines: Sequence[str], new_lines: Sequence[str], timeout: float
) -> list[tuple[bool, int, int]]:
    """Runs of (unchanged?, old line count, new line count) aligning the two lists."""
    encoded = _encode(list(old_lines), list(new_lines))
    if encoded is None:  # more distinct lines than code points: one big block
        return [(False, len(old_lines), len(new_lines))]
    chars_old, chars_new, _ = encoded
    differ = _Differ(max(timeout, _LINE_TIMEOUT_FLOOR))
    diffs = _line_diff(differ, chars_old, chars_new)
    blocks: list[tuple[bool, int, int]] = []
    for op, chars in diffs:
        same = op == differ.DIFF_EQUAL
        n_old = len(chars) if op != differ.DIFF_INSERT else 0
        n_new = len(chars) if op != differ.DIFF_DELETE else 0
        if blocks and not same and not blocks[-1][0]:
            _, o, n = blocks[-1]
            blocks[-1] = (False, o + n_old, n + n_new)
        else:
            blocks.append((same, n_old, n_new))
    return blocks


def _pair_lines(
    removed: Sequence[str], added: Sequence[str]
) -> list[tuple[int | None, int | None]]:
    """Order the lines of a changed block into (removed index, added index) rows.

    Pairs are chosen to maximise total similarity, keeping both sides in order;
    unpaired removed lines come before unpaired added ones.
    """
    if len(removed) == 1 and len(added) == 1:
        return [(0, 0)]
    if not removed or not added:
        return [(a, None) for a in range(len(removed))] + [
            (None, b) for b in range(len(added))
        ]
    if len(removed) * len(added) > _PAIRING_CELLS:
        pairs = [(k, k) for k in range(min(len(removed), len(added)))]
    else:
        pairs = _similar_pairs(removed, added)
    rows: list[tuple[int | None, int | None]] = []
    a = b = 0
    for pa, pb in [*pairs, (len(removed), len(added))]:
        rows.extend((k, None) for k in range(a, pa))
        rows.extend((None, k) for k in range(b, pb))
        if pa < len(removed) and pb < len(added):
            rows.append((pa, pb))
        a, b = pa + 1, pb + 1
    return rows


def _similar_pairs(
    removed: Sequence[str], added: Sequence[str]
) -> list[tuple[int, int]]:
    """The in-order pairing of similar lines with the greatest total similarity."""
    bags_added = [_bag(line) for line in added]
    scores = [
        [_similarity(bag, other) for other in bags_added] for bag in map(_bag, removed)
    ]
    n, m = len(removed), len(added)
    # best[a][b]: the best total for removed[a:] against added[b:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            score = scores[a][b]
            take = best[a + 1][b + 1] + score if score >= _PAIRING_SIMILARITY else -1.0
            best[a][b] = max(take, best[a + 1][b], best[a][b + 1])
    pairs: list[tuple[int, int]] = []
    a = b = 0
    while a < n and b < m:
        score = scores[a][b]
        if score >= _PAIRING_SIMILARITY and best[a][b] == best[a + 1][b + 1] + score:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _bag(line: str) -> Counter[str]:
    return Counter(t.casefold() for t in _TOKEN.findall(line) if not t.isspace())


def _similarity(x: Counter[str], y: Counter[str]) -> float:
    total = x.total() + y.total()
    return 2 * (x & y).total() / total if total else 0.0


# --- rows --------------------------------------------------------------------------


def _equal_row(line: str, i: int, j: int) -> SideBySideRow:
    ops = (Op("equal", line),) if line else ()
    return SideBySideRow("equal", i + 1, j + 1, ops, ops)


def _deleted_row(line: str, i: int) -> SideBySideRow:
    return SideBySideRow("deleted", i + 1, None, _ops("delete", line), ())


def _inserted_row(line: str, j: int) -> SideBySideRow:
    return SideBySideRow("inserted", None, j + 1, (), _ops("insert", line))


def _changed_row(
    old_line: str, new_line: str, i: int, j: int, deadline: float, timeout: float
) -> SideBySideRow:
    if old_line == new_line:
        return _equal_row(old_line, i, j)
    ops = _word_ops(old_line, new_line, deadline, timeout)
    if ops is None:
        ops = [*_ops("delete", old_line), *_ops("insert", new_line)]
    return SideBySideRow(
        "changed",
        i + 1,
        j + 1,
        tuple(_merge([op for op in ops if op.kind != "insert"])),
        tuple(_merge([op for op in ops if op.kind != "delete"])),
    )


def _ops(kind: OpKind, text: str) -> tuple[Op, ...]:
    return (Op(kind, text),) if text else ()


def _merge(ops: list[Op]) -> list[Op]:
    """Join neighbouring ops of the same kind."""
    merged: list[Op] = []
    for op in ops:
        if merged and merged[-1].kind == op.kind:
            merged[-1] = Op(op.kind, merged[-1].text + op.text)
        else:
            merged.append(op)
    return merged
