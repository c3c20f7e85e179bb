"""MOWIS's admin pages (placeholder until accounts are built)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
def users():  # noqa: ANN201
    return "", 501
