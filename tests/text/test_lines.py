"""Line numbering and line ranges (pure; no app)."""

import pytest

from wpw.text.lines import (
    LineRange,
    LineRangeError,
    normalise_text,
    parse_line_range,
    split_lines,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("a  \nb\t\n", "a\nb"),
        ("a\n\n\n", "a"),
        ("\n\na", "\n\na"),  # leading empty lines are kept: they are numbered
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_split_lines_numbers_from_one() -> None:
    lines = split_lines("pierwszy\ndrugi\n\nczwarty")
    assert lines == ("pierwszy", "drugi", "", "czwarty")
    assert split_lines("") == ()


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("5", 5, 5),
        ("3-5", 3, 5),
        ("L3-L5", 3, 5),
        ("3–5", 3, 5),
        (" 7 ", 7, 7),
        ("5-3", 3, 5),
    ],
)
def test_parse_line_range(value: str, first: int, last: int) -> None:
    assert parse_line_range(value) == LineRange(first, last)


@pytest.mark.parametrize(
    "value", ["", "0", "0-3", "a", "3-", "-3", "1,2", "3-5-7", "9999999"]
)
def test_parse_line_range_rejects(value: str) -> None:
    with pytest.raises(LineRangeError):
        parse_line_range(value)


def test_line_range_fragment_and_fit() -> None:
    assert LineRange(5, 5).fragment == "L5"
    assert LineRange(3, 5).fragment == "L3-L5"
    assert 4 in LineRange(3, 5) and 6 not in LineRange(3, 5)
    assert LineRange(3, 5).fits(5) and not LineRange(3, 6).fits(5)
    with pytest.raises(ValueError):
        LineRange(4, 3)
