"""Lines of a section's text and line ranges that readers cite ("lines 3–5").

A section's text is split on ``\\n`` only; lines are numbered from 1. Normalising
line endings happens once, when text is stored (:func:`normalise_text`), so the
numbering a reader cites is the numbering everyone else sees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE = re.compile(r"^\s*L?(\d{1,6})\s*(?:[-–—]\s*L?(\d{1,6}))?\s*$")


def normalise_text(text: str) -> str:
    """Return *text* with ``\\r\\n``/``\\r`` turned into ``\\n``, trailing spaces
    removed from each line, and no trailing empty lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def split_lines(text: str) -> tuple[str, ...]:
    """Split *text* into its lines; an empty text has no lines."""
    if not text:
        return ()
    return tuple(text.split("\n"))


@dataclass(frozen=True, slots=True)
class LineRange:
    """An inclusive range of line numbers, ``first <= last``, counted from 1."""

    first: int
    last: int

    def __post_init__(self) -> None:
        if self.first < 1 or self.last < self.first:
            raise ValueError(f"bad line range {self.first}-{self.last}")

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.first <= number <= self.last

    @property
    def fragment(self) -> str:
        """The URL fragment for this range: ``L5`` or ``L3-L5``."""
        if self.first == self.last:
            return f"L{self.first}"
        return f"L{self.first}-L{self.last}"

    def fits(self, line_count: int) -> bool:
        return self.last <= line_count


class LineRangeError(ValueError):
    """The text does not name a line range."""


def parse_line_range(value: str) -> LineRange:
    """Parse ``"5"``, ``"3-5"``, ``"L3-L5"`` or ``"3–5"`` into a :class:`LineRange`.

    A reversed range (``"5-3"``) is put in order. Raises :class:`LineRangeError`
    for anything else, including line 0.
    """
    match = _RANGE.match(value or "")
    if not match:
        raise LineRangeError(value)
    first = int(match.group(1))
    last = int(match.group(2) or first)
    first, last = min(first, last), max(first, last)
    if first < 1:
        raise LineRangeError(value)
    return LineRange(first, last)
