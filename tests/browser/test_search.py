"""The search page in Chromium on the demo: facets, highlights, a link to the lines,
checked by axe-core and the Nu Html Checker (see :mod:`tests.browser.conftest`)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_search_with_facets_and_highlights(page, checker) -> None:
    from playwright.sync_api import expect

    page.goto("/search")
    checker.check(page)
    page.get_by_label("Szukaj", exact=True).fill("organizacji pozarządowych")
    page.get_by_role("button", name="Szukaj", exact=True).click()
    expect(page.locator(".search-hit mark").first).to_be_visible()
    checker.check(page)
    page.locator(".search-facets a", has_text="Tekst programu").click()
    expect(page.locator('.search-facets a[aria-current="true"]')).to_have_count(1)
    expect(page.locator(".search-hit").first).to_contain_text("Tekst programu")
    checker.check(page)
    page.locator(".search-hit h3 a").first.click()
    expect(page.locator("li.hl").first).to_be_visible()
