"""Which sections moved, and the order a comparison lists them in (pure)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from wpw.compare.order import longest_increasing, moved_items, reading_order


@pytest.mark.parametrize(
    ("old", "new", "moved"),
    [
        ("abcde", "abcde", ""),
        ("abcde", "aXbcde", ""),  # an insertion shifts the rest: nothing moved
        ("abcde", "acde", ""),  # a removal neither
        ("abcde", "XacdeY", ""),
        ("abcde", "eabcd", "e"),  # the last one to the top
        ("abcde", "adbce", "d"),  # one from the middle up
        ("abcde", "bcdea", "a"),  # the first one to the end
        ("abcdef", "fXbcdea", "af"),  # two moved, one added, followers kept
        ("abcde", "edcba", "bcde"),  # reversed: only the first stays
        ("", "abc", ""),
        ("abc", "", ""),
    ],
)
def test_moved_sections(old: str, new: str, moved: str) -> None:
    assert moved_items(list(old), list(new)) == set(moved)


@pytest.mark.parametrize(
    ("new", "moved"), [("bacd", "b"), ("acbd", "c"), ("abdc", "d"), ("cab", "c")]
)
def test_of_two_swapped_neighbours_the_one_that_went_up_moved(new, moved) -> None:
    assert moved_items(list("abcd"), list(new)) == set(moved)


@pytest.mark.parametrize(
    ("values", "length"),
    [([], 0), ([1], 1), ([3, 1, 2], 2), ([5, 4, 3], 1), ([1, 5, 2, 6, 3, 7], 4)],
)
def test_longest_increasing(values: list[int], length: int) -> None:
    kept = sorted(longest_increasing(values))
    assert len(kept) == length
    assert all(values[i] < values[j] for i, j in pairwise(kept))


@pytest.mark.parametrize(
    ("old", "new", "order"),
    [
        ("abc", "abc", "abc"),
        ("abc", "ac", "abc"),  # b where it was
        ("abc", "bc", "abc"),  # a led: still first
        ("abc", "aXc", "abXc"),  # removed before added
        ("abcd", "da", "dabc"),  # b and c follow a, their last neighbour kept
        ("", "ab", "ab"),
        ("ab", "", "ab"),
    ],
)
def test_reading_order(old: str, new: str, order: str) -> None:
    assert "".join(reading_order(list(old), list(new))) == order
