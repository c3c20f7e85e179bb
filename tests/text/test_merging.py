"""Merging accepted proposals into a working copy: applied, or a conflict — never a
corrupted text."""

from __future__ import annotations

import pytest

from wpw.text.lines import normalise_text
from wpw.text.merging import (
    Applied,
    Conflict,
    ConflictReason,
    Proposal,
    merge,
    normalise_with_offsets,
)

BASE = (
    "§ 1. Gmina Miejska Kraków współpracuje z organizacjami pozarządowymi.\n"
    "Współpraca obejmuje zadania z zakresu pomocy społecznej.\n"
    "Priorytetem jest wsparcie rodzin w trudnej sytuacji życiowej.\n"
    "Program realizuje Wydział Spraw Społecznych."
)


def proposal(pid: int, quote: str, wording: str, base: str = BASE, nth: int = 0):
    """A proposal on the *nth* occurrence of *quote* in *base*."""
    start = -1
    for _ in range(nth + 1):
        start = base.index(quote, start + 1)
    return Proposal(pid, start, start + len(quote), quote, wording)


def check_applied(result, pid: int, wording: str) -> None:
    outcome = result.outcome_of(pid)
    assert isinstance(outcome, Applied), outcome
    assert result.text[outcome.start : outcome.end] == wording


def test_one_change_on_an_unedited_copy() -> None:
    p = proposal(12, "trudnej sytuacji życiowej", "kryzysie")
    result = merge(BASE, BASE, [p])
    assert result.text == BASE.replace("trudnej sytuacji życiowej", "kryzysie")
    check_applied(result, 12, "kryzysie")
    assert result.conflicts == ()


def test_polish_letters_and_offsets() -> None:
    p = proposal(1, "Gmina Miejska Kraków", "Gmina Miejska Kraków (Urząd Miasta)")
    q = proposal(2, "pomocy społecznej", "pomocy społecznej i zdrowia")
    result = merge(BASE, BASE, [q, p])
    check_applied(result, 1, "Gmina Miejska Kraków (Urząd Miasta)")
    check_applied(result, 2, "pomocy społecznej i zdrowia")
    assert [o.proposal_id for o in result.outcomes] == [1, 2]  # by start


def test_adjacent_proposals_both_apply() -> None:
    p = proposal(1, "Priorytetem", "Celem")
    q = proposal(2, " jest wsparcie", " pozostaje pomoc")
    assert p.end == q.start
    result = merge(BASE, BASE, [p, q])
    assert "Celem pozostaje pomoc rodzin" in result.text
    check_applied(result, 1, "Celem")
    check_applied(result, 2, " pozostaje pomoc")


def test_proposals_at_text_start_and_end() -> None:
    first = proposal(1, "§ 1.", "§ 1a.")
    last = proposal(2, "Wydział Spraw Społecznych.", "Miejskie Centrum Opieki.")
    result = merge(BASE, BASE, [last, first])
    assert result.text.startswith("§ 1a. Gmina")
    assert result.text.endswith("realizuje Miejskie Centrum Opieki.")
    check_applied(result, 1, "§ 1a.")
    check_applied(result, 2, "Miejskie Centrum Opieki.")


def test_whole_text_replaced() -> None:
    result = merge("abc", "abc", [Proposal(1, 0, 3, "abc", "xyz")])
    assert result.text == "xyz"
    assert result.outcomes == (Applied(1, 0, 3),)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("trudnej sytuacji", "kryzysie"), ("sytuacji życiowej", "biedzie")),  # cross
        (("wsparcie rodzin w trudnej", "pomoc"), ("rodzin", "osób")),  # nested
        (("rodzin", "osób"), ("rodzin", "dzieci")),  # same passage, other words
    ],
)
def test_overlapping_proposals_are_all_conflicts(first, second) -> None:
    p, q = proposal(5, *first), proposal(9, *second)
    untouched = proposal(3, "Program", "Programme")
    result = merge(BASE, BASE, [p, q, untouched])
    assert result.outcome_of(5) == Conflict(5, ConflictReason.OVERLAP, (9,))
    assert result.outcome_of(9) == Conflict(9, ConflictReason.OVERLAP, (5,))
    check_applied(result, 3, "Programme")
    assert "trudnej sytuacji życiowej" in result.text  # nothing chosen by guesswork


