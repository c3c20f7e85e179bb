"""Tidying a token-level diff into an editor's marks: edits slid to readable
boundaries, short equalities between changes folded into them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch

from wpw.text.diff.engine import DMP
from wpw.text.diff.model import OpKind
from wpw.text.diff.tokens import WORD, WORD_TOKEN


def slide_edits(
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
    equal = diff_match_patch.DIFF_EQUAL
    while k < len(slid) - 1:
        # Only a lone edit between two equalities slides (most pieces are not).
        if slid[k][0] == equal or slid[k - 1][0] != equal or slid[k + 1][0] != equal:
            k += 1
            continue
        (_, equal1), (op, edit), (_, equal2) = slid[k - 1 : k + 2]
        common = DMP.diff_commonSuffix(equal1, edit)
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


#: Inside a rewrite, an equality of at most this many words (and no newline) is
#: folded into the changes around it when, together, they remove and add at least
#: :data:`_ISLAND_RATIO` times as many words each, and each of them changes a word:
#: ``[-organami, które przejęły-]{+organem, który przejął+}`` rather than
#: ``[-organami-]{+organem+}, [-które przejęły-]{+który przejął+}``. Only words with
#: a letter count — numbers are what citations change, ``Art. [-3-]{+1+} G v.
#: [-6.12.2011-]{+4.9.2012+}``, and never make a rewrite — and next to a plain
#: insertion the equality is kept text and stays: ``Der {+Oberste Gerichtshof als
#: +}Verwaltungsgerichtshof``.
_ISLAND_WORDS = 2
_ISLAND_RATIO = 3
#: Equalities with more tokens than this are too long to be islands (two words with
#: their spaces and punctuation fit well within it); their words are not counted.
_ISLAND_TOKENS = 12
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class _Equal:
    text: str
    tokens: int
    #: Lettered words in :attr:`text`, once counted (see :func:`_lettered`).
    lettered: int | None = None

    def words(self) -> int:
        if self.lettered is None:
            self.lettered = _lettered(self.text)
        return self.lettered


@dataclass(slots=True)
class _Change:
    removed: list[str] = field(default_factory=list)
    removed_tokens: int = 0
    added: list[str] = field(default_factory=list)
    added_tokens: int = 0
    #: Lettered words removed and added (see :func:`_lettered`), counted when first
    #: needed: most changes are never checked as the sides of an island.
    lettered: tuple[int, int] | None = None

    def add(self, kind: OpKind, text: str, tokens: int) -> None:
        if kind == "delete":
            self.removed.append(text)
            self.removed_tokens += tokens
        else:
            self.added.append(text)
            self.added_tokens += tokens

    def words(self) -> tuple[int, int]:
        """Lettered words removed and added."""
        if self.lettered is None:
            self.lettered = (
                _lettered("".join(self.removed)),
                _lettered("".join(self.added)),
            )
        return self.lettered

    @property
    def replaced_tokens(self) -> int:
        """Tokens both removed and added: the shorter side of a replacement, 0 for a
        plain insertion or deletion."""
        return min(self.removed_tokens, self.added_tokens)

    def changes_words(self) -> bool:
        """Whether a word or a number is removed or added (not only spaces or
        punctuation)."""
        return any(map(WORD.search, self.removed)) or any(map(WORD.search, self.added))

    def fold(self, equal: _Equal, after: _Change) -> None:
        """Take in *equal* (on both sides) and the change *after* it."""
        self.removed.append(equal.text)
        self.removed += after.removed
        self.removed_tokens += equal.tokens + after.removed_tokens
        self.added.append(equal.text)
        self.added += after.added
        self.added_tokens += equal.tokens + after.added_tokens
        # Counts add up: each side is one stretch of its text, cut between tokens.
        # Once this change's are known, those of the (short) equality and change
        # taken in are counted too: the sum spares counting the grown change again.
        if self.lettered is not None:
            kept = equal.words()
            removed_after, added_after = after.words()
            self.lettered = (
                self.lettered[0] + kept + removed_after,
                self.lettered[1] + kept + added_after,
            )


def tidy(runs: list[tuple[OpKind, str, int]]) -> list[tuple[OpKind, str]]:
    """Turn (kind, text, token count) runs into (kind, text) pieces that read like an
    editor's marks (some pieces may be empty: the caller joins them into ops).

    Short equalities between two changes are folded into them, so that a rewritten
    phrase reads ``[-zadania publiczne-]{+cele statutowe+}`` rather than word by word:

    - whitespace always;
    - other text when it has no more tokens than both sides of the replacements on
      either side (diff-match-patch's semantic cleanup, counted in tokens, but
      against the shorter side of each change, not the longer): next to a plain
      insertion or deletion, kept words are kept text — ``Hat [-der Richter-]{+das
      Gericht … vorbehalten oder+} die Aussetzung im Urteil {+oder in einem
      nachträglichen Beschluss +}abgelehnt``, not the whole clause removed and
      added again;
    - islands in a rewrite: up to :data:`_ISLAND_WORDS` words when the changes on
      both sides together remove and add :data:`_ISLAND_RATIO` times as many words
      each — the short words a rewrite happens to share with the old text (``art.``,
      ``ust.``) are part of the rewrite, not scattered through it.

    A change grown by folding is checked again against the equality before it, in
    one pass. Equalities holding a newline are never folded: line structure stays
    visible.
    """
    if not _has_islands(runs):  # nothing to fold: each run is one piece
        return [(kind, text) for kind, text, _ in runs]
    segments: list[_Equal | _Change] = []
    change: _Change | None = None  # the change the runs since an equality make
    for kind, text, tokens in runs:
        if kind == "equal":
            segments.append(_Equal(text, tokens))
            change = None
            continue
        if change is None:
            change = _Change()
            segments.append(change)
        change.add(kind, text, tokens)
    folded: list[_Equal | _Change] = []
    for segment in segments:
        # Fold into the change before the equality before, as long as it goes.
        while isinstance(segment, _Change) and len(folded) >= 2:
            before, equal = folded[-2], folded[-1]
            if not isinstance(before, _Change) or not isinstance(equal, _Equal):
                break
            if not _foldable(before, equal, segment):
                break
            before.fold(equal, segment)
            folded.pop()
            segment = folded.pop()
        folded.append(segment)
    segments = folded
    pieces: list[tuple[OpKind, str]] = []
    for segment in segments:
        if isinstance(segment, _Equal):
            pieces.append(("equal", segment.text))
        else:
            pieces.append(("delete", "".join(segment.removed)))
            pieces.append(("insert", "".join(segment.added)))
    return pieces


def _has_islands(runs: list[tuple[OpKind, str, int]]) -> bool:
    """Whether an equality lies between two changes (most small diffs have
    none: one change between two equalities)."""
    changed = False
    equal_after_change = False
    for kind, _, _ in runs:
        if kind != "equal":
            if equal_after_change:
                return True
            changed = True
        elif changed:
            equal_after_change = True
    return False


def _lettered(text: str) -> int:
    """Word tokens with a letter in *text*: numbers (``106``, ``11.7.2012``) are
    what citations change, and never make a rewrite."""
    return len(list(filter(_LETTER.search, WORD_TOKEN.findall(text))))


def _foldable(before: _Change, equal: _Equal, after: _Change) -> bool:
    text = equal.text
    if "\n" in text:
        return False
    if text.isspace():  # blanks only: a newline was ruled out above
        return True
    if equal.tokens <= min(before.replaced_tokens, after.replaced_tokens):
        return True
    if equal.tokens > _ISLAND_TOKENS:
        return False
    words = equal.words()
    if words > _ISLAND_WORDS:
        return False
    needed = _ISLAND_RATIO * max(words, 1)
    (removed_before, added_before), (removed_after, added_after) = (
        before.words(),
        after.words(),
    )
    return (
        removed_before + removed_after >= needed
        and added_before + added_after >= needed
        and before.changes_words()
        and after.changes_words()
    )
