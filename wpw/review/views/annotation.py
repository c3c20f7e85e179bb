"""One annotation's review page: decide or revise (coordinators), recommend
(sub-team leaders), internal notes (sub-team members and coordinators)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wpw.annotations.models import Annotation, AnnotationKind
from wpw.errors import Conflict, DomainError
from wpw.extensions import db
from wpw.i18n import current_language
from wpw.review import services
from wpw.review.forms import (
    DecisionForm,
    NoteForm,
    RecommendForm,
    decision_choices,
    revision_of,
)
from wpw.review.models import ReviewAction, ReviewStatus
from wpw.review.permissions import (
    can_decide,
    can_read_notes,
    can_review,
    leader_sectors,
    member_sectors,
)
from wpw.review.views.common import ACTION_LABELS, bp


def _load(annotation_id: int) -> Annotation:
    """The annotation under review, or 404 (replies are never reviewed); 403 for
    users outside the Coordinating Team and its sub-teams."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or annotation.parent_id is not None:
        abort(404)
    if not can_review(current_user, annotation):
        abort(403)
    return annotation


def _decision_form(annotation: Annotation, cls=DecisionForm, **kwargs) -> DecisionForm:
    form = cls(**kwargs)
    form.decision.choices = decision_choices(
        with_noted=annotation.kind is not AnnotationKind.CHANGE
    )
    return form


def _fresh_forms(annotation: Annotation) -> dict[str, Any]:
    decide_form = _decision_form(annotation, prefix="decide", formdata=None)
    if annotation.decision is not None:
        decide_form.decision.data = annotation.decision.value
        decide_form.justification.data = annotation.justification
        decide_form.adopted_wording.data = annotation.adopted_wording
    recommend_form = _decision_form(
        annotation, RecommendForm, prefix="recommend", formdata=None
    )
    note_form = NoteForm(prefix="note", formdata=None)
    return {
        "decide_form": decide_form,
        "recommend_form": recommend_form,
        "note_form": note_form,
    }


def render_review(
    annotation: Annotation,
    *,
    status: int = 200,
    conflict: Conflict | None = None,
    **forms: Any,
) -> ResponseReturnValue:
    """The review page; *forms* replace the empty ones (to show what was typed)."""
    shown = _fresh_forms(annotation)
    shown.update(forms)
    language = current_language()
    leads = leader_sectors(current_user, annotation)
    shown["recommend_form"].sector.choices = [
        (s.slug, s.display_name(language)) for s in leads
    ]
    note_sectors = (
        annotation.section.sectors
        if can_decide(current_user)
        else member_sectors(current_user, annotation)
    )
    note_choices = [(s.slug, s.display_name(language)) for s in note_sectors]
    if can_decide(current_user):
        note_choices.insert(0, ("", _("tylko Zespół Koordynujący")))
    shown["note_form"].sector.choices = note_choices
    for name in ("decide_form", "recommend_form"):
        # Each form carries the revision the page shows now: after a conflict the
        # user has seen the current state and may decide again from it.
        shown[name].revision.data = str(annotation.review_revision)
    review_status = services.review_status(annotation)
    return render_template(
        "review/annotation.html",
        annotation=annotation,
        version=annotation.version,
        review_status=review_status,
        recommendations=services.recommendations(annotation),
        history=services.history(annotation),
        notes=services.notes_for(current_user, annotation),
        can_decide=can_decide(current_user)
        and services.allows(
            annotation,
            ReviewAction.REVISED
            if review_status is ReviewStatus.DECIDED
            else ReviewAction.DECIDED,
        ),
        can_recommend=bool(leads)
        and services.allows(annotation, ReviewAction.RECOMMENDED),
        can_note=can_read_notes(current_user, annotation),
        conflict=conflict,
        action_labels=ACTION_LABELS,
        **shown,
    ), status


@bp.get("/annotations/<int:annotation_id>")
@login_required
def annotation(annotation_id: int) -> ResponseReturnValue:
    return render_review(_load(annotation_id))


def _step(annotation: Annotation, form_name: str, form, action, done: str):
    """Run one service; commit and go back to the review page, or show the
    refusal there with its status code (409 with the current state for a stale
    page)."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, Conflict):
            return render_review(
                annotation, status=409, conflict=error, **{form_name: form}
            )
        form.form_errors.append(error.message)
        return render_review(annotation, status=error.status_code, **{form_name: form})
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("review.annotation", annotation_id=annotation.id))


def _posted(form) -> int:
    """The revision a posted decision form was loaded at; 400 for a tampered form."""
    revision = revision_of(form.revision)
    if not form.validate_on_submit() or revision is None:
        abort(400)
    return revision


@bp.post("/annotations/<int:annotation_id>/decide")
@login_required
def decide(annotation_id: int) -> ResponseReturnValue:
    annotation = _load(annotation_id)
    if not can_decide(current_user):
        abort(403)
    form = _decision_form(annotation, prefix="decide")
    revision = _posted(form)
    return _step(
        annotation,
        "decide_form",
        form,
        lambda: services.decide(
            current_user,
            annotation,
            decision=form.decision.data or "",
            justification=form.justification.data or "",
            adopted_wording=form.adopted_wording.data,
            expected_revision=revision,
        ),
        _("Zapisano decyzję."),
    )


@bp.post("/annotations/<int:annotation_id>/recommend")
@login_required
def recommend(annotation_id: int) -> ResponseReturnValue:
    annotation = _load(annotation_id)
    leads = {s.slug: s for s in leader_sectors(current_user, annotation)}
    if not leads:
        abort(403)
    form = _decision_form(annotation, RecommendForm, prefix="recommend")
    revision = _posted(form)
    sector = leads.get(form.sector.data or "")
    if sector is None and len(leads) == 1:
        sector = next(iter(leads.values()))
    if sector is None:
        abort(403)
    return _step(
        annotation,
        "recommend_form",
        form,
        lambda: services.recommend(
            current_user,
            annotation,
            sector=sector,
            decision=form.decision.data or "",
            justification=form.justification.data or "",
            adopted_wording=form.adopted_wording.data,
            expected_revision=revision,
        ),
        _("Zapisano rekomendację podzespołu."),
    )


@bp.post("/annotations/<int:annotation_id>/notes")
@login_required
def add_note(annotation_id: int) -> ResponseReturnValue:
    annotation = _load(annotation_id)
    form = NoteForm(prefix="note")
    if not form.validate_on_submit():
        abort(400)
    sector = next(
        (s for s in annotation.section.sectors if s.slug == form.sector.data), None
    )
    return _step(
        annotation,
        "note_form",
        form,
        lambda: services.add_note(
            current_user, annotation, form.body.data or "", sector=sector
        ),
        _("Dodano notatkę."),
    )
