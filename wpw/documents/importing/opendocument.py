"""Reading an OpenDocument text (``.odt``) file into paragraphs, with odfpy.

- ``text:h`` is a heading at its ``text:outline-level``; paragraphs in the
  ``Title`` and ``Subtitle`` styles rank above level 1;
- list items become lines with their number or bullet written out (``1.``,
  ``a)``, ``•``), counted the way the list style says;
- tracked changes count as accepted (deletions live apart, in
  ``text:tracked-changes``, and are skipped);
- a table row becomes one line, its cells joined by ``" | "``;
- footnotes, comments, frames and generated indexes are left out.

odfpy parses with defusedxml, so entity tricks in the XML are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO

from flask_babel import gettext as _
from odf.element import Element, Node
from odf.namespaces import OFFICENS, STYLENS, TABLENS, TEXTNS, XMLNS
from odf.opendocument import load

from wpw.documents.importing.readers import ODT_MIMETYPE, open_zip, refuse
from wpw.documents.importing.word import format_number
from wpw.text.sections import Paragraph

#: Text:h levels rank below the title and subtitle.
_HEADING_OFFSET = 2
_TITLE_STYLES = {"Title": 1, "Subtitle": 2}
#: Elements whose content is not the document's running text.
_SKIP = {
    (TEXTNS, "note"),
    (TEXTNS, "tracked-changes"),
    (TEXTNS, "table-of-content"),
    (TEXTNS, "alphabetical-index"),
    (TEXTNS, "illustration-index"),
    (TEXTNS, "table-index"),
    (TEXTNS, "object-index"),
    (TEXTNS, "user-index"),
    (TEXTNS, "bibliography"),
    (TEXTNS, "sequence-decls"),
    (TEXTNS, "variable-decls"),
    (TEXTNS, "user-field-decls"),
    (OFFICENS, "annotation"),
    (OFFICENS, "forms"),
}
_ODF_FORMATS = {"1": "decimal", "a": "lowerLetter", "A": "upperLetter"}
_ODF_FORMATS |= {"i": "lowerRoman", "I": "upperRoman"}


def read_odt(data: bytes) -> list[Paragraph]:
    """The paragraphs of an ``.odt`` file. Raises :class:`InvalidFields` for a
    file that is not a readable OpenDocument text."""
    kind = "OpenDocument (.odt)"
    broken = _(
        "Nie można odczytać dokumentu %(kind)s: plik jest uszkodzony.", kind=kind
    )
    with open_zip(data, ("mimetype", "content.xml"), kind) as archive:
        entry = archive.getinfo("mimetype")
        try:
            mimetype = archive.read(entry).strip() if entry.file_size < 100 else b""
        except Exception:  # a damaged entry: bad CRC, bad deflate stream
            refuse(broken)
    if mimetype != ODT_MIMETYPE:
        refuse(_("Plik nie jest dokumentem %(kind)s.", kind=kind))
    try:
        document = load(BytesIO(data))
        body = document.text
        styles = _Styles([document.automaticstyles, document.styles])
    except Exception:  # odfpy raises many kinds for a broken file
        refuse(broken)
    if body is None:
        refuse(broken)
    return list(_Reader(styles).blocks(body))


def _attr(element: Element, ns: str, name: str) -> str | None:
    return element.attributes.get((ns, name))


def _int(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _children(element: Element) -> Iterator[Element]:
    for child in element.childNodes:
        if child.nodeType == Node.ELEMENT_NODE:
            yield child


def element_text(element: Element) -> str:
    """The running text of a paragraph or heading: spaces, tabs and line breaks
    as ODF means them; no notes, comments or frames."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if child.nodeType == Node.TEXT_NODE:
                parts.append(re.sub(r"\s+", " ", child.data))
                continue
            if child.nodeType != Node.ELEMENT_NODE or child.qname in _SKIP:
                continue
            ns, name = child.qname
            if ns == TEXTNS and name == "s":
                parts.append(" " * min(_int(_attr(child, TEXTNS, "c"), 1), 100))
            elif ns == TEXTNS and name == "tab":
                parts.append("\t")
            elif ns == TEXTNS and name == "line-break":
                parts.append("\n")
            elif ns in (TEXTNS, OFFICENS) or (ns, name) == (TEXTNS, "number"):
                walk(child)

    walk(element)
    return "".join(parts)


