"""The review blueprint, its labels and the helpers its pages share."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from wpw.annotations.models import Annotation
from wpw.review import services
from wpw.review.labels import DECISION_LABELS, STATUS_LABELS, WITHDRAWN_LABEL
from wpw.review.models import ReviewAction, ReviewStatus
from wpw.review.permissions import has_review_queue
from wpw.urls import this_url_with

bp = Blueprint("review", __name__, url_prefix="/review")

ACTION_LABELS = {
    ReviewAction.RECOMMENDED: _l("rekomendacja podzespołu"),
    ReviewAction.DECIDED: _l("decyzja"),
    ReviewAction.REVISED: _l("zmiana decyzji"),
    ReviewAction.WITHDRAWN: _l("wycofanie przez autora"),
}
#: The tabs of a sub-team's queue.
SECTOR_TABS = (ReviewStatus.NEW, ReviewStatus.RECOMMENDED, ReviewStatus.DECIDED)


def page_url(page: int) -> str:
    """This page's URL with the same filters, on page *page*."""
    return this_url_with(page=page)


def status_of(recommendations: dict[int, list]) -> Callable[[Annotation], str]:
    """A row's status label from what the page loaded (no query per row)."""

    def label(a: Annotation) -> str:
        recommended = bool(recommendations.get(a.id))
        return str(STATUS_LABELS[services.review_status(a, recommended=recommended)])

    return label


@bp.app_context_processor
def review_helpers() -> dict[str, object]:
    return {
        "has_review_queue": has_review_queue,
        "decision_labels": DECISION_LABELS,
        "review_status_labels": STATUS_LABELS,
        "withdrawn_label": WITHDRAWN_LABEL,
    }
