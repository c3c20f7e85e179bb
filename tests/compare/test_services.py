"""Comparing rounds: statuses by section identity, "moved" done carefully,
reverse order, the same round, totals, permissions and the diff cache."""

from __future__ import annotations

import pytest

from tests.compare.conftest import build_round, layout
from wpw.auth.models import User
from wpw.compare import services
from wpw.compare.services import SectionStatus as S
from wpw.documents import services as documents
from wpw.documents.models import Programme
from wpw.errors import Invalid, NotAllowed


def statuses(comparison: services.RoundComparison) -> dict[str, set[str]]:
    return {s.key: set(s.statuses) for s in comparison.sections}


def compare(actor, programme: Programme, a: int, b: int, **kwargs):
    pair = services.choose_rounds(actor, programme, a, b)
    assert pair is not None
    return services.compare_rounds(actor, *pair, **kwargs)


def test_changed_and_unchanged(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, layout("cele", "zasady"))
    build_round(
        coordinator,
        programme,
        [
            ("cele", "Cele", "Tekst paragrafu cele, nowe słowa."),
            ("zasady", "Zasady", "Tekst paragrafu zasady."),
        ],
    )
    comparison = compare(coordinator, programme, 1, 2)
    assert statuses(comparison) == {"cele": {S.CHANGED}, "zasady": {S.UNCHANGED}}
    cele, zasady = comparison.sections
    assert cele.diff is not None and cele.diff.changed
    assert (cele.words_added, cele.words_removed) == (2, 0)
    assert zasady.diff is None  # nothing to show for an unchanged section
    assert not comparison.identical


