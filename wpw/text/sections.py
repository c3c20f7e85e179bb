"""Splitting an imported document into sections, and matching them to a round's.

An office file (read elsewhere, in :mod:`wpw.documents.importing`) arrives here as
a sequence of :class:`Paragraph` — its text and its heading level, ``0`` for
body text. :func:`split_sections` cuts it into :class:`ParsedSection` (number,
title, text), :func:`match_sections` pairs those with the sections a round
already has, and :func:`word_changes` counts what an edit adds and removes.

Where sections begin, in this order of preference:

1. **headings that start with a § marker** (``§ 4. Cele programu``, ``§ 4`` —
   then the next paragraph is the title); other headings at the same or a
   higher rank are chapter titles, which a section cannot hold: they are
   skipped with a warning; deeper headings are lines of the section's text;
2. otherwise **body lines that start with a § marker** — the plain-text way;
   a line like ``§ 5 ust. 2 stosuje się…`` (lower case after the number) is
   text, not a new section; headings are skipped with a warning;
3. otherwise **headings of the section rank**: the highest rank that occurs at
   least twice (or the lowest rank, for a one-section file), so a document title
   above the sections is not mistaken for one; a leading number (``2.3 Cele``)
   becomes the section's number.

Headings before the first section are the document's title and are dropped
silently. Body text before the first section belongs to no section: it is
**not imported** and reported as a warning (:attr:`IssueCode.PREAMBLE`) so the
person importing sees it in the preview — the app has no place for untitled,
unnumbered text, and turning it into an invented section would be a guess.

A section's lines are its paragraphs, soft line breaks included, each stripped
of surrounding spaces (tabs become spaces); blank lines are dropped, because
the app's sections have none and line numbers must not count them.

Pure: ``str``, ``int`` and frozen dataclasses in and out; no IO.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import pairwise
from typing import Protocol

from wpw.text.lines import normalise_text

#: Limits of a section version's columns (``number`` 20, ``title`` 300).
MAX_NUMBER_LENGTH = 20
MAX_TITLE_LENGTH = 300
#: Two texts at least this similar (difflib ratio of their lines) may be the
#: same section renamed *and* renumbered.
SIMILAR_TEXT = 0.75

# "§ 4", "§4.", "§ 12a. Tytuł", "§ 4 – Tytuł"; the rest of the line is the title.
_MARKER = re.compile(
    r"^§\s*(?P<num>\d+[a-z]?)(?P<dot>\.)?(?=\s|$|[–—:-])\s*(?:[–—:-]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
# "2.3 Cele", "4. Zasady" — a numbered heading without a § sign.
_NUMBERED = re.compile(r"^(?P<num>\d+(?:\.\d+)*)\.?\s+(?P<rest>\S.*)$")
_SPACES = re.compile(r"\s+")
# Characters no section text should carry: C0 controls other than tab and
# newline, zero-width spaces, the soft hyphen and a byte-order mark.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b-\u200d\u2060\ufeff]")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of an imported file: its text and heading level (0 = body).

    Levels are relative: a reader ranks a document title above ``Heading 1``
    by giving it a smaller number. *text* may hold ``\\n`` for soft line breaks.
    """

    text: str
    level: int = 0


@dataclass(frozen=True, slots=True)
class ParsedSection:
    """A section found in a file: number (``§ 4``), title and normalised text."""

    number: str
    title: str
    text: str

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.split("\n")) if self.text else ()


class IssueCode(enum.StrEnum):
    """What can be wrong with a file's structure. See :data:`BLOCKING`."""

    NO_SECTIONS = "no-sections"  #: no heading and no § marker
    DUPLICATE_NUMBER = "duplicate-number"  #: detail: the number
    DUPLICATE_TITLE = "duplicate-title"  #: two unnumbered sections; detail: title
    MISSING_NUMBER = "missing-number"  #: a heading without a number; detail: title
    MISSING_TITLE = "missing-title"  #: "§ 4" with nothing after it; detail: number
    NUMBER_TOO_LONG = "number-too-long"  #: detail: the number
    TITLE_TOO_LONG = "title-too-long"  #: detail: the number
    PREAMBLE = "preamble"  #: text before the first section; detail: its first line
    SKIPPED_HEADING = "skipped-heading"  #: a chapter heading; detail: its text
    EMPTY_SECTION = "empty-section"  #: detail: the number


