"""Registration, login and logout (placeholder)."""

from flask import Blueprint

bp = Blueprint("auth", __name__)


@bp.get("/login")
def login():  # noqa: ANN201
    return "", 501


@bp.get("/register")
def register():  # noqa: ANN201
    return "", 501


@bp.post("/logout")
def logout():  # noqa: ANN201
    return "", 501


@bp.get("/account")
def account():  # noqa: ANN201
    return "", 501
