"""The report pages and downloads (blueprint ``report``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("report", __name__)