def test_insert_in_the_middle_moves_nothing(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a", "b", "c", "d"))
    build_round(coordinator, programme, layout("a", "b", "nowy", "c", "d"))
    comparison = compare(coordinator, programme, 1, 2)
    assert statuses(comparison) == {
        "a": {S.UNCHANGED},
        "b": {S.UNCHANGED},
        "nowy": {S.ADDED},
        "c": {S.UNCHANGED},  # shifted from position 3 to 4, but not moved
        "d": {S.UNCHANGED},
    }
    nowy = comparison.sections[2]
    assert nowy.old is None and nowy.new is not None and nowy.new.position == 3
    assert nowy.words_added == 3  # its whole text is new


def test_a_really_moved_section_is_the_only_one_moved(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a", "b", "c", "d", "e"))
    build_round(coordinator, programme, layout("a", "e", "b", "c", "d"))
    comparison = compare(coordinator, programme, 1, 2)
    assert {k for k, v in statuses(comparison).items() if S.MOVED in v} == {"e"}
    assert statuses(comparison)["e"] == {S.MOVED}
    assert comparison.totals.moved == 1


def test_removed_section_keeps_its_place(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a", "b", "c"))
    build_round(coordinator, programme, layout("a", "c"))
    comparison = compare(coordinator, programme, 1, 2)
    assert [s.key for s in comparison.sections] == ["a", "b", "c"]
    assert statuses(comparison) == {
        "a": {S.UNCHANGED},
        "b": {S.REMOVED},
        "c": {S.UNCHANGED},
    }
    removed = comparison.sections[1]
    assert removed.new is None and removed.current is removed.old
    assert removed.words_removed == 3


def test_a_removed_first_section_comes_first(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a", "b"))
    build_round(coordinator, programme, layout("c", "b"))
    comparison = compare(coordinator, programme, 1, 2)
    assert [s.key for s in comparison.sections] == ["a", "c", "b"]


def test_renamed_and_changed_at_once(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, [("cele", "Cele", "Stary tekst.")])
    build_round(coordinator, programme, [("cele", "Cele programu", "Nowy tekst.")])
    comparison = compare(coordinator, programme, 1, 2)
    [cele] = comparison.sections
    assert cele.statuses == {S.RENAMED, S.CHANGED}
    assert cele.ordered_statuses == (S.CHANGED, S.RENAMED)
    assert (comparison.totals.renamed, comparison.totals.changed) == (1, 1)


def test_only_renamed(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, [("cele", "Cele", "Tekst.")])
    build_round(coordinator, programme, [("cele", "Cele programu", "Tekst.")])
    [cele] = compare(coordinator, programme, 1, 2).sections
    assert cele.statuses == {S.RENAMED} and cele.diff is None


def test_reverse_order(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, layout("a", "b", "c"))
    build_round(coordinator, programme, layout("a", "nowy", "c"))
    forward = compare(coordinator, programme, 1, 2)
    reverse = compare(coordinator, programme, 2, 1)
    assert reverse.reverse and not forward.reverse
    assert statuses(forward)["nowy"] == statuses(reverse)["b"] == {S.ADDED}
    assert statuses(forward)["b"] == statuses(reverse)["nowy"] == {S.REMOVED}
    assert forward.totals.words_added == reverse.totals.words_removed
    assert forward.totals.words_removed == reverse.totals.words_added
    # The "to" round's order leads; a removed section follows its predecessor.
    assert [s.key for s in forward.sections] == ["a", "b", "nowy", "c"]
    assert [s.key for s in reverse.sections] == ["a", "nowy", "b", "c"]


def test_same_round_has_no_differences(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, layout("a", "b", "c"))
    comparison = compare(coordinator, programme, 1, 1)
    assert comparison.identical
    assert statuses(comparison) == {k: {S.UNCHANGED} for k in "abc"}
    assert comparison.totals == services.Totals(0, 0, 0, 0, 0, 3, 0, 0)


def test_totals(coordinator: User, programme: Programme) -> None:
    build_round(
        coordinator,
        programme,
        [
            ("a", "A", "jeden dwa trzy"),
            ("b", "B", "bez zmian"),
            ("c", "C", "do usunięcia"),
            ("d", "D", "przeniesiony"),
        ],
    )
    build_round(
        coordinator,
        programme,
        [
            ("d", "D", "przeniesiony"),
            ("a", "A2", "jeden cztery trzy pięć"),
            ("b", "B", "bez zmian"),
            ("e", "E", "nowy"),
        ],
    )
    totals = compare(coordinator, programme, 1, 2).totals
    assert totals == services.Totals(
        added=1,
        removed=1,
        changed=1,
        renamed=1,
        moved=1,
        unchanged=1,
        words_added=2 + 1,  # "cztery pięć" in a, "nowy" in e
        words_removed=1 + 2,  # "dwa" in a, "do usunięcia" in c
    )
    assert [totals.count(s) for s in services.STATUS_ORDER] == [1, 1, 1, 1, 1, 1]


def test_one_section(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, layout("a", "b", "c"))
    build_round(coordinator, programme, layout("c", "a", "b"))
    comparison = compare(coordinator, programme, 1, 2, section_key="c")
    [c] = comparison.sections
    assert c.statuses == {S.MOVED}  # judged among all sections
    assert c.diff is not None and not c.diff.changed  # the text, to show it
    assert comparison.totals.moved == 1 and comparison.totals.unchanged == 0
    assert compare(coordinator, programme, 1, 2, section_key="nope").sections == ()


def test_rows_only_when_asked(coordinator: User, programme: Programme) -> None:
    build_round(coordinator, programme, [("a", "A", "jeden\ndwa\ntrzy")])
    build_round(coordinator, programme, [("a", "A", "jeden\ndwa i pół\ntrzy\ncztery")])
    [inline] = compare(coordinator, programme, 1, 2).sections
    assert inline.rows is None
    [side] = compare(coordinator, programme, 1, 2, side_by_side=True).sections
    assert side.rows is not None
    assert [(r.kind, r.old_number, r.new_number) for r in side.rows] == [
        ("equal", 1, 1),
        ("changed", 2, 2),
        ("equal", 3, 3),
        ("inserted", None, 4),
    ]


def test_choose_rounds_defaults(users, coordinator: User, programme: Programme):
    one = build_round(coordinator, programme, layout("a"))
    two = build_round(coordinator, programme, layout("a", "b"))
    three = build_round(coordinator, programme, layout("b"), publish=False)
    assert services.choose_rounds(None, programme) == (one, two)
    assert services.choose_rounds(None, programme, None, 1) == (one, one)
    assert services.choose_rounds(None, programme, 2, None) == (two, two)
    assert services.choose_rounds(None, programme, 2, 1) == (two, one)
    assert services.choose_rounds(None, programme, 9, 1) is None
    # The working copy: its base by default, and only for the team.
    assert services.choose_rounds(coordinator, programme, None, 3) == (two, three)
    assert services.choose_rounds(None, programme, None, 3) is None
    assert services.choose_rounds(None, programme, 3, 2) is None


def test_choose_rounds_without_public_rounds(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a"), publish=False)
    assert services.choose_rounds(None, programme) is None
    assert services.choose_rounds(coordinator, programme) is None


def test_working_round_needs_the_team(
    users, coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a"))
    working = build_round(coordinator, programme, layout("a", "b"), publish=False)
    base = programme.rounds[0]
    for outsider in (None, *(u for u in users.values() if not u.is_coordinator)):
        with pytest.raises(NotAllowed):
            services.compare_rounds(outsider, base, working)
    comparison = services.compare_rounds(coordinator, base, working)
    assert statuses(comparison)["b"] == {S.ADDED}


def test_rounds_of_two_programmes_are_refused(coordinator: User, programme) -> None:
    from tests.factories import make_programme

    other = make_programme("inny")
    mine = build_round(coordinator, programme, layout("a"))
    theirs = build_round(coordinator, other, layout("a"))
    with pytest.raises(Invalid):
        services.compare_rounds(None, mine, theirs)


def test_cache_returns_the_same_diff_for_frozen_versions(
    coordinator: User, programme: Programme
) -> None:
    build_round(coordinator, programme, layout("a"))
    build_round(coordinator, programme, layout("a", text="Inny tekst {key}."))
    first = compare(coordinator, programme, 1, 2, side_by_side=True).sections[0]
    again = compare(coordinator, programme, 1, 2, side_by_side=True).sections[0]
    assert first.diff is again.diff and first.rows is again.rows
    old, new = first.old, first.new
    assert services.diff_versions(old, new) is first.diff
    assert services.aligned_rows(old, new) is first.rows


def test_cache_is_fresh_after_a_working_version_is_saved(
    coordinator: User, programme: Programme
) -> None:
    base = build_round(coordinator, programme, layout("a"))
    working = build_round(coordinator, programme, layout("a"), publish=False)
    section = programme.sections[0]

    def save(text: str) -> None:
        documents.save_section_version(
            coordinator,
            working,
            section,
            number="§ 1",
            title="A",
            position=1,
            text=text,
        )

    save("Pierwsza wersja robocza.")
    before = services.compare_rounds(coordinator, base, working).sections[0]
    assert services.compare_rounds(coordinator, base, working).sections[0].diff is (
        before.diff
    )
    revision = before.new.revision
    save("Druga wersja robocza, dłuższa.")
    after = services.compare_rounds(coordinator, base, working).sections[0]
    assert after.new.revision == revision + 1
    assert after.diff is not before.diff
    assert after.diff.new_text == "Druga wersja robocza, dłuższa."


@pytest.mark.parametrize(
    ("value", "number"), [(None, None), ("", None), (" ", None), ("1", 1), ("12", 12)]
)
def test_parse_round_number(value, number) -> None:
    assert services.parse_round_number(value) == number


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "١", "1e3", "9999999"])
def test_parse_round_number_refuses(value: str) -> None:
    with pytest.raises(ValueError):
        services.parse_round_number(value)


def test_demo_round_1_to_2(demo: Programme) -> None:
    comparison = compare(None, demo, 1, 2)
    found = statuses(comparison)
    with_status = {s: {k for k, v in found.items() if s in v} for s in S}
    assert with_status[S.ADDED] == {"komisje-konkursowe"}
    assert with_status[S.REMOVED] == {"male-granty"}
    assert "tworzenie-i-konsultacje" in with_status[S.RENAMED]
    assert "okres-realizacji" in with_status[S.MOVED]
    # Sections shifted by the insertion and the move are not "moved".
    assert not {"zasady-wspolpracy", "wysokosc-srodkow"} & with_status[S.MOVED]
    assert len(comparison.sections) == 22  # 21 in each round, one in and one out
    assert comparison.totals.words_added > 0 and comparison.totals.words_removed > 0
    assert comparison.totals.added == 1 and comparison.totals.removed == 1
