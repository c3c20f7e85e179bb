"""Alembic builds exactly the schema the models describe (SQLite, or PostgreSQL when
``WPW_TEST_DATABASE_URL`` names one)."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from tests.conftest import make_app
from wpw.config import normalise_database_url
from wpw.extensions import db


def _diff(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_head_on_empty_database_matches_models(tmp_path) -> None:
    url = os.environ.get("WPW_TEST_DATABASE_URL")
    url = normalise_database_url(url) if url else f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    engine = create_engine(url)
    with app.app_context():
        db.drop_all()  # other tests may have left tables in a shared database
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        assert inspect(engine).get_table_names() == []
        upgrade()
        assert "section_versions" in inspect(engine).get_table_names()
        assert _diff(engine) == []
        # The migration can also be undone cleanly, and redone.
        downgrade(revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diff(engine) == []
        db.session.remove()
        db.engine.dispose()
    engine.dispose()