#: Issues that make a file impossible to import; the others are warnings.
BLOCKING = frozenset(
    {
        IssueCode.NO_SECTIONS,
        IssueCode.DUPLICATE_NUMBER,
        IssueCode.DUPLICATE_TITLE,
        IssueCode.MISSING_NUMBER,
        IssueCode.MISSING_TITLE,
        IssueCode.NUMBER_TOO_LONG,
        IssueCode.TITLE_TOO_LONG,
    }
)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while splitting; *paragraph* counts from 1 (0: the file)."""

    code: IssueCode
    paragraph: int = 0
    detail: str = ""
    count: int = 0  #: how many lines, for :attr:`IssueCode.PREAMBLE`

    @property
    def blocking(self) -> bool:
        return self.code in BLOCKING


@dataclass(frozen=True, slots=True)
class SplitResult:
    """The sections of a file and what was wrong or skipped on the way."""

    sections: tuple[ParsedSection, ...]
    issues: tuple[Issue, ...] = field(default=())

    @property
    def problems(self) -> tuple[Issue, ...]:
        """The blocking issues: the file must not be imported while any remain."""
        return tuple(i for i in self.issues if i.blocking)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if not i.blocking)


# --- splitting ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    index: int  # 1-based paragraph number in the file
    text: str  # whitespace-tidied; soft breaks kept as "\n"
    level: int


@dataclass(frozen=True, slots=True)
class _Heading:
    number: str
    title: str  # "" when the title is the next paragraph


def clean_line(line: str) -> str:
    """*line* without invisible characters, tabs as spaces, no surrounding spaces."""
    return _INVISIBLE.sub("", line).replace("\t", " ").strip()


def _tidy(paragraphs: Sequence[Paragraph]) -> list[_Item]:
    items = []
    for index, paragraph in enumerate(paragraphs, 1):
        lines = [clean_line(x) for x in normalise_text(paragraph.text).split("\n")]
        text = "\n".join(x for x in lines if x)
        if paragraph.level > 0:
            text = _SPACES.sub(" ", text)  # a heading is one line
        if text:
            items.append(_Item(index, text, max(paragraph.level, 0)))
    return items


def _marker(text: str, *, strict: bool) -> _Heading | None:
    """The § heading in *text*; *strict* (body lines) refuses ``§ 5 ust. 2 …``."""
    match = _MARKER.match(text)
    if not match:
        return None
    rest = match.group("rest").strip()
    if strict and rest and not match.group("dot") and rest[0].islower():
        return None
    return _Heading(f"§ {match.group('num')}", rest)


def _numbered(text: str) -> _Heading:
    if heading := _marker(text, strict=False):
        return heading
    if match := _NUMBERED.match(text):
        return _Heading(match.group("num"), match.group("rest"))
    return _Heading("", text)


def _section_rank(levels: Sequence[int]) -> int:
    """The highest rank that occurs twice, else the lowest rank present."""
    counts = Counter(levels)
    repeated = [level for level, n in counts.items() if n > 1]
    return min(repeated) if repeated else max(counts)


def _find_starts(items: Sequence[_Item]) -> tuple[dict[int, _Heading], int | None]:
    """Where sections start (item position → heading) and the rank above which
    headings are chapter titles (``None``: every heading is skipped)."""
    headings = [(i, it) for i, it in enumerate(items) if it.level > 0]
    marked = {
        i: h for i, it in headings if (h := _marker(it.text, strict=False)) is not None
    }
    if marked:
        return marked, max(items[i].level for i in marked)
    lines = {
        i: h
        for i, it in enumerate(items)
        if it.level == 0 and (h := _marker(it.text, strict=True)) is not None
    }
    if lines:
        return lines, None
    if not headings:
        return {}, None
    rank = _section_rank([it.level for _, it in headings])
    return {i: _numbered(it.text) for i, it in headings if it.level == rank}, rank


def split_sections(paragraphs: Sequence[Paragraph]) -> SplitResult:
    """Cut *paragraphs* into sections (see the module docstring for the rules).

    Never raises for bad input: everything wrong is an :class:`Issue`, blocking
    or not, in the result.
    """
    items = _tidy(paragraphs)
    starts, rank = _find_starts(items)
    if not starts:
        return SplitResult((), (Issue(IssueCode.NO_SECTIONS),))
    issues: list[Issue] = []
    first = min(starts)
    preamble = [it for it in items[:first] if it.level == 0]
    if preamble:
        count = sum(len(it.text.split("\n")) for it in preamble)
        detail = preamble[0].text.split("\n")[0]
        issues.append(Issue(IssueCode.PREAMBLE, preamble[0].index, detail, count))
    sections: list[tuple[int, ParsedSection]] = []
    bounds = [*sorted(starts), len(items)]
    for start, end in pairwise(bounds):
        heading, body = starts[start], list(items[start + 1 : end])
        title = heading.title
        if not title and body and heading.number.startswith("§"):
            title = body.pop(0).text.replace("\n", " ")
        lines: list[str] = []
        for item in body:
            if item.level > 0 and (rank is None or item.level <= rank):
                issues.append(Issue(IssueCode.SKIPPED_HEADING, item.index, item.text))
            else:
                lines.append(item.text)
        section = ParsedSection(
            heading.number, _SPACES.sub(" ", title), "\n".join(lines)
        )
        sections.append((items[start].index, section))
    issues += _check(sections)
    return SplitResult(tuple(s for _, s in sections), tuple(issues))


def _check(sections: Sequence[tuple[int, ParsedSection]]) -> list[Issue]:
    """Issues of single sections, then duplicates among them."""
    issues = []
    seen_numbers: set[str] = set()
    seen_titles: set[str] = set()
    for index, s in sections:
        if not s.number:
            issues.append(Issue(IssueCode.MISSING_NUMBER, index, s.title))
        elif len(s.number) > MAX_NUMBER_LENGTH:
            issues.append(Issue(IssueCode.NUMBER_TOO_LONG, index, s.number))
        elif (key := normalise_number(s.number)) in seen_numbers:
            issues.append(Issue(IssueCode.DUPLICATE_NUMBER, index, s.number))
        else:
            seen_numbers.add(key)
        if not s.title:
            issues.append(Issue(IssueCode.MISSING_TITLE, index, s.number))
        elif len(s.title) > MAX_TITLE_LENGTH:
            issues.append(Issue(IssueCode.TITLE_TOO_LONG, index, s.number))
        elif not s.number and (key := normalise_title(s.title)) in seen_titles:
            issues.append(Issue(IssueCode.DUPLICATE_TITLE, index, s.title))
        elif not s.number:
            seen_titles.add(normalise_title(s.title))
        if not s.text:
            issues.append(Issue(IssueCode.EMPTY_SECTION, index, s.number or s.title))
    return issues


# --- matching -----------------------------------------------------------------

_FOLD = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "ø": "o", "ß": "ss"})
_DASHES = re.compile(r"[‐-―−-]+")


def normalise_number(number: str) -> str:
    """``"§ 4."``, ``"§4"`` and ``"§ 4"`` compare equal."""
    return re.sub(r"[\s§.]+", "", number).casefold()


def normalise_title(title: str) -> str:
    """Case, spacing, dashes and Polish diacritics do not make titles differ."""
    folded = unicodedata.normalize("NFKD", title.translate(_FOLD))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    plain = _DASHES.sub("-", plain.casefold())
    return _SPACES.sub(" ", plain).strip(" .:")


class Matchable(Protocol):
    """What :func:`match_sections` compares: a parsed section or a stored version."""

    @property
    def number(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...


def match_sections(
    parsed: Sequence[ParsedSection],
    existing: Sequence[Matchable],
    *,
    by_number: bool = True,
) -> tuple[int | None, ...]:
    """For each parsed section, the index of the existing section it updates.

    Passes, each over what earlier passes left: number and title together;
    title alone (the section was renumbered, e.g. moved); number alone (renamed;
    skipped unless *by_number*); then similar text (renamed *and* renumbered).
    A title shared by two candidates matches neither. ``None``: a new section.
    """
    result: list[int | None] = [None] * len(parsed)
    free = set(range(len(existing)))

    def claim(key: Callable[[Matchable], str]) -> None:
        index: dict[str, list[int]] = {}
        for j in sorted(free):
            if k := key(existing[j]):
                index.setdefault(k, []).append(j)
        for i, section in enumerate(parsed):
            if result[i] is None and (k := key(section)):
                candidates = [j for j in index.get(k, ()) if j in free]
                if len(candidates) == 1:
                    result[i] = candidates[0]
                    free.discard(candidates[0])

    def both(s: Matchable) -> str:
        number = normalise_number(s.number)
        return f"{number}\x00{normalise_title(s.title)}" if number else ""

    claim(both)
    claim(lambda s: normalise_title(s.title))
    if by_number:
        claim(lambda s: normalise_number(s.number))
    _match_similar(parsed, existing, result, free)
    return tuple(result)


def _match_similar(
    parsed: Sequence[Matchable],
    existing: Sequence[Matchable],
    result: list[int | None],
    free: set[int],
) -> None:
    """Pair what is left by the most similar text, best pairs first."""
    pairs = []
    for i, section in enumerate(parsed):
        if result[i] is not None or not section.text:
            continue
        for j in free:
            matcher = SequenceMatcher(
                None, section.text.split("\n"), existing[j].text.split("\n"), False
            )
            if (
                matcher.real_quick_ratio() >= SIMILAR_TEXT
                and (ratio := matcher.ratio()) >= SIMILAR_TEXT
            ):
                pairs.append((-ratio, i, j))
    for _ratio, i, j in sorted(pairs):
        if result[i] is None and j in free:
            result[i] = j
            free.discard(j)


def word_changes(old: str, new: str) -> tuple[int, int]:
    """Words added and removed from *old* to *new*, counted as multisets."""
    before, after = Counter(old.split()), Counter(new.split())
    return sum((after - before).values()), sum((before - after).values())


def section_key(title: str, taken: set[str] | frozenset[str]) -> str:
    """A URL key for a new section from its *title*, not in *taken*.

    Lower-case ASCII words joined by hyphens, at most 60 characters before a
    ``-2``, ``-3`` … suffix; ``paragraf`` when the title has no letters.
    """
    folded = unicodedata.normalize("NFKD", title.translate(_FOLD))
    ascii_ = folded.encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_)
    base = ""
    for word in words:
        if len(base) + len(word) + 1 > 60:
            break
        base = f"{base}-{word}" if base else word
    base = base or (words[0][:60] if words else "paragraf")
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    return key


# --- Markdown lines -----------------------------------------------------------

_MD_INLINE = re.compile(r"([\\`*_\[\]<])")
_MD_BLOCK = re.compile(r"^(?:([#>+=|~-])|(\d{1,9})([.)]))")
_MD_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def markdown_escape(line: str) -> str:
    """*line* as Markdown that renders as exactly this text, one paragraph.

    Escapes what would start a block at the line's beginning (``#``, ``>``,
    ``-``, ``+``, ``1.``, ``1)`` …) and what could turn inline text into
    emphasis, code, links or HTML. Legal text rarely has these, so the file
    stays easy to read: ``1\\. Celem programu…``.
    """
    escaped = _MD_INLINE.sub(r"\\\1", line)
    match = _MD_BLOCK.match(escaped)
    if match and match.group(1):
        escaped = "\\" + escaped
    elif match:
        cut = match.end(2)
        escaped = escaped[:cut] + "\\" + escaped[cut:]
    if escaped.endswith("#"):
        escaped = escaped[:-1] + "\\#"  # not an ATX heading's closing sequence
    return escaped


def markdown_unescape(line: str) -> str:
    """Undo CommonMark backslash escapes (a backslash before ASCII punctuation)."""
    return _MD_UNESCAPE.sub(r"\1", line)
