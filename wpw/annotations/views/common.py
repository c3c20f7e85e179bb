"""What the annotation pages share: the blueprint, the labels of kinds and states,
the template helpers and the way to the login page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from wpw.annotations.models import AnnotationKind, AnnotationState
from wpw.annotations.permissions import can_moderate, can_see_hidden_text, is_author
from wpw.review.labels import DECISION_LABELS, WITHDRAWN_LABEL

bp = Blueprint("annotations", __name__)

KIND_LABELS = {
    AnnotationKind.COMMENT: _l("Uwaga"),
    AnnotationKind.QUESTION: _l("Pytanie"),
    AnnotationKind.CHANGE: _l("Propozycja zmiany"),
    AnnotationKind.REPLY: _l("Odpowiedź"),
}
STATE_LABELS = {
    AnnotationState.OPEN: _l("otwarta"),
    AnnotationState.WITHDRAWN: _l("wycofana"),
}


@bp.app_context_processor
def annotation_helpers() -> dict[str, object]:
    return {
        "kind_labels": KIND_LABELS,
        "state_labels": STATE_LABELS,
        "decision_labels": DECISION_LABELS,
        "withdrawn_label": WITHDRAWN_LABEL,
        "can_moderate": can_moderate,
        "can_see_hidden_text": can_see_hidden_text,
        "is_author": is_author,
        "thread_url_prefix": thread_url_prefix,
    }


def thread_url_prefix() -> str:
    """A thread page's URL without the annotation's id at its end: a page of
    cards appends the ids rather than building each URL with ``url_for``."""
    url = url_for("annotations.thread", annotation_id=0)
    assert url.endswith("/0"), url
    return url[:-1]


def login_first(next_url: str) -> ResponseReturnValue:
    """To the login page, then back to *next_url*."""
    flash(_("Zaloguj się, aby zgłosić uwagę."), "info")
    return redirect(url_for("auth.login", next=next_url))
