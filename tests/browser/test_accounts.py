"""Accounts in the browser: register (with errors first), account page, logout,
login with a wrong password, MOWIS changing a role and sub-team memberships."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_accounts_journey(page, checker) -> None:
    page.goto("/register")
    checker.check(page)
    page.get_by_label("Adres e-mail").fill("mowis@wpw.example")
    page.get_by_label("Imię i nazwisko").fill("Nowa Osoba")
    page.get_by_label("Hasło", exact=True).fill("krótkie")
    page.get_by_label("Powtórz hasło").fill("inne")
    page.get_by_label("Numer KRS (nieobowiązkowo)").fill("123")
    page.get_by_role("button", name="Załóż konto").click()
    expect(page.locator("#krs-error")).to_be_visible()
    checker.check(page)
    page.get_by_label("Adres e-mail").fill("nowa@wpw.example")
    page.get_by_label("Hasło", exact=True).fill("zielone jabłka w sadzie")
    page.get_by_label("Powtórz hasło").fill("zielone jabłka w sadzie")
    page.get_by_label("Numer KRS (nieobowiązkowo)").fill("0000123456")
    page.get_by_label("Nazwa organizacji (nieobowiązkowo)").fill("Stowarzyszenie ER")
    page.get_by_role("button", name="Załóż konto").click()
    expect(page.locator(".flash-success")).to_be_visible()
    checker.check(page)
    page.get_by_role("link", name="Nowa Osoba").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Twoje konto")
    checker.check(page)
    page.get_by_role("button", name="Wyloguj się").click()
    checker.check(page)

    page.goto("/login?next=/admin/users")
    page.get_by_label("Adres e-mail").fill("mowis@wpw.example")
    page.get_by_label("Hasło").fill("zle haslo zle")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("alert")).to_contain_text("Nieprawidłowy")
    checker.check(page)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_label("Zapamiętaj mnie").check()
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Użytkownicy")
    checker.check(page)
    page.get_by_label("Imię, nazwisko lub adres e-mail").fill("nowa")
    page.get_by_role("button", name="Szukaj").click()
    checker.check(page)
    page.get_by_role("link", name="Nowa Osoba").click()
    checker.check(page)
    page.get_by_label("Rola w serwisie").select_option("expert")
    page.get_by_role("button", name="Zmień rolę").click()
    expect(page.locator(".flash-success")).to_contain_text("ekspert")
    page.get_by_label("Kultura").select_option("leader")
    page.get_by_role("button", name="Zapisz przynależność").click()
    expect(page.locator(".flash-success")).to_be_visible()
    checker.check(page)
    page.goto("/admin/users")
    page.locator("#main").get_by_role("link", name="Anna Mowisowa").click()
    page.get_by_label("Rola w serwisie").select_option("citizen")
    page.get_by_role("button", name="Zmień rolę").click()
    expect(page.locator("#role-role-error")).to_be_visible()
    checker.check(page)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/admin/users")
    checker.check(page)
    assert re.search("Kultura", page.content())
