"""Domain errors raised by services, and the HTTP error handlers.

Services raise these; views (or the handlers below) turn them into a message
and a status code. Any error rolls back the request's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

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
    """The object changed since the user loaded it; *current* is its state now."""

    status_code = 409

    def __init__(self, message: str, current: object = None) -> None:
        super().__init__(message)
        self.current = current


class InvalidTransition(DomainError):
    """The object's state does not allow this step."""

    status_code = 409


class Invalid(DomainError):
    """The input breaks a rule."""

    status_code = 422


class InvalidFields(Invalid):
    """Invalid input, with the reasons grouped by the input they concern.

    :attr:`problems` maps a field name (``email``, ``name``, ``password``,
    ``organisation_name``, ``krs``) to its reasons; :attr:`message` joins every
    reason with newlines, so callers that only know :class:`Invalid` (the
    command line) still read them all.
    """

    def __init__(self, problems: Mapping[str, list[str]]) -> None:
        self.problems = {field: list(msgs) for field, msgs in problems.items() if msgs}
        super().__init__("\n".join(m for msgs in self.problems.values() for m in msgs))


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    """Register handlers: JSON under ``/api/``, HTML pages elsewhere."""

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        db.session.rollback()
        if _wants_json():
            response = jsonify(error=error.name, message=error.description)
            # Keep headers such as Allow (405) and Retry-After (429).
            for name, value in error.get_headers():
                if name.lower() != "content-type":
                    response.headers[name] = value
            return response, error.code
        return (
            render_template("errors/error.html", error=error),
            error.code,
        )

    @app.errorhandler(DomainError)
    def handle_domain(error: DomainError):
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
    def handle_unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        if app.testing and app.config.get("PROPAGATE_EXCEPTIONS"):
            raise error
        if _wants_json():
            return jsonify(
                error="Internal Server Error", message=_("Błąd serwera.")
            ), 500
        return render_template("errors/500.html"), 500
