"""Flask-Login wiring (how a session finds its user) and the role labels that
every template may show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask
from flask_babel import lazy_gettext as _l

from wpw.extensions import db, login_manager

if TYPE_CHECKING:
    from wpw.auth.models import User


def init_app(app: Flask) -> None:
    from wpw.auth.labels import MEMBERSHIP_LABELS, ROLE_LABELS

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Zaloguj się, aby zobaczyć tę stronę.")
    login_manager.login_message_category = "info"
    app.jinja_env.globals["role_labels"] = ROLE_LABELS
    app.jinja_env.globals["membership_labels"] = MEMBERSHIP_LABELS

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        from wpw.auth.models import User

        if not user_id.isdigit():
            return None
        return db.session.get(User, int(user_id))
