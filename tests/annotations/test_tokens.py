"""Personal API tokens: the service, and the account page that makes and
revokes them."""

from __future__ import annotations

import hashlib
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import AuthActions, make_user
from wpw.annotations import tokens
from wpw.annotations.models import ApiToken
from wpw.auth.models import Role, User
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db

# The service ----------------------------------------------------------------


def test_created_token_is_stored_hashed(app: Flask) -> None:
    user = make_user()
    token, plaintext = tokens.create_token(user, "  mój skrypt ")
    db.session.commit()
    assert token.name == "mój skrypt"
    assert len(plaintext) >= 43  # 32 random bytes, URL-safe base64
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = db.session.scalars(select(ApiToken)).one()
    assert plaintext not in (stored.name, stored.token_hash)
    assert stored.last_used_at is None and stored.revoked_at is None


def test_each_token_is_new(app: Flask) -> None:
    user = make_user()
    first = tokens.create_token(user, "a")[1]
    second = tokens.create_token(user, "a")[1]
    assert first != second


def test_user_for_token_finds_the_owner_and_records_the_use(app: Flask) -> None:
    user = make_user()
    token, plaintext = tokens.create_token(user, "a")
    assert tokens.user_for_token(plaintext) is user
    assert token.last_used_at is not None
    assert tokens.user_for_token(plaintext + "x") is None
    assert tokens.user_for_token("") is None
    assert tokens.user_for_token(token.token_hash) is None  # the hash is no token


def test_revoked_token_stops_working(app: Flask) -> None:
    user = make_user()
    token, plaintext = tokens.create_token(user, "a")
    tokens.revoke_token(user, token)
    assert token.revoked_at is not None and not token.is_active
    assert tokens.user_for_token(plaintext) is None
    with pytest.raises(InvalidTransition):
        tokens.revoke_token(user, token)


def test_only_the_owner_can_revoke(app: Flask) -> None:
    owner, other = make_user(), make_user(Role.COORDINATOR)
    token, plaintext = tokens.create_token(owner, "a")
    with pytest.raises(NotAllowed):
        tokens.revoke_token(other, token)
    assert token.is_active
    assert tokens.user_for_token(plaintext) is owner


def test_a_deactivated_account_token_stops_working(app: Flask) -> None:
    user = make_user()
    _token, plaintext = tokens.create_token(user, "a")
    user.is_active_account = False
    assert tokens.user_for_token(plaintext) is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_token_needs_a_short_name(app: Flask, name: str) -> None:
    with pytest.raises(Invalid):
        tokens.create_token(make_user(), name)


def test_tokens_of_lists_newest_first(app: Flask) -> None:
    user, other = make_user(), make_user()
    first, _ = tokens.create_token(user, "pierwszy")
    second, _ = tokens.create_token(user, "drugi")
    tokens.create_token(other, "cudzy")
    assert tokens.tokens_of(user) == [second, first]


# The account page -----------------------------------------------------------


def _shown_token(html: str) -> str:
    found = re.findall(r'<code class="new-token">([^<]+)</code>', html)
    assert len(found) == 1, "the new token is shown once"
    return found[0]


@pytest.fixture
def citizen(app: Flask) -> User:
    return make_user(name="Ola")


def test_create_on_the_account_page_shows_it_once(
    client: FlaskClient, auth: AuthActions, citizen: User
) -> None:
    auth.login(citizen)
    response = client.post("/account/tokens", data={"name": "skrypt"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    plaintext = _shown_token(response.get_data(as_text=True))
    assert tokens.user_for_token(plaintext).id == citizen.id
    again = client.get("/account").get_data(as_text=True)
    assert plaintext not in again
    assert "skrypt" in again


def test_create_without_a_name_is_refused(
    client: FlaskClient, auth: AuthActions, citizen: User
) -> None:
    auth.login(citizen)
    response = client.post("/account/tokens", data={"name": " "})
    assert response.status_code == 422
    assert 'class="new-token"' not in response.get_data(as_text=True)
    assert db.session.scalars(select(ApiToken)).all() == []


def test_revoke_on_the_account_page(
    client: FlaskClient, auth: AuthActions, citizen: User
) -> None:
    token, plaintext = tokens.create_token(citizen, "skrypt")
    db.session.commit()
    auth.login(citizen)
    response = client.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 302
    db.session.expire_all()  # the request committed in its own session
    assert tokens.user_for_token(plaintext) is None
    assert "unieważniony" in client.get("/account").get_data(as_text=True)


def test_someone_elses_token_cannot_be_revoked(
    client: FlaskClient, auth: AuthActions, citizen: User
) -> None:
    other = make_user()
    token, plaintext = tokens.create_token(other, "cudzy")
    db.session.commit()
    auth.login(citizen)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 403
    assert client.post("/account/tokens/999/revoke").status_code == 404
    assert tokens.user_for_token(plaintext).id == other.id


def test_token_pages_need_a_login(client: FlaskClient, app: Flask) -> None:
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302
    assert client.post("/account/tokens/1/revoke").status_code == 302
    assert db.session.scalars(select(ApiToken)).all() == []


def test_token_forms_are_csrf_protected(csrf_app: Flask) -> None:
    client = csrf_app.test_client()
    user = make_user()
    token, _plaintext = tokens.create_token(user, "a")
    db.session.commit()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post(
        "/login",
        data={
            "email": user.email,
            "password": "correct horse battery",
            "csrf_token": csrf,
        },
    )
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 400
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 400
    page = client.get("/account").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/account/tokens", data={"name": "x", "csrf_token": csrf})
    assert response.status_code == 200
    _shown_token(response.get_data(as_text=True))
