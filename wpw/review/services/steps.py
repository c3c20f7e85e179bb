"""The review's steps: the transitions table, decide, revise, bulk decide,
recommend, withdraw.

An annotation's review status is derived (:func:`review_status`), and
:data:`TRANSITIONS` is the one table of what each status allows. Every step is
a :class:`~wpw.review.models.ReviewEvent` (who, when, what, why). Steps are a
compare-and-set on ``Annotation.review_revision``: a step made from a page
loaded at an older revision is refused with :class:`~wpw.errors.Conflict`, so
no decision is silently overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import exists, select, update

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
)
from wpw.annotations.services import MAX_BODY
from wpw.audit.services import record
from wpw.auth.models import User
from wpw.core import utcnow
from wpw.errors import Conflict, Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.review.labels import DECISION_LABELS
from wpw.review.models import (
    Recommendation,
    ReviewAction,
    ReviewEvent,
    ReviewStatus,
)
from wpw.review.permissions import can_decide, can_recommend
from wpw.sectors.models import Sector

#: What each review status allows. Withdrawn is final; a decision can only be
#: revised; recommendations stop once the Coordinating Team has decided.
TRANSITIONS: dict[ReviewStatus, frozenset[ReviewAction]] = {
    ReviewStatus.NEW: frozenset(
        {ReviewAction.RECOMMENDED, ReviewAction.DECIDED, ReviewAction.WITHDRAWN}
    ),
    ReviewStatus.RECOMMENDED: frozenset(
        {ReviewAction.RECOMMENDED, ReviewAction.DECIDED, ReviewAction.WITHDRAWN}
    ),
    ReviewStatus.DECIDED: frozenset({ReviewAction.REVISED}),
    ReviewStatus.WITHDRAWN: frozenset(),
}


def _has_recommendation(annotation: Annotation) -> bool:
    return bool(
        db.session.scalar(
            select(exists().where(Recommendation.annotation_id == annotation.id))
        )
    )


def review_status(
    annotation: Annotation, *, recommended: bool | None = None
) -> ReviewStatus:
    """Where *annotation* stands: withdrawn, decided, recommended or new.

    *recommended* says whether it has a recommendation, when the caller already
    knows (a queue page loads them for all its rows); else it is looked up."""
    if annotation.state is AnnotationState.WITHDRAWN:
        return ReviewStatus.WITHDRAWN
    if annotation.decision is not None:
        return ReviewStatus.DECIDED
    if recommended is None:
        recommended = annotation.id is not None and _has_recommendation(annotation)
    return ReviewStatus.RECOMMENDED if recommended else ReviewStatus.NEW


def allows(annotation: Annotation, action: ReviewAction) -> bool:
    """Whether :data:`TRANSITIONS` lets *action* happen to *annotation* now.
    Replies are never reviewed."""
    if annotation.kind is AnnotationKind.REPLY:
        return False
    return action in TRANSITIONS[review_status(annotation)]


# --- checks shared by decisions and recommendations -------------------------------


@dataclass(frozen=True)
class Verdict:
    """A cleaned decision with its justification (and adopted wording)."""

    decision: Decision
    justification: str
    adopted_wording: str | None


def clean_text(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _verdict(
    annotation: Annotation,
    decision: Decision | str | None,
    justification: str | None,
    adopted_wording: str | None,
) -> Verdict:
    """Check a decision for *annotation*; raise :class:`Invalid` with the reason."""
    if annotation.kind is AnnotationKind.REPLY:
        raise InvalidTransition(_("Odpowiedzi w wątku nie są rozstrzygane."))
    try:
        decision = Decision(decision)
    except ValueError:
        raise Invalid(_("Wybierz decyzję.")) from None
    justification = clean_text(justification)
    if not justification:
        raise Invalid(_("Uzasadnienie jest obowiązkowe. Nic nie zostało zapisane."))
    if len(justification) > MAX_BODY:
        raise Invalid(_("Uzasadnienie może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
    if decision is Decision.NOTED and annotation.kind is AnnotationKind.CHANGE:
        raise Invalid(
            _(
                "Propozycji zmiany nie można tylko przyjąć do wiadomości: "
                "uwzględnij ją (w całości lub częściowo) albo jej nie uwzględnij."
            )
        )
    partial = decision is Decision.PARTIALLY_ACCEPTED
    wording = clean_text(adopted_wording) if partial else ""
    if len(wording) > MAX_BODY:
        raise Invalid(
            _("Przyjęte brzmienie może mieć najwyżej %(n)d znaków.", n=MAX_BODY)
        )
    if (
        decision is Decision.PARTIALLY_ACCEPTED
        and annotation.kind is AnnotationKind.CHANGE
        and not wording
    ):
        raise Invalid(
            _("Przy częściowym uwzględnieniu propozycji podaj przyjęte brzmienie.")
        )
    return Verdict(decision, justification, wording or None)


def _conflict(annotation: Annotation) -> Conflict:
    """The refusal of a step made from a stale page, naming the current state."""
    db.session.refresh(annotation)
    if annotation.state is AnnotationState.WITHDRAWN:
        message = _("W międzyczasie autor wycofał tę uwagę. Nic nie zostało zapisane.")
    elif annotation.decision is not None:
        who = annotation.decided_by.name if annotation.decided_by else _("ktoś")
        message = _(
            "Ktoś rozstrzygnął tę uwagę, gdy strona była otwarta. Nic nie zostało "
            "nadpisane. Obecna decyzja: %(decision)s (%(who)s): %(why)s",
            decision=DECISION_LABELS[annotation.decision],
            who=who,
            why=annotation.justification or "",
        )
    else:
        message = _(
            "W międzyczasie ktoś zmienił ocenę tej uwagi (np. podzespół dodał "
            "rekomendację). Nic nie zostało zapisane: sprawdź obecny stan i spróbuj "
            "ponownie."
        )
    return Conflict(message, current=annotation)


def _compare_and_set(
    annotation: Annotation, expected_revision: int, **values: object
) -> None:
    """``UPDATE annotations SET … review_revision + 1 WHERE id = :id AND
    review_revision = :expected``; raise :class:`Conflict` if another step came
    first, else refresh *annotation* from the row."""
    table = Annotation.__table__
    result = db.session.execute(
        update(table)
        .where(
            table.c.id == annotation.id,
            table.c.review_revision == expected_revision,
        )
        .values(review_revision=table.c.review_revision + 1, **values)
    )
    if result.rowcount != 1:
        raise _conflict(annotation)
    db.session.refresh(annotation)


def _check_fresh(annotation: Annotation, expected_revision: int) -> None:
    if annotation.review_revision != expected_revision:
        raise _conflict(annotation)


# --- the Coordinating Team decides ----------------------------------------------


def decide(
    actor: User,
    annotation: Annotation,
    *,
    decision: Decision | str,
    justification: str,
    adopted_wording: str | None = None,
    expected_revision: int,
) -> ReviewEvent:
    """The Coordinating Team decides *annotation* (or revises its decision).

    *expected_revision* is the ``review_revision`` the deciding page showed.
    Raises :class:`NotAllowed` (not a coordinator), :class:`Invalid` (no
    justification, ``noted`` on a proposed change, ``partial`` on a change
    without the adopted wording, a revision that changes nothing),
    :class:`InvalidTransition` (withdrawn, or a reply) and :class:`Conflict`
    (someone else took a step since *expected_revision*; ``current`` is the
    annotation as it is now). Sends :data:`wpw.signals.annotation_decided`.
    """
    from wpw.signals import annotation_decided

    if not can_decide(actor):
        raise NotAllowed(_("Decyzje podejmuje tylko Zespół Koordynujący."))
    verdict = _verdict(annotation, decision, justification, adopted_wording)
    status = review_status(annotation)
    action = (
        ReviewAction.REVISED if status is ReviewStatus.DECIDED else ReviewAction.DECIDED
    )
    if action not in TRANSITIONS[status]:
        raise InvalidTransition(
            _("Uwaga została wycofana przez autora; nie można jej rozstrzygnąć.")
        )
    _check_fresh(annotation, expected_revision)
    if action is ReviewAction.REVISED and (
        annotation.decision,
        annotation.justification,
        annotation.adopted_wording,
    ) == (verdict.decision, verdict.justification, verdict.adopted_wording):
        raise Invalid(
            _("Nic się nie zmieniło: zmień decyzję lub uzasadnienie, aby ją poprawić.")
        )
    _compare_and_set(
        annotation,
        expected_revision,
        decision=verdict.decision,
        justification=verdict.justification,
        adopted_wording=verdict.adopted_wording,
        decided_at=utcnow(),
        decided_by_id=actor.id,
    )
    event = ReviewEvent(
        annotation=annotation,
        action=action,
        actor=actor,
        decision=verdict.decision,
        justification=verdict.justification,
        adopted_wording=verdict.adopted_wording,
    )
    db.session.add(event)
    first = action is ReviewAction.DECIDED
    record(
        actor,
        "annotation.decided" if first else "annotation.revised",
        annotation,
        str(DECISION_LABELS[verdict.decision]),
        decision=verdict.decision.value,
        justification=verdict.justification,
    )
    db.session.flush()
    annotation_decided.send(annotation, event=event)
    return event


def bulk_decide(
    actor: User,
    annotations_with_revisions: Iterable[tuple[Annotation, int]],
    *,
    decision: Decision | str,
    justification: str,
) -> list[ReviewEvent]:
    """Apply one decision and justification to each (annotation, revision seen).

    All or nothing: the first refusal (any error :func:`decide` raises) is raised
    and the caller rolls the transaction back, so nothing is changed.
    """
    if not can_decide(actor):
        raise NotAllowed(_("Decyzje podejmuje tylko Zespół Koordynujący."))
    pairs = list(annotations_with_revisions)
    if not pairs:
        raise Invalid(_("Zaznacz uwagi, których dotyczy decyzja."))
    return [
        decide(
            actor,
            annotation,
            decision=decision,
            justification=justification,
            expected_revision=revision,
        )
        for annotation, revision in pairs
    ]


# --- sub-teams recommend ---------------------------------------------------------


def recommend(
    actor: User,
    annotation: Annotation,
    *,
    sector: Sector,
    decision: Decision | str,
    justification: str,
    adopted_wording: str | None = None,
    expected_revision: int,
) -> Recommendation:
    """The leader of *sector*'s sub-team records (or replaces) its recommended
    decision with a draft justification.

    Raises :class:`NotAllowed` (not that sector's leader, or the annotation is
    not routed to *sector*), :class:`Invalid` (as :func:`decide`),
    :class:`InvalidTransition` (withdrawn, or already decided) and
    :class:`Conflict` (a stale page).
    """
    if not can_recommend(actor, annotation, sector):
        raise NotAllowed(
            _("Rekomendację zapisuje lider podzespołu, do którego trafiła ta uwaga.")
        )
    verdict = _verdict(annotation, decision, justification, adopted_wording)
    status = review_status(annotation)
    if ReviewAction.RECOMMENDED not in TRANSITIONS[status]:
        if status is ReviewStatus.DECIDED:
            raise InvalidTransition(
                _("Uwaga jest już rozstrzygnięta przez Zespół Koordynujący.")
            )
        raise InvalidTransition(_("Uwaga została wycofana przez autora."))
    _check_fresh(annotation, expected_revision)
    existing = db.session.scalar(
        select(Recommendation).where(
            Recommendation.annotation_id == annotation.id,
            Recommendation.sector_id == sector.id,
        )
    )
    if existing is not None and (
        existing.decision,
        existing.justification,
        existing.adopted_wording,
    ) == (verdict.decision, verdict.justification, verdict.adopted_wording):
        raise Invalid(_("Nic się nie zmieniło w rekomendacji."))
    _compare_and_set(annotation, expected_revision)
    now = utcnow()
    if existing is None:
        existing = Recommendation(annotation=annotation, sector=sector, created_at=now)
        db.session.add(existing)
    existing.decision = verdict.decision
    existing.justification = verdict.justification
    existing.adopted_wording = verdict.adopted_wording
    existing.author = actor
    existing.updated_at = now
    db.session.add(
        ReviewEvent(
            annotation=annotation,
            action=ReviewAction.RECOMMENDED,
            actor=actor,
            sector=sector,
            decision=verdict.decision,
            justification=verdict.justification,
            adopted_wording=verdict.adopted_wording,
        )
    )
    db.session.flush()
    return existing


# --- the author withdraws -------------------------------------------------------


def withdraw_review(actor: User, annotation: Annotation) -> None:
    """Mark *annotation* withdrawn by *actor* (its author: the caller,
    :func:`wpw.annotations.services.withdraw_annotation`, checks that) and keep
    the step in the history. Raises :class:`InvalidTransition` once decided and
    :class:`Conflict` when a decision is being made at the same moment."""
    if annotation.kind is AnnotationKind.REPLY:
        annotation.state = AnnotationState.WITHDRAWN
        annotation.updated_at = utcnow()
        return
    if not allows(annotation, ReviewAction.WITHDRAWN):
        raise InvalidTransition(
            _("Uwaga jest już rozstrzygnięta przez Zespół Koordynujący.")
        )
    _compare_and_set(
        annotation,
        annotation.review_revision,
        state=AnnotationState.WITHDRAWN,
        updated_at=utcnow(),
    )
    db.session.add(
        ReviewEvent(annotation=annotation, action=ReviewAction.WITHDRAWN, actor=actor)
    )
