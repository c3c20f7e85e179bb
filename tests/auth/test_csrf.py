"""With CSRF protection on (as in production) every account form needs its token."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.auth.support import csrf_token, login_with_token
from tests.conftest import TEST_PASSWORD, make_user

REGISTRATION = {
    "email": "nowa@test.example",
    "name": "Nowa Osoba",
    "password": "zielone jabłka w sadzie",
    "confirm": "zielone jabłka w sadzie",
}


@pytest.fixture
def client(csrf_app: Flask) -> FlaskClient:
    return csrf_app.test_client()


def test_login_without_token_is_refused(client) -> None:
    user = make_user()
    data = {"email": user.email, "password": TEST_PASSWORD}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert client.get("/account").status_code == 302


def test_login_with_token_works(client) -> None:
    user = make_user()
    login_with_token(client, user.email)
    assert client.get("/account").status_code == 200


def test_register_without_token_is_refused(client) -> None:
    assert client.post("/register", data=REGISTRATION).status_code == 400


def test_register_with_token_works(client) -> None:
    token = csrf_token(client.get("/register").get_data(as_text=True))
    response = client.post("/register", data={**REGISTRATION, "csrf_token": token})
    assert response.status_code == 302


def test_logout_without_token_is_refused(client) -> None:
    login_with_token(client, make_user().email)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


def test_logout_with_the_pages_token_works(client) -> None:
    login_with_token(client, make_user().email)
    token = csrf_token(client.get("/account").get_data(as_text=True))
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302
