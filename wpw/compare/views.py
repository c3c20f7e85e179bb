"""Public comparison of rounds (placeholder until the feature is built)."""

from flask import Blueprint

bp = Blueprint("compare", __name__)
