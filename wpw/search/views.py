"""The search pages (blueprint ``search``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")
