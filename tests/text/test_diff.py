"""Word-level diffs, inline and side by side (pure; no app)."""

from __future__ import annotations

import itertools
import random

import pytest

from wpw.text import diff
from wpw.text.diff import (
    Op,
    SideBySideRow,
    TextDiff,
    count_words,
    diff_text,
    side_by_side,
    tokenize,
    tokens,
)
from wpw.text.lines import normalise_text, split_lines

# Polish word forms the random documents are made of.
VOCABULARY = """
gmina wspiera organizacje pozarządowe w zakresie zadań publicznych oraz współpracy
z podmiotami ekonomii społecznej program określa cele priorytety formy i zasady
udzielania dotacji na realizację źródła finansowania żółć gęślą jaźń łąka ćma
ośrodek źdźbło rada pożytku
"""
WORDS = VOCABULARY.split()


def marks(ops: tuple[Op, ...] | list[Op]) -> str:
    """Ops as track changes: ``[-removed-]{+added+}``."""
    return "".join(
        {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}[op.kind].format(
            op.text
        )
        for op in ops
    )


def check_diff(result: TextDiff, old: str, new: str) -> None:
    """Everything a TextDiff promises."""
    assert "".join(op.text for op in result.ops if op.kind != "insert") == old
    assert "".join(op.text for op in result.ops if op.kind != "delete") == new
    assert result.old_text == old and result.new_text == new
    assert all(op.text for op in result.ops), "no empty op"
    kinds = [op.kind for op in result.ops]
    assert all(a != b for a, b in itertools.pairwise(kinds))
    assert result.words_added == sum(
        count_words(op.text) for op in result.ops if op.kind == "insert"
    )
    assert result.words_removed == sum(
        count_words(op.text) for op in result.ops if op.kind == "delete"
    )
    assert result.words_added >= 0 and result.words_removed >= 0
    assert result.changed == (old != new)


def check_rows(rows: tuple[SideBySideRow, ...], old: str, new: str) -> None:
    """Every line once, in order, numbered as split_lines numbers it."""
    old_lines, new_lines = split_lines(old), split_lines(new)
    old_numbers = [row.old_number for row in rows if row.old_number is not None]
    new_numbers = [row.new_number for row in rows if row.new_number is not None]
    assert old_numbers == list(range(1, len(old_lines) + 1))
    assert new_numbers == list(range(1, len(new_lines) + 1))
    for row in rows:
        assert (row.old_number is None) == (row.kind == "inserted")
        assert (row.new_number is None) == (row.kind == "deleted")
        assert {op.kind for op in row.old_ops} <= {"equal", "delete"}
        assert {op.kind for op in row.new_ops} <= {"equal", "insert"}
        assert all(op.text and "\n" not in op.text for op in row.old_ops + row.new_ops)
        if row.old_number is not None:
            assert (
                "".join(op.text for op in row.old_ops) == old_lines[row.old_number - 1]
            )
        else:
            assert row.old_ops == ()
        if row.new_number is not None:
            assert (
                "".join(op.text for op in row.new_ops) == new_lines[row.new_number - 1]
            )
        else:
            assert row.new_ops == ()
        if row.kind == "equal":
            assert row.old_ops == row.new_ops
            assert all(op.kind == "equal" for op in row.old_ops)


