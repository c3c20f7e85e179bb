"""The Coordinating Team drafts round 3 in the browser: open the working copy,
edit a section, meet a conflict, publish, and the public compares the rounds."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PROGRAMME = "/programmes/wpw-2012-2014"


def _login(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_role("button", name="Zaloguj się").click()


def test_edit_publish_compare(browser, own_server, checker) -> None:
    context = browser.new_context(locale="pl-PL", base_url=own_server)
    page = context.new_page()
    _login(page, "koordynator@wpw.example")

    page.goto(PROGRAMME)
    checker.check(page)
    page.get_by_label("Tytuł nowej rundy").fill("Tekst przyjęty")
    page.get_by_role("button", name="Otwórz wersję roboczą").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tekst przyjęty")
    expect(page.locator(".badge-working").first).to_be_visible()
    checker.check(page)

    # Edit the Education section: change one line.
    page.goto(f"{PROGRAMME}/rounds/3/sections/zadania-edukacja/edit")
    checker.check(page)
    text = page.get_by_label("Tekst", exact=True)
    original = text.input_value()
    edited = original.replace("wypoczynku letniego i zimowego",
                              "wypoczynku letniego, zimowego i śródrocznego", 1)
    assert edited != original
    text.fill(edited)
    page.get_by_label("Opis zmiany").fill("Uwzględniono uwagę podzespołu")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano")

    # A second coordinator saving from a stale page gets the conflict page.
    other = browser.new_context(locale="pl-PL", base_url=own_server)
    second = other.new_page()
    _login(second, "koordynatorka@wpw.example")
    page.goto(f"{PROGRAMME}/rounds/3/sections/zadania-edukacja/edit")
    second.goto(f"{PROGRAMME}/rounds/3/sections/zadania-edukacja/edit")
    second.get_by_label("Tekst", exact=True).fill(edited + "\nDopisek drugiej osoby.")
    second.get_by_role("button", name="Zapisz").click()
    page.get_by_label("Tytuł", exact=True).fill("Priorytetowe zadania – edukacja")
    page.get_by_role("button", name="Zapisz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Konflikt zapisu")
    expect(page.locator("#main")).to_contain_text("Dopisek drugiej osoby.")
    checker.check(page)
    other.close()

    # Publish.
    page.goto(f"{PROGRAMME}/rounds/3")
    page.get_by_role("link", name="Opublikuj rundę").click()
    checker.check(page)
    page.get_by_label("Komunikat publikacji").fill("Tekst przyjęty przez Zespół.")
    page.get_by_role("button", name="Opublikuj rundę").click()
    expect(page.locator(".flash-success")).to_contain_text("Opublikowano")
    expect(page.locator(".badge-published").first).to_be_visible()
    context.close()

    # The public compares round 2 with round 3, inline and side by side.
    public = browser.new_context(locale="pl-PL", base_url=own_server)
    reader = public.new_page()
    reader.goto(f"{PROGRAMME}/compare?from=2&to=3&section=zadania-edukacja&mode=inline")
    expect(reader.locator("ins", has_text="śródrocznego")).to_have_count(1)
    checker.check(reader)
    reader.goto(f"{PROGRAMME}/compare?from=2&to=3&section=zadania-edukacja&mode=side")
    expect(reader.locator("table").first).to_be_visible()
    expect(reader.locator("ins", has_text="śródrocznego")).to_have_count(1)
    checker.check(reader)
    reader.goto(f"{PROGRAMME}/compare?from=2&to=3")
    checker.check(reader)
    public.close()
