"""Annotating a published round: write on a section, read a thread, reply, edit,
withdraw, report and moderate.

Views are thin: load or 404, send anonymous users to the login page, validate the
form, call one service from :mod:`wpw.annotations.services`, commit once,
redirect; a refused action shows the service's message with its status code and
saves nothing. :func:`section_panel` gives the section page its annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from wpw.annotations import services
from wpw.annotations.forms import (
    AnnotationForm,
    ConfirmForm,
    EditForm,
    FilterForm,
    ReasonForm,
    ReplyForm,
)
from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Placement,
)
from wpw.annotations.permissions import can_moderate, can_see_hidden_text, is_author
from wpw.auth.models import Organisation
from wpw.auth.permissions import can_view_round
from wpw.documents import services as documents
from wpw.documents.models import Round, SectionVersion
from wpw.documents.views import load_round, render_section
from wpw.errors import DomainError, Invalid
from wpw.extensions import db
from wpw.i18n import current_language
from wpw.process.services import city_today
from wpw.text.lines import LineRangeError, parse_line_range

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
#: A line with this many annotations stands out.
MANY = 3
#: Annotation cards per page of the section page's list.
NOTES_PER_PAGE = 50


def _page_link(page: int, anchor: str) -> str:
    """This page's URL with the same filters, on page *page* of the annotations."""
    args = request.args.to_dict()
    args["apage"] = str(page)
    return f"{request.path}?{urlencode(args)}#{anchor}"


@bp.app_context_processor
def annotation_helpers() -> dict[str, object]:
    return {
        "kind_labels": KIND_LABELS,
        "state_labels": STATE_LABELS,
        "can_moderate": can_moderate,
        "can_see_hidden_text": can_see_hidden_text,
        "is_author": is_author,
    }


@dataclass(frozen=True)
class Entry:
    """An annotation where it stands on the version shown: made there, or carried
    over from an earlier round by a :class:`Placement`."""

    annotation: Annotation
    first_line: int | None
    last_line: int | None
    placement: Placement | None = None


# --- the section page ------------------------------------------------------------


