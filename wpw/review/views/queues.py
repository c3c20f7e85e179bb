"""The queues: the Coordinating Team's (with filters), the identical comments
and their bulk decision, and a sub-team's queue (by status)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import exists, select

from wpw.annotations.models import Annotation, AnnotationKind
from wpw.annotations.services import ANCHORED_KINDS
from wpw.annotations.views import KIND_LABELS
from wpw.auth.models import Organisation
from wpw.documents.models import Programme, Round, SectionVersion
from wpw.errors import DomainError, Invalid
from wpw.extensions import db
from wpw.i18n import current_language
from wpw.review import services
from wpw.review.forms import BulkForm, QueueFilterForm, decision_choices
from wpw.review.labels import STATUS_LABELS
from wpw.review.models import ReviewStatus
from wpw.review.permissions import can_decide, can_view_sector_queue
from wpw.review.views.common import SECTOR_TABS, bp, page_url, status_of
from wpw.sectors.models import Sector


def _section_labels(programme: Programme) -> dict[int, str]:
    """Each section's number and title in the latest round that has it."""
    rows = db.session.execute(
        select(SectionVersion.section_id, SectionVersion.number, SectionVersion.title)
        .join(Round, SectionVersion.round_id == Round.id)
        .where(Round.programme_id == programme.id)
        .order_by(Round.number)
    )
    return {sid: f"{number} {title}".strip() for sid, number, title in rows}


def _pick(field, choices: list[tuple[str, str]]) -> str:
    """Set a filter's choices (with "all" first); return its valid value or ""."""
    field.choices = [("", _("wszystkie")), *choices]
    if field.data not in {value for value, _label in field.choices}:
        field.data = ""
    return field.data


def _queue_filters(form: QueueFilterForm) -> tuple[Programme | None, dict[str, Any]]:
    """Fill the filter form's choices; return the programme and the filters."""
    programmes = db.session.scalars(select(Programme).order_by(Programme.id)).all()
    form.programme.choices = [(p.slug, p.title) for p in programmes]
    programme = next((p for p in programmes if p.slug == form.programme.data), None)
    programme = programme or (programmes[0] if programmes else None)
    if programme is None:
        return None, {}
    form.programme.data = programme.slug
    rounds = {str(r.number): r for r in programme.rounds}
    labels = _section_labels(programme)
    sections = {str(s.id): s for s in programme.sections if s.id in labels}
    sectors = {
        s.slug: s for s in db.session.scalars(select(Sector).order_by(Sector.number))
    }
    # Organisations that wrote anything (an index lookup per organisation).
    organisations = {
        str(o.id): o
        for o in db.session.scalars(
            select(Organisation)
            .where(exists().where(Annotation.organisation_id == Organisation.id))
            .order_by(Organisation.name)
        )
    }
    language = current_language()
    chosen = {
        "round_": _pick(
            form.round,
            [(n, _("Runda %(n)s: %(t)s", n=n, t=r.title)) for n, r in rounds.items()],
        ),
        "section": _pick(
            form.section,
            sorted(
                ((sid, labels[s.id]) for sid, s in sections.items()),
                key=lambda c: c[1],
            ),
        ),
        "sector": _pick(
            form.sector,
            [(slug, s.display_name(language)) for slug, s in sectors.items()],
        ),
        "kind": _pick(form.kind, [(k.value, KIND_LABELS[k]) for k in ANCHORED_KINDS]),
        "status": _pick(
            form.status, [(s.value, STATUS_LABELS[s]) for s in ReviewStatus]
        ),
        "organisation": _pick(
            form.organisation, [(oid, o.name) for oid, o in organisations.items()]
        ),
    }
    filters = {
        "round_": rounds.get(chosen["round_"]),
        "section": sections.get(chosen["section"]),
        "sector": sectors.get(chosen["sector"]),
        "kind": AnnotationKind(chosen["kind"]) if chosen["kind"] else None,
        "status": ReviewStatus(chosen["status"]) if chosen["status"] else None,
        "organisation": organisations.get(chosen["organisation"]),
    }
    return programme, filters


def _bulk_form() -> BulkForm:
    form = BulkForm(formdata=None)
    form.decision.choices = decision_choices()
    return form


