"""Domain errors raised by services, and the HTTP error handlers.

Services raise these; views (or the handlers below) turn them into a message
and a status code. Any error rolls back the request's transaction.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from wpw.extensions import db


class DomainError(Exception):
    """Base class: a rule of the domain refused an action."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The acting user may not do this."""

    status_code = 403


class Conflict(DomainError):
    """The object changed since the user loaded it."""

    status_code = 409


class InvalidTransition(DomainError):
    """The object's state does not allow this step."""

    status_code = 409


class Invalid(DomainError):
    """The input breaks a rule."""

    status_code = 422


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Register handlers: JSON under ``/api/``, HTML pages elsewhere."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):  # noqa: ANN202
        db.session.rollback()
        if _wants_json():
            return jsonify(error=error.name, message=error.description), error.code
        return (
            render_template("errors/error.html", error=error),
            error.code,
        )

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):  # noqa: ANN202
        db.session.rollback()
        if _wants_json():
            return jsonify(error=type(error).__name__, message=error.message), (
                error.status_code
            )
        return (
            render_template("errors/domain.html", error=error),
            error.status_code,
        )

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):  # noqa: ANN202
        db.session.rollback()
        app.logger.exception("Unhandled error")
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        if _wants_json():
            return jsonify(error="Internal Server Error", message=_("Błąd serwera.")), 500
        return render_template("errors/500.html"), 500
