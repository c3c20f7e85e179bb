"""The downloads: CSV, XLSX and ODS carry the same rows and columns as the page."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from tests.report.conftest import HIDDEN_BODY, HIDDEN_WORDING, SLUG, Consulted
from wpw.report import exporting, services

URL = f"/programmes/{SLUG}/report"


def _expected(consulted: Consulted) -> list[list[str]]:
    """The page's columns and cells, as text (what every file must hold)."""
    report = services.build_report(consulted.rounds[1])
    head = [header for _key, header in services.columns(report)]
    return [head] + [[str(c) for c in services.cells(row)] for row in report.rows]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _xlsx_rows(data: bytes) -> list[list[str]]:
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [
        ["" if v is None else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def _ods_rows(data: bytes) -> list[list[str]]:
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = load(io.BytesIO(data))
    (table,) = document.spreadsheet.getElementsByType(Table)
    rows = []
    for row in table.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            paragraphs = cell.getElementsByType(P)
            cells.append("\n".join(str(p) for p in paragraphs))
        rows.append(cells)
    return rows


def _download(client: FlaskClient, fmt: str, query: str = "round=1"):
    return client.get(f"{URL}.{fmt}?{query}")


def test_csv_headers_bom_and_polish_letters(
    client: FlaskClient, consulted: Consulted
) -> None:
    response = _download(client, "csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="raport-testowy-zestawienie-uwag-runda-1.csv"' in disposition
    rows = _csv_rows(response.data)
    assert rows[0][:3] == ["Nr", "Rodzaj", "Paragraf"]
    text = response.data.decode("utf-8-sig")
    for word in ("Zofia Łęcka", "Fundacja Źródło", "zażółć gęślą jaźń", "Ślęża"):
        assert word in text
    assert "\r\n" in text


def test_csv_quotes_separators_quotes_and_line_breaks(
    client: FlaskClient, consulted: Consulted
) -> None:
    note = consulted.notes["comment"]
    note.body = 'Dwa; pola "w cudzysłowie"\ni druga linia'
    from wpw.extensions import db

    db.session.commit()
    rows = {row[0]: row for row in _csv_rows(_download(client, "csv").data)[1:]}
    assert rows[str(note.id)][8] == 'Dwa; pola "w cudzysłowie"\ni druga linia'


def test_csv_neutralises_formulas(client: FlaskClient, consulted: Consulted) -> None:
    """The proposed wording "=Formy…" must not run as a formula in Excel."""
    rows = {row[0]: row for row in _csv_rows(_download(client, "csv").data)[1:]}
    assert (
        rows[str(consulted.notes["partial"].id)][9]
        == "'=Formy finansowe, w tym granty."
    )


def test_csv_of_the_same_rows(client: FlaskClient, consulted: Consulted) -> None:
    expected = _expected(consulted)
    got = _csv_rows(_download(client, "csv").data)
    assert [row[:9] for row in got] == [row[:9] for row in expected]
    assert [row[10:] for row in got] == [row[10:] for row in expected]


def test_xlsx_opened_back(client: FlaskClient, consulted: Consulted) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    response = _download(client, "xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == exporting.XLSX_MIMETYPE
    assert "runda-1.xlsx" in response.headers["Content-Disposition"]
    assert _xlsx_rows(response.data) == _expected(consulted)
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet["F2"].alignment.wrap_text
    assert sheet.column_dimensions["F"].width >= 40
    partial = next(
        row
        for row in sheet.iter_rows(min_row=2)
        if row[0].value == consulted.notes["partial"].id
    )
    assert partial[9].data_type == "s"  # "=Formy…" stays text, not a formula


def test_ods_opened_back(client: FlaskClient, consulted: Consulted) -> None:
    response = _download(client, "ods")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == exporting.ODS_MIMETYPE
    assert "runda-1.ods" in response.headers["Content-Disposition"]
    assert _ods_rows(response.data) == _expected(consulted)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_no_hidden_text_and_no_replies_in_files(
    client: FlaskClient, consulted: Consulted, fmt: str
) -> None:
    response = _download(client, fmt)
    rows = {"csv": _csv_rows, "xlsx": _xlsx_rows, "ods": _ods_rows}[fmt](response.data)
    flat = "\n".join("\t".join(row) for row in rows)
    assert HIDDEN_BODY not in flat and HIDDEN_WORDING not in flat
    assert "ODPOWIEDŹ-W-WĄTKU" not in flat
    assert "Ukryty Autor" not in flat
    assert "Ukryta przez moderatora: Narusza regulamin." in flat
    assert len(rows) == 7


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_sector_filter_in_files(
    client: FlaskClient, consulted: Consulted, fmt: str
) -> None:
    response = _download(client, fmt, "round=1&sector=edukacja")
    assert "runda-1-edukacja." in response.headers["Content-Disposition"]
    rows = {"csv": _csv_rows, "xlsx": _xlsx_rows, "ods": _ods_rows}[fmt](response.data)
    ids = {row[0] for row in rows[1:]}
    assert ids == {str(consulted.notes[n].id) for n in ("partial", "hidden")}


def test_empty_report_files(client: FlaskClient, consulted: Consulted) -> None:
    """Round 2 has nothing on Kultura's sections: a header and no rows."""
    query = "round=2&sector=kultura"
    assert len(_csv_rows(_download(client, "csv", query).data)) == 1
    assert len(_xlsx_rows(_download(client, "xlsx", query).data)) == 1
    assert len(_ods_rows(_download(client, "ods", query).data)) == 1
