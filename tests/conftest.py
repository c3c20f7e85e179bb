"""Fixtures shared by the whole suite: the app, its client and CLI runner, users
per role, the demo, and an ``auth`` helper that logs in and out.

Tests run on in-memory SQLite unless ``WPW_TEST_DATABASE_URL`` names another
database (e.g. PostgreSQL), where every test starts from empty tables.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
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


def empty_database() -> None:
    """Give the test empty tables, in the current app context.

    In-memory SQLite is a new database per test: create the tables. Elsewhere
    (PostgreSQL) dropping and creating some twenty tables and their enum types
    costs about a second a test — most of that run's time — so the tables stay
    and are emptied instead: rows deleted, sequences restarted. A test that
    dropped them (the migration test does) or left a different schema makes the
    delete fail, and then the tables are made afresh; so does the first test of
    a run, so that a schema left by an older run never lingers.
    """
    url = db.engine.url.render_as_string()
    if db.engine.dialect.name == "sqlite" or url not in _schemas_made:
        db.drop_all()
        db.create_all()
        _schemas_made.add(url)
        return
    try:
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
            connection.execute(text(_RESTART_SEQUENCES))
    except DBAPIError:
        db.drop_all()
        db.create_all()


#: Databases whose tables this run has created (see :func:`empty_database`).
_schemas_made: set[str] = set()

_RESTART_SEQUENCES = """
SELECT setval(sequence.oid, 1, false)
FROM pg_class AS sequence
JOIN pg_namespace AS namespace ON namespace.oid = sequence.relnamespace
WHERE sequence.relkind = 'S' AND namespace.nspname = current_schema()
"""


@contextmanager
def isolated_app_context(app: Flask) -> Iterator[Flask]:
    """*app*'s context around a test, on empty tables."""
    with app.app_context():
        empty_database()
        yield app
        db.session.remove()
        if db.engine.dialect.name != "sqlite":
            # Leave it empty: the next test's app looks at it as it starts (the
            # search index is rebuilt from it when missing).
            empty_database()
        # Each test builds its own engine: close its pool, or a PostgreSQL server
        # runs out of connection slots a few hundred tests in.
        db.engine.dispose()


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    with isolated_app_context(make_app(tmp_path)) as app:
        yield app


@pytest.fixture
def csrf_app(tmp_path) -> Iterator[Flask]:
    """The app with CSRF protection on, as in production."""
    with isolated_app_context(make_app(tmp_path, WTF_CSRF_ENABLED=True)) as app:
        yield app


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
    """The demo programme, loaded as ``flask wpw demo`` would.

    The first test to ask for it on empty tables runs the loader and keeps a
    copy of the rows it wrote; later tests on empty tables get the same rows
    inserted back (:func:`restore_rows`).
    The loader diffs, re-anchors and reviews two rounds — about a second a test,
    two and a half on PostgreSQL — and its result is the same every time
    (:data:`DEMO_TODAY` is fixed; ``tests/core/test_demo.py`` runs the loader
    itself).
    """
    from wpw.demo.loader import PROGRAMME_SLUG, load_demo
    from wpw.documents.services import programme_by_slug

    empty = not any(
        db.session.execute(select(1).select_from(table).limit(1)).first()
        for table in db.metadata.sorted_tables
    )
    if _demo_rows and empty:
        restore_rows(_demo_rows)
    else:  # the first time, or on top of a test's own rows (their ids would clash)
        load_demo(DEMO_TODAY)
        db.session.commit()
        if empty:
            _demo_rows.update(copy_rows())
    return programme_by_slug(PROGRAMME_SLUG)


#: The demo's rows by table, once loaded (see :func:`demo`).
_demo_rows: dict[str, list[dict]] = {}


def copy_rows() -> dict[str, list[dict]]:
    """Every row of every table, in primary-key order."""
    return {
        table.name: [
            dict(row._mapping)
            for row in db.session.execute(
                table.select().order_by(*table.primary_key.columns)
            )
        ]
        for table in db.metadata.sorted_tables
    }


def restore_rows(rows: dict[str, list[dict]]) -> None:
    """Insert *rows* (from :func:`copy_rows`) into empty tables, parents first,
    and move each id sequence past them."""
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if rows[table.name]:
                connection.execute(table.insert(), rows[table.name])
            if connection.dialect.name != "postgresql":
                continue  # SQLite numbers new rows after the largest id
            if (column := table.autoincrement_column) is not None:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', "
                        f"'{column.name}'), max({column.name})) FROM {table.name} "
                        f"HAVING count(*) > 0"
                    )
                )


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
