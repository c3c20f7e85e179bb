"""The Coordinating Team's working copy: open, edit, add, move, remove, publish,
discard — and the public history of a section across rounds.

Views are thin: load or 404, check the user may edit, validate, call one service
from :mod:`wpw.documents.services`, commit once, redirect.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from wpw.auth.permissions import can_edit_round, can_publish, can_view_round
from wpw.documents import services
from wpw.documents.forms import (
    ConfirmForm,
    MoveForm,
    NewSectionForm,
    OpenWorkingCopyForm,
    PublishForm,
    SectionForm,
)
from wpw.documents.models import EventAction, Programme, Round, SectionVersion
from wpw.documents.views import load_programme, load_round
from wpw.errors import Conflict, Invalid, InvalidTransition
from wpw.extensions import db, login_manager

bp = Blueprint("drafting", __name__, url_prefix="/programmes")

EVENT_LABELS = {
    EventAction.OPENED: _l("otwarcie wersji roboczej"),
    EventAction.ADDED: _l("dodanie paragrafu"),
    EventAction.EDITED: _l("zapis paragrafu"),
    EventAction.MOVED: _l("przeniesienie paragrafu"),
    EventAction.REMOVED: _l("usunięcie paragrafu"),
    EventAction.PUBLISHED: _l("publikacja"),
}


@bp.app_context_processor
def drafting_helpers() -> dict[str, object]:
    return {
        "event_labels": EVENT_LABELS,
        "can_edit_round": can_edit_round,
        "can_publish": can_publish,
    }


def _require_team() -> None:
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not can_publish(current_user):
        abort(403)


def load_editable(slug: str, number: int) -> tuple[Programme, Round]:
    """The working round, for a Coordinating Team member.

    Anonymous users go to the login page; a round the user may not see is 404
    (a working copy's existence is not revealed); a visible round the user may
    not edit is 403; a published round is refused with a message (409).
    """
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    programme, round_ = load_round(slug, number)
    _require_team()
    if round_.is_frozen:
        raise InvalidTransition(_("Opublikowana runda nie może się już zmienić."))
    if not can_edit_round(current_user, round_):
        abort(403)
    return programme, round_


def load_editable_version(slug: str, number: int, key: str) -> SectionVersion:
    _programme, round_ = load_editable(slug, number)
    version = services.version_in_round(round_, key)
    if version is None:
        abort(404)
    return version


def _to_round(round_: Round, anchor: str = "") -> ResponseReturnValue:
    url = url_for("documents.round_", slug=round_.programme.slug, number=round_.number)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@bp.post("/<slug>/working-copy")
def open_working_copy(slug: str) -> ResponseReturnValue:
    _require_team()
    programme = load_programme(slug)
    form = OpenWorkingCopyForm()
    if not form.validate_on_submit():
        flash(_("Podaj tytuł nowej rundy."), "error")
        return redirect(url_for("documents.programme", slug=slug))
    round_ = services.open_working_copy(current_user, programme, form.title.data)
    db.session.commit()
    flash(_("Otwarto wersję roboczą rundy %(n)d.", n=round_.number), "success")
    return _to_round(round_)


@bp.route("/<slug>/rounds/<int:number>/sections/<key>/edit", methods=["GET", "POST"])
def edit_section(slug: str, number: int, key: str) -> ResponseReturnValue:
    version = load_editable_version(slug, number, key)
    form = SectionForm(obj=version if request.method == "GET" else None)
    if request.method == "GET":
        form.base_revision.data = version.revision
    if form.validate_on_submit():
        try:
            services.save_section(
                current_user,
                version,
                number=form.number.data,
                title=form.title.data,
                text=form.text.data or "",
                message=form.message.data or "",
                base_revision=_int(form.base_revision.data),
            )
        except Conflict:
            db.session.rollback()
            current = services.version_in_round(version.round, key)
            return render_template(
                "drafting/conflict.html",
                form=form,
                version=current,
                round=current.round,
            ), 409
        except Invalid as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Zapisano %(label)s.", label=version.label), "success")
            return _to_round(version.round, key)
    return render_template(
        "drafting/edit.html", form=form, version=version, round=version.round
    ), 422 if form.errors else 200


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return -1  # never a real revision: the save becomes a conflict


@bp.route("/<slug>/rounds/<int:number>/sections/new", methods=["GET", "POST"])
def add_section(slug: str, number: int) -> ResponseReturnValue:
    _programme, round_ = load_editable(slug, number)
    form = NewSectionForm()
    if form.validate_on_submit():
        try:
            version = services.add_section(
                current_user,
                round_,
                key=form.key.data,
                number=form.number.data,
                title=form.title.data,
                text=form.text.data or "",
                position=form.position.data,
                message=form.message.data or "",
            )
        except Invalid as error:
            form.form_errors.append(error.message)
        else:
            db.session.commit()
            flash(_("Dodano %(label)s.", label=version.label), "success")
            return _to_round(round_, version.section.key)
    return render_template("drafting/new.html", form=form, round=round_), (
        422 if form.errors else 200
    )


@bp.post("/<slug>/rounds/<int:number>/sections/<key>/move")
def move_section(slug: str, number: int, key: str) -> ResponseReturnValue:
    version = load_editable_version(slug, number, key)
    form = MoveForm()
    if form.validate_on_submit():
        services.move_section(current_user, version, form.position.data)
        db.session.commit()
        flash(_("Przeniesiono %(label)s.", label=version.label), "success")
    return _to_round(version.round, key)


@bp.route("/<slug>/rounds/<int:number>/sections/<key>/remove", methods=["GET", "POST"])
def remove_section(slug: str, number: int, key: str) -> ResponseReturnValue:
    version = load_editable_version(slug, number, key)
    form = ConfirmForm()
    if form.validate_on_submit():
        label, round_ = version.label, version.round
        services.remove_section(current_user, version)
        db.session.commit()
        flash(_("Usunięto %(label)s z wersji roboczej.", label=label), "success")
        return _to_round(round_)
    return render_template(
        "drafting/remove.html", form=form, version=version, round=version.round
    )


@bp.route("/<slug>/rounds/<int:number>/publish", methods=["GET", "POST"])
def publish(slug: str, number: int) -> ResponseReturnValue:
    _programme, round_ = load_editable(slug, number)
    form = PublishForm()
    if form.validate_on_submit():
        services.publish_round(current_user, round_, form.message.data)
        db.session.commit()
        flash(
            _(
                "Opublikowano rundę %(n)d. Jest teraz publiczna i nie może się już "
                "zmienić.",
                n=round_.number,
            ),
            "success",
        )
        return _to_round(round_)
    return render_template("drafting/publish.html", form=form, round=round_), (
        422 if form.errors else 200
    )


@bp.route("/<slug>/rounds/<int:number>/discard", methods=["GET", "POST"])
def discard(slug: str, number: int) -> ResponseReturnValue:
    programme, round_ = load_editable(slug, number)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.discard_working_copy(current_user, round_)
        db.session.commit()
        flash(_("Odrzucono wersję roboczą rundy %(n)d.", n=number), "success")
        return redirect(url_for("documents.programme", slug=programme.slug))
    return render_template("drafting/discard.html", form=form, round=round_)


@bp.get("/<slug>/rounds/<int:number>/log")
def log(slug: str, number: int) -> ResponseReturnValue:
    """Every recorded step of a round: who saved, moved, added, removed, published."""
    programme, round_ = load_round(slug, number)
    return render_template(
        "drafting/log.html",
        programme=programme,
        round=round_,
        events=services.round_events(round_),
    )


@bp.get("/<slug>/sections/<key>/history")
def history(slug: str, key: str) -> ResponseReturnValue:
    """A section's versions across the rounds this user may see."""
    programme = load_programme(slug)
    section = next((s for s in programme.sections if s.key == key), None)
    if section is None:
        abort(404)
    versions = [
        v
        for v in services.section_history(section)
        if can_view_round(current_user, v.round)
    ]
    if not versions:
        abort(404)
    return render_template(
        "drafting/history.html", programme=programme, section=section, versions=versions
    )


# The changes page (accepted proposals applied, conflicts) adds its routes to `bp`;
# imported last because it imports `bp` from here.
from wpw.documents import drafting_changes  # noqa: E402, F401
