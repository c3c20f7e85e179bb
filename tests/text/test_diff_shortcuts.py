"""The word diff's shortcuts give exactly what the plain way gives.

Each shortcut in wpw/text/diff (faster token patterns, a merge skipped when it
would change nothing, replacements built without diffing, LCS masks built by
``bytes.translate`` or bit by bit, the LCS's runs of matches taken at once, the
unique-anchor search cut short or counting with ``str.count``) is checked here
against the plain way it stands for, on random input.
"""

from __future__ import annotations

import random
import re

import pytest
from diff_match_patch import diff_match_patch

from wpw.text.diff import diff_text, engine, words
from wpw.text.diff.engine import DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT
from wpw.text.diff.tokens import TOKEN, WORD, WORD_TOKEN

#: The token patterns as they read plainly (tokens.py writes them for speed).
PLAIN_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*|\n|[^\S\n]+|[^\w\s]")
PLAIN_WORD_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*")
PLAIN_WORD = re.compile(r"\w+")

#: Letters, digits, joiners, blanks of several kinds, punctuation.
ALPHABET = [*"aZź9_ß١", *" \t\n\u00a0\u2003", *"-.,'’/%§()"]


def test_the_token_patterns_cut_as_their_plain_forms() -> None:
    rng = random.Random(1)
    for _ in range(5_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        assert TOKEN.findall(text) == PLAIN_TOKEN.findall(text), repr(text)
        assert WORD_TOKEN.findall(text) == PLAIN_WORD_TOKEN.findall(text), repr(text)
        assert WORD.findall(text) == PLAIN_WORD.findall(text), repr(text)


def _compacted(rng: random.Random) -> list[tuple[int, str]]:
    """Random diff pieces as compact() leaves them: no empty text, no two
    equalities side by side, each change a delete, an insert, or both in order."""
    pieces: list[tuple[int, str]] = []
    equal_next = rng.random() < 0.5
    for _ in range(rng.randint(1, 6)):
        if equal_next:
            pieces.append((DIFF_EQUAL, _word(rng)))
        else:
            kinds = rng.choice(
                [[DIFF_DELETE], [DIFF_INSERT], [DIFF_DELETE, DIFF_INSERT]]
            )
            pieces += [(kind, _word(rng)) for kind in kinds]
        equal_next = not equal_next
    return pieces


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("ab") for _ in range(rng.randint(1, 4)))


def test_the_merge_is_skipped_only_when_it_would_change_nothing() -> None:
    rng = random.Random(2)
    dmp = diff_match_patch()
    skipped = 0
    for _ in range(20_000):
        pieces = _compacted(rng)
        expected = list(pieces)
        dmp.diff_cleanupMerge(expected)
        ours = list(pieces)
        engine.cleanup_merge(dmp, ours)
        assert ours == expected, pieces
        skipped += ours == pieces
    assert skipped > 1_000  # the shortcut is taken, not only the full way


def _texts(rng: random.Random) -> tuple[str, str]:
    vocabulary = [
        "ustawa",
        "art.",
        "1",
        "1,5",
        "%",
        "zadanie",
        "(",
        ")",
        "—",
        "pożytku",
    ]
    old = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
    new = list(old)
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(new) + 1)
        if new and k < len(new) and rng.random() < 0.6:
            new[k] = rng.choice(vocabulary)
        else:
            new.insert(k, rng.choice(vocabulary))
    return " ".join(old), rng.choice([" ", "", "\n"]).join(new)


def test_a_replacement_is_what_the_full_diff_makes_of_it(monkeypatch) -> None:
    rng = random.Random(3)
    cases = [_texts(rng) for _ in range(3_000)]
    shortcut = [diff_text(old, new) for old, new in cases]
    monkeypatch.setattr(words, "_replacement", lambda *_: None)
    full = [diff_text(old, new) for old, new in cases]
    assert shortcut == full
    assert any(  # many cases are one run of tokens replaced by another
        [op.kind for op in d.ops] == ["equal", "delete", "insert", "equal"]
        for d in full
    )


@pytest.mark.parametrize(
    ("alphabet", "length", "found"),
    [(5, 40, range(0, 6)), (5, 400, range(1, 6)), (1_000, 2_000, range(255, 1_001))],
    ids=["short", "translate", "loop"],
)
def test_lcs_masks(alphabet: int, length: int, found: range) -> None:
    # A short text: masks bit by bit. Longer, with fewer than 255 of the
    # characters asked for: by bytes.translate; more: a loop. Characters the text
    # has not are asked for too.
    rng = random.Random(alphabet + length)
    for _ in range(20):
        text = "".join(chr(0x100 + rng.randrange(alphabet)) for _ in range(length))
        chars = {chr(0x100 + rng.randrange(2 * alphabet)) for _ in range(alphabet)}
        assert len(chars.intersection(text)) in found  # the way meant is taken
        expected = dict.fromkeys(chars, 0)
        for k, char in enumerate(text):
            if char in expected:
                expected[char] |= 1 << k
        assert engine._masks(text, chars) == expected


