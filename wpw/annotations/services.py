"""Annotating a published round: write, edit, withdraw, reply, report, moderate.

Services take the acting user explicitly, check the rules, raise errors from
:mod:`wpw.errors`, flush and never commit. Commenting is open only while a
consultation phase of the round runs (by the city's calendar): every write checks
it, so a form opened before the phase closed is refused after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    ModerationAction,
    ModerationEvent,
)
from wpw.annotations.permissions import can_moderate, is_author
from wpw.audit.services import record
from wpw.auth.models import Role, User
from wpw.core import utcnow
from wpw.documents.models import (
    Round,
    RoundStatus,
    SectionVersion,
)
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.process.models import PhaseKind
from wpw.signals import annotation_created, reply_created
from wpw.text.anchoring import AnchorError, anchor_for_lines, anchor_for_offsets

MAX_BODY = 20_000
ANCHORED_KINDS = (
    AnnotationKind.COMMENT,
    AnnotationKind.QUESTION,
    AnnotationKind.CHANGE,
)


def consultation_open(round_: Round, today: date) -> bool:
    """True while the round is published and one of its consultation phases runs."""
    if round_.status is not RoundStatus.PUBLISHED:
        return False
    return any(
        p.kind is PhaseKind.CONSULTATION
        and p.round_id == round_.id
        and p.is_current(today)
        for p in round_.programme.phases
    )


def _check_open(round_: Round, today: date) -> None:
    if round_.status is not RoundStatus.PUBLISHED:
        raise InvalidTransition(_("Uwagi można zgłaszać tylko do opublikowanej rundy."))
    if not consultation_open(round_, today):
        raise InvalidTransition(
            _("Konsultacje tej rundy są zamknięte. Nic nie zostało zapisane.")
        )


def _check_signed_in(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated:
        raise NotAllowed(_("Zaloguj się, aby zgłosić uwagę."))
    return actor


def _clean_body(body: str, *, what: str | None = None) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid(what or _("Napisz treść uwagi."))
    if len(body) > MAX_BODY:
        raise Invalid(_("Treść może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
    return body


def create_annotation(
    actor: User,
    version: SectionVersion,
    *,
    kind: AnnotationKind,
    body: str,
    first_line: int,
    last_line: int,
    start: int | None = None,
    end: int | None = None,
    replacement: str | None = None,
    today: date,
) -> Annotation:
    """Annotate lines *first_line*–*last_line* of *version* (or the passage
    *start*–*end*, character offsets into its text, when given).

    Raises :class:`NotAllowed` for an anonymous actor, :class:`InvalidTransition`
    when the round is not open for comments, and :class:`Invalid` for a bad
    range, an empty or overlong body, or a proposed change identical to the text.
    """
    actor = _check_signed_in(actor)
    _check_open(version.round, today)
    if kind not in ANCHORED_KINDS:
        raise Invalid(_("Nieznany rodzaj uwagi."))
    try:
        if start is not None and end is not None:
            anchor = anchor_for_offsets(version.text, start, end)
        else:
            anchor = anchor_for_lines(version.text, first_line, last_line)
    except AnchorError:
        count = len(version.lines)
        raise Invalid(
            _(
                "Wybierz wiersze od 1 do %(count)d (początek nie może być po końcu).",
                count=count,
            )
        ) from None
    body = _clean_body(
        body,
        what=_("Uzasadnij proponowaną zmianę.")
        if kind is AnnotationKind.CHANGE
        else None,
    )
    if kind is AnnotationKind.CHANGE:
        replacement = (replacement or "").replace("\r\n", "\n").strip()
        if len(replacement) > MAX_BODY:
            raise Invalid(_("Treść może mieć najwyżej %(n)d znaków.", n=MAX_BODY))
        if replacement == anchor.quote.exact.strip():
            raise Invalid(_("Proponowany tekst jest taki sam jak obecny."))
    else:
        replacement = None
    annotation = Annotation(
        version=version,
        section_id=version.section_id,
        round_id=version.round_id,
        kind=kind,
        author=actor,
        organisation_id=actor.organisation_id,
        is_expert=actor.role is Role.EXPERT,
        body=body,
        replacement=replacement,
        first_line=anchor.first_line,
        last_line=anchor.last_line,
        start=anchor.position.start,
        end=anchor.position.end,
        exact=anchor.quote.exact,
        prefix=anchor.quote.prefix,
        suffix=anchor.quote.suffix,
    )
    db.session.add(annotation)
    db.session.flush()
    annotation_created.send(annotation)
    return annotation


def reply(actor: User, parent: Annotation, body: str, *, today: date) -> Annotation:
    """Answer in *parent*'s thread, while the round it was made on is open."""
    actor = _check_signed_in(actor)
    root = parent.thread_root
    _check_open(root.round, today)
    if root.is_hidden:
        raise InvalidTransition(_("Nie można odpowiadać na ukrytą uwagę."))
    answer = Annotation(
        version_id=root.version_id,
        section_id=root.section_id,
        round_id=root.round_id,
        parent=root,
        kind=AnnotationKind.REPLY,
        author=actor,
        organisation_id=actor.organisation_id,
        is_expert=actor.role is Role.EXPERT,
        body=_clean_body(body, what=_("Napisz treść odpowiedzi.")),
    )
    db.session.add(answer)
    db.session.flush()
    reply_created.send(answer)
    return answer


