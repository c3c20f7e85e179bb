"""Anchoring annotations to passages of a text, and re-anchoring them on a new version.

An :class:`Anchor` holds a passage three ways, as the W3C selectors and Hypothesis do:
character offsets (:class:`TextPosition`), the words with up to 32 characters either
side (:class:`TextQuote`), and the lines readers cite. :func:`anchor_for_lines` and
:func:`anchor_for_offsets` make one.

When the next round is published, :func:`reanchor` (or :func:`reanchor_many`, one diff
for many anchors) moves each anchor onto the new version of its section. Every round is
stored, so it **maps, it does not search**: the two versions are diffed once
(:class:`OffsetMapper`) and the passage's ends are carried through the diff, as
diff-match-patch's ``diff_xIndex`` does. Then:

- ``exact`` — the same characters stand at the mapped place, perhaps on other lines.
  Exact means *the same characters*: a passage whose only change is a space turned
  into a line break is ``changed`` (its new wording shows the break). Text added right
  before or after a passage leaves it ``exact``.
- ``changed`` — an edit falls inside the passage and some of it survives: at least
  half of its letters and digits, or — when no moved copy is found (below) — at least
  8 of them (a word or two, not a stray letter), or it was reworded within the
  quality floor (at most 25% edit errors: Levenshtein distance over the quote's
  length, as ``organizacji`` → ``organizacjom``). The new wording is the new text
  between the mapped ends; an end inside an edit takes in all of that edit's new text.
- ``orphaned`` — nothing of the passage survives where it stood, and no copy of it
  stands elsewhere.

The fallback search, never a silent guess, runs only when less than half of the
passage survives. A moved paragraph shows as a deletion here and an insertion there,
so it looks for the exact quote in the new text **except where the diff kept text
from elsewhere** (a copy the old text already had is another passage); the copy
whose prefix and suffix agree best wins, and a tie orphans the annotation rather than
pick one — in renumbered footnotes and lists the nearest copy is as often wrong as
right. An approximate search for moved *and edited* passages (inside inserted text,
within the floor, quotes of :data:`FUZZY_MIN_LENGTH` characters or more) is opt-in,
``fuzzy=True``: on the real laws of ``bench/anchoring.py`` it placed deleted
passages on parallel provisions (``… des Verwaltungsgerichtshofes …`` on ``… des
Staatsgerichtshofes …``), which is what the floor cannot tell apart.

Pure: ``str``, ``int`` and frozen dataclasses in and out; no IO.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

from diff_match_patch import diff_match_patch

from wpw.text.diff import _lcs_diff, diff_text, tokenize

#: Characters of context kept before and after the quote (W3C / Hypothesis: 32).
CONTEXT_LENGTH = 32
#: The quality floor: more edit errors than this share of the quote's length is no
#: longer "the same passage, edited".
MAX_ERRORS = 0.25
#: Shorter quotes are never searched for approximately: a few letters with a 25%
#: allowance match look-alikes everywhere.
FUZZY_MIN_LENGTH = 20
#: Edited stretches are aligned word by word when their word counts multiply to at
#: most this (the bit-parallel LCS of :mod:`wpw.text.diff`: ~30 ms at the limit);
#: bigger ones stay one edit.
_CELLS = 1 << 24
#: A run the token alignment kept counts as surviving text from this many letters
#: or digits (see :meth:`OffsetMapper._survival`); so many surviving letters make a
#: mostly rewritten passage ``changed`` rather than ``orphaned``.
_SURVIVING_RUN = 8

_DMP = diff_match_patch()  # for its stateless helpers
_LINE_BREAK = re.compile("\n")
_EQUAL = diff_match_patch.DIFF_EQUAL
_DELETE = diff_match_patch.DIFF_DELETE
_INSERT = diff_match_patch.DIFF_INSERT

Method = Literal["mapped", "fuzzy", "none"]
_T = TypeVar("_T")


class AnchorError(ValueError):
    """The range is outside the text, empty or only whitespace, or the anchor does
    not belong to the text it is said to come from."""


@dataclass(frozen=True, slots=True)
class TextQuote:
    """W3C TextQuoteSelector: the passage and up to 32 characters either side."""

    exact: str
    prefix: str
    suffix: str


@dataclass(frozen=True, slots=True)
class TextPosition:
    """W3C TextPositionSelector: offsets into the whole text, ``end`` exclusive."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise AnchorError(f"bad position {self.start}-{self.end}")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A passage of a text: offsets, quote, and the (1-based) lines covering it."""

    position: TextPosition
    quote: TextQuote
    first_line: int
    last_line: int