# --- diff_text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected", "added", "removed"),
    [
        pytest.param("", "", "", 0, 0, id="both empty"),
        pytest.param("Ala ma kota.", "Ala ma kota.", "Ala ma kota.", 0, 0, id="same"),
        pytest.param("", "Nowy tekst.", "{+Nowy tekst.+}", 2, 0, id="empty old"),
        pytest.param("Stary tekst.", "", "[-Stary tekst.-]", 0, 2, id="empty new"),
        pytest.param(
            "Gmina wspiera organizacje.",
            "Gmina aktywnie wspiera organizacje.",
            "Gmina {+aktywnie +}wspiera organizacje.",
            1,
            0,
            id="insert a word",
        ),
        pytest.param(
            "Gmina aktywnie wspiera organizacje.",
            "Gmina wspiera organizacje.",
            "Gmina [-aktywnie -]wspiera organizacje.",
            0,
            1,
            id="delete a word",
        ),
        pytest.param(
            "Wspieranie podmiotów w zakresie zadań publicznych.",
            "Wspieranie dotacje w zakresie zadań publicznych.",
            "Wspieranie [-podmiotów-]{+dotacje+} w zakresie zadań publicznych.",
            1,
            1,
            id="replace a word in a Polish sentence",
        ),
        pytest.param(
            "zadania publiczne są ważne",
            "cele statutowe są ważne",
            "[-zadania publiczne-]{+cele statutowe+} są ważne",
            2,
            2,
            id="a rewritten phrase is one change, not two",
        ),
        pytest.param(
            "zadań w zakresie pomocy",
            "celów w obszarze pomocy",
            "[-zadań-]{+celów+} w [-zakresie-]{+obszarze+} pomocy",
            2,
            2,
            id="a kept word between changes stays visible",
        ),
        pytest.param(
            "Organ, ustawy;",
            "Organ; ustawy.",
            "Organ[-,-]{+;+} ustawy[-;-]{+.+}",
            0,
            0,
            id="change punctuation",
        ),
        pytest.param(
            "przekazać 1% podatku",
            "przekazać 1,5% podatku",
            "przekazać [-1-]{+1,5+}% podatku",
            2,
            1,
            id="a number stays whole",
        ),
        pytest.param(
            "Art. 5. Organ",
            "Art. 5a. Organ",
            "Art. [-5-]{+5a+}. Organ",
            1,
            1,
            id="article number",
        ),
        pytest.param(
            "Zażółć gęślą jaźń",
            "Zażółć gęślą jaźni",
            "Zażółć gęślą [-jaźń-]{+jaźni+}",
            1,
            1,
            id="Polish diacritics stay whole words",
        ),
        pytest.param(
            "ąćęłńóśźż łąka",
            "ąćęłńóśźż łąki",
            "ąćęłńóśźż [-łąka-]{+łąki+}",
            1,
            1,
            id="every Polish letter is a word character",
        ),
        pytest.param(
            "Pierwszy wiersz.\nDrugi wiersz.",
            "Pierwszy wiersz.\nDrugi wiersz.\nTrzeci wiersz.",
            "Pierwszy wiersz.\nDrugi wiersz.{+\nTrzeci wiersz.+}",
            2,
            0,
            id="add a line",
        ),
        pytest.param(
            "Pierwszy wiersz.\nDrugi wiersz.\nTrzeci wiersz.",
            "Pierwszy wiersz.\nTrzeci wiersz.",
            "Pierwszy wiersz.\n[-Drugi wiersz.\n-]Trzeci wiersz.",
            0,
            2,
            id="remove a line",
        ),
        pytest.param(
            "Pierwszy.\nDrugi.\nTrzeci.",
            "Drugi.\nPierwszy.\nTrzeci.",
            "[-Pierwszy.\n-]Drugi.\n{+Pierwszy.\n+}Trzeci.",
            1,
            1,
            id="move a line: delete and insert",
        ),
        pytest.param(
            "A.\n\nB.",
            "A.\n\nX.\n\nB.",
            "A.\n\n{+X.\n\n+}B.",
            1,
            0,
            id="add a paragraph",
        ),
        pytest.param(
            "Tekst.", "Tekst.\n", "Tekst.{+\n+}", 0, 0, id="add final newline"
        ),
        pytest.param(
            "Tekst.\n", "Tekst.", "Tekst.[-\n-]", 0, 0, id="remove final newline"
        ),
        pytest.param(
            "Cele: a) edukacja; b) sport.",
            "Cele: a) edukacja, b) kultura; c) sport.",
            "Cele: a) edukacja[-;-]{+,+} b){+ kultura; c)+} sport.",
            2,
            0,
            id="an insertion slides to a readable place",
        ),
        pytest.param(
            "przed organami, które przejęły zadania",
            "przed organem, który przejął zadania",
            "przed [-organami, które przejęły-]{+organem, który przejął+} zadania",
            3,
            3,
            id="punctuation between rewritten words folds into the rewrite",
        ),
        pytest.param(
            "z wyjątkiem art. 106 ust. 4, art. 107 ust. 2 i art. 108 ust. 2, "
            "które wchodzą",
            "z wyjątkiem: 1) art. 65 ust. 2 i art. 73 ust. 2, które wchodzą w życie "
            "z dniem ogłoszenia; 2) art. 47 i art. 82, które wchodzą",
            "z wyjątkiem[- art. 106 ust. 4, art. 107 ust. 2 i art. 108 ust. 2-]"
            "{+: 1) art. 65 ust. 2 i art. 73 ust. 2, które wchodzą w życie z dniem "
            "ogłoszenia; 2) art. 47 i art. 82+}, które wchodzą",
            23,
            13,
            id="short words a rewrite shares with the old text are part of it",
        ),
        pytest.param(
            "Hat der Richter die Aussetzung im Urteil abgelehnt, so ist",
            "Hat das Gericht die Entscheidung über die Aussetzung nicht einem "
            "nachträglichen Beschluss vorbehalten oder die Aussetzung im Urteil "
            "oder in einem nachträglichen Beschluss abgelehnt, so ist",
            "Hat [-der Richter-]{+das Gericht die Entscheidung über die Aussetzung "
            "nicht einem nachträglichen Beschluss vorbehalten oder+} die Aussetzung "
            "im Urteil {+oder in einem nachträglichen Beschluss +}abgelehnt, so ist",
            18,
            2,
            id="kept words next to a plain insertion are not folded into a rewrite",
        ),
        pytest.param(
            "Art. 3 G v. 6.12.2011 I 2554",
            "Art. 1 G v. 4.9.2012 I 1854",
            "Art. [-3-]{+1+} G v. [-6.12.2011-]{+4.9.2012+} I [-2554-]{+1854+}",
            5,
            5,
            id="changed numbers of a citation are not a rewrite",
        ),
        pytest.param(
            "Der Verwaltungsgerichtshof[^105]",
            "Der Oberste Gerichtshof als Verwaltungsgerichtshof[^107]",
            "Der {+Oberste Gerichtshof als +}Verwaltungsgerichtshof[^[-105-]{+107+}]",
            4,
            1,
            id="a kept word next to an insertion stays kept",
        ),
        pytest.param(
            "[^1]: Art. 11 durch LGBl. 1991 Nr. 7.\n"
            "[^2]: Art. 12 durch LGBl. 1992 Nr. 14.\n"
            "[^3]: Art. 13 durch LGBl. 1993 Nr. 21.\n"
            "[^4]: Art. 14 durch LGBl. 1994 Nr. 28.",
            "[^1]: Art. 12 durch LGBl. 1992 Nr. 14.\n"
            "[^2]: Art. 13 durch LGBl. 1993 Nr. 21.\n"
            "[^3]: Art. 14 durch LGBl. 1994 Nr. 28.",
            "[-[^1]: Art. 11 durch LGBl. 1991 Nr. 7.\n-]"
            "[^[-2-]{+1+}]: Art. 12 durch LGBl. 1992 Nr. 14.\n"
            "[^[-3-]{+2+}]: Art. 13 durch LGBl. 1993 Nr. 21.\n"
            "[^[-4-]{+3+}]: Art. 14 durch LGBl. 1994 Nr. 28.",
            3,
            11,
            id="renumbered footnotes align by their text, not their numbers",
        ),
        pytest.param(
            "Sprawozdanie zawiera:\n1) dane o organizacji;\n2) cele statutowe;\n"
            "3) opis działalności;\n4) informacje o kosztach.",
            "Sprawozdanie zawiera:\n1) cele statutowe;\n2) opis działalności;\n"
            "3) informacje o kosztach.",
            "Sprawozdanie zawiera:\n[-1) dane o organizacji;\n2-]{+1+}) cele "
            "statutowe;\n[-3-]{+2+}) opis działalności;\n[-4-]{+3+}) informacje o "
            "kosztach.",
            3,
            7,
            id="a renumbered list aligns by its text, not its numbers",
        ),
    ],
)
def test_diff_text(old: str, new: str, expected: str, added: int, removed: int) -> None:
    result = diff_text(old, new)
    check_diff(result, old, new)
    assert marks(result.ops) == expected
    assert (result.words_added, result.words_removed) == (added, removed)
    assert not result.fallback


