"""Configuration read from the environment.

Every setting has a safe development default, so ``make run`` needs no set-up:
SQLite under ``instance/``, the search index under ``index/``, a secret key
generated once and kept under ``instance/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("WPW_INSTANCE_DIR", ROOT / "instance"))


def _secret_key(instance_dir: Path) -> str:
    """Return ``SECRET_KEY`` from the environment or from ``instance/secret_key``.

    The file is created once with a random key; it is never a constant in code.
    """
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = instance_dir / "secret_key"
    if not path.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        # Write through a fresh file with owner-only permissions.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def _flag(name: str) -> bool:
    """A yes/no setting: "1", "true", "yes" or "on" (any case) mean yes."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _database_url(instance_dir: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        instance_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_dir / 'wpw.sqlite'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """Name the psycopg 3 driver for ``postgres://`` and ``postgresql://`` URLs."""
    # Heroku-style URLs name the old driver; we use psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings for development and production, from the environment."""

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key(INSTANCE_DIR)
        self.SQLALCHEMY_DATABASE_URI = _database_url(INSTANCE_DIR)
        self.WPW_INDEX_DIR = os.environ.get("WPW_INDEX_DIR", str(ROOT / "index"))
        #: Parsed uploads waiting for confirmation (a folder every server shares).
        self.WPW_IMPORT_DIR = os.environ.get(
            "WPW_IMPORT_DIR", str(INSTANCE_DIR / "imports")
        )
        self.BABEL_DEFAULT_LOCALE = "pl"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Warsaw"
        self.WPW_LANGUAGES = ("pl", "en")
        #: Failed logins allowed per e-mail (and per client address) in the window.
        self.WPW_LOGIN_MAX_FAILURES = int(os.environ.get("WPW_LOGIN_MAX_FAILURES", 5))
        self.WPW_LOGIN_WINDOW_SECONDS = 15 * 60
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        #: Uploads (imports) are refused over 5 MB by the importer; this is the
        #: server's hard limit on any request body, with room for the form.
        self.MAX_CONTENT_LENGTH = 6 * 1024 * 1024
        self.WTF_CSRF_TIME_LIMIT = None  # a long consultation form must not expire
        self.JSON_SORT_KEYS = False
        # Outgoing mail (``flask wpw send-mail`` sends the outbox over SMTP).
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
        self.MAIL_USE_TLS = _flag("MAIL_USE_TLS")  #: STARTTLS on a plain connection
        self.MAIL_USE_SSL = _flag("MAIL_USE_SSL")  #: TLS from the first byte
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
        self.MAIL_FROM = os.environ.get("MAIL_FROM", "WPW Kraków <wpw@localhost>")
        #: Where the site is reachable: mails are built outside requests and link
        #: back to it.
        self.WPW_BASE_URL = os.environ.get("WPW_BASE_URL", "http://127.0.0.1:5000")
