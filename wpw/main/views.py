"""Home page and the language switch."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, redirect, render_template, request, session
from flask_login import current_user

from wpw.documents import services as documents
from wpw.i18n import LANG_COOKIE
from wpw.process.services import city_today, current_phases
from wpw.urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    programmes = documents.all_programmes()
    today: date = city_today()
    return render_template(
        "main/home.html",
        programmes=programmes,
        today=today,
        rounds_for=lambda p: documents.visible_rounds(current_user, p),
        current_for=lambda p: current_phases(p, today),
    )


@bp.get("/language/<code>")
def set_language(code: str):
    """Remember the chosen language and go back to where the reader was."""
    languages = current_app.config["WPW_LANGUAGES"]
    response = redirect(safe_next(request.args.get("next")) or "/")
    if code in languages:
        session["lang"] = code
        response.set_cookie(
            LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response