def test_three_way_overlap_names_every_other() -> None:
    a = proposal(1, "wsparcie rodzin", "x")
    b = proposal(2, "rodzin w", "y")
    c = proposal(3, "w trudnej", "z")
    result = merge(BASE, BASE, [a, b, c])
    assert result.outcome_of(1).others == (2,)
    assert result.outcome_of(2).others == (1, 3)
    assert result.outcome_of(3).others == (2,)
    assert result.text == BASE


def test_identical_duplicates_are_one_change() -> None:
    p = proposal(7, "pomocy społecznej", "polityki społecznej")
    q = Proposal(8, p.start, p.end, p.quote, p.wording)
    result = merge(BASE, BASE, [q, p])
    assert result.text == BASE.replace("pomocy społecznej", "polityki społecznej")
    assert result.outcome_of(7) == Applied(7, p.start, p.start + 19)
    assert result.outcome_of(8) == Applied(8, p.start, p.start + 19)
    check_applied(result, 7, "polityki społecznej")
    check_applied(result, 8, "polityki społecznej")


def test_duplicates_overlapped_by_a_third_are_all_conflicts() -> None:
    p = proposal(7, "pomocy społecznej", "polityki społecznej")
    q = Proposal(8, p.start, p.end, p.quote, p.wording)
    r = proposal(9, "społecznej.", "socjalnej.")
    result = merge(BASE, BASE, [p, q, r])
    assert {c.proposal_id for c in result.conflicts} == {7, 8, 9}
    assert result.text == BASE


def test_already_edited_passage_is_a_conflict() -> None:
    current = BASE.replace("trudnej sytuacji", "trudnej, złożonej sytuacji")
    p = proposal(4, "trudnej sytuacji życiowej", "kryzysie")
    other = proposal(5, "Wydział Spraw Społecznych", "MOPS")
    result = merge(BASE, current, [p, other])
    assert result.outcome_of(4) == Conflict(4, ConflictReason.EDITED)
    assert "trudnej, złożonej sytuacji życiowej" in result.text
    check_applied(result, 5, "MOPS")


def test_removed_passage_is_a_conflict() -> None:
    current = BASE.replace("Priorytetem jest wsparcie rodzin w trudnej sytuacji", "")
    result = merge(BASE, current, [proposal(4, "wsparcie rodzin", "pomoc rodzinom")])
    assert result.outcome_of(4).reason is ConflictReason.EDITED
    assert result.text == normalise_text(current)


def test_edited_neighbourhood_but_intact_passage_applies() -> None:
    current = "Nowy wstęp dodany przez Zespół.\n" + BASE.replace(
        "współpracuje z", "stale współpracuje z"
    ).replace("Program realizuje", "Program w imieniu Prezydenta realizuje")
    p = proposal(2, "pomocy społecznej", "pomocy społecznej i ochrony zdrowia")
    result = merge(BASE, current, [p])
    check_applied(result, 2, "pomocy społecznej i ochrony zdrowia")
    assert result.text == current.replace(
        "pomocy społecznej", "pomocy społecznej i ochrony zdrowia"
    )


def test_text_added_right_next_to_the_passage_still_applies() -> None:
    current = BASE.replace("rodzin w", "rodzin wielodzietnych w")
    p = proposal(1, "wsparcie", "pomoc")
    result = merge(BASE, current, [p])
    assert "Priorytetem jest pomoc rodzin wielodzietnych w" in result.text
    check_applied(result, 1, "pomoc")


def test_quote_not_at_its_offsets() -> None:
    good = proposal(1, "Program", "Programme")
    wrong = Proposal(2, 0, 5, "Kraków", "Krakow")
    outside = Proposal(3, len(BASE) - 2, len(BASE) + 5, "xx", "yy")
    result = merge(BASE, BASE, [good, wrong, outside])
    assert result.outcome_of(2) == Conflict(2, ConflictReason.QUOTE_NOT_FOUND)
    assert result.outcome_of(3) == Conflict(3, ConflictReason.QUOTE_NOT_FOUND)
    check_applied(result, 1, "Programme")


def test_removal_of_whole_lines() -> None:
    line = "Współpraca obejmuje zadania z zakresu pomocy społecznej.\n"
    p = proposal(6, line, "")
    result = merge(BASE, BASE, [p])
    assert result.text == BASE.replace(line, "")
    assert result.text.count("\n") == 2
    assert result.outcome_of(6) == Applied(6, p.start, p.start)


def test_removal_of_the_last_line_leaves_no_trailing_break() -> None:
    last = "\nProgram realizuje Wydział Spraw Społecznych."
    result = merge(BASE, BASE, [proposal(1, last, "")])
    assert result.text == BASE.removesuffix(last)
    outcome = result.outcome_of(1)
    assert isinstance(outcome, Applied) and outcome.start == outcome.end


