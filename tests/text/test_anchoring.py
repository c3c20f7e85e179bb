"""Anchoring passages and re-anchoring them on a new version (pure; no app)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from wpw.text import anchoring
from wpw.text.anchoring import (
    ORPHAN,
    Anchor,
    AnchorError,
    OffsetMapper,
    Outcome,
    TextPosition,
    TextQuote,
    anchor_for_lines,
    anchor_for_offsets,
    line_span,
    reanchor,
    reanchor_many,
)

P1 = "§ 1. Program określa cele i zasady współpracy gminy z organizacjami."
P2 = "Gmina wspiera organizacje pozarządowe w zakresie zadań publicznych."
P3 = "Współpraca odbywa się na zasadach pomocniczości i suwerenności stron."
P4 = "Źródłem finansowania są środki z budżetu gminy na rok 2027."
P5 = "Sprawozdanie z realizacji programu przedstawia się radzie gminy."
TEXT = "\n".join([P1, P2, P3, P4, P5])


def quote_anchor(text: str, passage: str, occurrence: int = 0) -> Anchor:
    """The anchor of the *occurrence*-th copy of *passage* in *text*."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return anchor_for_offsets(text, start, start + len(passage))


# --- making anchors ----------------------------------------------------------------


def test_anchor_for_offsets_keeps_quote_context_and_lines() -> None:
    start = TEXT.index("organizacje pozarządowe")
    anchor = anchor_for_offsets(TEXT, start, start + len("organizacje pozarządowe"))
    assert anchor.position == TextPosition(start, start + 23)
    assert anchor.quote.exact == "organizacje pozarządowe"
    assert anchor.quote.prefix == TEXT[start - 32 : start]
    assert anchor.quote.suffix == TEXT[start + 23 : start + 55]
    assert len(anchor.quote.prefix) == len(anchor.quote.suffix) == 32
    assert (anchor.first_line, anchor.last_line) == (2, 2)


def test_anchor_for_lines_takes_whole_lines() -> None:
    anchor = anchor_for_lines(TEXT, 2, 3)
    assert anchor.quote.exact == f"{P2}\n{P3}"
    assert anchor.quote.suffix.startswith("\nŹródłem")
    assert (anchor.first_line, anchor.last_line) == (2, 3)
    whole = anchor_for_lines(TEXT, 1, 5)
    assert whole.position == TextPosition(0, len(TEXT))
    assert whole.quote == TextQuote(TEXT, "", "")


@pytest.mark.parametrize(
    ("text", "start", "end", "lines"),
    [
        ("abc", 0, 3, (1, 1)),
        ("ab\ncd", 1, 4, (1, 2)),
        ("ab\ncd", 2, 3, (1, 1)),  # only the line break: the line it ends
        ("ab\ncd", 3, 5, (2, 2)),
        ("ab\n\ncd", 0, 6, (1, 3)),
    ],
)
def test_line_span(text: str, start: int, end: int, lines: tuple[int, int]) -> None:
    assert line_span(text, start, end) == lines


@pytest.mark.parametrize(
    ("start", "end"), [(-1, 3), (3, 3), (5, 2), (0, len(TEXT) + 1), (70, 70)]
)
def test_bad_offsets_are_refused(start: int, end: int) -> None:
    with pytest.raises(AnchorError):
        anchor_for_offsets(TEXT, start, end)
    with pytest.raises(AnchorError):
        line_span(TEXT, start, end)


def test_whitespace_only_passages_are_refused() -> None:
    with pytest.raises(AnchorError):
        anchor_for_offsets("ab  \n cd", 2, 6)
    with pytest.raises(AnchorError):
        anchor_for_lines("ab\n\n\ncd", 2, 3)


@pytest.mark.parametrize(("first", "last"), [(0, 1), (3, 2), (1, 6), (6, 6), (-1, 2)])
def test_bad_line_ranges_are_refused(first: int, last: int) -> None:
    with pytest.raises(AnchorError):
        anchor_for_lines(TEXT, first, last)


def test_no_lines_in_an_empty_text() -> None:
    with pytest.raises(AnchorError):
        anchor_for_lines("", 1, 1)