def test_identical_texts_are_one_equal_op() -> None:
    assert diff_text("Ala ma kota.", "Ala ma kota.").ops == (
        Op("equal", "Ala ma kota."),
    )
    assert diff_text("", "").ops == ()
    assert not diff_text("x", "x").changed
    assert diff_text("x", "y").changed


def test_texts_are_normalised_before_diffing() -> None:
    # CRLF never reaches the diff: stored texts are normalised.
    assert not diff_text(normalise_text("Ala\r\nma kota"), "Ala\nma kota").changed
    # A stray carriage return is still kept exactly.
    check_diff(diff_text("a\r\nb", "a\nb"), "a\r\nb", "a\nb")


def test_words_are_never_cut() -> None:
    old, new = "Organizacje pożytku publicznego", "Organizacja pożytku publicznego"
    result = diff_text(old, new)
    assert marks(result.ops) == "[-Organizacje-]{+Organizacja+} pożytku publicznego"


def test_a_very_long_line() -> None:
    rng = random.Random(7)
    words = [rng.choice(WORDS) for _ in range(5000)]
    old = " ".join(words)
    words[2500] = "ZMIANA"
    new = " ".join(words)
    result = diff_text(old, new)
    check_diff(result, old, new)
    assert not result.fallback
    assert [op.kind for op in result.ops] == ["equal", "delete", "insert", "equal"]
    assert (result.words_added, result.words_removed) == (1, 1)


