"""Configuration from the environment and SQLite's connection settings."""

import os
import stat

from sqlalchemy import create_engine, text

import wpw.extensions  # noqa: F401  (registers the SQLite connect hook)
from wpw.config import Config, _database_url, _secret_key


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = _secret_key(tmp_path)
    assert len(first) == 64 and first == _secret_key(tmp_path)
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    other = tmp_path / "other"
    assert _secret_key(other) != first  # random, never a constant


def test_secret_key_from_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert _secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_default_and_postgres(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert _database_url(tmp_path) == f"sqlite:///{tmp_path / 'wpw.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db/wpw")
    assert _database_url(tmp_path) == "postgresql+psycopg://u:p@db/wpw"


def test_index_dir_and_language(monkeypatch) -> None:
    monkeypatch.setenv("WPW_INDEX_DIR", "/srv/wpw-index")
    monkeypatch.setenv("SECRET_KEY", "x")
    config = Config()
    assert config.WPW_INDEX_DIR == "/srv/wpw-index"
    assert config.BABEL_DEFAULT_LOCALE == "pl"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()