@pytest.mark.parametrize("size", [10, 300])
def test_unique_anchors_in_order_are_all_kept(size: int) -> None:
    # Nothing moved: every item found once in each is an anchor, in order (short
    # sequences are counted without Counter).
    rng = random.Random(size)
    for _ in range(100):
        seq1 = "".join(chr(0x100 + rng.randrange(size)) for _ in range(size))
        seq2 = "".join(c for c in seq1 if rng.random() < 0.8)
        once = [
            (a, seq2.index(c))
            for a, c in enumerate(seq1)
            if seq1.count(c) == 1 and seq2.count(c) == 1
        ]
        assert engine.unique_common(seq1, seq2) == once


def _lcs_diff_step_by_step(text1: str, text2: str) -> list[tuple[int, str]]:
    """engine.lcs_diff as it walks back one character at a time."""
    swapped = len(text1) < len(text2)
    longer, shorter = (text2, text1) if swapped else (text1, text2)
    longer_op = DIFF_INSERT if swapped else DIFF_DELETE
    masks = {c: sum(1 << k for k, x in enumerate(longer) if x == c) for c in shorter}
    full = (1 << len(longer)) - 1
    rows = [full]
    for char in shorter:
        row, match = rows[-1], rows[-1] & masks[char]
        rows.append(((row + match) | (row - match)) & full)
    steps: list[tuple[int, str]] = []  # one a character, last first
    i, j = len(longer), len(shorter)
    while j > 0:
        char = shorter[j - 1]
        k = ((~rows[j] | masks[char]) & ((1 << i) - 1)).bit_length() - 1
        steps += [(longer_op, c) for c in reversed(longer[k + 1 : i])]
        i = k + 1
        if i > 0 and longer[i - 1] == char:
            steps.append((DIFF_EQUAL, char))
            i -= 1
        else:
            steps.append((-longer_op, char))
        j -= 1
    steps += [(longer_op, c) for c in reversed(longer[:i])]
    pieces: list[tuple[int, str]] = []
    for op, char in reversed(steps):
        if pieces and pieces[-1][0] == op:
            pieces[-1] = (op, pieces[-1][1] + char)
        else:
            pieces.append((op, char))
    return pieces


def test_lcs_takes_a_run_of_matches_at_once() -> None:
    rng = random.Random(4)
    for _ in range(2_000):
        text1 = "".join(rng.choice("abc") for _ in range(rng.randint(1, 30)))
        text2 = "".join(rng.choice("abc") for _ in range(rng.randint(1, 30)))
        assert engine.lcs_diff(text1, text2) == _lcs_diff_step_by_step(text1, text2)


@pytest.mark.parametrize(
    ("short", "long", "alphabet"),
    [(10, 400, 50), (60, 1_200, 100), (400, 800, 2_000)],
    ids=["scanned", "scanned-many", "counted"],
)
def test_unique_anchors_of_a_short_and_a_long_text(
    short: int, long: int, alphabet: int
) -> None:
    # Items found once in the shorter text are counted in the longer one by
    # str.count when few (at most 64), by Counter when more: either way the
    # anchors are every item found once in each, here all in order.
    rng = random.Random(short + long)
    for _ in range(100):
        seq1 = "".join(chr(0x100 + rng.randrange(alphabet)) for _ in range(short))
        # seq2: most of seq1, in order, among characters seq1 has not.
        filler = long // short - 1
        seq2 = "".join(
            (c if rng.random() < 0.8 else "")
            + "".join(chr(0x4000 + rng.randrange(alphabet)) for _ in range(filler))
            for c in seq1
        )
        skip = frozenset(chr(0x100 + rng.randrange(alphabet)) for _ in range(5))
        once = sorted(
            (seq1.index(c), seq2.index(c))
            for c in set(seq1)
            if seq1.count(c) == 1 and seq2.count(c) == 1 and c not in skip
        )
        assert engine.unique_common(seq1, seq2, skip=skip) == once
        swapped = [(b, a) for a, b in once]
        assert engine.unique_common(seq2, seq1, skip=skip) == sorted(swapped)
