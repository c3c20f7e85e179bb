"""The report as CSV, XLSX and ODS: the same rows and columns as the page.

Every format takes a :class:`~wpw.report.services.Report` and writes
:func:`~wpw.report.services.columns` as the header and
:func:`~wpw.report.services.cells` for each row, so the downloads cannot drift
apart from each other or from the page.

* **CSV**: UTF-8 with a byte-order mark (Excel then reads Polish letters
  right), ``;`` as the separator — Excel in a Polish locale splits on the
  list separator, which is ``;`` there because ``,`` is the decimal comma, so
  a ``,`` file would open as one column; LibreOffice and every CSV library
  take ``;`` as well. RFC 4180 quoting (fields with ``;``, quotes or line breaks
  are quoted, quotes doubled), CRLF rows. A cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, as OWASP
  advises against formula injection: the texts come from the public, and a
  spreadsheet would run ``=HYPERLINK(…)``. Streamed in chunks.
* **XLSX** (openpyxl, write-only mode): bold, frozen header row, column
  widths, wrapped text; every text cell is typed as a string, so a comment
  beginning with ``=`` is never a formula.
* **ODS** (odfpy): a header row in bold, column widths, wrapped text; cells
  are ``office:value-type="string"``, so nothing is a formula either.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from flask_babel import gettext as _
from odf.element import Text

from wpw.report.services import Report, ReportRow, cells, columns

CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MIMETYPES = {"csv": CSV_MIMETYPE, "xlsx": XLSX_MIMETYPE, "ods": ODS_MIMETYPE}

CSV_DELIMITER = ";"
#: What a spreadsheet would start a formula with (OWASP "CSV injection").
_FORMULA_START = frozenset("=+-@\t\r")
#: Rows per chunk of the streamed CSV.
_CHUNK = 500
#: Column widths in characters, by column key; the rest get :data:`_WIDE`.
_WIDTHS = {
    "id": 7,
    "kind": 16,
    "section_number": 10,
    "section_title": 24,
    "lines": 8,
    "author": 20,
    "organisation": 28,
    "decision": 18,
    "sectors": 24,
}
_WIDE = 48


def filename(report: Report, extension: str) -> str:
    """``wpw-2012-2014-zestawienie-uwag-runda-1[-edukacja].csv``."""
    parts = [
        report.programme.slug,
        _("zestawienie-uwag"),
        _("runda-%(n)d", n=report.round.number),
    ]
    if report.sector is not None:
        parts.append(report.sector.slug)
    return "-".join(parts) + "." + extension


def title(report: Report) -> str:
    """The sheet's and document's title."""
    return _("Zestawienie uwag – runda %(n)d", n=report.round.number)


def _csv_cells(row: ReportRow) -> list[str | int]:
    number, *texts = cells(row)
    return [number, *(("'" + t) if t[:1] in _FORMULA_START else t for t in texts)]


def report_csv(report: Report) -> Iterator[bytes]:
    """The report as CSV, in UTF-8 chunks; the first starts with the BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header for _key, header in columns(report))
    rows = report.rows
    for start in range(0, len(rows), _CHUNK):
        writer.writerows(_csv_cells(row) for row in rows[start : start + _CHUNK])
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        yield (("\ufeff" + chunk) if start == 0 else chunk).encode()
    if not rows:
        yield ("\ufeff" + buffer.getvalue()).encode()


def report_xlsx(report: Report) -> bytes:
    """The report as an .xlsx workbook of one sheet."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title(report)
    workbook.properties.language = "pl-PL"
    sheet = workbook.create_sheet(_("Uwagi"))
    heads = columns(report)
    for index, (key, _header) in enumerate(heads, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(
            key, _WIDE
        )
    sheet.freeze_panes = "A2"
    _fast_cells(sheet)
    sheet.append((True, [text for _key, text in heads]))
    for row in report.rows:
        sheet.append((False, cells(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fast_cells(sheet) -> None:
    """Make *sheet* take ``(is_header, values)`` rows and write each value as a
    wrapped cell — bold in the header — of a fixed type: a string is always
    text (``"=…"`` is never a formula), an int a number.

    openpyxl's own path styles a cell by hashing its Alignment and Font objects
    and guesses each value's type; for 20,000 rows × 15 cells that is most of
    the export's time. Here the two styles are registered once and every cell
    gets a copy of the registered style array.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top")
    styles = {}
    for is_header in (True, False):
        template = WriteOnlyCell(sheet)
        template.alignment = wrap
        if is_header:
            template.font = Font(bold=True)
        styles[is_header] = template._style

    def values_to_row(row, row_idx):
        is_header, values = row
        style = styles[is_header]
        for col_idx, value in enumerate(values, 1):
            cell = Cell(sheet, row=row_idx, column=col_idx, style_array=style)
            if isinstance(value, str):
                cell._value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"
            else:
                cell._value = value
            yield cell

    sheet._values_to_row = values_to_row


def report_ods(report: Report) -> bytes:
    """The report as an OpenDocument spreadsheet (.ods) of one table.

    odfpy builds the document — styles, columns, the header row, metadata,
    manifest — but its element objects cost a lot per cell, so the data rows
    are written as their XML directly (:func:`_ods_rows`), with the same
    elements and styles odfpy would write.
    """
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import (
        Style,
        TableCellProperties,
        TableColumnProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    document.meta.addElement(_meta_title(title(report)))
    cell_style = Style(name="wrap", family="table-cell")
    cell_style.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    head_style = Style(name="head", family="table-cell", parentstylename=cell_style)
    head_style.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(cell_style)
    document.automaticstyles.addElement(head_style)

    table = Table(name=_("Uwagi"))
    heads = columns(report)
    for index, (key, _header) in enumerate(heads):
        width = Style(name=f"col{index}", family="table-column")
        # About 0.2 cm per character of the XLSX widths.
        width.addElement(
            TableColumnProperties(columnwidth=f"{_WIDTHS.get(key, _WIDE) * 0.2:.1f}cm")
        )
        document.automaticstyles.addElement(width)
        table.addElement(TableColumn(stylename=width))
    header = TableRow()
    for _key, text in heads:
        cell = TableCell(valuetype="string", stylename=head_style)
        cell.addElement(P(text=text))
        header.addElement(cell)
    table.addElement(header)
    table.appendChild(_RawXml(_ods_rows(report, "wrap")))
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _ods_rows(report: Report, style: str) -> str:
    """The ``table:table-row`` elements of every row: a number is a float
    cell, text a string cell with one ``text:p`` per line."""
    from xml.sax.saxutils import escape

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    out = []
    cell_start = f'<table:table-cell table:style-name="{style}" '
    for row in report.rows:
        out.append("<table:table-row>")
        number, *texts = cells(row)
        out.append(
            f'{cell_start}office:value-type="float" office:value="{number}">'
            f"<text:p>{number}</text:p></table:table-cell>"
        )
        for text in texts:
            if not text:
                out.append(f'{cell_start}office:value-type="string"/>')
                continue
            paragraphs = "".join(
                f"<text:p>{escape(line)}</text:p>"
                for line in ILLEGAL_CHARACTERS_RE.sub("", text).split("\n")
            )
            out.append(
                f'{cell_start}office:value-type="string">{paragraphs}'
                "</table:table-cell>"
            )
        out.append("</table:table-row>")
    return "".join(out)


class _RawXml(Text):
    """Already serialised XML, written out as it is."""

    def toXml(self, level, f) -> None:  # odfpy's name and signature
        f.write(self.data)


def _meta_title(text: str):
    from odf.dc import Title

    return Title(text=text)
