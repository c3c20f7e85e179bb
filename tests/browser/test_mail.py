"""The mail pages in the browser: preferences from the account page, and the
unsubscribe link as a reader follows it (axe-core and the Nu checker)."""

from __future__ import annotations

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import expect

from wpw.mail.services import TOKEN_SALT

pytestmark = pytest.mark.browser

#: The secret of the browser tests' demo server (tests/browser/conftest.py).
SECRET = "browser-test-secret"


def _login(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_role("button", name="Zaloguj się").click()


def test_leader_sets_queue_mail_from_the_account_page(page, checker) -> None:
    _login(page, "lider.edukacja@wpw.example")
    page.goto("/account")
    page.get_by_role("link", name="Powiadomienia e-mail i widoczność imienia").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Powiadomienia e-mail")
    checker.check(page)
    page.get_by_label("raz dziennie, w zestawieniu").check()
    page.get_by_label("Odpowiedzi na moje uwagi").uncheck()
    page.get_by_role("button", name="Zapisz ustawienia").click()
    expect(page.get_by_role("status")).to_have_text("Zapisano ustawienia powiadomień.")
    expect(page.get_by_label("raz dziennie, w zestawieniu")).to_be_checked()
    expect(page.get_by_label("Odpowiedzi na moje uwagi")).not_to_be_checked()
    checker.check(page)


def test_unsubscribe_link_then_button(page, checker) -> None:
    # Find the demo reader's id through the GET page, which changes nothing.
    serializer = URLSafeSerializer(SECRET, salt=TOKEN_SALT)
    for user_id in range(1, 200):
        token = serializer.dumps({"u": user_id, "c": "decision"})
        response = page.request.get(f"/mail/unsubscribe/{token}")
        if "mieszkanka@wpw.example" in response.text():
            break
    else:
        pytest.fail("the demo reader has no account")
    page.goto(f"/mail/unsubscribe/{token}")
    checker.check(page)
    page.get_by_role("button", name="Nie wysyłajcie mi tych wiadomości").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zrezygnowano z powiadomień"
    )
    checker.check(page)
    page.goto(f"/mail/unsubscribe/{token}x")
    expect(page.get_by_role("alert")).to_contain_text("jest nieprawidłowy")
    checker.check(page)