def test_more_distinct_tokens_than_the_basic_plane_holds() -> None:
    # 70,000 distinct words need code points beyond U+FFFF.
    old = " ".join(f"w{n}" for n in range(70_000))
    new = old.replace("w35000", "zmiana")
    assert len(set(tokenize(old + new))) > 0xFFFF
    result = diff_text(old, new)
    check_diff(result, old, new)
    assert not result.fallback
    assert (result.words_added, result.words_removed) == (1, 1)


def test_too_many_distinct_tokens_fall_back_to_lines(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tokens, "MAX_TOKENS", 3)
    old = "jeden dwa trzy\ncztery pięć\nsześć"
    new = "jeden dwa trzy\ncztery sześć\nsześć"
    result = diff_text(old, new)
    check_diff(result, old, new)
    assert result.fallback
    assert marks(result.ops) == (
        "jeden dwa trzy\n[-cztery pięć\n-]{+cztery sześć\n+}sześć"
    )


def _document(rng: random.Random, lines: int) -> list[str]:
    return [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 20))) + "."
        for _ in range(lines)
    ]


def test_timeout_falls_back_to_a_line_diff() -> None:
    rng = random.Random(11)
    old_lines = _document(rng, 400)
    new_lines = list(old_lines)
    for k in rng.sample(range(400), 20):
        words = new_lines[k].split(" ")
        words[1] = "zmienione"
        new_lines[k] = " ".join(words)
    old, new = "\n".join(old_lines), "\n".join(new_lines)

    result = diff_text(old, new, timeout=1e-9)

    check_diff(result, old, new)
    assert result.fallback
    # Whole lines, and not one delete + insert of everything: most lines are equal.
    for op in result.ops[:-1]:
        assert op.text.endswith("\n")
    kept = sum(len(op.text) for op in result.ops if op.kind == "equal")
    assert kept > 0.8 * len(old)
    changed = [k for k in range(400) if new_lines[k] != old_lines[k]]
    assert result.words_added == sum(count_words(new_lines[k]) for k in changed)
    # With time to finish, the same texts get a word-level diff.
    full = diff_text(old, new)
    check_diff(full, old, new)
    assert not full.fallback
    assert (full.words_added, full.words_removed) == (len(changed), len(changed))


def test_no_time_limit() -> None:
    result = diff_text("a b c", "a x c", timeout=0)
    assert marks(result.ops) == "a [-b-]{+x+} c"
    assert not result.fallback


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("Ala ma kota", 3),
        ("żółć, gęślą; jaźń!", 3),
        ("1,5% podatku", 3),
        (" ,.;— \n", 0),
        ("celno-skarbowego", 2),
    ],
)
def test_count_words(text: str, words: int) -> None:
    assert count_words(text) == words


def test_tokenize() -> None:
    text = "Art. 5a ust. 1,5% — źdźbło\n\n  celno-skarbowego"
    tokens = tokenize(text)
    assert "".join(tokens) == text
    assert tokens == [
        "Art",
        ".",
        " ",
        "5a",
        " ",
        "ust",
        ".",
        " ",
        "1,5",
        "%",
        " ",
        "—",
        " ",
        "źdźbło",
        "\n",
        "\n",
        "  ",
        "celno-skarbowego",
    ]


