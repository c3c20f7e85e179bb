"""Splitting paragraphs into sections, matching them, counting word changes."""

from __future__ import annotations

import pytest

from wpw.text.sections import (
    IssueCode,
    Paragraph,
    ParsedSection,
    markdown_escape,
    markdown_unescape,
    match_sections,
    normalise_number,
    normalise_title,
    section_key,
    split_sections,
    word_changes,
)

P = Paragraph


def heads(result) -> list[tuple[str, str]]:
    return [(s.number, s.title) for s in result.sections]


def codes(result) -> list[IssueCode]:
    return [i.code for i in result.issues]


# --- where sections start -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("§ 4. Cele programu", ("§ 4", "Cele programu")),
        ("§ 4 Cele programu", ("§ 4", "Cele programu")),
        ("§4. Cele programu", ("§ 4", "Cele programu")),
        ("§ 4 – Cele programu", ("§ 4", "Cele programu")),
        ("§ 12a. Małe granty", ("§ 12a", "Małe granty")),
        ("§\u00a04.\tCele  programu ", ("§ 4", "Cele programu")),
    ],
)
def test_section_marker_lines(line, expected) -> None:
    result = split_sections([P(line), P("tekst")])
    assert heads(result) == [expected]
    assert result.sections[0].text == "tekst"
    assert not result.issues


def test_marker_alone_takes_the_next_line_as_title() -> None:
    result = split_sections(
        [P("§ 4"), P("Cele programu"), P("1. Celem jest…"), P("§ 5."), P("Zasady")]
    )
    assert heads(result) == [("§ 4", "Cele programu"), ("§ 5", "Zasady")]
    assert result.sections[0].text == "1. Celem jest…"
    assert codes(result) == [IssueCode.EMPTY_SECTION]  # § 5 has no text


def test_a_reference_to_a_section_is_text_not_a_new_section() -> None:
    result = split_sections(
        [P("§ 1. Cele"), P("§ 5 ust. 2 stosuje się odpowiednio."), P("§ 2. Zasady")]
    )
    assert heads(result) == [("§ 1", "Cele"), ("§ 2", "Zasady")]
    assert result.sections[0].text == "§ 5 ust. 2 stosuje się odpowiednio."


def test_headings_with_markers_win_over_body_markers_and_chapters() -> None:
    result = split_sections(
        [
            P("Uchwała nr X", 1),
            P("Rozdział 1", 3),
            P("§ 1. Cele", 3),
            P("§ 7 Postanowienia – to tylko tekst"),
            P("Szczegóły", 4),
            P("Rozdział 2", 3),
            P("§ 2. Zasady", 3),
            P("tekst"),
        ]
    )
    assert heads(result) == [("§ 1", "Cele"), ("§ 2", "Zasady")]
    assert result.sections[0].text == "§ 7 Postanowienia – to tylko tekst\nSzczegóły"
    assert codes(result) == [IssueCode.SKIPPED_HEADING]
    assert result.issues[0].detail == "Rozdział 2"  # before § 1: the title, silently


def test_headings_without_markers_use_the_repeated_rank() -> None:
    result = split_sections(
        [
            P("Program", 1),
            P("Runda 2", 2),
            P("2.1 Cele", 3),
            P("a"),
            P("2.2. Zasady", 3),
            P("b"),
            P("Uwaga", 4),
        ]
    )
    assert heads(result) == [("2.1", "Cele"), ("2.2", "Zasady")]
    assert result.sections[1].text == "b\nUwaga"
    assert not result.issues


def test_one_heading_is_one_section() -> None:
    assert heads(split_sections([P("§ 1 Cele", 2), P("a")])) == [("§ 1", "Cele")]
    assert heads(split_sections([P("Tytuł", 1), P("1 Cele", 2)])) == [("1", "Cele")]


def test_text_before_the_first_section_is_a_warning_not_a_section() -> None:
    result = split_sections(
        [P("Projekt uchwały"), P("Rady Miasta"), P(""), P("§ 1. Cele"), P("a")]
    )
    assert heads(result) == [("§ 1", "Cele")]
    (issue,) = result.issues
    assert issue.code is IssueCode.PREAMBLE and not issue.blocking
    assert (issue.paragraph, issue.detail, issue.count) == (1, "Projekt uchwały", 2)


def test_lines_are_tidied_and_blank_lines_collapsed() -> None:
    result = split_sections(
        [
            P("§ 1. Cele"),
            P("  pierwszy  "),
            P(""),
            P("drugi\r\n\r\ntrzeci\u200b"),
            P("\t"),
            P("czwarty\twiersz \u00ad"),
        ]
    )
    assert result.sections[0].text == "pierwszy\ndrugi\ntrzeci\nczwarty wiersz"
    assert result.sections[0].lines == ("pierwszy", "drugi", "trzeci", "czwarty wiersz")