class Outcome(StrEnum):
    """What became of a passage in the new text."""

    EXACT = "exact"  #: the same characters, maybe on other lines
    CHANGED = "changed"  #: edited: the old and the new wording are both known
    ORPHANED = "orphaned"  #: gone from the new text


@dataclass(frozen=True, slots=True)
class Reanchored:
    """Where an anchor stands in the new text.

    ``anchor`` is None when orphaned; ``new_exact`` is the passage's new wording for
    ``changed`` (None otherwise); ``method`` says how it was found: ``mapped`` through
    the diff, ``fuzzy`` by the fallback search, ``none`` for an orphan.
    """

    outcome: Outcome
    anchor: Anchor | None
    new_exact: str | None
    method: Method


#: The result for a passage that is gone.
ORPHAN = Reanchored(Outcome.ORPHANED, None, None, "none")


def line_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The first and last line (from 1) holding characters ``text[start:end]``.

    Raises :class:`AnchorError` unless ``0 <= start < end <= len(text)``.
    """
    if not 0 <= start < end <= len(text):
        raise AnchorError(f"range {start}-{end} outside a text of {len(text)}")
    first = text.count("\n", 0, start) + 1
    return first, first + text.count("\n", start, end - 1)


def anchor_for_offsets(text: str, start: int, end: int) -> Anchor:
    """The anchor of the passage ``text[start:end]`` (which may span lines).

    Raises :class:`AnchorError` when the range is outside the text, empty, or holds
    only whitespace.
    """
    return _anchor(text, start, end, *line_span(text, start, end))


def anchor_for_lines(text: str, first_line: int, last_line: int) -> Anchor:
    """The anchor of whole lines *first_line*–*last_line* (from 1, inclusive).

    Raises :class:`AnchorError` for a range outside the text, ``first > last``, or
    lines holding only whitespace.
    """
    lines = text.split("\n") if text else []
    if not 1 <= first_line <= last_line <= len(lines):
        raise AnchorError(f"lines {first_line}-{last_line} outside 1-{len(lines)}")
    start = sum(len(line) + 1 for line in lines[: first_line - 1])
    end = start + sum(len(line) + 1 for line in lines[first_line - 1 : last_line]) - 1
    if start == end:
        raise AnchorError(f"lines {first_line}-{last_line} are empty")
    return _anchor(text, start, end, first_line, last_line)


def _anchor(text: str, start: int, end: int, first: int, last: int) -> Anchor:
    exact = text[start:end]
    if not exact.strip():
        raise AnchorError(f"range {start}-{end} holds only whitespace")
    quote = TextQuote(
        exact,
        text[max(0, start - CONTEXT_LENGTH) : start],
        text[end : end + CONTEXT_LENGTH],
    )
    return Anchor(TextPosition(start, end), quote, first, last)


def reanchor(
    old_text: str,
    new_text: str,
    anchor: Anchor,
    *,
    mapper: OffsetMapper | None = None,
    fuzzy: bool = False,
) -> Reanchored:
    """Place *anchor*, made on *old_text*, on *new_text* (see the module docstring).

    Pass a *mapper* built for these two texts to reuse its diff (its own *fuzzy*
    setting then applies). Raises :class:`AnchorError` when the anchor's quote is
    not at its position in *old_text*, and ValueError when *mapper* was built for
    other texts.
    """
    if mapper is None:
        mapper = OffsetMapper(old_text, new_text, fuzzy=fuzzy)
    elif mapper.old_text != old_text or mapper.new_text != new_text:
        raise ValueError("the mapper was built for other texts")
    return mapper.reanchor(anchor)


def reanchor_many(
    old_text: str, new_text: str, anchors: Sequence[Anchor], *, fuzzy: bool = False
) -> list[Reanchored]:
    """:func:`reanchor` each of *anchors* through one diff, in order. Raises
    :class:`AnchorError` as :func:`reanchor` does."""
    mapper = OffsetMapper(old_text, new_text, fuzzy=fuzzy)
    return [mapper.reanchor(anchor) for anchor in anchors]


class OffsetMapper:
    """The diff of *old_text* → *new_text*, made once, mapping many anchors.

    The word-level diff of :func:`wpw.text.diff.diff_text` (which keeps within its
    *timeout* by falling back to lines: see :attr:`fallback`) is cut into blocks —
    text kept, and edits (old text → new text, either side may be empty). The diff
    folds short unchanged text between two edits into them, to read well; here each
    edit is aligned again — a longest common subsequence of its words and
    punctuation, then of all tokens between the words matched — and what is left of
    each edit keeps the letters its two sides start and end with. So text left alone
    between two edits, or the stem of an inflected word, maps exactly. A passage end
    is found by bisection, not by diff_xIndex's walk through every op. With *fuzzy*,
    moved and edited passages are searched for approximately (see the module
    docstring).
    """

    def __init__(
        self, old_text: str, new_text: str, *, timeout: float = 1.0, fuzzy: bool = False
    ) -> None:
        self.old_text = old_text
        self.new_text = new_text
        #: Whether moved and edited passages are searched for approximately.
        self.fuzzy = fuzzy
        #: True when the word diff ran out of time and lines were diffed instead.
        self.fallback = False
        # Block k covers old[_old[k]:_old[k + 1]] and new[_new[k]:_new[k + 1]];
        # kept blocks and edits alternate; a sentinel closes both lists.
        self._old: list[int] = []
        self._new: list[int] = []
        self._kept: list[bool] = []
        self._ends = (0, 0)  # where the blocks so far end, in old and new
        # Old ranges the word diff kept, before the token-by-token alignment: what
        # "some of the passage survives" counts, free of chance matches.
        self._survived: list[tuple[int, int]] = []
        if old_text == new_text:
            self._add(True, old_text, new_text)
            self._survived.append((0, len(old_text)))
        else:
            result = diff_text(old_text, new_text, timeout=timeout)
            self.fallback = result.fallback
            removed: list[str] = []
            added: list[str] = []
            for op in [*result.ops, None]:
                if op is not None and op.kind != "equal":
                    (removed if op.kind == "delete" else added).append(op.text)
                    continue
                self._add_edit("".join(removed), "".join(added))
                removed.clear()
                added.clear()
                if op is not None:
                    start = self._ends[0]
                    self._survived.append((start, start + len(op.text)))
                    self._add(True, op.text, op.text)
        assert self._ends == (len(old_text), len(new_text))
        self._old.append(len(old_text))
        self._new.append(len(new_text))
        self._line_breaks = [found.start() for found in _LINE_BREAK.finditer(new_text)]

    def _add(self, kept: bool, old: str, new: str) -> None:
        """Add *old* → *new*, kept or edited, growing the last block if it is of the
        same kind."""
        if not old and not new:
            return
        if not self._kept or self._kept[-1] != kept:
            self._old.append(self._ends[0])
            self._new.append(self._ends[1])
            self._kept.append(kept)
        self._ends = (self._ends[0] + len(old), self._ends[1] + len(new))

    def _add_edit(self, old: str, new: str, *, words: bool = True) -> None:
        """Add an edit, aligned again (see the class docstring): on its words and
        punctuation first — spaces are everywhere, and matching them would tie with
        matching words — then, between the words matched, on all its tokens."""
        tokens_old, tokens_new = tokenize(old), tokenize(new)
        pairs = _matches(tokens_old, tokens_new, words=words)
        if pairs is None:
            self._add_trimmed(old, new)
            return
        i = j = 0  # tokens of each side added so far
        for a, b in [*pairs, (len(tokens_old), len(tokens_new))]:
            gap_old, gap_new = "".join(tokens_old[i:a]), "".join(tokens_new[j:b])
            if words:
                self._add_edit(gap_old, gap_new, words=False)
            else:
                self._add_trimmed(gap_old, gap_new)
            if a < len(tokens_old):
                self._add(True, tokens_old[a], tokens_old[a])
            i, j = a + 1, b + 1

    def _add_trimmed(self, old: str, new: str) -> None:
        """Add an edit, keeping the letters it starts and ends with on both sides
        (``organizacji`` → ``organizacjom`` keeps ``organizacj``)."""
        head = _DMP.diff_commonPrefix(old, new)
        tail = _DMP.diff_commonSuffix(old[head:], new[head:])
        self._add(True, old[:head], old[:head])
        self._add(False, old[head : len(old) - tail], new[head : len(new) - tail])
        self._add(True, old[len(old) - tail :], old[len(old) - tail :])

    # --- mapping -----------------------------------------------------------------

    def _block_of_old(self, offset: int) -> int:
        """The block holding old character *offset* (blocks of no old text skipped)."""
        return bisect.bisect_right(self._old, offset, 0, len(self._kept)) - 1

    def _block_of_new(self, offset: int) -> int:
        return bisect.bisect_right(self._new, offset, 0, len(self._kept)) - 1

    def map_span(self, start: int, end: int) -> tuple[int, int, bool]:
        """Map old ``[start, end)`` to new offsets, and say whether it was kept whole.

        An end inside an edit takes in all of the edit's new text; text inserted
        right at an end stays outside. The span may come back empty.
        """
        first, last = self._block_of_old(start), self._block_of_old(end - 1)
        if self._kept[first]:
            new_start = self._new[first] + start - self._old[first]
        else:
            new_start = self._new[first]
        if self._kept[last]:
            new_end = self._new[last] + end - self._old[last]
        else:
            new_end = self._new[last + 1]
        return new_start, new_end, first == last and self._kept[first]

    def _standing(self, exact: str, start: int, end: int) -> int | None:
        """Where *exact* stands overlapping new ``[start, end)``, nearest *start*.

        Where an edit next to a passage goes is the diff's choice when the text
        repeats: ``a b`` → ``a x b`` may keep ``a`` and ``" b"``, splitting a passage
        ``"a "``; in ``hó|órptb`` deleting ``hó`` or ``ó|ó`` leaves the same text.
        The passage is then still there, beside its mapped place.
        """
        size = len(exact)
        at = self.new_text.find(exact, max(0, start - size + 1), end + size - 1)
        best = None
        while at != -1 and at < end:
            if best is None or abs(at - start) < abs(best - start):
                best = at
            at = self.new_text.find(exact, at + 1, end + size - 1)
        return best

    def _survival(self, start: int, end: int) -> tuple[int, int]:
        """How much of old ``[start, end)`` survives, and its whole: counted in
        letters and digits (other non-space characters when it has none).

        Survives: what the word diff kept, and runs the token alignment kept that
        hold at least :data:`_SURVIVING_RUN` letters or digits — a phrase the
        readable diff folded into a rewrite, not a chance ``w`` or ``, ``.
        """
        text = self.old_text
        weigh = _weight if _weight(text[start:end]) else _non_space
        kept = 0
        for k in range(self._block_of_old(start), self._block_of_old(end - 1) + 1):
            if not self._kept[k]:
                continue
            first, last = max(start, self._old[k]), min(end, self._old[k + 1])
            if _weight(text[self._old[k] : self._old[k + 1]]) >= _SURVIVING_RUN:
                kept += weigh(text[first:last])
                continue
            at = max(0, bisect.bisect_right(self._survived, (first, first)) - 1)
            for a, b in self._survived[at:]:
                if a >= last:
                    break
                if max(first, a) < min(last, b):
                    kept += weigh(text[max(first, a) : min(last, b)])
        return kept, weigh(text[start:end])

    def _copy_of_other_text(self, start: int, end: int) -> bool:
        """Whether new ``[start, end)`` lies in one kept block: the same characters
        stood together elsewhere in the old text, as another passage."""
        k = self._block_of_new(start)
        return self._kept[k] and end <= self._new[k + 1]

    def reanchor(self, anchor: Anchor) -> Reanchored:
        """Place *anchor*, made on :attr:`old_text`, on :attr:`new_text`.

        Raises :class:`AnchorError` when its quote is not at its position.
        """
        start, end = anchor.position.start, anchor.position.end
        exact = anchor.quote.exact
        if self.old_text[start:end] != exact:
            raise AnchorError(f"the quote is not at {start}-{end} of the old text")
        if not self.new_text:
            return ORPHAN
        new_start, new_end, whole = self.map_span(start, end)
        wording = self.new_text[new_start:new_end]
        if whole or wording == exact:
            return self._placed(Outcome.EXACT, new_start, new_end, "mapped")
        standing = self._standing(exact, new_start, new_end) if wording else None
        if standing is not None:
            return self._placed(
                Outcome.EXACT, standing, standing + len(exact), "mapped"
            )
        kept, weight = self._survival(start, end)
        edited = bool(wording.strip())
        if edited and 2 * kept >= weight:
            return self._placed(Outcome.CHANGED, new_start, new_end, "mapped")
        moved = self._find_moved(anchor.quote)
        if moved is not None:
            return self._placed(Outcome.EXACT, moved, moved + len(exact), "fuzzy")
        if edited and (kept >= _SURVIVING_RUN or _within_floor(exact, wording)):
            return self._placed(Outcome.CHANGED, new_start, new_end, "mapped")
        similar = self._find_similar(anchor.quote) if self.fuzzy else None
        if similar is not None:
            return self._placed(Outcome.CHANGED, *similar, "fuzzy")
        return ORPHAN

    def _placed(
        self, outcome: Outcome, start: int, end: int, method: Method
    ) -> Reanchored:
        text = self.new_text
        first = bisect.bisect_left(self._line_breaks, start) + 1
        last = bisect.bisect_left(self._line_breaks, end - 1) + 1
        anchor = _anchor(text, start, end, first, last)
        changed = outcome is Outcome.CHANGED
        return Reanchored(outcome, anchor, text[start:end] if changed else None, method)

    # --- the fallback search -----------------------------------------------------

    def _find_moved(self, quote: TextQuote) -> int | None:
        """Where the exact quote stands in the new text, outside text the diff kept
        from elsewhere, with the best prefix and suffix agreement; None when no
        copy is there or two agree equally well."""
        text, size = self.new_text, len(quote.exact)
        found: list[tuple[tuple[int, ...], int]] = []
        at = text.find(quote.exact)
        while at != -1:
            if not self._copy_of_other_text(at, at + size):
                found.append(((_context(text, quote, at, at + size),), at))
            at = text.find(quote.exact, at + 1)
        return _unambiguous(found)

    def _find_similar(self, quote: TextQuote) -> tuple[int, int] | None:
        """The closest match to the quote inside one inserted stretch, if within the
        floor and the quote itself is nowhere in the new text: fewest errors, then
        best context; None when two candidates tie."""
        exact = quote.exact
        if len(exact.strip()) < FUZZY_MIN_LENGTH or exact in self.new_text:
            return None
        allowed = int(len(exact) * MAX_ERRORS)
        found: list[tuple[tuple[int, ...], tuple[int, int]]] = []
        for k, kept in enumerate(self._kept):
            offset, stop = self._new[k], self._new[k + 1]
            if kept or stop - offset < len(exact) - allowed:
                continue
            stretch = self.new_text[offset:stop]
            errors, end = _search(exact, stretch)
            if errors > allowed:
                continue
            start = offset + _match_start(exact, stretch, end, errors)
            end += offset
            context = _context(self.new_text, quote, start, end)
            found.append(((-errors, context), (start, end)))
        return _unambiguous(found)


def _unambiguous(found: list[tuple[tuple[int, ...], _T]]) -> _T | None:
    """The candidate with the highest score, or None when none or two share it."""
    ranked = sorted(found, key=lambda item: item[0], reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] == ranked[1][0]):
        return None
    return ranked[0][1]


def _matches(
    tokens_old: list[str], tokens_new: list[str], *, words: bool
) -> list[tuple[int, int]] | None:
    """Index pairs of the tokens a longest common subsequence matches (only
    non-space tokens take part with *words*); None when too big to align."""
    marks_old = [
        k for k, token in enumerate(tokens_old) if not (words and token.isspace())
    ]
    marks_new = [
        k for k, token in enumerate(tokens_new) if not (words and token.isspace())
    ]
    if not marks_old or not marks_new:
        return []
    if len(marks_old) * len(marks_new) > _CELLS:
        return None
    vocabulary = dict.fromkeys(tokens_old + tokens_new)
    codes = {token: chr(code) for code, token in enumerate(vocabulary)}
    pairs: list[tuple[int, int]] = []
    x = y = 0  # marks of each side passed so far
    for op, chars in _lcs_diff(
        "".join(codes[tokens_old[k]] for k in marks_old),
        "".join(codes[tokens_new[k]] for k in marks_new),
    ):
        if op == _EQUAL:
            pairs += zip(
                marks_old[x : x + len(chars)],
                marks_new[y : y + len(chars)],
                strict=True,
            )
        x += len(chars) if op != _INSERT else 0
        y += len(chars) if op != _DELETE else 0
    return pairs


def _weight(text: str) -> int:
    return sum(map(str.isalnum, text))


def _non_space(text: str) -> int:
    return len(text) - sum(map(str.isspace, text))


def _context(text: str, quote: TextQuote, start: int, end: int) -> int:
    """Characters of the quote's prefix and suffix found around ``text[start:end]``."""
    before = text[max(0, start - CONTEXT_LENGTH) : start]
    after = text[end : end + CONTEXT_LENGTH]
    return _DMP.diff_commonSuffix(before, quote.prefix) + _DMP.diff_commonPrefix(
        after, quote.suffix
    )