def _render_queue() -> ResponseReturnValue:
    form = QueueFilterForm(request.args)
    programme, filters = _queue_filters(form)
    page = None
    if programme is not None:
        query = services.queue_query(programme=programme, **filters)
        page = db.paginate(
            query,
            page=request.args.get("page", 1, type=int),
            per_page=services.PER_PAGE,
            error_out=False,
            count=False,
        )
        page.total = services.count(query)
    recommendations = services.recommendations_by_annotation(
        a.id for a in (page.items if page else [])
    )
    return render_template(
        "review/queue.html",
        form=form,
        programme=programme,
        page=page,
        recommendations=recommendations,
        page_url=page_url,
        status_of=status_of(recommendations),
    )


def _render_identical(
    bulk_form: BulkForm | None = None, status: int = 200
) -> ResponseReturnValue:
    """Groups of identical undecided comments (same filters as the queue) with
    one bulk decision form. Apart from the queue: grouping reads every
    undecided comment's text, too slow for a page opened as often as the queue."""
    form = QueueFilterForm(request.args)
    programme, filters = _queue_filters(form)
    groups = []
    if programme is not None:
        groups = services.identical_groups(
            filters["round_"],
            programme=programme,
            section=filters["section"],
            sector=filters["sector"],
            kind=filters["kind"],
        )
    return render_template(
        "review/identical.html",
        form=form,
        programme=programme,
        groups=groups,
        bulk_form=bulk_form or _bulk_form(),
    ), status


@bp.get("/")
@login_required
def queue() -> ResponseReturnValue:
    """The Coordinating Team's queue; a sub-team member goes to their sector's."""
    if not can_decide(current_user):
        if current_user.memberships:
            first = min(current_user.memberships, key=lambda m: m.sector.number)
            return redirect(url_for("review.sector_queue", slug=first.sector.slug))
        abort(403)
    return _render_queue()


@bp.get("/identical")
@login_required
def identical() -> ResponseReturnValue:
    if not can_decide(current_user):
        abort(403)
    return _render_identical()


@bp.post("/bulk")
@login_required
def bulk_decide() -> ResponseReturnValue:
    """One decision for the checked identical comments: all of them or none."""
    if not can_decide(current_user):
        abort(403)
    form = BulkForm()
    form.decision.choices = decision_choices()
    if not form.validate_on_submit():
        abort(400)
    try:
        pairs = _picked(request.form.getlist("pick"))
        events = services.bulk_decide(
            current_user,
            pairs,
            decision=form.decision.data or "",
            justification=form.justification.data or "",
        )
    except DomainError as error:
        db.session.rollback()
        flash(_("Nic nie zostało zapisane: %(why)s", why=error.message), "error")
        return _render_identical(form, error.status_code)
    db.session.commit()
    flash(_("Rozstrzygnięto uwagi: %(n)d.", n=len(events)), "success")
    return redirect(url_for("review.identical", **request.args))


def _picked(values: list[str]) -> list[tuple[Annotation, int]]:
    """``id:revision`` pairs from the checkboxes, each loaded; a bad one refuses all."""
    pairs = []
    for value in values:
        annotation_id, _sep, revision = value.partition(":")
        if not (annotation_id.isdigit() and revision.isdigit()):
            raise Invalid(_("Formularz jest uszkodzony. Odśwież stronę."))
        annotation = db.session.get(Annotation, int(annotation_id))
        if annotation is None:
            raise Invalid(_("Jednej z zaznaczonych uwag już nie ma."))
        pairs.append((annotation, int(revision)))
    return pairs


@bp.get("/sectors/<slug>")
@login_required
def sector_queue(slug: str) -> ResponseReturnValue:
    sector = db.session.scalar(select(Sector).where(Sector.slug == slug))
    if sector is None:
        abort(404)
    if not can_view_sector_queue(current_user, sector):
        abort(403)
    try:
        status = ReviewStatus(request.args.get("status", ReviewStatus.NEW.value))
    except ValueError:
        status = ReviewStatus.NEW
    if status not in SECTOR_TABS:
        status = ReviewStatus.NEW
    counts = services.sector_counts(sector)
    page = db.paginate(
        services.sector_queue_query(sector, status),
        page=request.args.get("page", 1, type=int),
        per_page=services.PER_PAGE,
        error_out=False,
        count=False,
    )
    page.total = counts[status]
    recommendations = services.recommendations_by_annotation(a.id for a in page.items)
    return render_template(
        "review/sector.html",
        sector=sector,
        status=status,
        tabs=[(s, counts[s]) for s in SECTOR_TABS],
        page=page,
        recommendations=recommendations,
        page_url=page_url,
        status_of=status_of(recommendations),
    )