def test_wording_with_new_lines_and_trailing_spaces_is_normalised() -> None:
    p = proposal(1, "Priorytetem", "Priorytety:  \r\n- rodziny\r\n- seniorzy.\r\nNaj")
    result = merge(BASE, BASE, [p, proposal(2, "Program realizuje", "Realizuje")])
    assert "Priorytety:\n- rodziny\n- seniorzy.\nNaj jest" in result.text
    check_applied(result, 1, "Priorytety:\n- rodziny\n- seniorzy.\nNaj")
    check_applied(result, 2, "Realizuje")
    assert result.text == normalise_text(result.text)


def test_deleting_the_last_word_of_a_line_keeps_offsets_after_it_right() -> None:
    base = "jeden dwa\ntrzy cztery"
    result = merge(
        base,
        base,
        [Proposal(1, 6, 9, "dwa", ""), Proposal(2, 15, 21, "cztery", "pięć")],
    )
    assert result.text == "jeden\ntrzy pięć"  # the space left behind is trimmed
    check_applied(result, 2, "pięć")


def test_changes_in_repeated_text_do_not_go_astray() -> None:
    base = "Zadanie.\nZadanie.\nZadanie."
    p = Proposal(1, 9, 17, "Zadanie.", "Cel.")
    result = merge(base, base, [p])
    assert result.text == "Zadanie.\nCel.\nZadanie."
    check_applied(result, 1, "Cel.")


def test_patch_that_no_longer_applies_is_a_conflict_and_the_text_is_unchanged() -> None:
    base = "aaaa x bbbb"
    current = "zzzz x yyyy"  # everything around the short passage rewritten
    result = merge(base, current, [Proposal(1, 5, 6, "x", "w")])
    assert result.outcome_of(1) == Conflict(1, ConflictReason.PATCH_FAILED)
    assert result.text == current


def test_patch_landing_elsewhere_is_refused(monkeypatch) -> None:
    from wpw.text import merging

    monkeypatch.setattr(merging, "_patch", lambda *args: "corrupted")
    result = merge(BASE, BASE, [proposal(1, "Program", "Programme")])
    assert result.outcome_of(1) == Conflict(1, ConflictReason.PATCH_FAILED)
    assert result.text == BASE


def test_failed_hunk_is_refused(monkeypatch) -> None:
    from diff_match_patch import diff_match_patch

    monkeypatch.setattr(
        diff_match_patch, "patch_apply", lambda self, patches, text: (text, [False])
    )
    result = merge(BASE, BASE, [proposal(1, "Program", "Programme")])
    assert result.outcome_of(1) == Conflict(1, ConflictReason.PATCH_FAILED)
    assert result.text == BASE


def test_deterministic_order_whatever_the_input_order() -> None:
    ps = [
        proposal(30, "Program", "P"),
        proposal(10, "Gmina", "G"),
        proposal(20, "zadania", "Z"),
    ]
    a = merge(BASE, BASE, ps)
    b = merge(BASE, BASE, list(reversed(ps)))
    assert a == b
    assert [o.proposal_id for o in a.outcomes] == [10, 20, 30]


def test_no_proposals_returns_the_current_text() -> None:
    result = merge(BASE, BASE + "\nDopisek.", [])
    assert result == type(result)(BASE + "\nDopisek.", ())


def test_duplicate_ids_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        merge(BASE, BASE, [proposal(1, "Gmina", "x"), proposal(1, "Program", "y")])


def test_empty_current_text_makes_every_proposal_a_conflict() -> None:
    result = merge(BASE, "", [proposal(1, "Gmina", "x")])
    assert result.outcome_of(1).reason is ConflictReason.EDITED
    assert result.text == ""


def test_whitespace_only_passage() -> None:
    base = "jeden  dwa"
    result = merge(base, base, [Proposal(1, 5, 7, "  ", " ")])
    assert result.text == "jeden dwa"


@pytest.mark.parametrize(
    "text",
    ["", "a", "a  \nb", "a\n\n\n", "  \n \n", "a \t\nb  \n\nc  \n \n", "ą ę\n ó"],
)
def test_normalise_with_offsets_matches_normalise_text(text: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == normalise_text(text)
    assert len(offsets) == len(text) + 1
    assert offsets[0] == 0 and offsets[-1] == len(normalised)
    assert offsets == sorted(offsets)