def _within_floor(exact: str, wording: str) -> bool:
    """Whether *wording* is *exact* with at most :data:`MAX_ERRORS` edit errors."""
    allowed = int(len(exact) * MAX_ERRORS)
    if abs(len(exact) - len(wording)) > allowed:
        return False
    return _distances(exact, wording, anchored=True)[-1] <= allowed


def _distances(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Edit distances of *pattern* to text ending at each position of *text*.

    Entry ``j`` is the Levenshtein distance from *pattern* to the best substring
    of *text* ending at ``j`` (free start), or with *anchored* to ``text[:j]``.
    Myers' bit-parallel algorithm (Hyyrö's formulation): one big-integer step per
    character of *text*, so the quote may be any length.
    """
    size = len(pattern)
    masks: dict[str, int] = {}
    for k, char in enumerate(pattern):
        masks[char] = masks.get(char, 0) | 1 << k
    full, high = (1 << size) - 1, 1 << (size - 1)
    plus, minus, score = full, 0, size
    scores = [size]
    for char in text:
        match = masks.get(char, 0)
        vertical = match | minus
        horizontal = (((match & plus) + plus) ^ plus) | match
        up = minus | ~(horizontal | plus)
        down = plus & horizontal
        if up & high:
            score += 1
        elif down & high:
            score -= 1
        up = (up << 1) | anchored
        down <<= 1
        plus = (down | ~(vertical | up)) & full
        minus = up & vertical & full
        scores.append(score)
    return scores


def _search(pattern: str, text: str) -> tuple[int, int]:
    """The fewest edit errors of *pattern* against any substring of *text*, and the
    first end offset reaching them."""
    scores = _distances(pattern, text, anchored=False)
    errors = min(scores)
    return errors, scores.index(errors)


def _match_start(pattern: str, text: str, end: int, errors: int) -> int:
    """Where the match of *pattern* ending at *end* with *errors* errors begins: the
    length nearest the pattern's among those that reach it."""
    window = text[max(0, end - len(pattern) - errors) : end][::-1]
    scores = _distances(pattern[::-1], window, anchored=True)
    lengths = [n for n, score in enumerate(scores) if score == errors]
    return end - min(lengths, key=lambda n: abs(n - len(pattern)))