# --- re-anchoring: the table ---------------------------------------------------------


@dataclass(frozen=True)
class Case:
    new: str
    passage: str  # in old (its first copy unless occurrence says otherwise)
    outcome: Outcome
    #: CHANGED: the passage's new wording. (EXACT: the new text must hold the
    #: passage at the new offsets, checked for every case.)
    expected: str | None = None
    method: str | None = None
    lines: tuple[int, int] | None = None
    occurrence: int = 0
    old: str = TEXT


def moved(text: str, line: str, after: str, replacement: str | None = None) -> str:
    """*text* with the line *line* moved below the line *after* (and reworded)."""
    lines = text.split("\n")
    lines.remove(line)
    lines.insert(lines.index(after) + 1, replacement or line)
    return "\n".join(lines)


TWICE = "\n".join(
    [P1, "Rada gminy zatwierdza program.", P3, "Rada gminy zatwierdza program."]
)

CASES = {
    "insert above: lines shift": Case(
        "Nowy wstęp.\nDrugi wiersz wstępu.\n" + TEXT,
        "organizacje pozarządowe",
        Outcome.EXACT,
        method="mapped",
        lines=(4, 4),
    ),
    "insert in the line before it": Case(
        TEXT.replace("gminy z organizacjami", "gminy miejskiej z organizacjami"),
        P2,
        Outcome.EXACT,
        method="mapped",
        lines=(2, 2),
    ),
    "text added right after it": Case(
        TEXT.replace(
            "pozarządowe w zakresie", "pozarządowe i grupy nieformalne w zakresie"
        ),
        "organizacje pozarządowe",
        Outcome.EXACT,
        method="mapped",
    ),
    "edit inside: changed": Case(
        TEXT.replace("w zakresie zadań", "w szerokim zakresie zadań"),
        P2,
        Outcome.CHANGED,
        "Gmina wspiera organizacje pozarządowe w szerokim zakresie zadań publicznych.",
        "mapped",
        (2, 2),
    ),
    "a word inflected: changed": Case(
        TEXT.replace("organizacje pozarządowe", "organizacjom pozarządowym"),
        "pozarządowe",
        Outcome.CHANGED,
        "pozarządowym",
        "mapped",
    ),
    "a word replaced at its end": Case(
        TEXT.replace("zadań publicznych", "zadań własnych"),
        "w zakresie zadań publicznych",
        Outcome.CHANGED,
        "w zakresie zadań własnych",
        "mapped",
    ),
    "most of it rewritten, a little kept": Case(
        TEXT.replace(P3, "Współpraca trwa cały rok, a jej formy ustala zarządzenie."),
        P3,
        Outcome.CHANGED,
        "Współpraca trwa cały rok, a jej formy ustala zarządzenie.",
        "mapped",
    ),
    "a line break inserted inside: changed": Case(
        TEXT.replace("pozarządowe w zakresie", "pozarządowe\nw zakresie"),
        P2,
        Outcome.CHANGED,
        "Gmina wspiera organizacje pozarządowe\nw zakresie zadań publicznych.",
        "mapped",
        (2, 3),
    ),
    "delete the passage": Case(
        TEXT.replace(P3 + "\n", ""), P3, Outcome.ORPHANED, method="none"
    ),
    "delete words of a line": Case(
        TEXT.replace(" na zasadach pomocniczości i suwerenności stron", ""),
        "na zasadach pomocniczości",
        Outcome.ORPHANED,
    ),
    "replace the passage with other words": Case(
        TEXT.replace(P4, "Koszty pokrywa samorząd województwa w całości."),
        P4,
        Outcome.ORPHANED,
    ),
    "delete around it, not it": Case(
        "\n".join([P2.replace("Gmina wspiera ", ""), P5]),
        "organizacje pozarządowe",
        Outcome.EXACT,
        method="mapped",
        lines=(1, 1),
    ),
    "move the paragraph elsewhere": Case(
        moved(TEXT, P2, P5), P2, Outcome.EXACT, method="fuzzy", lines=(5, 5)
    ),
    "move and slightly edit: orphaned unless fuzzy is asked for": Case(
        moved(TEXT, P2, P5, P2.replace("publicznych", "publicznym")),
        P2,
        Outcome.ORPHANED,
    ),
    "move and rewrite beyond the floor, look-alike elsewhere": Case(
        "\n".join(
            [
                P1,
                P3,
                "Gmina wspiera organizacje pozarządowe w zakresie zadań publicznych!",
                P4,
                P5,
                "Powiat popiera wybrane fundacje w obszarze spraw lokalnych.",
            ]
        ),
        P2,
        Outcome.ORPHANED,
        old="\n".join(
            [
                P1,
                P2,
                P3,
                "Gmina wspiera organizacje pozarządowe w zakresie zadań publicznych!",
                P4,
                P5,
            ]
        ),
    ),
    "deleted, a look-alike stays": Case(
        TEXT.replace(P2 + "\n", "").replace(P5, P5 + "\n" + P2.replace(".", "!")),
        P2,
        Outcome.ORPHANED,
        old=TEXT.replace(P5, P5 + "\n" + P2.replace(".", "!")),
    ),
    "duplicate: stays on the second copy": Case(
        "Wstęp.\n" + TWICE.replace("Rada gminy zatwierdza", "Rada zatwierdza", 1),
        "Rada gminy zatwierdza program.",
        Outcome.EXACT,
        method="mapped",
        lines=(5, 5),
        occurrence=1,
        old=TWICE,
    ),
    "duplicate: the deleted copy does not take the other": Case(
        "\n".join([P1, P3, "Rada gminy zatwierdza program."]),
        "Rada gminy zatwierdza program.",
        Outcome.ORPHANED,
        occurrence=0,
        old=TWICE,
    ),
    "duplicate: moved copy, not the copy that stayed": Case(
        "\n".join(
            [
                P3,
                "Rada gminy zatwierdza program.",
                P4,
                P1,
                "Rada gminy zatwierdza program.",
                P2,
            ]
        ),
        "Rada gminy zatwierdza program.",
        Outcome.EXACT,
        method="fuzzy",
        lines=(5, 5),
        old="\n".join(
            [
                P1,
                "Rada gminy zatwierdza program.",
                P2,
                P3,
                "Rada gminy zatwierdza program.",
                P4,
            ]
        ),
    ),
    "passage at the start": Case(
        TEXT + "\nDopisek.",
        "§ 1. Program",
        Outcome.EXACT,
        method="mapped",
        lines=(1, 1),
    ),
    "passage at the end": Case(
        "Wstęp.\n" + TEXT, "radzie gminy.", Outcome.EXACT, method="mapped", lines=(6, 6)
    ),
    "passage at the end, edited": Case(
        TEXT[:-1] + " miasta.",
        "radzie gminy.",
        Outcome.CHANGED,
        "radzie gminy miasta.",
        "mapped",
    ),
    "whole text, a line added above": Case(
        "Wstęp.\n" + TEXT, TEXT, Outcome.EXACT, method="mapped", lines=(2, 6)
    ),
    "whole text, edited": Case(
        TEXT.replace("2027", "2028"),
        TEXT,
        Outcome.CHANGED,
        TEXT.replace("2027", "2028"),
        "mapped",
        (1, 5),
    ),
    "passage spanning lines": Case(
        "Wstęp.\n" + TEXT.replace("Sprawozdanie", "Roczne sprawozdanie"),
        "publicznych.\nWspółpraca odbywa",
        Outcome.EXACT,
        method="mapped",
        lines=(3, 4),
    ),
    "spanning lines, the break removed": Case(
        TEXT.replace("publicznych.\nWspółpraca", "publicznych. Współpraca"),
        "publicznych.\nWspółpraca odbywa",
        Outcome.CHANGED,
        "publicznych. Współpraca odbywa",
        "mapped",
        (2, 2),
    ),
    "Polish diacritics, lines shift": Case(
        "Źdźbło łąki.\n" + TEXT.replace("Sprawozdanie", "Żółte sprawozdanie"),
        "Źródłem finansowania są środki",
        Outcome.EXACT,
        method="mapped",
        lines=(5, 5),
    ),
    "Polish diacritics, one letter": Case(
        TEXT.replace("środki", "śródki"),
        "są środki z budżetu",
        Outcome.CHANGED,
        "są śródki z budżetu",
        "mapped",
    ),
    "empty new text": Case("", P2, Outcome.ORPHANED, method="none"),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_reanchor(case: Case) -> None:
    anchor = quote_anchor(case.old, case.passage, case.occurrence)
    result = reanchor(case.old, case.new, anchor)
    assert result.outcome is case.outcome, result
    if case.method is not None:
        assert result.method == case.method
    if case.outcome is Outcome.ORPHANED:
        assert result == ORPHAN
        return
    assert result.anchor is not None
    start, end = result.anchor.position.start, result.anchor.position.end
    assert result.anchor == anchor_for_offsets(case.new, start, end)
    if case.outcome is Outcome.EXACT:
        assert result.new_exact is None
        assert case.new[start:end] == case.passage
    else:
        assert result.new_exact == case.new[start:end] == case.expected
    if case.lines is not None:
        assert (result.anchor.first_line, result.anchor.last_line) == case.lines


@pytest.mark.parametrize(
    "case",
    [case for name, case in CASES.items() if "unless fuzzy" not in name],
    ids=[name for name in CASES if "unless fuzzy" not in name],
)
def test_fuzzy_changes_nothing_else_in_the_table(case: Case) -> None:
    anchor = quote_anchor(case.old, case.passage, case.occurrence)
    assert reanchor(case.old, case.new, anchor, fuzzy=True) == reanchor(
        case.old, case.new, anchor
    )


def test_fuzzy_finds_a_moved_and_slightly_edited_paragraph() -> None:
    edited = P2.replace("publicznych", "publicznym")
    new = moved(TEXT, P2, P5, edited)
    result = reanchor(TEXT, new, anchor_for_lines(TEXT, 2, 2), fuzzy=True)
    assert (result.outcome, result.method, result.new_exact) == (
        Outcome.CHANGED,
        "fuzzy",
        edited,
    )
    assert result.anchor is not None
    assert (result.anchor.first_line, result.anchor.last_line) == (5, 5)


def test_fuzzy_respects_the_floor() -> None:
    rewritten = "Gmina wspiera fundacje i stowarzyszenia we wszystkich zadaniach."
    new = moved(TEXT, P2, P5, rewritten)
    assert reanchor(TEXT, new, anchor_for_lines(TEXT, 2, 2), fuzzy=True) == ORPHAN


def test_fuzzy_not_used_while_the_quote_is_still_there() -> None:
    """The deleted copy of a repeated paragraph is orphaned: the copy that stayed
    is another passage, and an edited look-alike is not searched for."""
    old = "\n".join([P1, P2, P3, P4, P2])
    new = "\n".join([P1, P3, P4, P2, P2.replace("publicznych", "publicznym")])
    assert reanchor(old, new, anchor_for_lines(old, 2, 2), fuzzy=True) == ORPHAN
    kept = reanchor(old, new, anchor_for_lines(old, 5, 5), fuzzy=True)
    assert kept.anchor is not None and kept.anchor.first_line == 4


@pytest.mark.parametrize("fuzzy", [False, True])
def test_a_deleted_provision_does_not_jump_to_a_parallel_one(fuzzy: bool) -> None:
    """Laws repeat formulas: the floor alone cannot tell a moved-and-edited passage
    from a parallel provision, so only an exact copy is ever searched for by
    default."""
    court = "Die Geschäftsordnung des {} hat Regeln über die Vertretung zu enthalten."
    old = "\n".join([P1, court.format("Verwaltungsgerichtshofes"), P2, P3, P4])
    new = "\n".join([P1, P2, P3, court.format("Staatsgerichtshofes"), P4])
    result = reanchor(old, new, anchor_for_lines(old, 2, 2), fuzzy=fuzzy)
    if not fuzzy:
        assert result == ORPHAN
    else:  # what the opt-in does, and why it is off by default
        assert result.method == "fuzzy"


def test_moved_paragraph_lands_at_its_new_place() -> None:
    new = moved(TEXT, P2, P5)
    result = reanchor(TEXT, new, anchor_for_lines(TEXT, 2, 2))
    assert result.anchor is not None
    assert result.anchor.position.start == new.index(P2) == len(new) - len(P2)


@pytest.mark.parametrize("copy", [0, 1])
def test_duplicates_both_moved_follow_their_context(copy: int) -> None:
    rule = "Rada gminy zatwierdza program."
    old = "\n".join([P1, rule, P2, P3, rule, P4])
    new = "\n".join([P5, P3, rule, P4, P1, rule, P2])
    result = reanchor(old, new, quote_anchor(old, rule, copy))
    assert result.outcome is Outcome.EXACT and result.anchor is not None
    before = [P1, P3][copy]  # the paragraph above it, in both versions
    assert new[: result.anchor.position.start].endswith(before + "\n")


def test_identical_texts_give_the_same_anchor() -> None:
    anchors = [anchor_for_lines(TEXT, 2, 3), quote_anchor(TEXT, "gminy", 1)]
    results = reanchor_many(TEXT, TEXT, anchors)
    assert [r.anchor for r in results] == anchors
    assert {(r.outcome, r.method) for r in results} == {(Outcome.EXACT, "mapped")}


def test_reanchor_many_matches_reanchor_one_by_one() -> None:
    new = moved(TEXT, P2, P5).replace("2027", "2028")
    anchors = [anchor_for_lines(TEXT, n, n) for n in range(1, 6)]
    results = reanchor_many(TEXT, new, anchors)
    assert results == [reanchor(TEXT, new, a) for a in anchors]
    mapper = OffsetMapper(TEXT, new)
    assert results == [reanchor(TEXT, new, a, mapper=mapper) for a in anchors]
    assert [r.outcome for r in results] == [
        Outcome.EXACT,
        Outcome.EXACT,
        Outcome.EXACT,
        Outcome.CHANGED,
        Outcome.EXACT,
    ]


def test_an_anchor_from_another_text_is_refused() -> None:
    anchor = quote_anchor(TEXT, "organizacje")
    other = TEXT.replace("Gmina", "Miasto")
    with pytest.raises(AnchorError):
        reanchor(other, TEXT, anchor)
    with pytest.raises(ValueError, match="other texts"):
        reanchor(TEXT, other, anchor, mapper=OffsetMapper(TEXT, TEXT))


def test_short_quotes_are_not_searched_approximately() -> None:
    old = "Ala ma kota.\nKot ma Alę."
    new = "Kot ma Alę.\nAla ma psa."  # the first line moved and edited
    result = reanchor(old, new, quote_anchor(old, "Ala ma kota."))
    assert result.outcome is Outcome.CHANGED or result.outcome is Outcome.ORPHANED
    if result.anchor is not None:  # only where the diff put it, never searched
        assert result.method == "mapped"


@pytest.mark.parametrize(
    ("pattern", "text", "distance"),
    [
        ("kitten", "sitting", 3),
        ("abc", "", 3),
        ("źdźbło", "zdzblo", 3),
        ("ab", "ba", 2),
    ],
)
def test_edit_distance(pattern: str, text: str, distance: int) -> None:
    assert anchoring._distances(pattern, text, anchored=True)[-1] == distance


def test_edit_distances_against_dynamic_programming() -> None:
    rng = random.Random(7)
    for _ in range(300):
        pattern = "".join(rng.choice("abć") for _ in range(rng.randint(1, 70)))
        text = "".join(rng.choice("abć") for _ in range(rng.randint(0, 80)))
        for anchored in (True, False):
            assert anchoring._distances(pattern, text, anchored=anchored) == _last_row(
                pattern, text, anchored=anchored
            )
        if text:
            errors, end = anchoring._search(pattern, text)
            assert errors == min(_last_row(pattern, text, anchored=False))
            start = anchoring._match_start(pattern, text, end, errors)
            assert _last_row(pattern, text[start:end], anchored=True)[-1] == errors


def _last_row(pattern: str, text: str, *, anchored: bool) -> list[int]:
    """Entry j: edit distance from *pattern* to ``text[:j]`` (*anchored*) or to the
    best substring of *text* ending at j — the textbook dynamic programme."""
    row = list(range(len(text) + 1)) if anchored else [0] * (len(text) + 1)
    for i, char in enumerate(pattern, 1):
        previous, row = row, [i]
        for j, other in enumerate(text, 1):
            row.append(
                min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (char != other))
            )
    return row


