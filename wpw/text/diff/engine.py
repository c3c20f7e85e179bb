"""The diff of two strings of token (or line) codes: patience anchors, a
bit-parallel LCS between them, diff-match-patch's bisection as the last resort."""

from __future__ import annotations

import bisect
import math
import time
from collections import Counter
from collections.abc import Sequence
from itertools import compress, repeat
from operator import itemgetter

from diff_match_patch import diff_match_patch

from wpw.text.diff.model import OpKind

#: Stretches shorter than this (in tokens) are not searched for anchors.
_ANCHOR_MIN = 32

#: Stretches without anchors go to a bit-parallel LCS instead of Myers' bisection when
#: their lengths multiply to at most this (bits of memory, 2 MB: 4,096 × 4,096 tokens
#: in ~15 ms); bigger ones go to diff_main, under the deadline.
_LCS_CELLS = 1 << 24

#: :func:`_masks` builds the masks of texts up to this long bit by bit.
_SHORT_MASKS = 64

#: :func:`unique_common` looks up at most this many items with ``index()``, each a
#: scan in C; more are cheaper to find in a dict of all positions.
_INDEX_ITEMS = 128

#: :func:`unique_common` counts at most this many items one by one in a text, each
#: with ``str.count``; for more, it counts all of the text's characters at once.
_SCANNED_ITEMS = 64

