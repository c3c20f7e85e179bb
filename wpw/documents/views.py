"""Reading the programme: programme page, a whole round, one section with its lines."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from wpw.auth.permissions import can_view_round
from wpw.documents import services
from wpw.documents.models import Programme, Round, SectionVersion
from wpw.process.services import city_today, current_phases
from wpw.text.lines import LineRangeError, parse_line_range

bp = Blueprint("documents", __name__, url_prefix="/programmes")


def load_programme(slug: str) -> Programme:
    programme = services.programme_by_slug(slug)
    if programme is None:
        abort(404)
    return programme


def load_round(slug: str, number: int) -> tuple[Programme, Round]:
    """The round, or 404 — also for a working round the user may not see, so
    its existence is not revealed."""
    programme = load_programme(slug)
    round_ = services.round_by_number(programme, number)
    if round_ is None or not can_view_round(current_user, round_):
        abort(404)
    return programme, round_


@bp.get("/<slug>")
def programme(slug: str):
    programme = load_programme(slug)
    rounds = services.visible_rounds(current_user, programme)
    today = city_today()
    return render_template(
        "documents/programme.html",
        programme=programme,
        rounds=rounds,
        today=today,
        current=current_phases(programme, today),
    )


@bp.get("/<slug>/rounds/<int:number>")
def round_(slug: str, number: int):
    programme, round_ = load_round(slug, number)
    return render_template(
        "documents/round.html",
        programme=programme,
        round=round_,
        rounds=services.visible_rounds(current_user, programme),
    )


@bp.get("/<slug>/rounds/<int:number>/sections/<key>")
def section(slug: str, number: int, key: str):
    programme, round_ = load_round(slug, number)
    version = services.version_in_round(round_, key)
    if version is None:
        abort(404)
    from wpw.annotations.views import section_panel  # it builds on this module

    return render_section(programme, round_, version, section_panel(round_, version))


def render_section(
    programme: Programme,
    round_: Round,
    version: SectionVersion,
    annotations: dict[str, Any],
    *,
    status: int = 200,
):
    """The section page: numbered lines (``?lines=3-5`` highlighted), links to the
    section's other rounds, and *annotations* (see
    :func:`wpw.annotations.views.section_panel`)."""
    lines = version.lines
    highlight, range_error = None, None
    if raw := request.args.get("lines"):
        try:
            highlight = parse_line_range(raw)
        except LineRangeError:
            range_error = _(
                "„%(value)s” nie jest zakresem wierszy (np. 3-5).", value=raw
            )
        else:
            if not highlight.fits(len(lines)):
                range_error = _(
                    "Ten paragraf ma %(count)d wierszy; wiersze %(first)d–%(last)d "
                    "nie istnieją.",
                    count=len(lines),
                    first=highlight.first,
                    last=highlight.last,
                )
                highlight = None
    others = [
        (r, v)
        for v in services.section_history(version.section)
        if (r := v.round) is not round_ and can_view_round(current_user, r)
    ]
    # By id, not key: reading v.section would load every section one by one.
    position = [v.section_id for v in round_.versions]
    index = position.index(version.section_id)
    return render_template(
        "documents/section.html",
        programme=programme,
        round=round_,
        version=version,
        lines=lines,
        highlight=highlight,
        range_error=range_error,
        other_versions=others,
        previous=round_.versions[index - 1] if index > 0 else None,
        next=round_.versions[index + 1] if index + 1 < len(round_.versions) else None,
        **annotations,
    ), status