def section_panel(
    round_: Round, version: SectionVersion, form: AnnotationForm | None = None
) -> dict[str, Any]:
    """What the section page shows about annotations: the form (when the
    consultation runs), the annotations grouped by line, the orphans, a filter."""
    made_here = [
        Entry(a, a.first_line, a.last_line)
        for a in services.annotations_on_version(version)
    ]
    carried = [
        Entry(p.annotation, p.first_line, p.last_line, p)
        for p in services.placements_on_version(version)
    ]
    orphans = [
        Entry(p.annotation, None, None, p)
        for p in services.orphans_in_round(round_, version.section_id)
    ]
    filters = _filter_form(version, made_here + carried + orphans)
    keep = _matcher(filters)
    shown = sorted(
        (e for e in made_here + carried if keep(e.annotation)),
        key=lambda e: (e.first_line or 0, e.annotation.created_at),
    )
    # Every line shows its full count, but the cards come a page at a time: a
    # section with hundreds of annotations must stay quick to load and to read.
    pages = max(1, -(-len(shown) // NOTES_PER_PAGE))
    page = min(max(request.args.get("apage", 1, type=int) or 1, 1), pages)
    line_counts: dict[int, int] = {}
    line_links: dict[int, str] = {}
    for index, entry in enumerate(shown):
        line = entry.first_line or 0
        line_counts[line] = line_counts.get(line, 0) + 1
        if line not in line_links:
            on_page = index // NOTES_PER_PAGE + 1
            line_links[line] = _page_link(on_page, f"notes-L{line}")
    groups: dict[int, list[Entry]] = {}
    for entry in shown[(page - 1) * NOTES_PER_PAGE : page * NOTES_PER_PAGE]:
        groups.setdefault(entry.first_line or 0, []).append(entry)
    consultation_open = services.consultation_open(round_, city_today())
    if form is None and consultation_open and current_user.is_authenticated:
        form = _new_form(version)
    if form is not None:
        limits = {"min": 1, "max": len(version.lines), "inputmode": "numeric"}
        form.first_line.render_kw = form.last_line.render_kw = limits
    return {
        "annotation_form": form,
        "consultation_open": consultation_open,
        "annotation_groups": groups,
        "annotation_total": len(shown),
        "line_counts": line_counts,
        "line_links": line_links,
        "notes_page": page,
        "notes_pages": pages,
        "notes_page_link": lambda n: _page_link(n, "notes-heading"),
        "orphans": [e for e in orphans if keep(e.annotation)],
        "filter_form": filters,
        "filtering": any(f.data for f in filters),
        "many_annotations": MANY,
    }


def _new_form(version: SectionVersion) -> AnnotationForm:
    form = AnnotationForm(formdata=None)
    form.version_id.data = str(version.id)
    try:
        wanted = parse_line_range(request.args.get("lines", ""))
    except LineRangeError:
        return form
    if wanted.fits(len(version.lines)):
        form.first_line.data, form.last_line.data = wanted.first, wanted.last
    return form


def _filter_form(version: SectionVersion, entries: Iterable[Entry]) -> FilterForm:
    form = FilterForm(request.args)
    everything = [("", _("wszystkie"))]
    form.filter_kind.choices = everything + [
        (k.value, KIND_LABELS[k]) for k in services.ANCHORED_KINDS
    ]
    form.filter_sector.choices = everything + [
        (s.slug, s.display_name(current_language())) for s in version.section.sectors
    ]
    form.filter_decision.choices = everything + [
        (s.value, STATE_LABELS[s]) for s in AnnotationState
    ]
    organisations: dict[int, Organisation] = {
        e.annotation.organisation.id: e.annotation.organisation
        for e in entries
        if e.annotation.organisation is not None
    }
    form.filter_org.choices = everything + [
        (str(o.id), o.name)
        for o in sorted(organisations.values(), key=lambda o: o.name)
    ]
    for field in form:
        if field.data not in {value for value, _label in field.choices}:
            field.data = ""
    return form


def _matcher(form: FilterForm) -> Callable[[Annotation], bool]:
    kind, sector = form.filter_kind.data, form.filter_sector.data
    state, org = form.filter_decision.data, form.filter_org.data

    def keep(a: Annotation) -> bool:
        return (
            (not kind or a.kind.value == kind)
            and (not sector or any(s.slug == sector for s in a.section.sectors))
            and (not state or a.state.value == state)
            and (not org or str(a.organisation_id) == org)
        )

    return keep


def _section_url(round_: Round, version: SectionVersion, anchor: str = "") -> str:
    url = url_for(
        "documents.section",
        slug=round_.programme.slug,
        number=round_.number,
        key=version.section.key,
    )
    return url + (f"#{anchor}" if anchor else "")


def _login(next_url: str) -> ResponseReturnValue:
    flash(_("Zaloguj się, aby zgłosić uwagę."), "info")
    return redirect(url_for("auth.login", next=next_url))


def _check_same_version(form: AnnotationForm, version: SectionVersion) -> None:
    """A form made for another section (or another round's version) is refused."""
    if form.version_id.data and form.version_id.data != str(version.id):
        raise Invalid(
            _("Ten formularz dotyczy innego paragrafu. Nic nie zostało zapisane.")
        )


@bp.post("/programmes/<slug>/rounds/<int:number>/sections/<key>/annotations")
def create(slug: str, number: int, key: str) -> ResponseReturnValue:
    programme, round_ = load_round(slug, number)
    version = documents.version_in_round(round_, key)
    if version is None:
        abort(404)
    if not current_user.is_authenticated:
        return _login(_section_url(round_, version))
    form = AnnotationForm()
    status = 422
    if form.validate_on_submit():
        start, end = form.offsets()
        try:
            _check_same_version(form, version)
            annotation = services.create_annotation(
                current_user,
                version,
                kind=AnnotationKind(form.kind.data),
                body=form.body.data or "",
                first_line=form.first_line.data,
                last_line=form.last_line.data,
                start=start,
                end=end,
                replacement=form.replacement.data,
                today=city_today(),
            )
        except DomainError as error:
            db.session.rollback()
            form.form_errors.append(error.message)
            status = error.status_code
        else:
            db.session.commit()
            flash(_("Zapisano. Dziękujemy za uwagę."), "success")
            return redirect(_section_url(round_, version, f"a{annotation.id}"))
    panel = section_panel(round_, version, form)
    return render_section(programme, round_, version, panel, status=status)


# --- one thread ------------------------------------------------------------------


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
        history=services.moderation_history(root)
        if can_moderate(current_user, root)
        else [],
        **defaults,
    ), status


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
    return _login(_thread_url(annotation))


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