#: :func:`_counts` uses a Counter for sequences longer than this.
_COUNTER_ITEMS = 16

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
        match. (The codes are picked out by iterators, in C: a long block has
        thousands of tokens.)
        """
        if self._weak is None:
            codes = map(chr, range(len(self.vocabulary)))
            numeric = map(str.isdigit, map(itemgetter(0), self.vocabulary))
            self._weak = frozenset(compress(codes, numeric))
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
            elif set(middle1).isdisjoint(middle2):
                # Nothing in common (as one token for another, the commonest gap):
                # the LCS is empty, and its pieces, compacted, are this replacement.
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
    masks = _masks(longer, set(shorter))
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
            # Each character before that matches too is a match (its mask has the
            # bit just below i: nothing to skip), so the run is taken at once.
            size, limit = 1, min(i, j)
            while size < limit and longer[i - 1 - size] == shorter[j - 1 - size]:
                size += 1
            op, start, end = equal, i - size, i
            i -= size
            j -= size - 1
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


def _masks(text: str, chars: set[str]) -> dict[str, int]:
    """For each of *chars*, the number with bit k set where ``text[k]`` is it.

    A short text (most gaps an LCS is asked for) is looked at character by
    character, its small numbers OR-ed together. A longer one's masks are built as
    strings of binary digits (OR-ing 1 << k one by one would be quadratic in the
    length), only for the characters it has (the others' are 0). For fewer than
    255 of those, *text* is mapped once to a byte per character — which of them it
    is, 255 for none — and each string of digits is then one ``bytes.translate`` of
    that, in C, rather than a Python loop over *text*.
    """
    masks = dict.fromkeys(chars, 0)
    if len(text) <= _SHORT_MASKS:
        for k, char in enumerate(text):
            if char in masks:
                masks[char] |= 1 << k
        return masks
    found_chars = chars.intersection(text)
    if len(found_chars) < 255:
        numbers = {char: n for n, char in enumerate(found_chars)}
        # Most significant bit first: the last character of text first.
        found = bytes(map(numbers.get, reversed(text), repeat(255)))
        for char, n in numbers.items():
            digits = bytearray(b"0") * 256  # a translation table: only n is a 1
            digits[n] = ord("1")
            masks[char] = int(found.translate(digits), 2)
        return masks
    positions: dict[str, list[int]] = {char: [] for char in found_chars}
    for k, char in enumerate(text):
        if char in positions:
            positions[char].append(k)
    for char, found_at in positions.items():
        digits = bytearray(b"0") * len(text)  # most significant bit first
        for k in found_at:
            digits[-1 - k] = ord("1")
        masks[char] = int(digits, 2)
    return masks


def _counts(seq: Sequence[str]) -> dict[str, int]:
    """How many times each item is in *seq*.

    Counter counts in C, but costs more to set up than a short loop: the lines of a
    few paragraphs, as :func:`unique_common` mostly gets from the word diff, are
    counted here in Python.
    """
    if len(seq) > _COUNTER_ITEMS:
        return Counter(seq)
    counts: dict[str, int] = {}
    for item in seq:
        counts[item] = counts.get(item, 0) + 1
    return counts


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
    # Only items found once in the shorter sequence can be; when the longer is a
    # text and they are few, each is counted there by str.count, a scan in C far
    # cheaper a character than Counter's count of every character (the gaps of a
    # rewritten block are often a few words against a long passage).
    shorter, longer = (seq1, seq2) if len(seq1) <= len(seq2) else (seq2, seq1)
    once = [item for item, n in _counts(shorter).items() if n == 1 and item not in skip]
    if isinstance(longer, str) and len(once) <= _SCANNED_ITEMS:
        unique = [item for item in once if longer.count(item) == 1]
    else:
        counts = _counts(longer)
        unique = [item for item in once if counts.get(item) == 1]
    if skip_blank:
        unique = [item for item in unique if not item.isspace()]
    if len(unique) <= 1:  # most gaps between lines: a run of one, or nothing
        return [(seq1.index(item), seq2.index(item)) for item in unique]
    if len(unique) <= _INDEX_ITEMS:
        # index() finds each item (it is there once) at C speed, where a loop
        # would look at every item of both sequences in Python.
        candidates = sorted([(seq1.index(item), seq2.index(item)) for item in unique])
    else:
        # Every item's (last) position, the dicts built by dict() in C.
        where1 = dict(zip(seq1, range(len(seq1)), strict=True))
        where2 = dict(zip(seq2, range(len(seq2)), strict=True))
        candidates = sorted((where1[item], where2[item]) for item in unique)
    # Mostly nothing moved: the positions in seq2 already increase, and all the
    # candidates are the one longest run — no need to search for it.
    positions = [b for _, b in candidates]
    if positions == sorted(positions):
        return candidates
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
    # The pieces being joined: an equal run's, or a change's deleted and inserted.
    equal: list[str] = []
    removed: list[str] = []
    added: list[str] = []
    for op, text in diffs:
        if op == DIFF_EQUAL:
            if removed:
                compact.append((DIFF_DELETE, "".join(removed)))
                removed = []
            if added:
                compact.append((DIFF_INSERT, "".join(added)))
                added = []
            equal.append(text)
        else:
            if equal:
                compact.append((DIFF_EQUAL, "".join(equal)))
                equal = []
            (removed if op == DIFF_DELETE else added).append(text)
    if equal:
        compact.append((DIFF_EQUAL, "".join(equal)))
    if removed:
        compact.append((DIFF_DELETE, "".join(removed)))
    if added:
        compact.append((DIFF_INSERT, "".join(added)))
    return compact


def cleanup_merge(differ: diff_match_patch, diffs: list[tuple[int, str]]) -> None:
    """diff_cleanupMerge on *diffs* from :func:`compact`, skipped when it would leave
    them as they are (most token diffs: one word replaced by another).

    On compacted pieces — no empty text, no two equalities side by side, each change
    one delete, one insert or a delete then an insert — diff_cleanupMerge changes
    something only where a delete and the insert after it share a first or a last
    character (it moves those into the equalities), or where a lone edit between two
    equalities ends with the one before or starts with the one after (it slides the
    edit across). Where neither is found, its pass over the list is spared.
    """
    for k, (op, text) in enumerate(diffs):
        if not text:
            break  # not compacted: leave it to diff_cleanupMerge
        if op == DIFF_EQUAL:
            continue
        if op == DIFF_DELETE and k + 1 < len(diffs) and diffs[k + 1][0] == DIFF_INSERT:
            added = diffs[k + 1][1]
            if added and (text[0] == added[0] or text[-1] == added[-1]):
                break
        elif (
            0 < k < len(diffs) - 1
            and diffs[k - 1][0] == DIFF_EQUAL
            and diffs[k + 1][0] == DIFF_EQUAL
            and (text.endswith(diffs[k - 1][1]) or text.startswith(diffs[k + 1][1]))
        ):
            break
    else:
        return
    differ.diff_cleanupMerge(diffs)
