"""Reading a Word ``.docx`` file into paragraphs, with python-docx.

python-docx opens and validates the package; the text is read from the XML so
that what Word shows is what is imported:

- headings come from the paragraph style (``Heading 1``/``Nagłówek 1`` …, also
  through styles based on them, or an outline level); ``Title`` and
  ``Subtitle`` rank above ``Heading 1``;
- automatic numbering (``1.``, ``1)``, ``a)``, bullets) is written out as
  text, because the numbers of points are part of a programme's wording;
- tracked changes count as accepted (insertions in, deletions out);
- a table row becomes one line, its cells joined by ``" | "``;
- text boxes, footnotes and comments are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from flask_babel import gettext as _
from lxml import etree

from wpw.documents.importing.readers import open_zip, refuse
from wpw.text.sections import Paragraph

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _val(element: etree._Element | None, tag: str | None = None) -> str | None:
    """The ``w:val`` of *element* (or of its child *tag*)."""
    if element is not None and tag is not None:
        element = element.find(_w(tag))
    return None if element is None else element.get(_w("val"))


#: Elements whose text is not part of the paragraph's wording.
_SKIP = {
    _w(t)
    for t in (
        "pPr",
        "rPr",
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "txbxContent",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
    )
} | {f"{{{MC}}}Fallback"}
_HEADING_NAME = re.compile(r"^(?:heading|nagłówek|naglowek)\s*([1-9])$")
_TITLE_NAMES = {"title": 1, "tytuł": 1, "tytul": 1, "subtitle": 2, "podtytuł": 2}
#: Heading N ranks below the title and subtitle.
_HEADING_OFFSET = 2


def read_docx(data: bytes) -> list[Paragraph]:
    """The paragraphs of a ``.docx`` file. Raises :class:`InvalidFields` for a
    file that is not a readable Word document."""
    kind = "Word (.docx)"
    open_zip(data, ("word/document.xml",), kind).close()
    try:
        document = docx.Document(BytesIO(data))
        body = document.element.body
        styles_element = document.styles.element
        numbering_element = _numbering_element(document)
    except Exception:  # python-docx and lxml raise many kinds for a broken file
        refuse(
            _("Nie można odczytać dokumentu %(kind)s: plik jest uszkodzony.", kind=kind)
        )
    styles = _Styles(styles_element)
    numbering = _Numbering(numbering_element, styles)
    return list(_read_body(body, styles, numbering))


def _numbering_element(document) -> etree._Element | None:
    try:  # not document.part.numbering_part, which adds an empty one
        return document.part.part_related_by(RT.NUMBERING).element
    except KeyError:
        return None


def _read_body(
    container, styles: _Styles, numbering: _Numbering
) -> Iterator[Paragraph]:
    for child in container:
        if child.tag == _w("p"):
            yield _paragraph(child, styles, numbering)
        elif child.tag == _w("tbl"):
            yield from _table(child)
        elif child.tag == _w("sdt"):  # a content control around blocks
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _read_body(content, styles, numbering)
        elif child.tag == _w("customXml"):
            yield from _read_body(child, styles, numbering)


def _paragraph(p, styles: _Styles, numbering: _Numbering) -> Paragraph:
    ppr = p.find(_w("pPr"))
    style_id = _val(ppr, "pStyle") if ppr is not None else None
    level = styles.level(style_id)
    outline = _val(ppr, "outlineLvl") if ppr is not None else None
    if outline is not None and outline.isdigit():
        level = int(outline) + 1 + _HEADING_OFFSET if int(outline) < 9 else 0
    text = paragraph_text(p)
    label = numbering.label(ppr, style_id)  # an empty item still counts
    return Paragraph(f"{label} {text}" if label and text.strip() else text, level)


def paragraph_text(p) -> str:
    """The text of a ``w:p`` as Word shows it: tabs, line breaks, inserted
    text; no deleted text, field codes or text boxes."""
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _w("t"):
                parts.append(child.text or "")
            elif tag == _w("tab"):
                parts.append("\t")
            elif tag in (_w("br"), _w("cr")):
                if child.get(_w("type")) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == _w("noBreakHyphen"):
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _table(tbl) -> Iterator[Paragraph]:
    for row in tbl.iter(_w("tr")):
        cells = [
            " ".join(paragraph_text(p).strip() for p in cell.iter(_w("p"))).strip()
            for cell in row.findall(_w("tc"))
        ]
        if any(cells):
            yield Paragraph(" | ".join(cells))


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    outline: int | None
    num: tuple[str, int] | None  # (numId, ilvl) of numbering set by the style


class _Styles:
    """Paragraph styles by id, with what a heading and a list need from them."""

    def __init__(self, element) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default: str | None = None
        for style in element.findall(_w("style")):
            if style.get(_w("type")) != "paragraph":
                continue
            style_id = style.get(_w("styleId")) or ""
            ppr = style.find(_w("pPr"))
            outline = _val(ppr, "outlineLvl") if ppr is not None else None
            self.by_id[style_id] = _Style(
                name=(_val(style, "name") or "").strip().lower(),
                based_on=_val(style, "basedOn"),
                outline=int(outline) if outline and outline.isdigit() else None,
                num=_num_pr(ppr),
            )
            if style.get(_w("default")) in ("1", "true"):
                self.default = style_id

    def chain(self, style_id: str | None) -> Iterator[_Style]:
        """The style and the styles it is based on, nearest first."""
        seen: set[str] = set()
        current = style_id or self.default
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            style = self.by_id[current]
            yield style
            current = style.based_on

    def level(self, style_id: str | None) -> int:
        for style in self.chain(style_id):
            if match := _HEADING_NAME.match(style.name):
                return int(match.group(1)) + _HEADING_OFFSET
            if style.name in _TITLE_NAMES:
                return _TITLE_NAMES[style.name]
            if style.outline is not None:
                return style.outline + 1 + _HEADING_OFFSET if style.outline < 9 else 0
        return 0


def _num_pr(ppr) -> tuple[str, int] | None:
    """``(numId, ilvl)`` from a ``w:pPr``; ``("0", 0)`` switches numbering off."""
    num_pr = ppr.find(_w("numPr")) if ppr is not None else None
    if num_pr is None:
        return None
    num_id = _val(num_pr, "numId")
    ilvl = _val(num_pr, "ilvl") or "0"
    if num_id is None:
        return None
    return num_id, int(ilvl) if ilvl.isdigit() else 0


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"


@dataclass
class _Num:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)  # ilvl → start


class _Numbering:
    """Word's list numbering, rendered the way Word counts: per abstract list,
    a level restarting whenever a shallower level advances."""

    def __init__(self, element, styles: _Styles) -> None:
        self.styles = styles
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, _Num] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        if element is None:
            return
        links: dict[str, str] = {}
        for abstract in element.findall(_w("abstractNum")):
            abstract_id = abstract.get(_w("abstractNumId")) or ""
            self.abstracts[abstract_id] = {
                int(lvl.get(_w("ilvl")) or 0): _level(lvl)
                for lvl in abstract.findall(_w("lvl"))
            }
            if link := _val(abstract, "numStyleLink"):
                links[abstract_id] = link
        for num in element.findall(_w("num")):
            overrides = {}
            for override in num.findall(_w("lvlOverride")):
                start = _val(override, "startOverride")
                if start is not None and start.isdigit():
                    overrides[int(override.get(_w("ilvl")) or 0)] = int(start)
            self.nums[num.get(_w("numId")) or ""] = _Num(
                _val(num, "abstractNumId") or "", overrides
            )
        for abstract_id, style_id in links.items():  # a list defined by a style
            style = styles.by_id.get(style_id)
            if style and style.num and style.num[0] in self.nums:
                target = self.nums[style.num[0]].abstract
                self.abstracts[abstract_id] = self.abstracts.get(target, {})

    def label(self, ppr, style_id: str | None) -> str:
        """The number Word shows before this paragraph, advancing the count."""
        num_pr = _num_pr(ppr)
        if num_pr is None:
            num_pr = next((s.num for s in self.styles.chain(style_id) if s.num), None)
        if num_pr is None or num_pr[0] == "0" or num_pr[0] not in self.nums:
            return ""
        num_id, ilvl = num_pr
        num = self.nums[num_id]
        levels = self.abstracts.get(num.abstract, {})
        if ilvl not in levels:
            return ""
        key = f"num:{num_id}" if num.overrides else num.abstract
        counters = self.counters.setdefault(key, [None] * 10)
        if num.overrides and num_id not in self.started:
            self.started.add(num_id)
            for level, start in num.overrides.items():
                if 0 <= level < 10:
                    counters[level] = start - 1
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for deeper in range(ilvl + 1, 10):
            counters[deeper] = None
        return _render(levels, counters, ilvl)


def _level(lvl) -> _Level:
    start = _val(lvl, "start")
    return _Level(
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText") or "",
        start=int(start) if start and start.isdigit() else 1,
        suffix=_val(lvl, "suff") or "tab",
    )


def _render(levels: dict[int, _Level], counters: list[int | None], ilvl: int) -> str:
    level = levels[ilvl]
    if level.fmt == "none":
        return ""
    if level.fmt == "bullet":
        char = level.text.strip()
        # Symbol and Wingdings bullets live in the private use area.
        return "•" if not char or "\ue000" <= char[0] <= "\uf8ff" else char

    def number(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        if index not in levels:
            return ""
        value = counters[index]
        return format_number(
            levels[index].start if value is None else value, levels[index].fmt
        )

    return re.sub(r"%([1-9])", number, level.text).strip()


def format_number(value: int, fmt: str) -> str:
    """*value* in Word's number format *fmt* (``decimal``, ``lowerLetter`` …)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = _letters(value)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(value)
        return text.lower() if fmt == "lowerRoman" else text
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _letters(value: int) -> str:
    """1 → a, 26 → z, 27 → aa, 28 → bb (Word repeats the letter)."""
    if value < 1:
        return str(value)
    letter = chr(ord("a") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if not 0 < value < 4000:
        return str(value)
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out += numeral * count
    return out