@dataclass
class _ListLevel:
    kind: str  # "number", "bullet" or "none"
    fmt: str = "decimal"
    prefix: str = ""
    suffix: str = ""
    start: int = 1
    display: int = 1
    bullet: str = "•"


class _Styles:
    """Paragraph styles (parent and list style) and list styles by name."""

    def __init__(self, containers: list[Element | None]) -> None:
        self.parents: dict[str, str | None] = {}
        self.list_of: dict[str, str] = {}
        self.outline: dict[str, int] = {}
        self.lists: dict[str, dict[int, _ListLevel]] = {}
        for container in containers:
            for element in _children(container) if container is not None else ():
                name = _attr(element, STYLENS, "name") or ""
                if element.qname == (STYLENS, "style"):
                    self.parents.setdefault(
                        name, _attr(element, STYLENS, "parent-style-name")
                    )
                    if list_style := _attr(element, STYLENS, "list-style-name"):
                        self.list_of.setdefault(name, list_style)
                    outline = _attr(element, STYLENS, "default-outline-level")
                    if outline and outline.isdigit():
                        self.outline.setdefault(name, _int(outline, 1))
                elif element.qname == (TEXTNS, "list-style"):
                    self.lists.setdefault(name, _list_levels(element))

    def chain(self, name: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while name and name not in seen:
            seen.add(name)
            yield name
            name = self.parents.get(name)

    def level(self, name: str | None) -> int:
        for style in self.chain(name):
            if style in _TITLE_STYLES:
                return _TITLE_STYLES[style]
            if style in self.outline:
                return self.outline[style] + _HEADING_OFFSET
        return 0

    def list_style(self, paragraph_style: str | None) -> str | None:
        return next(
            (self.list_of[s] for s in self.chain(paragraph_style) if s in self.list_of),
            None,
        )


def _list_levels(element: Element) -> dict[int, _ListLevel]:
    levels = {}
    for child in _children(element):
        name = child.qname[1]
        level = _int(_attr(child, TEXTNS, "level"), 1)
        if name == "list-level-style-number":
            fmt = _attr(child, STYLENS, "num-format") or ""
            levels[level] = _ListLevel(
                kind="number" if fmt else "none",
                fmt=_ODF_FORMATS.get(fmt, "decimal"),
                prefix=_attr(child, STYLENS, "num-prefix") or "",
                suffix=_attr(child, STYLENS, "num-suffix") or "",
                start=_int(_attr(child, TEXTNS, "start-value"), 1),
                display=_int(_attr(child, TEXTNS, "display-levels"), 1),
            )
        elif name == "list-level-style-bullet":
            levels[level] = _ListLevel("bullet", bullet=_bullet(child))
        elif name == "list-level-style-image":
            levels[level] = _ListLevel("bullet")
    return levels


def _bullet(element: Element) -> str:
    char = (_attr(element, TEXTNS, "bullet-char") or "").strip()
    return "•" if not char or "\ue000" <= char[0] <= "\uf8ff" else char


@dataclass
class _Counters:
    values: list[int | None] = field(default_factory=lambda: [None] * 11)


class _Reader:
    """Walks the body in reading order, numbering list items as it goes."""

    def __init__(self, styles: _Styles) -> None:
        self.styles = styles
        self.last_by_style: dict[str | None, _Counters] = {}
        self.by_id: dict[str, _Counters] = {}

    def blocks(self, container: Element) -> Iterator[Paragraph]:
        for child in _children(container):
            ns, name = child.qname
            if child.qname in _SKIP:
                continue
            if (ns, name) == (TEXTNS, "h"):
                yield Paragraph(element_text(child), self._level(child))
            elif (ns, name) == (TEXTNS, "p"):
                style = _attr(child, TEXTNS, "style-name")
                yield Paragraph(element_text(child), self.styles.level(style))
            elif (ns, name) == (TEXTNS, "list"):
                yield from self.list_(child, None, None, 1)
            elif (ns, name) == (TABLENS, "table"):
                yield from self.table(child)
            elif ns == TEXTNS and name in ("section", "numbered-paragraph"):
                yield from self.blocks(child)

    def list_(
        self,
        element: Element,
        style: str | None,
        counters: _Counters | None,
        depth: int,
    ) -> Iterator[Paragraph]:
        style = _attr(element, TEXTNS, "style-name") or style
        if style is None:  # the list style may come from its first paragraph
            first = next(_descendants(element, (TEXTNS, "p"), (TEXTNS, "h")), None)
            if first is not None:
                style = self.styles.list_style(_attr(first, TEXTNS, "style-name"))
        if counters is None:
            counters = self._counters_for(element, style)
        for item in _children(element):
            if item.qname not in ((TEXTNS, "list-item"), (TEXTNS, "list-header")):
                continue
            yield from self.item(item, style, counters, depth)

    def _counters_for(self, element: Element, style: str | None) -> _Counters:
        continued = _attr(element, TEXTNS, "continue-list")
        if continued and continued in self.by_id:
            counters = self.by_id[continued]
        elif _attr(element, TEXTNS, "continue-numbering") == "true" and (
            style in self.last_by_style
        ):
            counters = self.last_by_style[style]
        else:
            counters = _Counters()
        self.last_by_style[style] = counters
        if xml_id := _attr(element, XMLNS, "id"):
            self.by_id[xml_id] = counters
        return counters

    def item(
        self, item: Element, style: str | None, counters: _Counters, depth: int
    ) -> Iterator[Paragraph]:
        label = None
        numbered = item.qname == (TEXTNS, "list-item")
        for child in _children(item):
            if child.qname == (TEXTNS, "list"):
                yield from self.list_(child, style, counters, depth + 1)
            elif child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                text = element_text(child)
                if label is None:
                    label = (
                        self._advance(item, style, counters, depth) if numbered else ""
                    )
                    if label and text.strip() and not _has_number(child):
                        text = f"{label} {text}"
                yield Paragraph(text, self._level(child))
            else:
                yield from self.blocks(_Wrapper(child))

    def _level(self, element: Element) -> int:
        if element.qname == (TEXTNS, "h"):
            outline = _int(_attr(element, TEXTNS, "outline-level"), 1)
            return min(max(outline, 1), 10) + _HEADING_OFFSET
        return self.styles.level(_attr(element, TEXTNS, "style-name"))

    def _advance(
        self, item: Element, style: str | None, counters: _Counters, depth: int
    ) -> str:
        levels = self.styles.lists.get(style or "", {})
        level = levels.get(depth, _ListLevel("bullet"))
        values = counters.values
        depth = min(depth, len(values) - 1)
        start = _attr(item, TEXTNS, "start-value")
        current = values[depth]
        if start and start.isdigit():
            values[depth] = _int(start, 1)
        else:
            values[depth] = level.start if current is None else current + 1
        for deeper in range(depth + 1, len(values)):
            values[deeper] = None
        if level.kind == "bullet":
            return level.bullet
        if level.kind == "none":
            return ""
        shown = []
        for d in range(max(1, depth - level.display + 1), depth + 1):
            lvl = levels.get(d, level)
            value = values[d]
            shown.append(format_number(lvl.start if value is None else value, lvl.fmt))
        return f"{level.prefix}{'.'.join(shown)}{level.suffix}".strip()

    def table(self, table: Element) -> Iterator[Paragraph]:
        for row in _descendants(table, (TABLENS, "table-row")):
            cells = [
                " ".join(
                    element_text(p).strip()
                    for p in _descendants(cell, (TEXTNS, "p"), (TEXTNS, "h"))
                ).strip()
                for cell in _children(row)
                if cell.qname == (TABLENS, "table-cell")
            ]
            if any(cells):
                yield Paragraph(" | ".join(cells))


class _Wrapper:
    """Lets :meth:`_Reader.blocks` walk a single element as a container."""

    def __init__(self, element: Element) -> None:
        self.childNodes = [element]


def _descendants(element: Element, *qnames: tuple[str, str]) -> Iterator[Element]:
    for child in _children(element):
        if child.qname in qnames:
            yield child
        else:
            yield from _descendants(child, *qnames)


def _has_number(element: Element) -> bool:
    return any(c.qname == (TEXTNS, "number") for c in _children(element))
