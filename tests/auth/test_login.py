"""Login, remember-me, the ``next`` target, throttling, logout."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, make_user
from wpw.auth.models import LoginAttempt
from wpw.extensions import db

BAD_CREDENTIALS = "Nieprawidłowy e-mail lub hasło."
THROTTLED = "Zbyt wiele nieudanych prób logowania."


def signed_in(client) -> bool:
    return client.get("/account").status_code == 200


def attempts() -> int:
    return db.session.scalar(select(func.count(LoginAttempt.id)))


def test_login_page_renders(client) -> None:
    html = client.get("/login").get_data(as_text=True)
    assert 'autocomplete="current-password"' in html
    assert 'type="checkbox"' in html


def test_login_with_right_password(client, auth) -> None:
    user = make_user(name="Jan Kowalski")

    response = auth.login(user)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert signed_in(client)


def test_login_ignores_email_case_and_spaces(client, auth) -> None:
    user = make_user()
    assert auth.login(f"  {user.email.upper()} ").status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("email", ["known", "nobody@test.example"])
def test_wrong_credentials_give_one_generic_message(client, auth, email) -> None:
    user = make_user()
    email = user.email if email == "known" else email

    response = auth.login(email, "not the password")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert BAD_CREDENTIALS in html
    assert "Konto z tym adresem" not in html
    assert not signed_in(client)
    assert attempts() == 1


def test_empty_login_form_records_nothing(client) -> None:
    response = client.post("/login", data={})
    assert response.status_code == 200
    assert "Podaj adres e-mail." in response.get_data(as_text=True)
    assert attempts() == 0


def test_remember_me_sets_the_remember_cookie(client) -> None:
    user = make_user()
    client.post(
        "/login", data={"email": user.email, "password": TEST_PASSWORD, "remember": "y"}
    )
    assert client.get_cookie("remember_token") is not None


def test_without_remember_me_there_is_no_remember_cookie(client, auth) -> None:
    auth.login(make_user())
    assert signed_in(client)
    assert client.get_cookie("remember_token") is None


def test_local_next_is_followed_from_the_query(client) -> None:
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": "/sectors/?x=1"},
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/sectors/?x=1"


def test_local_next_is_followed_from_the_form(client) -> None:
    user = make_user()
    response = client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD, "next": "/account"},
    )
    assert response.headers["Location"] == "/account"


def test_login_form_keeps_a_local_next(client) -> None:
    html = client.get("/login?next=/account").get_data(as_text=True)
    assert 'action="/login?next=/account"' in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:x()"],
)
def test_foreign_next_is_ignored(client, target: str) -> None:
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example"])
def test_login_form_drops_a_foreign_next(client, target: str) -> None:
    html = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert '<form method="post" action="/login">' in html


def test_login_required_page_sends_to_login_with_next(client, auth) -> None:
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"


class TestThrottling:
    @pytest.fixture(autouse=True)
    def limit(self, app) -> int:
        app.config["WPW_LOGIN_MAX_FAILURES"] = 3
        return 3

    def test_right_password_still_works_below_the_limit(self, client, auth, limit):
        user = make_user()
        for _ in range(limit - 1):
            auth.login(user, "wrong password")
        assert auth.login(user).status_code == 302
        assert attempts() == 0  # a success clears the e-mail's failures

    def test_after_n_failures_even_the_right_password_is_refused(
        self, client, auth, limit
    ) -> None:
        user = make_user()
        for _ in range(limit):
            assert auth.login(user, "wrong password").status_code == 200

        response = auth.login(user)

        assert response.status_code == 429
        assert THROTTLED in response.get_data(as_text=True)
        assert not signed_in(client)
        assert attempts() == limit  # nothing new recorded while throttled

    def test_throttling_counts_the_client_address_too(self, client, auth, limit):
        user = make_user()
        for n in range(limit):
            auth.login(f"guess{n}@test.example", "wrong password")
        assert auth.login(user).status_code == 429

    def test_another_address_is_throttled_by_email(self, client, auth, limit):
        user = make_user()
        for _ in range(limit):
            auth.login(user, "wrong password")
        response = client.post(
            "/login",
            data={"email": user.email, "password": TEST_PASSWORD},
            environ_base={"REMOTE_ADDR": "203.0.113.9"},
        )
        assert response.status_code == 429

    def test_old_failures_expire(self, app, client, auth, limit) -> None:
        user = make_user()
        for _ in range(limit):
            auth.login(user, "wrong password")
        app.config["WPW_LOGIN_WINDOW_SECONDS"] = 0
        assert auth.login(user).status_code == 302


def test_logout_needs_post(client, auth) -> None:
    auth.login(make_user())
    assert client.get("/logout").status_code == 405
    assert signed_in(client)


def test_logout_signs_out_and_goes_home(client, auth) -> None:
    auth.login(make_user())

    response = auth.logout()

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not signed_in(client)
    assert "Wylogowano" in client.get("/").get_data(as_text=True)


def test_signed_in_user_visiting_login_goes_to_next(client, auth) -> None:
    auth.login(make_user())
    response = client.get("/login?next=/sectors/")
    assert response.headers["Location"] == "/sectors/"
