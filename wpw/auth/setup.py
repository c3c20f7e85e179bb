"""Flask-Login wiring: how a session finds its user."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from wpw.extensions import db, login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Zaloguj się, aby zobaczyć tę stronę.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):  # noqa: ANN202
        from wpw.auth.models import User

        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))
