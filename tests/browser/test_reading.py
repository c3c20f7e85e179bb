"""A visitor reads the programme in the browser, in Polish and in English."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_reads_education_section_and_switches_to_english(page, checker) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    checker.check(page)

    page.get_by_role(
        "link", name=re.compile("Wieloletni Program Współpracy")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wieloletni Program")
    checker.check(page)

    page.get_by_role("link", name=re.compile(r"^Runda 1: Założenia programu")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Założenia programu")
    checker.check(page)

    page.locator("#toc-heading + ul").get_by_role(
        "link", name=re.compile("edukacja", re.I)
    ).click()
    page.get_by_role("link", name=re.compile("edukacja", re.I)).filter(
        has=page.locator("xpath=self::a[ancestor::h2]")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("edukacja")
    assert "/rounds/1/sections/zadania-edukacja" in page.url
    checker.check(page)

    # Following a line's link highlights that line.
    page.get_by_role("link", name="Wiersz 3", exact=True).click()
    assert page.url.endswith("#L3")
    line = page.locator("#L3")
    expect(line).to_have_css("background-color", "rgb(255, 243, 176)")
    expect(page.locator("#L4")).not_to_have_css(
        "background-color", "rgb(255, 243, 176)"
    )
    checker.check(page)

    # A range in the fragment is highlighted by the script.
    page.goto(page.url.split("#")[0] + "#L2-L4")
    for n in (2, 3, 4):
        expect(page.locator(f"#L{n}")).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator("#L5")).not_to_have_class(re.compile(r"\bhl\b"))

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    menu = page.get_by_role("navigation", name="Main menu")
    expect(menu.get_by_role("link", name="Home")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("edukacja")
    assert "/rounds/1/sections/zadania-edukacja" in page.url
    checker.check(page)

    # The choice is remembered on the next page.
    page.goto("/sectors/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    checker.check(page)


def test_range_highlight_works_without_javascript(
    browser, live_server, checker
) -> None:
    context = browser.new_context(
        locale="pl-PL", base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja?lines=3-5")
    for n in (3, 4, 5):
        expect(page.locator(f"#L{n}")).to_have_class(re.compile(r"\bhl\b"))
    expect(page.locator("#L6")).not_to_have_class(re.compile(r"\bhl\b"))
    page.get_by_label("Wyróżnij wiersze").fill("99-100")
    page.get_by_role("button", name="Pokaż").click()
    expect(page.get_by_role("alert")).to_contain_text("nie istnieją")
    checker.keep_html(page)
    context.close()


def test_pages_work_at_375_pixels(browser, live_server, checker) -> None:
    context = browser.new_context(
        locale="pl-PL", base_url=live_server, viewport={"width": 375, "height": 740}
    )
    page = context.new_page()
    for url in (
        "/",
        "/programmes/wpw-2012-2014/rounds/2",
        "/programmes/wpw-2012-2014/rounds/2/sections/formy-finansowe",
        "/programmes/wpw-2012-2014/rounds/2/sections/formy-finansowe?lines=99-100",
        "/sectors/edukacja",
        "/programmes/nope",
    ):
        page.goto(url)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at 375px"
        checker.check(page)
    context.close()
