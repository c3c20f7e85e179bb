"""A round as a Word (.docx) or Markdown file, e.g. to attach to the council's
resolution.

Both carry the programme's title, the round's number and title, and every
section as a heading "§ n Title" followed by its lines, one paragraph each —
so :mod:`wpw.documents.importing` reads them back to the same sections.

Markdown: ``#`` programme, ``##`` round, ``###`` sections; each line is its own
paragraph (a blank line between), so line breaks survive any renderer. A line
that Markdown would read as a list item, heading or quote (``1.``, ``1)``,
``-``, ``#``, ``>``) is escaped with a backslash (``1\\. Celem…``), as are the
few characters that would start emphasis, code, a link or HTML: the file shows
exactly the programme's text, and stays readable as plain text.
"""

from __future__ import annotations

import unicodedata
from io import BytesIO
from urllib.parse import quote

import docx
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from flask_babel import gettext as _

from wpw.documents.models import Round
from wpw.text.sections import markdown_escape

DOCX_MIMETYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)
MARKDOWN_MIMETYPE = "text/markdown; charset=utf-8"


def round_heading(round_: Round) -> str:
    return _("Runda %(n)d: %(title)s", n=round_.number, title=round_.title)


def round_to_docx(round_: Round) -> bytes:
    """The round as a .docx: title, subtitle, a Heading 1 per section and its
    lines as paragraphs."""
    programme = round_.programme
    document = docx.Document()
    document.core_properties.title = f"{programme.title} – {round_heading(round_)}"
    document.core_properties.language = "pl-PL"
    _set_language(document, "pl-PL")
    document.add_paragraph(programme.title, style="Title")
    document.add_paragraph(round_heading(round_), style="Subtitle")
    for version in round_.versions:
        document.add_heading(version.label, level=1)
        for line in version.lines:
            document.add_paragraph(line)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _set_language(document, tag: str) -> None:
    """Spell-check the text as Polish: the language of the default run style."""
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), tag)


def round_to_markdown(round_: Round) -> str:
    """The round as Markdown (see the module docstring for the escaping)."""
    blocks = [
        f"# {markdown_escape(round_.programme.title)}",
        f"## {markdown_escape(round_heading(round_))}",
    ]
    for version in round_.versions:
        blocks.append(f"### {markdown_escape(version.label)}")
        blocks += [markdown_escape(line) for line in version.lines]
    return "\n\n".join(blocks) + "\n"


def export_filename(round_: Round, extension: str) -> str:
    """``wpw-2012-2014-runda-2.docx``: the programme's slug and the round."""
    return f"{round_.programme.slug}-runda-{round_.number}.{extension}"


def content_disposition(filename: str) -> str:
    """An attachment header with an ASCII ``filename`` for old clients and the
    exact name as UTF-8 in ``filename*`` (RFC 6266)."""
    folded = unicodedata.normalize("NFKD", filename.replace("ł", "l").replace("Ł", "L"))
    ascii_name = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "_"
        for c in folded
        if not unicodedata.combining(c)
    )
    return (
        f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
