"""Alembic builds exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from tests.conftest import make_app
from wpw.extensions import db


def _diff(engine) -> list:  # noqa: ANN001
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_upgrade_head_matches_models(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=url, SQLALCHEMY_ENGINE_OPTIONS={})
    with app.app_context():
        upgrade()
        engine = create_engine(url)
        assert "section_versions" in inspect(engine).get_table_names()
        assert _diff(engine) == []
        # The migration can also be undone cleanly, and redone.
        downgrade(revision="base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert _diff(engine) == []
        engine.dispose()