def _lcs_length(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        previous, row = row, [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
    return row[-1]


def test_bit_parallel_lcs_is_minimal() -> None:
    rng = random.Random(3)
    for _ in range(500):
        a = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 40)))
        b = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 40)))
        pieces = diff._lcs_diff(a, b)
        assert "".join(t for op, t in pieces if op != 1) == a
        assert "".join(t for op, t in pieces if op != -1) == b
        assert sum(len(t) for op, t in pieces if op == 0) == _lcs_length(a, b)


# --- side_by_side ------------------------------------------------------------------


def _kinds(rows: tuple[SideBySideRow, ...]) -> list[tuple[str, int | None, int | None]]:
    return [(row.kind, row.old_number, row.new_number) for row in rows]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("", "", [], id="both empty"),
        pytest.param(
            "a\nb", "a\nb", [("equal", 1, 1), ("equal", 2, 2)], id="identical"
        ),
        pytest.param(
            "", "a\nb", [("inserted", None, 1), ("inserted", None, 2)], id="empty old"
        ),
        pytest.param(
            "a\nb", "", [("deleted", 1, None), ("deleted", 2, None)], id="empty new"
        ),
        pytest.param(
            "Jeden.\nDwa.\nTrzy.",
            "Jeden.\nDwa i pół.\nTrzy.",
            [("equal", 1, 1), ("changed", 2, 2), ("equal", 3, 3)],
            id="a line edited",
        ),
        pytest.param(
            "Jeden.\nTrzy.",
            "Jeden.\nDwa.\nTrzy.",
            [("equal", 1, 1), ("inserted", None, 2), ("equal", 2, 3)],
            id="add a line",
        ),
        pytest.param(
            "Jeden.\nDwa.\nTrzy.",
            "Jeden.\nTrzy.",
            [("equal", 1, 1), ("deleted", 2, None), ("equal", 3, 2)],
            id="remove a line",
        ),
        pytest.param(
            "Jeden.\nDwa.\nTrzy.",
            "Dwa.\nJeden.\nTrzy.",
            [
                ("inserted", None, 1),
                ("equal", 1, 2),
                ("deleted", 2, None),
                ("equal", 3, 3),
            ],
            id="move a line",
        ),
        pytest.param(
            "Tekst.",
            "Tekst.\n",
            [("equal", 1, 1), ("inserted", None, 2)],
            id="a final newline is an empty last line",
        ),
        pytest.param(
            "Nagłówek\nGmina wspiera organizacje w zakresie kultury.\nKoniec",
            "Nagłówek\nNowy akapit pierwszy.\nDrugi nowy akapit.\n"
            "Gmina wspiera organizacje w zakresie sportu.\nKoniec",
            [
                ("equal", 1, 1),
                ("inserted", None, 2),
                ("inserted", None, 3),
                ("changed", 2, 4),
                ("equal", 3, 5),
            ],
            id="pairs the similar line, not the first",
        ),
        pytest.param(
            "Stary akapit o kulturze.\nKoniec",
            "Zupełnie inna treść.\nKoniec",
            [("changed", 1, 1), ("equal", 2, 2)],
            id="one line against one is always a changed row",
        ),
        pytest.param(
            "Ala ma kota.\nPies.\nKoniec",
            "Ala ma psa.\nZupełnie nowe zdanie o czymś.\nKoniec",
            [
                ("changed", 1, 1),
                ("deleted", 2, None),
                ("inserted", None, 2),
                ("equal", 3, 3),
            ],
            id="dissimilar lines are not paired",
        ),
    ],
)
def test_side_by_side(
    old: str, new: str, expected: list[tuple[str, int | None, int | None]]
) -> None:
    rows = side_by_side(old, new)
    check_rows(rows, old, new)
    assert _kinds(rows) == expected


def test_side_by_side_changed_row_ops() -> None:
    rows = side_by_side(
        "Wstęp\nWspieranie podmiotów w zakresie zadań.\nKoniec",
        "Wstęp\nWspieranie dotacje w zakresie zadań.\nKoniec",
    )
    changed = rows[1]
    assert changed.kind == "changed"
    assert marks(changed.old_ops) == "Wspieranie [-podmiotów-] w zakresie zadań."
    assert marks(changed.new_ops) == "Wspieranie {+dotacje+} w zakresie zadań."
    # A pure insertion leaves the old side one equal op.
    rows = side_by_side("Ala ma kota.", "Ala ma kota i psa.")
    assert rows[0].old_ops == (Op("equal", "Ala ma kota."),)
    assert marks(rows[0].new_ops) == "Ala ma kota{+ i psa+}."


