"""One thread: read it, reply, edit, withdraw, report and moderate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from wpw.annotations import services
from wpw.annotations.forms import ConfirmForm, EditForm, ReasonForm, ReplyForm
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.annotations.permissions import can_moderate, is_author
from wpw.annotations.views.common import bp, login_first
from wpw.auth.permissions import can_view_round
from wpw.errors import DomainError
from wpw.extensions import db
from wpw.process.services import city_today


def load_annotation(annotation_id: int) -> Annotation:
    """The annotation, or 404 (also when its round may not be seen)."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or not can_view_round(current_user, annotation.round):
        abort(404)
    return annotation


def _thread_url(annotation: Annotation) -> str:
    root = annotation.thread_root
    url = url_for("annotations.thread", annotation_id=root.id)
    return url + (f"#a{annotation.id}" if annotation is not root else "")


def render_thread(
    annotation: Annotation, *, status: int = 200, **forms: Any
) -> ResponseReturnValue:
    root = annotation.thread_root
    defaults = {
        "reply_form": ReplyForm(prefix=f"r{root.id}", formdata=None),
        "report_form": ReasonForm(prefix="report", formdata=None),
        "hide_form": ReasonForm(prefix="hide", formdata=None),
        "restore_form": ReasonForm(prefix="restore", formdata=None),
        "withdraw_form": ConfirmForm(prefix="withdraw", formdata=None),
    }
    defaults.update(forms)
    version = root.version
    return render_template(
        "annotations/thread.html",
        root=root,
        version=version,
        round=root.round,
        programme=root.round.programme,
        can_reply=services.consultation_open(root.round, city_today())
        and not root.is_hidden,
        trace_url=_trace_url(root),
        history=services.moderation_history(root)
        if can_moderate(current_user, root)
        else [],
        **defaults,
    ), status


def _trace_url(annotation: Annotation) -> str | None:
    """Where the text the annotation led to can be read (see
    :mod:`wpw.compare.tracing`), when that module offers it."""
    try:
        from wpw.compare import tracing
    except ImportError:
        return None
    trace_url = getattr(tracing, "trace_url", None)
    return trace_url(annotation) if trace_url is not None else None


@bp.get("/annotations/<int:annotation_id>")
def thread(annotation_id: int) -> ResponseReturnValue:
    annotation = load_annotation(annotation_id)
    if annotation.parent_id is not None:
        return redirect(_thread_url(annotation))
    return render_thread(annotation)


def _act(
    annotation: Annotation,
    action: Callable[[], object],
    done: str,
    **forms: Any,
) -> ResponseReturnValue:
    """Run one service; commit and go back to the thread (to the annotation the
    service returned, if any), or show the service's refusal on the thread page."""
    try:
        result = action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return render_thread(annotation, status=error.status_code, **forms)
    db.session.commit()
    flash(done, "success")
    target = result if isinstance(result, Annotation) else annotation
    return redirect(_thread_url(target))


def _signed_in_or_login(annotation: Annotation) -> ResponseReturnValue | None:
    if current_user.is_authenticated:
        return None
    return login_first(_thread_url(annotation))


def _posted(form: FlaskForm) -> None:
    """A tampered or expired form (bad CSRF token) is refused outright."""
    if not form.validate_on_submit():
        abort(400)


@bp.post("/annotations/<int:annotation_id>/replies")
def create_reply(annotation_id: int) -> ResponseReturnValue:
    parent = load_annotation(annotation_id)
    if (login := _signed_in_or_login(parent)) is not None:
        return login
    form = ReplyForm(prefix=f"r{parent.thread_root.id}")
    _posted(form)
    return _act(
        parent,
        lambda: services.reply(
            current_user, parent, form.body.data or "", today=city_today()
        ),
        _("Dodano odpowiedź."),
        reply_form=form,
    )


@bp.route("/annotations/<int:annotation_id>/edit", methods=["GET", "POST"])
def edit(annotation_id: int) -> ResponseReturnValue:
    annotation = load_annotation(annotation_id)
    if (login := _signed_in_or_login(annotation)) is not None:
        return login
    if not is_author(current_user, annotation):
        abort(403)
    form = EditForm(obj=annotation if request.method == "GET" else None)
    if annotation.kind is AnnotationKind.CHANGE:
        form.body.label.text = _("Uzasadnienie")
    status = 200
    if form.validate_on_submit():
        try:
            services.edit_annotation(
                current_user,
                annotation,
                body=form.body.data or "",
                replacement=form.replacement.data,
                today=city_today(),
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            status = error.status_code
        else:
            db.session.commit()
            flash(_("Zapisano zmiany."), "success")
            return redirect(_thread_url(annotation))
    elif request.method == "POST":
        status = 422
    return render_template(
        "annotations/edit.html", annotation=annotation, form=form
    ), status


@bp.post("/annotations/<int:annotation_id>/withdraw")
def withdraw(annotation_id: int) -> ResponseReturnValue:
    annotation = load_annotation(annotation_id)
    if (login := _signed_in_or_login(annotation)) is not None:
        return login
    _posted(ConfirmForm(prefix="withdraw"))
    return _act(
        annotation,
        lambda: services.withdraw_annotation(current_user, annotation),
        _("Uwaga została wycofana."),
    )


#: Moderation steps that take a reason: the service to call and what to say after.
_REASONED = {
    "report": (services.report, _l("Dziękujemy. Moderatorzy zobaczą zgłoszenie.")),
    "hide": (services.hide, _l("Uwaga została ukryta.")),
    "restore": (services.restore, _l("Uwaga jest znów widoczna.")),
}


@bp.post("/annotations/<int:annotation_id>/<any(report, hide, restore):step>")
def moderate(annotation_id: int, step: str) -> ResponseReturnValue:
    """Report (anyone signed in), hide or restore (moderators: the service checks)."""
    annotation = load_annotation(annotation_id)
    if (login := _signed_in_or_login(annotation)) is not None:
        return login
    form = ReasonForm(prefix=step)
    _posted(form)
    service, done = _REASONED[step]
    return _act(
        annotation,
        lambda: service(current_user, annotation, form.reason.data or ""),
        str(done),
        **{f"{step}_form": form},
    )
