"""An NGO annotates round 2 in the browser: with the keyboard alone, on a touch
screen, and by selecting a passage with the mouse."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SECTION = "/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja"


def _login(page, email: str = "ngo@wpw.example") -> None:
    page.goto("/login")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("link", name="Piotr Społecznik")).to_be_visible()


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching *selector* has the focus."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement === document.querySelector(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _notes_on_line(page, n: int):
    return page.locator(f"#notes-L{n} article.note:not(.note-carried)")


def test_keyboard_only_annotates_a_range(browser, own_server, checker) -> None:
    context = browser.new_context(locale="pl-PL", base_url=own_server)
    page = context.new_page()
    _login(page)
    page.goto(SECTION)
    checker.check(page)
    _tab_to(page, "#L3 a.ln")
    page.keyboard.press("Enter")
    expect(page.locator("#selection-status")).to_have_text("Zaznaczono wiersz 3.")
    _tab_to(page, "#L5 a.ln")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#selection-status")).to_have_text("Zaznaczono wiersze 3–5.")
    expect(page.locator("#first_line")).to_have_value("3")
    expect(page.locator("#last_line")).to_have_value("5")
    for n in (3, 4, 5):
        expect(page.locator(f"#L{n}")).to_have_class(re.compile(r"\bsel\b"))
    expect(page.locator("#L6")).not_to_have_class(re.compile(r"\bsel\b"))

    # The "annotate the selection" button moves the focus to the form.
    _tab_to(page, ".annotate-selection")
    page.keyboard.press("Enter")
    expect(page.locator("input[name=kind]:checked")).to_be_focused()
    page.keyboard.press("ArrowRight")  # radios: comment → question
    expect(page.locator("input[name=kind][value=question]")).to_be_checked()
    _tab_to(page, "#body")
    page.keyboard.type("Czy zajęcia obejmą też szkoły średnie?")
    _tab_to(page, "#annotate button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator(".flash-success")).to_contain_text("Zapisano")
    notes = _notes_on_line(page, 3)
    expect(notes).to_have_count(1)
    expect(notes.first).to_contain_text("Czy zajęcia obejmą też szkoły średnie?")
    expect(notes.first).to_contain_text("Pytanie wiersze 3–5")
    expect(page.locator("#L3 .note-count")).to_have_text("1 uwaga")
    checker.check(page)
    context.close()


def test_touch_screen_taps_a_line_and_asks(browser, own_server, checker) -> None:
    context = browser.new_context(
        locale="pl-PL",
        base_url=own_server,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    _login(page)
    page.goto(SECTION)
    checker.check(page)
    page.locator("#L6 a.ln").tap()
    expect(page.locator("#first_line")).to_have_value("6")
    expect(page.locator("#last_line")).to_have_value("6")
    # The range toggle: the next tap extends the selection.
    page.get_by_label(re.compile("Zaznaczaj zakres")).tap()
    page.locator("#L7 a.ln").tap()
    expect(page.locator("#last_line")).to_have_value("7")
    page.get_by_role("button", name="Zgłoś uwagę do zaznaczenia").tap()
    page.get_by_role("radio", name="pytanie").tap()
    page.get_by_label("Treść").fill("Kto poprowadzi te zajęcia?")
    page.get_by_role("button", name="Zgłoś uwagę", exact=True).tap()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano")
    notes = _notes_on_line(page, 6)
    expect(notes.first).to_contain_text("Kto poprowadzi te zajęcia?")
    expect(notes.first).to_contain_text("wiersze 6–7")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    checker.check(page)
    context.close()


def test_text_selection_quotes_exactly_the_selected_words(
    browser, own_server, checker
) -> None:
    context = browser.new_context(locale="pl-PL", base_url=own_server)
    page = context.new_page()
    _login(page)
    page.goto(SECTION)
    words = "zajęć pozalekcyjnych rozwijających"
    page.evaluate(
        """words => {
          const span = document.querySelector('#L3 .lt');
          const node = span.firstChild;
          const start = node.textContent.indexOf(words);
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + words.length);
          const sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        words,
    )
    expect(page.locator("#selected-passage")).to_be_visible()
    expect(page.locator("#selected-passage blockquote")).to_have_text(words)
    start = int(page.locator("#start").input_value())
    end = int(page.locator("#end").input_value())
    assert end - start == len(words)
    expect(page.locator("#first_line")).to_have_value("3")
    page.get_by_role("button", name="Zgłoś uwagę do zaznaczenia").click()
    page.get_by_role("radio", name="propozycja zmiany").check()
    page.get_by_label("Proponowany tekst").fill("zajęć dodatkowych rozwijających")
    page.get_by_label("Uzasadnienie").fill("Prostsze słowo.")
    page.get_by_role("button", name="Zgłoś uwagę", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("Zapisano")
    note = _notes_on_line(page, 3).first
    expect(note.locator("blockquote.note-quote")).to_have_text(words)
    expect(note.locator("blockquote.note-replacement")).to_have_text(
        "zajęć dodatkowych rozwijających"
    )
    checker.check(page)
    note.get_by_role("link", name=re.compile("Propozycja zmiany")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Propozycja zmiany")
    checker.check(page)
    context.close()


def test_plain_form_without_javascript(browser, own_server, checker) -> None:
    context = browser.new_context(
        locale="pl-PL", base_url=own_server, java_script_enabled=False
    )
    page = context.new_page()
    _login(page)
    page.goto(SECTION + "?lines=9-10")
    expect(page.locator("#first_line")).to_have_value("9")
    page.get_by_role("radio", name="uwaga", exact=True).check()
    page.get_by_label("Treść").fill("Uwaga bez JavaScriptu")
    page.get_by_role("button", name="Zgłoś uwagę", exact=True).click()
    expect(_notes_on_line(page, 9).first).to_contain_text("Uwaga bez JavaScriptu")
    checker.keep_html(page)
    context.close()


def _long_press(page, selector: str, ms: int = 700) -> None:
    """Hold a finger on the element for *ms* (real touch input through the
    DevTools protocol: Playwright has no long-press of its own)."""
    target = page.locator(selector)
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
    page.wait_for_timeout(ms)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_long_press_on_a_line_number_starts_a_range(
    browser, live_server, checker
) -> None:
    context = browser.new_context(
        locale="pl-PL",
        base_url=live_server,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    _login(page)
    page.goto(SECTION)
    # A quick tap selects one line and starts nothing.
    page.locator("#L2 a.ln").tap()
    expect(page.locator("#selection-status")).to_have_text("Zaznaczono wiersz 2.")
    _long_press(page, "#L4 a.ln")
    expect(page.locator("#selection-status")).to_have_text(
        "Zaznaczono wiersz 4. Dotknij numeru innego wiersza, by zaznaczyć zakres."
    )
    expect(page.locator("#first_line")).to_have_value("4")
    expect(page.locator("#last_line")).to_have_value("4")
    # The next tap on a number ends the range (the toggle stays off).
    expect(page.locator("#range-mode")).not_to_be_checked()
    page.locator("#L6 a.ln").tap()
    expect(page.locator("#selection-status")).to_have_text("Zaznaczono wiersze 4–6.")
    expect(page.locator("#first_line")).to_have_value("4")
    expect(page.locator("#last_line")).to_have_value("6")
    for n in (4, 5, 6):
        expect(page.locator(f"#L{n}")).to_have_class(re.compile(r"\bsel\b"))
    expect(page.locator("#L3")).not_to_have_class(re.compile(r"\bsel\b"))
    checker.check(page)
    # ...and only that one: the tap after it selects one line again.
    page.locator("#L8 a.ln").tap()
    expect(page.locator("#first_line")).to_have_value("8")
    expect(page.locator("#last_line")).to_have_value("8")
    # A long press from the end backwards works too.
    _long_press(page, "#L9 a.ln")
    page.locator("#L7 a.ln").tap()
    expect(page.locator("#first_line")).to_have_value("7")
    expect(page.locator("#last_line")).to_have_value("9")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
