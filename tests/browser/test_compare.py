"""A visitor compares round 1 with round 2 of the demo: the summary, one changed
section inline, then side by side; and the same pages at 375 pixels."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COMPARE = "/programmes/wpw-2012-2014/compare"


def sideways_overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_visitor_compares_rounds_inline_then_side_by_side(page, checker) -> None:
    page.goto(f"{COMPARE}?from=1&to=2")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Porównanie: runda 1 → runda 2"
    )
    summary = page.get_by_role("region", name="Podsumowanie")
    expect(summary).to_contain_text("Dodane paragrafy")
    expect(summary.locator(".total-added dd")).to_have_text("1")
    expect(summary.locator(".total-removed dd")).to_have_text("1")
    checker.check(page)

    # Unchanged sections are collapsed; a click shows them (no script needed).
    group = page.locator("details.unchanged-group").first
    expect(group.get_by_role("link").first).to_be_hidden()
    group.locator("summary").click()
    expect(group.get_by_role("link").first).to_be_visible()
    checker.check(page)

    # A changed section, on a page of its own.
    page.get_by_role("link", name="§ 2 Cel główny i cele szczegółowe programu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "§ 2 Cel główny i cele szczegółowe programu: runda 1 → runda 2"
    )
    assert "section=cele-programu" in page.url and "mode=inline" in page.url
    inserted = page.locator(".diff-inline ins").first
    expect(inserted).to_be_visible()
    expect(inserted).to_have_css("text-decoration-line", "underline")
    expect(page.locator(".diff-inline del").first).to_have_css(
        "text-decoration-line", "line-through"
    )
    expect(inserted.locator(".visually-hidden").first).to_have_text(
        re.compile("początek wstawienia")
    )
    checker.check(page)

    # Side by side: both rounds' line numbers in one accessible table.
    page.get_by_role("link", name="Wersje obok siebie").click()
    assert "mode=side" in page.url and "section=cele-programu" in page.url
    table = page.get_by_role("table")
    expect(table).to_have_count(1)
    expect(table.get_by_role("columnheader")).to_have_count(4)
    expect(table.locator("caption")).to_contain_text("runda 1 z lewej")
    changed = table.locator("tr.row-changed").first
    expect(changed.locator("td.ln a")).to_have_count(2)
    checker.check(page)

    # The form picks the reverse comparison of the whole programme.
    page.get_by_label("Od rundy").select_option("2")
    page.get_by_label("Do rundy").select_option("1")
    page.get_by_label("Paragraf").select_option("")
    page.get_by_label("w tekście").check()
    page.get_by_role("button", name="Porównaj").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Porównanie: runda 2 → runda 1"
    )
    assert "from=2" in page.url and "to=1" in page.url and "mode=inline" in page.url
    checker.check(page)


def test_same_round_and_unknown_section(page, checker) -> None:
    page.goto(f"{COMPARE}?from=2&to=2")
    expect(page.locator(".no-diff")).to_have_text("Brak różnic")
    checker.check(page)
    response = page.goto(f"{COMPARE}?from=1&to=2&section=nope")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Nie ma takiej strony")


def test_compare_pages_work_at_375_pixels(browser, live_server, checker) -> None:
    context = browser.new_context(
        locale="pl-PL", base_url=live_server, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    for url in (
        f"{COMPARE}?from=1&to=2&mode=inline",
        f"{COMPARE}?from=1&to=2&mode=side",
        f"{COMPARE}?from=1&to=2&section=zadania-wykluczenie&mode=side",
        f"{COMPARE}?from=1&to=2&section=tworzenie-i-konsultacje&mode=inline",
    ):
        page.goto(url)
        overflow = sideways_overflow(page)
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 375px"
        checker.check(page)
    # The wide table scrolls inside its own region, which the keyboard reaches.
    region = page.get_by_role("region", name=re.compile("Tabela porównania")).first
    page.goto(f"{COMPARE}?from=1&to=2&section=zadania-wykluczenie&mode=side")
    region = page.get_by_role("region", name=re.compile("Tabela porównania"))
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    expect(region).to_be_focused()
    context.close()
