"""Read-only JSON API v1 (placeholder)."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi():  # noqa: ANN201
    return {}, 501
