"""The report in a browser: accessible (axe-core), valid HTML (Nu), filters
without JavaScript, a clean printed document, and a CSV download."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPORT = "/programmes/wpw-2012-2014/report"


def test_report_pages_are_accessible_and_valid(page, checker) -> None:
    page.goto("/report")
    checker.check(page)
    page.get_by_role("link", name="Zestawienie uwag do rundy 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zestawienie uwag wraz z uzasadnieniem"
    )
    checker.check(page)
    page.get_by_label("Podzespół branżowy").select_option(label="Ekologia")
    page.get_by_role("button", name="Pokaż").click()
    assert "sector=ekologia" in page.url
    expect(page.get_by_label("Podzespół branżowy")).to_have_value("ekologia")
    checker.check(page)


def test_print_hides_the_site_and_repeats_the_header(page) -> None:
    page.goto(REPORT + "?round=1")
    page.emulate_media(media="print")
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".report-filter")).to_be_hidden()
    expect(page.locator(".report-downloads")).to_be_hidden()
    display = page.locator(".report-table thead").evaluate(
        "e => getComputedStyle(e).display"
    )
    assert display == "table-header-group"
    after = page.locator(".report-table a").first.evaluate(
        "e => getComputedStyle(e, '::after').content"
    )
    assert after in ("none", "normal")


def test_csv_download(page) -> None:
    page.goto(REPORT + "?round=1")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV (Excel, UTF-8, średnik)").click()
    download = info.value
    assert download.suggested_filename == "wpw-2012-2014-zestawienie-uwag-runda-1.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Rozstrzygnięcie" in data.decode("utf-8-sig")
