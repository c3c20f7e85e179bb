"""The audit pages (blueprint ``audit``): the log, newest first, filtered by a
GET form. Only the Coordinating Team and MOWIS get in; the service checks again.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from wpw.audit import services
from wpw.audit.forms import ANY, AuditFilterForm
from wpw.audit.labels import ACTION_LABELS, SUBJECT_LABELS, action_label, detail_rows
from wpw.audit.permissions import can_read_audit
from wpw.extensions import db, login_manager

bp = Blueprint("audit", __name__, url_prefix="/audit")

EVENTS_PER_PAGE = 50


@bp.before_request
def only_the_team() -> ResponseReturnValue | None:
    """Anonymous visitors go to the login page; other roles get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_read_audit(current_user):
        abort(403)
    return None


@bp.get("/")
def log() -> ResponseReturnValue:
    form = _filter_form()
    valid = form.validate()
    page = db.paginate(
        services.readable_log(current_user, form.filters()),
        page=request.args.get("page", 1, type=int),
        per_page=EVENTS_PER_PAGE,
        max_per_page=EVENTS_PER_PAGE,
    )
    query = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit/log.html",
        form=form,
        page=page,
        query=query,
        subjects=services.subjects_of(page.items),
        action_label=action_label,
        subject_labels=SUBJECT_LABELS,
        detail_rows=detail_rows,
    ), 200 if valid else 422


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    actions = dict.fromkeys([*ACTION_LABELS, *services.logged_values("action")])
    form.action.choices = [(ANY, str(_any()))] + [(a, action_label(a)) for a in actions]
    form.actor.choices = [(ANY, str(_any()))] + [
        (str(u.id), f"{u.name} ({u.email})") for u in services.logged_actors()
    ]
    types = dict.fromkeys([*SUBJECT_LABELS, *services.logged_values("subject_type")])
    form.subject_type.choices = [(ANY, str(_any()))] + [
        (t, str(SUBJECT_LABELS.get(t, t))) for t in types
    ]
    return form


def _any() -> str:
    return _("dowolne")
