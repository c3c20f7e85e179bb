"""The diff of two strings of token (or line) codes: patience anchors, a
bit-parallel LCS between them, diff-match-patch's bisection as the last resort."""

from __future__ import annotations

import bisect
import math
import time
from collections import Counter
from collections.abc import Sequence

from diff_match_patch import diff_match_patch

from wpw.text.diff.model import OpKind

#: Stretches shorter than this (in tokens) are not searched for anchors.
_ANCHOR_MIN = 32

#: Stretches without anchors go to a bit-parallel LCS instead of Myers' bisection when
#: their lengths multiply to at most this (bits of memory, 2 MB: 4,096 × 4,096 tokens
#: in ~15 ms); bigger ones go to diff_main, under the deadline.
_LCS_CELLS = 1 << 24

#: :func:`unique_common` looks up at most this many items with ``index()``, each a
#: scan in C; more are cheaper to find in one Python loop over both sequences.
_INDEX_ITEMS = 128

DMP = diff_match_patch()  # for its stateless helpers
DIFF_EQUAL, DIFF_INSERT, DIFF_DELETE = (
    diff_match_patch.DIFF_EQUAL,
    diff_match_patch.DIFF_INSERT,
    diff_match_patch.DIFF_DELETE,
)
KINDS: dict[int, OpKind] = {
    diff_match_patch.DIFF_EQUAL: "equal",
    diff_match_patch.DIFF_INSERT: "insert",
    diff_match_patch.DIFF_DELETE: "delete",
}


class Differ(diff_match_patch):
    """diff_match_patch that notices when its deadline cut a bisection short."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.Diff_Timeout = timeout
        self.timed_out = False
        #: The tokens by code, when the texts diffed are token codes.
        self.vocabulary: list[str] = []
        self._weak: frozenset[str] | None = None

    def use_tokens(self, vocabulary: list[str]) -> None:
        """Diff token codes from now on: *vocabulary* holds the tokens by code."""
        self.vocabulary = vocabulary
        self._weak = None

    def weak(self) -> frozenset[str]:
        """Codes never used as anchors: numbers.

        A number found once on each side is weak evidence that two places match: a
        renumbered list or footnote would align item 5 with the new item 5, not
        with its own text now numbered 4. Numbers are matched, but never anchor the
        match.
        """
        if self._weak is None:
            self._weak = frozenset(
                chr(code)
                for code, token in enumerate(self.vocabulary)
                if token[0].isdigit()
            )
        return self._weak

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
        stretch with no anchors goes to :func:`lcs_diff` — or, when too big for it,
        to diff_main under the deadline. Once the deadline has passed (checked before
        every LCS and by diff_main), the rest is answered coarsely and
        :attr:`timed_out` is set. Neighbouring pieces are not merged (see
        :func:`compact`).
        """
        if text1 == text2:
            return [(self.DIFF_EQUAL, text1)] if text1 else []
        if not text1 or not text2 or self.timed_out:
            return replace(text1, text2)
        if len(text1) == len(text2) == 1:  # one token for another, as most gaps
            return replace(text1, text2)
        prefix = self.diff_commonPrefix(text1, text2)
        suffix = self.diff_commonSuffix(text1[prefix:], text2[prefix:])
        middle1 = text1[prefix : len(text1) - suffix]
        middle2 = text2[prefix : len(text2) - suffix]
        anchors = (
            unique_common(middle1, middle2, skip=self.weak())
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
            diffs += replace(middle1, middle2)
        elif len(middle1) * len(middle2) <= _LCS_CELLS:
            if time.time() > deadline:
                self.timed_out = True
                diffs += replace(middle1, middle2)
            else:
                diffs += lcs_diff(middle1, middle2)
        else:
            diffs += self.diff_main(middle1, middle2, False, deadline)
        if suffix:
            diffs.append((self.DIFF_EQUAL, text1[len(text1) - suffix :]))
        return diffs


def replace(text1: str, text2: str) -> list[tuple[int, str]]:
    """Delete all of *text1*, insert all of *text2*."""
    diffs = [(diff_match_patch.DIFF_DELETE, text1)] if text1 else []
    if text2:
        diffs.append((diff_match_patch.DIFF_INSERT, text2))
    return diffs


def lcs_diff(text1: str, text2: str) -> list[tuple[int, str]]:
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
    # Matches and skipped characters of the shorter text come one at a time; each
    # run of them becomes one piece (a slice), so later passes see runs, not
    # characters.
    pieces: list[tuple[int, str]] = []
    equal = diff_match_patch.DIFF_EQUAL
    run_op, run_start, run_end = equal, 0, 0  # the run being grown (empty)
    i, j = len(longer), len(shorter)
    while j > 0:
        char = shorter[j - 1]
        stops = (~rows[j] | masks[char]) & ((1 << i) - 1)
        k = stops.bit_length() - 1  # highest position below i to stop at, or -1
        if k + 1 < i:
            if run_end > run_start:
                source = longer if run_op == equal else shorter
                pieces.append((run_op, source[run_start:run_end]))
                run_end = run_start
            pieces.append((longer_op, longer[k + 1 : i]))
            i = k + 1
        if i > 0 and longer[i - 1] == char:
            op, start, end = equal, i - 1, i
            i -= 1
        else:
            op, start, end = shorter_op, j - 1, j
        if op == run_op and run_start == end:
            run_start = start
        else:
            if run_end > run_start:
                source = longer if run_op == equal else shorter
                pieces.append((run_op, source[run_start:run_end]))
            run_op, run_start, run_end = op, start, end
        j -= 1
    if run_end > run_start:
        source = longer if run_op == equal else shorter
        pieces.append((run_op, source[run_start:run_end]))
    if i > 0:
        pieces.append((longer_op, longer[:i]))
    pieces.reverse()
    return pieces


def unique_common(
    seq1: Sequence[str],
    seq2: Sequence[str],
    *,
    skip_blank: bool = False,
    skip: frozenset[str] = frozenset(),
) -> list[tuple[int, int]]:
    """Positions of items found once in each sequence, the longest run of them that
    is in the same order in both. With *skip_blank*, blank items never count; items
    in *skip* never count either."""
    once1 = {item for item, n in Counter(seq1).items() if n == 1}
    unique = {item for item, n in Counter(seq2).items() if n == 1 and item in once1}
    if skip:
        unique -= skip
    if skip_blank:
        unique = {item for item in unique if not item.isspace()}
    if len(unique) <= _INDEX_ITEMS:
        # index() finds each item (it is there once) at C speed, where a loop
        # would look at every item of both sequences in Python.
        candidates = sorted((seq1.index(item), seq2.index(item)) for item in unique)
    else:
        where2 = {item: k for k, item in enumerate(seq2) if item in unique}
        candidates = [
            (k, where2[item]) for k, item in enumerate(seq1) if item in where2
        ]
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


def deadline_after(timeout: float) -> float:
    # diff-match-patch reads the clock with time.time(), so the deadline must too.
    return time.time() + timeout if timeout > 0 else math.inf


def compact(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
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
