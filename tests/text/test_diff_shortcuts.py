"""The word diff's shortcuts give exactly what the plain way gives.

Each shortcut in wpw/text/diff (a faster token pattern, a merge skipped when it
would change nothing, replacements built without diffing, LCS masks built by
``bytes.translate``, the unique-anchor search cut short) is checked here against
the plain way it stands for, on random input.
"""

from __future__ import annotations

import random
import re

import pytest
from diff_match_patch import diff_match_patch

from wpw.text.diff import diff_text, engine, words
from wpw.text.diff.engine import DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT
from wpw.text.diff.tokens import TOKEN

#: The token pattern as it reads plainly (tokens.py writes it for speed).
PLAIN_TOKEN = re.compile(r"\w+(?:[-.,'’/]\w+)*|\n|[^\S\n]+|[^\w\s]")

#: Letters, digits, joiners, blanks of several kinds, punctuation.
ALPHABET = [*"aZź9_ß١", *" \t\n\u00a0\u2003", *"-.,'’/%§()"]


def test_the_token_pattern_cuts_as_its_plain_form() -> None:
    rng = random.Random(1)
    for _ in range(5_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 30)))
        assert TOKEN.findall(text) == PLAIN_TOKEN.findall(text), repr(text)


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


@pytest.mark.parametrize("alphabet", [5, 300], ids=["translate", "loop"])
def test_lcs_masks(alphabet: int) -> None:
    # Fewer than 255 distinct characters: masks by bytes.translate; more: a loop.
    rng = random.Random(alphabet)
    for _ in range(50):
        text = "".join(chr(0x100 + rng.randrange(alphabet)) for _ in range(400))
        chars = {chr(0x100 + rng.randrange(alphabet)) for _ in range(alphabet)}
        masks = engine._masks(text, chars)
        for char in chars:
            expected = sum(1 << k for k, c in enumerate(text) if c == char)
            assert masks[char] == expected


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
