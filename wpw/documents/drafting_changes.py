"""The working copy's changes page: accepted proposals applied, conflicts side by side.

Routes on the ``drafting`` blueprint (imported by :mod:`wpw.documents.drafting`).
Coordinators only: anonymous users go to the login page, others get 403. The rules
live in :mod:`wpw.review.applying`.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from wpw.auth.forms import strip
from wpw.documents import services
from wpw.documents.drafting import _require_team, bp
from wpw.documents.models import Programme, Round
from wpw.documents.views import load_programme
from wpw.errors import Invalid
from wpw.extensions import db, login_manager
from wpw.review import applying
from wpw.review.labels import CHANGE_STATUS_LABELS
from wpw.review.models import AppliedChange, ChangeStatus


class ApplyChangesForm(FlaskForm):
    """A bare form: its CSRF token is the confirmation."""


class ResolveConflictForm(FlaskForm):
    note = TextAreaField(
        _l("Jak rozstrzygnięto konflikt"),
        validators=[
            InputRequired(message=_l("Opisz, jak rozstrzygnięto konflikt.")),
            Length(max=2000),
        ],
        filters=[strip],
        description=_l("Np. „Połączono obie propozycje w § 3, wiersz 4”."),
    )


def _load_working(slug: str) -> tuple[Programme, Round]:
    """The programme's working copy, for a coordinator (login, 403, or 404)."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    _require_team()
    programme = load_programme(slug)
    round_ = services.working_round(programme)
    if round_ is None:
        abort(404)
    return programme, round_


def _to_changes(slug: str) -> ResponseReturnValue:
    return redirect(url_for("drafting.changes", slug=slug))


def _page(
    round_: Round, failed: AppliedChange | None = None, form=None
) -> ResponseReturnValue:
    changes = applying.changes_in_round(round_)
    forms = {
        c.id: form
        if failed is not None and c.id == failed.id
        else ResolveConflictForm(prefix=f"c{c.id}", formdata=None)
        for c in changes
        if c.status is ChangeStatus.CONFLICT
    }
    versions = {v.section_id: v for v in round_.versions}
    return render_template(
        "drafting/changes.html",
        round=round_,
        changes=changes,
        conflicts=[c for c in changes if c.status is ChangeStatus.CONFLICT],
        resolved=[c for c in changes if c.status is ChangeStatus.RESOLVED],
        applied=[c for c in changes if c.status is ChangeStatus.APPLIED],
        passages={c.id: applying.current_passage(c) for c in changes},
        versions=versions,
        forms=forms,
        apply_form=ApplyChangesForm(),
        change_labels=CHANGE_STATUS_LABELS,
    ), (422 if failed is not None else 200)


@bp.get("/<slug>/working-copy/changes")
def changes(slug: str) -> ResponseReturnValue:
    """Accepted proposals applied to the working copy, and conflicts to resolve."""
    _programme, round_ = _load_working(slug)
    return _page(round_)


@bp.post("/<slug>/working-copy/changes/apply")
def apply_changes(slug: str) -> ResponseReturnValue:
    _programme, round_ = _load_working(slug)
    if ApplyChangesForm().validate_on_submit():
        report = applying.apply_accepted_changes(current_user, round_)
        db.session.commit()
        if report:
            flash(
                _(
                    "Wprowadzono zmian: %(applied)d; konfliktów do rozstrzygnięcia: "
                    "%(conflicts)d.",
                    applied=len(report.applied),
                    conflicts=len(report.conflicts),
                ),
                "success",
            )
        else:
            flash(_("Nie ma nowych przyjętych propozycji zmian."), "success")
    return _to_changes(slug)


@bp.post("/<slug>/working-copy/changes/<int:change_id>/resolve")
def resolve_conflict(slug: str, change_id: int) -> ResponseReturnValue:
    _programme, round_ = _load_working(slug)
    change = db.session.get(AppliedChange, change_id)
    if change is None or change.round_id != round_.id:
        abort(404)
    form = ResolveConflictForm(prefix=f"c{change.id}")
    if not form.validate_on_submit():
        return _page(round_, change, form)
    try:
        applying.resolve_conflict(current_user, change, form.note.data)
    except Invalid as error:  # a note of spaces only
        db.session.rollback()
        form.note.errors = [error.message]
        return _page(round_, change, form)
    db.session.commit()
    flash(
        _("Oznaczono konflikt uwagi nr %(n)d jako rozstrzygnięty.", n=change_id),
        "success",
    )
    return _to_changes(slug)
