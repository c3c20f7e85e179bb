"""The public comparison of two rounds: whole programme or one section, inline
or side by side, at a stable address (``/programmes/<slug>/compare?from=1&to=2``).
"""

from __future__ import annotations

from functools import partial
from itertools import groupby

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from wpw.annotations.views import KIND_LABELS
from wpw.compare import services, tracing
from wpw.compare.markup import DiffMarkup
from wpw.documents import services as documents
from wpw.review.labels import DECISION_LABELS

bp = Blueprint("compare", __name__)

MODES = ("inline", "side")


def _round_arg(name: str) -> int | None:
    try:
        return services.parse_round_number(request.args.get(name))
    except ValueError:
        abort(400)


@bp.get("/programmes/<slug>/compare")
def rounds(slug: str):
    """Compare two rounds; an unknown or hidden round or section is a 404."""
    programme = documents.programme_by_slug(slug)
    if programme is None:
        abort(404)
    mode = request.args.get("mode") or "inline"
    if mode not in MODES:
        abort(400)
    key = request.args.get("section") or None
    pair = services.choose_rounds(
        current_user, programme, _round_arg("from"), _round_arg("to")
    )
    if pair is None:
        abort(404)
    comparison = services.compare_rounds(
        current_user, *pair, section_key=key, side_by_side=mode == "side"
    )
    if key is not None and not comparison.sections:
        abort(404)
    args = permalink_args(comparison, mode)
    return render_template(
        "compare/rounds.html",
        programme=programme,
        comparison=comparison,
        blocks=[(k, list(g)) for k, g in groupby(comparison.sections, _unchanged)],
        mode=mode,
        rounds=documents.visible_rounds(current_user, programme),
        choices=services.section_choices(current_user, programme),
        permalink=url_for("compare.rounds", slug=slug, _external=True, **args),
        link=partial(_link, slug, args),
        traces=tracing.trace_comparison(comparison),
        diff_markup=DiffMarkup.translated(tracing.answer_label),
        kind_labels=KIND_LABELS,
        decision_labels=DECISION_LABELS,
    )


def permalink_args(comparison: services.RoundComparison, mode: str) -> dict:
    """The query of this comparison's stable address, every default spelt out."""
    args = {"from": comparison.from_round.number, "to": comparison.to_round.number}
    if comparison.section_key:
        args["section"] = comparison.section_key
    args["mode"] = mode
    return args


def _link(slug: str, args: dict, **changes) -> str:
    """This comparison's address with some of its arguments changed (``None``
    drops one), for the links between modes and sections."""
    merged = {**args, **changes}
    ordered = {k: merged.get(k) for k in ("from", "to", "section", "mode")}
    return url_for(
        "compare.rounds",
        slug=slug,
        **{k: v for k, v in ordered.items() if v is not None},
    )


def _unchanged(section: services.SectionComparison) -> bool:
    return section.unchanged