# --- property: random texts, random edits --------------------------------------------

LETTERS = "abcdefghijklmnoprstuwyząćęłńóśźż"


def _random_word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(2, 9)))


def _random_text(rng: random.Random, words: int) -> str:
    out = []
    for _ in range(words):
        out.append(_random_word(rng))
        out.append(rng.choice([" "] * 8 + ["\n", ", "]))
    return "".join(out[:-1])


@dataclass
class Edited:
    new: str
    #: For each old character: True when no edit touched it.
    untouched: list[bool]
    #: For each old character: True when a deletion with nothing put in its place
    #: removed it.
    deleted: list[bool]
    #: Old offsets before which something was inserted.
    inserted_at: set[int]
    #: Old ranges cut out and put back, unchanged, at the end of the text.
    moved: list[tuple[int, int]]


def _random_edits(rng: random.Random, old: str) -> Edited:
    """Apply 1–6 edits — delete, insert, replace, or move to the end — at random,
    non-overlapping places of *old*."""
    untouched = [True] * len(old)
    deleted = [False] * len(old)
    inserted_at: set[int] = set()
    moved: list[tuple[int, int]] = []
    cuts = sorted(rng.sample(range(len(old) + 1), 2 * rng.randint(1, 6)))
    pieces, at = [], 0
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        pieces.append(old[at:start])
        kind = rng.choice(["delete", "insert", "replace", "move"])
        if kind == "insert":
            end = start
        for k in range(start, end):
            untouched[k] = False
            deleted[k] = kind == "delete"
        if kind in ("insert", "replace"):
            pieces.append(" " + _random_text(rng, rng.randint(1, 8)) + " ")
            inserted_at.add(start)
        elif kind == "move":
            moved.append((start, end))
        at = end
    pieces.append(old[at:])
    pieces += ["\n" + old[start:end] for start, end in moved]
    return Edited("".join(pieces), untouched, deleted, inserted_at, moved)