def edit_annotation(
    actor: User,
    annotation: Annotation,
    *,
    body: str,
    replacement: str | None = None,
    today: date,
) -> Annotation:
    """The author rewrites an open annotation while the consultation runs."""
    if not is_author(actor, annotation):
        raise NotAllowed(_("Uwagę może zmienić tylko jej autor."))
    if annotation.state is not AnnotationState.OPEN:
        raise InvalidTransition(_("Tej uwagi nie można już zmienić."))
    if annotation.decision is not None:
        raise InvalidTransition(
            _("Uwaga jest już rozstrzygnięta przez Zespół Koordynujący.")
        )
    _check_open(annotation.thread_root.round, today)
    body = _clean_body(body)
    if annotation.kind is AnnotationKind.CHANGE:
        replacement = (replacement or "").replace("\r\n", "\n").strip()
        if replacement == (annotation.exact or "").strip():
            raise Invalid(_("Proponowany tekst jest taki sam jak obecny."))
        annotation.replacement = replacement
    annotation.body = body
    annotation.updated_at = utcnow()
    db.session.flush()
    return annotation


def withdraw_annotation(actor: User, annotation: Annotation) -> Annotation:
    """The author takes an open annotation back; it stays visible as withdrawn."""
    if not is_author(actor, annotation):
        raise NotAllowed(_("Uwagę może wycofać tylko jej autor."))
    if annotation.state is not AnnotationState.OPEN:
        raise InvalidTransition(_("Tej uwagi nie można już wycofać."))
    # Refuses once decided; records the step in the review history.
    from wpw.review.services import withdraw_review

    withdraw_review(actor, annotation)
    db.session.flush()
    return annotation


def report(actor: User, annotation: Annotation, reason: str) -> ModerationEvent:
    """Anyone signed in flags an annotation for the moderators."""
    actor = _check_signed_in(actor)
    event = ModerationEvent(
        annotation=annotation,
        actor=actor,
        action=ModerationAction.REPORTED,
        reason=_clean_body(reason, what=_("Napisz, co jest nie tak z tą uwagą.")),
    )
    db.session.add(event)
    record(actor, "annotation.reported", annotation, event.reason)
    db.session.flush()
    return event


def hide(actor: User, annotation: Annotation, reason: str) -> None:
    """A moderator hides an annotation; *reason* is shown in place of its text."""
    if not can_moderate(actor, annotation):
        raise NotAllowed(
            _("Ukrywać uwagi może Zespół Koordynujący i lider podzespołu.")
        )
    reason = _clean_body(reason, what=_("Podaj powód ukrycia."))
    annotation.hidden_reason = reason
    db.session.add(
        ModerationEvent(
            annotation=annotation,
            actor=actor,
            action=ModerationAction.HIDDEN,
            reason=reason,
        )
    )
    record(actor, "annotation.hidden", annotation, reason)
    db.session.flush()


def restore(actor: User, annotation: Annotation, reason: str = "") -> None:
    if not can_moderate(actor, annotation):
        raise NotAllowed(
            _("Przywracać uwagi może Zespół Koordynujący i lider podzespołu.")
        )
    if not annotation.is_hidden:
        raise InvalidTransition(_("Ta uwaga nie jest ukryta."))
    annotation.hidden_reason = None
    db.session.add(
        ModerationEvent(
            annotation=annotation,
            actor=actor,
            action=ModerationAction.RESTORED,
            reason=reason,
        )
    )
    record(actor, "annotation.restored", annotation, reason)
    db.session.flush()


def moderation_history(annotation: Annotation) -> Sequence[ModerationEvent]:
    return db.session.scalars(
        select(ModerationEvent)
        .where(ModerationEvent.annotation_id == annotation.id)
        .order_by(ModerationEvent.created_at, ModerationEvent.id)
    ).all()