# --- what makes a file impossible to import ----------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "code"),
    [
        ([P("zwykły tekst"), P("bez paragrafów")], IssueCode.NO_SECTIONS),
        ([], IssueCode.NO_SECTIONS),
        ([P("§ 1. A"), P("x"), P("§ 1. B"), P("y")], IssueCode.DUPLICATE_NUMBER),
        ([P("§ 1. A"), P("x"), P("§1 B"), P("y")], IssueCode.DUPLICATE_NUMBER),
        ([P("Cele", 1), P("x"), P("CELE", 1), P("y")], IssueCode.DUPLICATE_TITLE),
        ([P("1. Cele", 1), P("x"), P("Zasady", 1), P("y")], IssueCode.MISSING_NUMBER),
        ([P("§ 1"), P("§ 2. B"), P("y")], IssueCode.MISSING_TITLE),
        ([P("1.2.3.4.5.6.7.8.9.10.11 A", 1), P("B", 1)], IssueCode.NUMBER_TOO_LONG),
        ([P("§ 1"), P("x" * 301)], IssueCode.TITLE_TOO_LONG),
    ],
)
def test_blocking_problems(paragraphs, code) -> None:
    result = split_sections(paragraphs)
    assert code in [i.code for i in result.problems]
    assert all(i.blocking for i in result.problems)


def test_issues_name_the_paragraph() -> None:
    result = split_sections([P("§ 1. A"), P("x"), P(""), P("§ 1. B")])
    problem = result.problems[0]
    assert (problem.paragraph, problem.detail) == (4, "§ 1")


# --- matching ---------------------------------------------------------------------


def S(number: str, title: str, text: str = "") -> ParsedSection:
    return ParsedSection(number, title, text)


def test_normalised_numbers_and_titles() -> None:
    assert normalise_number("§ 4.") == normalise_number("§4") == "4"
    assert (
        normalise_title("  Zadania  publiczne — ŁÓDŹ. ") == "zadania publiczne - lodz"
    )


def test_matching_passes() -> None:
    existing = [
        S("§ 1", "Postanowienia ogólne", "a"),
        S("§ 2", "Cele programu", "b"),
        S("§ 3", "Zasady", "c"),
        S("§ 4", "Okres realizacji", "d"),
        S("§ 5", "Stary tytuł", "e\nf\ng\nh"),
    ]
    parsed = [
        S("§ 1", "postanowienia  OGÓLNE"),  # number and title
        S("§ 2", "Okres realizacji"),  # title alone: moved from § 4
        S("§ 3", "Cele programu"),  # title alone: moved from § 2
        S("§ 4", "Zasady współpracy"),  # number alone would pick the old § 4…
        S("§ 9", "Nowy tytuł", "e\nf\ng\nh\ni"),  # similar text: renamed and moved
        S("§ 10", "Całkiem nowy", "z"),
    ]
    assert match_sections(parsed, existing) == (0, 3, 1, None, 4, None)
    parsed[3] = S("§ 3", "Zasady współpracy")  # …but § 3 is still free
    assert match_sections(parsed, existing)[3] == 2


def test_an_ambiguous_title_matches_nothing() -> None:
    existing = [S("§ 1", "Cele"), S("§ 2", "Cele")]
    assert match_sections([S("§ 7", "Cele")], existing) == (None,)


def test_matching_without_numbers_alone() -> None:
    existing = [S("§ 6", "Małe granty", "x")]
    assert match_sections([S("§ 6", "Komisje", "y")], existing, by_number=False) == (
        None,
    )
    assert match_sections([S("§ 8", "MAŁE GRANTY")], existing, by_number=False) == (0,)


# --- words, keys, Markdown -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a b c", "a b c", (0, 0)),
        ("a b c", "a b d e", (2, 1)),
        ("", "a b", (2, 0)),
        ("a a b", "a b", (0, 1)),
        ("jeden\ndwa", "dwa jeden", (0, 0)),
    ],
)
def test_word_changes(old, new, expected) -> None:
    assert word_changes(old, new) == expected


def test_section_keys() -> None:
    assert section_key("Tryb powoływania komisji – Łódź", set()) == (
        "tryb-powolywania-komisji-lodz"
    )
    assert section_key("Cele", {"cele", "cele-2"}) == "cele-3"
    assert section_key("§§ ––", set()) == "paragraf"
    long = section_key("słowo " * 30, set())
    assert len(long) <= 60 and not long.endswith("-")


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("1. Celem programu", "1\\. Celem programu"),
        ("12) Gminie", "12\\) Gminie"),
        ("- tiret", "\\- tiret"),
        ("# nie nagłówek", "\\# nie nagłówek"),
        ("> cytat", "\\> cytat"),
        ("+ plus", "\\+ plus"),
        ("kwota *netto* i _brutto_", "kwota \\*netto\\* i \\_brutto\\_"),
        ("[link](x) <b>", "\\[link\\](x) \\<b>"),
        ("C:\\ścieżka", "C:\\\\ścieżka"),
        ("numer #", "numer \\#"),
        ("Zwykłe zdanie, 2011 r.", "Zwykłe zdanie, 2011 r."),
    ],
)
def test_markdown_escape_round_trips(line, escaped) -> None:
    assert markdown_escape(line) == escaped
    assert markdown_unescape(escaped) == line
