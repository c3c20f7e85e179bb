"""Office files in and out: import a working copy's text from .docx, .odt, .md or
.txt (upload → preview → apply), and export a round as .docx or Markdown.

Views are thin: load or 404, check who may do it, call one function of
:mod:`wpw.documents.importing` or :mod:`wpw.documents.exporting`, commit once.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Blueprint,
    Response,
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
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import RadioField
from wtforms.validators import InputRequired

from wpw.documents import exporting, importing
from wpw.documents.drafting import load_editable
from wpw.documents.forms import ConfirmForm
from wpw.documents.models import Round
from wpw.documents.views import load_round
from wpw.errors import Conflict, Invalid, InvalidFields
from wpw.extensions import db

bp = Blueprint("files", __name__, url_prefix="/programmes")

IMPORT_URL = "/<slug>/rounds/<int:number>/import"


class ImportForm(FlaskForm):
    file = FileField(
        _l("Plik z tekstem"),
        validators=[
            FileRequired(message=_l("Wybierz plik.")),
            FileAllowed(
                importing.EXTENSIONS,
                message=_l(
                    "Wybierz plik .docx (Word), .odt (LibreOffice), .md albo .txt."
                ),
            ),
        ],
        description=_l(
            "Word (.docx), LibreOffice (.odt), Markdown (.md) albo tekst (.txt), "
            "najwyżej 5 MB."
        ),
    )
    mode = RadioField(
        _l("Co zrobić z wersją roboczą"),
        choices=[
            (importing.ImportMode.REPLACE.value, _l("Zastąp cały tekst")),
            (importing.ImportMode.UPDATE.value, _l("Tylko zaktualizuj i dodaj")),
        ],
        default=importing.ImportMode.REPLACE.value,
        validators=[InputRequired(message=_l("Wybierz, co zrobić."))],
    )


def _upload_page(form: ImportForm, round_: Round, status: int) -> ResponseReturnValue:
    return render_template("documents/import_upload.html", form=form, round=round_), (
        status
    )


def _to_preview(round_: Round, token: str) -> ResponseReturnValue:
    return redirect(
        url_for(
            ".import_preview",
            slug=round_.programme.slug,
            number=round_.number,
            token=token,
        )
    )


def _expired(round_: Round) -> ResponseReturnValue:
    flash(
        _("Ten podgląd importu wygasł albo nie istnieje. Wyślij plik jeszcze raz."),
        "error",
    )
    return redirect(
        url_for(".import_upload", slug=round_.programme.slug, number=round_.number)
    )


@bp.route(IMPORT_URL, methods=["GET", "POST"])
def import_upload(slug: str, number: int) -> ResponseReturnValue:
    _programme, round_ = load_editable(slug, number)
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            pending = importing.prepare_import(
                current_user, round_, upload.filename, upload.stream, form.mode.data
            )
        except InvalidFields as error:
            form.file.errors = [*form.file.errors, *error.problems.get("file", [])]
        else:
            return _to_preview(round_, pending.token)
    return _upload_page(form, round_, 422 if form.errors else 200)


@bp.get(IMPORT_URL + "/<token>")
def import_preview(slug: str, number: int, token: str) -> ResponseReturnValue:
    _programme, round_ = load_editable(slug, number)
    pending = importing.load_pending(current_user, round_, token)
    if pending is None:
        return _expired(round_)
    return render_template(
        "documents/import_preview.html",
        round=round_,
        pending=pending,
        plan=pending.plan,
        statuses=importing.RowStatus,
        warnings=[importing.issue_message(w) for w in pending.warnings],
        expires=datetime.fromtimestamp(pending.expires, UTC),
        form=ConfirmForm(),
    )


@bp.post(IMPORT_URL + "/<token>")
def import_apply(slug: str, number: int, token: str) -> ResponseReturnValue:
    _programme, round_ = load_editable(slug, number)
    pending = importing.load_pending(current_user, round_, token)
    if pending is None or not ConfirmForm().validate_on_submit():
        return _expired(round_)
    try:
        plan = importing.apply_import(current_user, round_, pending)
    except Conflict as error:  # the working copy moved on: plan the file again
        db.session.rollback()
        fresh = importing.replan(current_user, round_, pending)
        hint = _("Oto podgląd wobec obecnej wersji.")
        flash(f"{error.message} {hint}", "error")
        return _to_preview(round_, fresh.token)
    except Invalid as error:
        db.session.rollback()
        flash(error.message, "error")
        return _to_preview(round_, pending.token)
    db.session.commit()
    importing.discard_pending(pending)
    flash(
        _(
            "Zaimportowano plik %(name)s: nowe %(new)d, zmienione %(changed)d, "
            "usunięte %(removed)d.",
            name=pending.filename,
            new=plan.count(importing.RowStatus.NEW),
            changed=plan.count(importing.RowStatus.CHANGED),
            removed=plan.count(importing.RowStatus.REMOVED),
        ),
        "success",
    )
    return redirect(url_for("documents.round_", slug=slug, number=number))


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A body over ``MAX_CONTENT_LENGTH``: the upload form again, with a reason."""
    db.session.rollback()
    if request.endpoint != "files.import_upload" or not request.view_args:
        return render_template("errors/error.html", error=error), 413
    _programme, round_ = load_editable(**request.view_args)
    form = ImportForm(formdata=None)
    form.file.errors = [importing.too_large_message()]
    return _upload_page(form, round_, 413)


def _download(
    body: bytes | str, content_type: str, round_: Round, extension: str
) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = exporting.content_disposition(
        exporting.export_filename(round_, extension)
    )
    if not round_.is_public:  # the working copy: never in a shared cache
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/<slug>/rounds/<int:number>/export.docx")
def export_docx(slug: str, number: int) -> Response:
    _programme, round_ = load_round(slug, number)
    body = exporting.round_to_docx(round_)
    return _download(body, exporting.DOCX_MIMETYPE, round_, "docx")


@bp.get("/<slug>/rounds/<int:number>/export.md")
def export_markdown(slug: str, number: int) -> Response:
    _programme, round_ = load_round(slug, number)
    body = exporting.round_to_markdown(round_)
    return _download(body, exporting.MARKDOWN_MIMETYPE, round_, "md")
