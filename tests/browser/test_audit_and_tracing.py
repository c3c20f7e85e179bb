"""The coordinator reads and filters the audit log; a visitor follows a changed
passage of the compare view to the note saying why it changed (no script needed)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

COMPARE = "/programmes/wpw-2012-2014/compare"


def _login(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_role("button", name="Zaloguj się").click()


def test_coordinator_filters_the_audit_log(browser, live_server, checker) -> None:
    context = browser.new_context(locale="pl-PL", base_url=live_server)
    page = context.new_page()
    _login(page, "koordynator@wpw.example")
    page.get_by_role("link", name="Dziennik zdarzeń").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dziennik zdarzeń")
    expect(page.locator("table.audit-log caption")).to_contain_text("Zdarzenia:")
    checker.check(page)
    page.get_by_label("Rodzaj zdarzenia").select_option("round.published")
    page.get_by_role("button", name="Pokaż").click()
    assert "action=round.published" in page.url
    rows = page.locator("table.audit-log tbody tr")
    expect(rows.first).to_contain_text("publikacja rundy")
    for text in rows.all_inner_texts():
        assert "publikacja rundy" in text
    checker.check(page)
    context.close()


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_changed_passage_links_to_why(page, checker, mode) -> None:
    page.goto(f"{COMPARE}?from=1&to=2&mode={mode}")
    marker = page.locator("sup.trace-ref a").first
    expect(marker).to_have_attribute("aria-label", re.compile(r"^Zmiana \d+: "))
    marker.click()
    target = page.url.split("#")[1]
    note = page.locator(f"li#{target}")
    expect(note).to_be_visible()
    expect(note).to_contain_text(re.compile("zmienione w odpowiedzi na|bez uwag|opis"))
    checker.check(page)
