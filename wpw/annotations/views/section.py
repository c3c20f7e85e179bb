"""The section page's annotations (:func:`section_panel`, drawn by
:func:`wpw.documents.views.render_section`) and writing a new one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from wpw.annotations import queries, services
from wpw.annotations.forms import AnnotationForm, FilterForm
from wpw.annotations.models import Annotation, AnnotationKind, Decision, Placement
from wpw.annotations.views.common import KIND_LABELS, bp, login_first
from wpw.documents import services as documents
from wpw.documents.models import Round, SectionVersion
from wpw.documents.views import load_round, render_section
from wpw.errors import DomainError, Invalid
from wpw.extensions import db
from wpw.i18n import current_language
from wpw.process.services import city_today
from wpw.review.labels import DECISION_LABELS, WITHDRAWN_LABEL
from wpw.text.lines import LineRangeError, parse_line_range
from wpw.urls import this_url_with

#: A line with this many annotations stands out.
MANY = 3
#: Annotation cards per page of the section page's list.
NOTES_PER_PAGE = 50


def _page_link(page: int, anchor: str) -> str:
    """This page's URL with the same filters, on page *page* of the annotations."""
    return this_url_with(apage=page, anchor=anchor)


@dataclass(frozen=True)
class Entry:
    """An annotation where it stands on the version shown: made there, or carried
    over from an earlier round by a :class:`Placement`."""

    annotation: Annotation
    first_line: int | None
    last_line: int | None
    placement: Placement | None = None


def section_panel(
    round_: Round, version: SectionVersion, form: AnnotationForm | None = None
) -> dict[str, Any]:
    """What the section page shows about annotations: the form (when the
    consultation runs), the annotations grouped by line, the orphans, a filter.

    Every line shows its full count, but the cards come a page at a time: the
    database counts, filters and pages, so a section with hundreds of annotations
    stays quick to load and to read."""
    filters = _filter_form(round_, version)
    wanted = _wanted(filters)
    line_counts = queries.line_counts(version, wanted)
    total = sum(line_counts.values())
    pages = max(1, -(-total // NOTES_PER_PAGE))
    page = min(max(request.args.get("apage", 1, type=int) or 1, 1), pages)
    line_links: dict[int, str] = {}
    before = 0
    for line in sorted(line_counts):
        line_links[line] = _page_link(before // NOTES_PER_PAGE + 1, f"notes-L{line}")
        before += line_counts[line]
    groups: dict[int, list[Entry]] = {}
    shown = (
        queries.entries_on_version(
            version,
            wanted,
            offset=(page - 1) * NOTES_PER_PAGE,
            limit=NOTES_PER_PAGE,
        )
        if total
        else ()
    )
    for annotation, placement in shown:
        where = placement or annotation
        entry = Entry(annotation, where.first_line, where.last_line, placement)
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
        "annotation_total": total,
        "line_counts": line_counts,
        "line_links": line_links,
        "notes_page": page,
        "notes_pages": pages,
        "notes_page_link": lambda n: _page_link(n, "notes-heading"),
        "orphans": [
            Entry(p.annotation, None, None, p)
            for p in queries.orphans_in_round(round_, version.section_id, wanted)
        ],
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


def _filter_form(round_: Round, version: SectionVersion) -> FilterForm:
    """The filter, its choices from the database; an unknown value means any."""
    form = FilterForm(request.args)
    everything = [("", _("wszystkie"))]
    form.filter_kind.choices = everything + [
        (k.value, KIND_LABELS[k]) for k in services.ANCHORED_KINDS
    ]
    form.filter_sector.choices = everything + [
        (s.slug, s.display_name(current_language())) for s in version.section.sectors
    ]
    form.filter_decision.choices = [
        *everything,
        (queries.UNDECIDED, _("bez rozstrzygnięcia")),
        *((d.value, DECISION_LABELS[d]) for d in Decision),
        (queries.WITHDRAWN, WITHDRAWN_LABEL),
    ]
    form.filter_org.choices = everything + [
        (str(o.id), o.name) for o in queries.organisations_on_version(round_, version)
    ]
    for field in form:
        if field.data not in {value for value, _label in field.choices}:
            field.data = ""
    return form


def _wanted(form: FilterForm) -> queries.NoteFilter:
    org = form.filter_org.data
    return queries.NoteFilter(
        kind=form.filter_kind.data,
        sector=form.filter_sector.data,
        decision=form.filter_decision.data,
        organisation_id=int(org) if org else None,
    )


def _section_url(round_: Round, version: SectionVersion, anchor: str = "") -> str:
    url = url_for(
        "documents.section",
        slug=round_.programme.slug,
        number=round_.number,
        key=version.section.key,
    )
    return url + (f"#{anchor}" if anchor else "")


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
        return login_first(_section_url(round_, version))
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