def test_side_by_side_empty_lines_have_no_ops() -> None:
    rows = side_by_side("a\n\nb", "a\n\nc")
    assert rows[1] == SideBySideRow("equal", 2, 2, (), ())


def test_side_by_side_without_time_shows_whole_lines() -> None:
    old, new = "Wstęp\nAla ma kota.\nKoniec", "Wstęp\nAla ma psa.\nKoniec"
    rows = side_by_side(old, new, timeout=1e-9)
    check_rows(rows, old, new)
    assert rows[1].old_ops == (Op("delete", "Ala ma kota."),)
    assert rows[1].new_ops == (Op("insert", "Ala ma psa."),)


# --- many random edits -------------------------------------------------------------


def _edit(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 6)):
        action = rng.choice(
            [
                "word",
                "word",
                "insert",
                "delete",
                "punct",
                "add",
                "drop",
                "move",
                "blank",
            ]
        )
        k = rng.randrange(len(lines)) if lines else 0
        if action == "add" or not lines:
            lines.insert(
                k, " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 9)))
            )
            continue
        words = lines[k].split(" ")
        w = rng.randrange(len(words))
        if action == "word":
            words[w] = rng.choice(WORDS)
        elif action == "insert":
            words.insert(w, rng.choice(WORDS))
        elif action == "delete" and len(words) > 1:
            del words[w]
        elif action == "punct":
            words[w] += rng.choice([",", ".", ";", " —", "!"])
        lines[k] = " ".join(words)
        if action == "drop":
            del lines[k]
        elif action == "move":
            lines.insert(rng.randrange(len(lines) + 1), lines.pop(k))
        elif action == "blank":
            lines.insert(k, "")
    return lines


def test_random_edits_keep_every_promise() -> None:
    rng = random.Random(20261126)
    for _ in range(300):
        old_lines = _document(rng, rng.randint(0, 12))
        new_lines = _edit(rng, old_lines)
        old = "\n".join(old_lines) + rng.choice(["", "\n"])
        new = "\n".join(new_lines) + rng.choice(["", "\n"])
        check_diff(diff_text(old, new), old, new)
        check_rows(side_by_side(old, new), old, new)
        # Squeezed for time, both still tell the exact truth.
        check_diff(diff_text(old, new, timeout=1e-9), old, new)
        check_rows(side_by_side(old, new, timeout=1e-9), old, new)


def _unique_common_reference(seq1: str, seq2: str) -> int:
    """Length of the longest same-order run of items found once in each."""
    once = [c for c in seq1 if seq1.count(c) == 1 and seq2.count(c) == 1]
    positions = [seq2.index(c) for c in once]
    best = [1] * len(positions)
    for k, p in enumerate(positions):
        for m in range(k):
            if positions[m] < p:
                best[k] = max(best[k], best[m] + 1)
    return max(best, default=0)


@pytest.mark.parametrize("alphabet", [400, 4000], ids=["few unique items", "many"])
def test_unique_common_anchors(alphabet: int) -> None:
    # Few unique items are looked up with index(), many with one loop: both must
    # give an in-order run of items found once in each, as long as can be.
    rng = random.Random(alphabet)
    for _ in range(100):
        seq1 = "".join(chr(0x100 + rng.randrange(alphabet)) for _ in range(300))
        items = list(seq1)
        for _ in range(30):  # seq2: seq1 with items replaced and moved
            items[rng.randrange(300)] = chr(0x100 + rng.randrange(alphabet))
            items.insert(rng.randrange(300), items.pop(rng.randrange(300)))
        seq2 = "".join(items)
        run = diff.engine.unique_common(seq1, seq2)
        for a, b in run:
            assert seq1[a] == seq2[b]
            assert seq1.count(seq1[a]) == 1 and seq2.count(seq2[b]) == 1
        assert run == sorted(run) and [b for _, b in run] == sorted(b for _, b in run)
        assert len(run) == _unique_common_reference(seq1, seq2)
