"""The mail pages (blueprint ``mail``): preferences and one-click unsubscribe.

Importing this module connects the mail receivers (:mod:`wpw.mail.notify`).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wpw.errors import DomainError
from wpw.extensions import csrf, db
from wpw.mail import (
    notify,  # noqa: F401  (connects the receivers)
    services,
)
from wpw.mail.forms import PreferencesForm
from wpw.mail.models import QueueMail

bp = Blueprint("mail", __name__, url_prefix="/mail")


def _refused(error: DomainError) -> ResponseReturnValue:
    return render_template("mail/unsubscribe_invalid.html", error=error), 400


@bp.get("/unsubscribe/<token>")
def unsubscribe_confirm(token: str) -> ResponseReturnValue:
    """Say what the link stops, with a button (a GET changes nothing: link
    checkers and previews open links)."""
    try:
        user, category = services.read_unsubscribe_token(token)
    except DomainError as error:
        return _refused(error)
    return render_template(
        "mail/unsubscribe.html",
        token=token,
        email=user.email,
        what=services.CATEGORY_LABELS[category],
    )


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click POSTs come from mail clients; the token signs it
def unsubscribe(token: str) -> ResponseReturnValue:
    try:
        user, category = services.unsubscribe(token)
    except DomainError as error:
        db.session.rollback()
        return _refused(error)
    db.session.commit()
    return render_template(
        "mail/unsubscribed.html",
        email=user.email,
        what=services.CATEGORY_LABELS[category],
    )


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences() -> ResponseReturnValue:
    user = current_user._get_current_object()
    in_sub_team = bool(user.memberships)
    form = PreferencesForm(
        data={
            "decisions": user.mail_decisions,
            "replies": user.mail_replies,
            "queue": user.mail_queue.value,
            "show_name": user.show_name,
        }
    )
    if not in_sub_team:
        del form.queue
    if form.validate_on_submit():
        try:
            services.update_preferences(
                user,
                user,
                decisions=form.decisions.data,
                replies=form.replies.data,
                show_name=form.show_name.data,
                queue=QueueMail(form.queue.data) if in_sub_team else None,
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return render_template("mail/preferences.html", form=form), (
                error.status_code
            )
        db.session.commit()
        flash(_("Zapisano ustawienia powiadomień."), "success")
        return redirect(url_for("mail.preferences"))
    status = 422 if form.is_submitted() else 200
    return render_template("mail/preferences.html", form=form), status
