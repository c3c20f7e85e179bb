"""Fixtures shared by the whole suite: the app, its client and CLI runner, users
per role, the demo, and an ``auth`` helper that logs in and out.

Tests run on in-memory SQLite unless ``WPW_TEST_DATABASE_URL`` names another
database (e.g. PostgreSQL), where every test starts from empty tables.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.pool import StaticPool

from wpw import create_app
from wpw.auth.models import Role, User
from wpw.config import normalise_database_url
from wpw.extensions import db

TEST_PASSWORD = "correct horse battery"
_emails = itertools.count(1)


def _database_config() -> dict:
    if url := os.environ.get("WPW_TEST_DATABASE_URL"):
        return {"SQLALCHEMY_DATABASE_URI": normalise_database_url(url)}
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "poolclass": StaticPool,
            "connect_args": {"check_same_thread": False},
        },
    }


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in
    production. Without this, Flask reuses the test's app context, so ``g`` (where
    Flask-Login keeps the user and Flask-Babel the locale) and the database session
    would leak from one request into the next."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(tmp_path, **overrides) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "WTF_CSRF_ENABLED": False,
        "WPW_INDEX_DIR": str(tmp_path / "index"),
        "WPW_IMPORT_DIR": str(tmp_path / "imports"),
        "WPW_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SERVER_NAME": None,
        **_database_config(),
        **overrides,
    }
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    app = make_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        # Each test builds its own engine: close its pool, or a PostgreSQL server
        # runs out of connection slots a few hundred tests in.
        db.engine.dispose()


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:
    """The app with CSRF protection on, as in production."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        # Each test builds its own engine: close its pool, or a PostgreSQL server
        # runs out of connection slots a few hundred tests in.
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


def make_user(
    role: Role = Role.CITIZEN,
    *,
    email: str | None = None,
    name: str = "Test User",
    password: str = TEST_PASSWORD,
    organisation: str = "",
    krs: str = "",
) -> User:
    """Create and commit a user with *role*."""
    from wpw.auth.services import create_user

    user = create_user(
        email=email or f"user{next(_emails)}@test.example",
        name=name,
        password=password,
        role=role,
        organisation_name=organisation,
        krs=krs,
    )
    db.session.commit()
    return user


@pytest.fixture
def users(app: Flask) -> dict[Role, User]:
    """One user per global role."""
    return {role: make_user(role, name=f"{role.value} user") for role in Role}


#: A fixed "today" inside the demo's final consultation of round 2.
DEMO_TODAY = date(2026, 11, 26)


@pytest.fixture
def demo(app: Flask):
    """The demo programme, loaded as ``flask wpw demo`` would."""
    from wpw.demo.loader import PROGRAMME_SLUG, load_demo
    from wpw.documents.services import programme_by_slug

    load_demo(DEMO_TODAY)
    db.session.commit()
    return programme_by_slug(PROGRAMME_SLUG)


class AuthActions:
    """Log in and out through the real forms, like flaskr's ``auth`` fixture."""

    def __init__(self, client: FlaskClient) -> None:
        self._client = client

    def login(self, user_or_email: User | str, password: str = TEST_PASSWORD):
        email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