@pytest.mark.parametrize("fuzzy", [False, True])
def test_random_edits_never_misplace(fuzzy: bool) -> None:
    rng = random.Random(20261126)
    checked = {"kept": 0, "deleted": 0, "moved": 0}
    for _ in range(150):
        old = _random_text(rng, rng.randint(20, 120))
        edited = _random_edits(rng, old)
        anchors = []
        for _ in range(12):
            start = rng.randrange(len(old) - 1)
            end = min(len(old), start + rng.randint(1, 60))
            if old[start:end].strip():
                anchors.append(anchor_for_offsets(old, start, end))
        for anchor, result in zip(
            anchors, reanchor_many(old, edited.new, anchors, fuzzy=fuzzy), strict=True
        ):
            start, end = anchor.position.start, anchor.position.end
            exact = anchor.quote.exact
            if result.outcome is Outcome.EXACT:
                assert result.anchor is not None
                assert result.anchor.quote.exact == exact
                position = result.anchor.position
                assert edited.new[position.start : position.end] == exact
            kept = all(edited.untouched[start:end]) and not any(
                start < k < end for k in edited.inserted_at
            )
            if kept:
                checked["kept"] += 1
                assert result.outcome is Outcome.EXACT, (
                    old,
                    edited.new,
                    anchor,
                    result,
                )
            if edited.new.count(exact) == 1 and any(
                first <= start and end <= last for first, last in edited.moved
            ):
                checked["moved"] += 1
                assert result.outcome is Outcome.EXACT, (
                    old,
                    edited.new,
                    anchor,
                    result,
                )
            if all(edited.deleted[start:end]) and exact not in edited.new:
                checked["deleted"] += 1
                assert result.outcome is Outcome.ORPHANED, (
                    old,
                    edited.new,
                    anchor,
                    result,
                )
    assert min(checked.values()) > 50 and checked["kept"] > 500, checked
