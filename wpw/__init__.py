"""WPW: a Flask app where a city and its NGOs co-write a programme, round by round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the app; *test_config* overrides the environment-based settings."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    from wpw.config import Config

    app.config.from_object(Config())
    if test_config:
        app.config.update(test_config)

    from wpw import errors, extensions, i18n
    from wpw.auth import setup as auth_setup

    extensions.db.init_app(app)
    extensions.migrate.init_app(
        app, extensions.db, directory=str(ROOT / "migrations"), render_as_batch=True
    )
    extensions.csrf.init_app(app)
    i18n.init_app(app)
    auth_setup.init_app(app)
    errors.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")

    from wpw import models  # noqa: F401  (registers every table with the metadata)
    from wpw.admin.views import bp as admin_bp
    from wpw.annotations.views import bp as annotations_bp
    from wpw.api.views import bp as api_bp
    from wpw.audit.views import bp as audit_bp
    from wpw.auth.views import bp as auth_bp
    from wpw.compare.views import bp as compare_bp
    from wpw.documents.drafting import bp as drafting_bp
    from wpw.documents.import_views import bp as files_bp
    from wpw.documents.views import bp as documents_bp
    from wpw.mail.views import bp as mail_bp
    from wpw.main.views import bp as main_bp
    from wpw.report.views import bp as report_bp
    from wpw.review.views import bp as review_bp
    from wpw.search.views import bp as search_bp
    from wpw.sectors.views import bp as sectors_bp

    for blueprint in (
        main_bp,
        auth_bp,
        documents_bp,
        drafting_bp,
        files_bp,
        compare_bp,
        annotations_bp,
        sectors_bp,
        review_bp,
        report_bp,
        search_bp,
        mail_bp,
        audit_bp,
        admin_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
    extensions.csrf.exempt(api_bp)  # JSON; writes authenticate by bearer token

    from wpw.search import setup as search_setup

    search_setup.init_app(app)

    from wpw.cli import register as register_cli

    register_cli(app)
    return app
