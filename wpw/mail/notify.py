"""Who hears of what: signal receivers that queue mail, and the daily digest.

The receivers are connected when this module is imported (by
:mod:`wpw.mail.views`, so whenever the app is created). They run inside the
transaction of the change that sent the signal and only add rows to the outbox
(:func:`wpw.mail.services.queue_mail`); a mistake here is logged and never fails
the request that caused it.

- ``annotation_decided`` → the author (category *decision*), with the decision,
  its justification and, when partly accepted, the adopted wording;
- ``reply_created`` → the author of the thread's annotation (*reply*), unless
  they wrote the reply themselves;
- ``annotation_created`` → the members and leaders of the sub-teams of the
  section's sectors who want each new item at once (*queue*), not the author.

:func:`queue_digests` (``flask wpw send-digests``) queues one daily mail per
member who chose the digest (*digest*).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from wpw.annotations.models import Annotation, AnnotationKind, Decision
from wpw.auth.models import User
from wpw.core import utcnow
from wpw.documents.models import section_sectors
from wpw.extensions import db
from wpw.mail.models import MailCategory, QueueMail
from wpw.mail.services import absolute_url, mail_language, queue_mail
from wpw.sectors.models import SectorMembership
from wpw.signals import annotation_created, annotation_decided, reply_created

#: Without an earlier digest, a digest covers this long.
DIGEST_PERIOD = timedelta(hours=24)


@contextmanager
def _never_fails(what: str) -> Iterator[None]:
    """Log a failure to queue mail instead of failing the change behind it."""
    try:
        yield
    except Exception:
        current_app.logger.exception("Could not queue the %s mail", what)


def _receiver(what: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def wrap(function: Callable[..., None]) -> Callable[..., None]:
        def receive(sender: Any, **extra: Any) -> None:
            with _never_fails(what), mail_language():
                function(sender, **extra)

        receive.__name__ = receive.__qualname__ = function.__name__
        receive.__doc__ = function.__doc__
        return receive

    return wrap


def public_name(user: User | None, annotation: Annotation) -> str:
    """How an author is named in mail: as they chose to be shown publicly."""
    if user is not None and user.show_name:
        if annotation.organisation is not None:
            return f"{user.name} ({annotation.organisation.name})"
        return user.name
    if annotation.organisation is not None:
        return annotation.organisation.name
    return _("uczestnik konsultacji")


def thread_url(annotation: Annotation) -> str:
    """The absolute link to *annotation* in its thread."""
    root = annotation.thread_root
    url = absolute_url("annotations.thread", annotation_id=root.id)
    return url if annotation is root else f"{url}#a{annotation.id}"


def _place(annotation: Annotation) -> dict[str, Any]:
    """What every mail about an annotation says about where it is."""
    from wpw.annotations.views import KIND_LABELS

    version = annotation.version
    return {
        "annotation": annotation,
        "kind": KIND_LABELS[annotation.kind],
        "programme": annotation.round.programme.title,
        "round": annotation.round,
        "section": f"{version.number} {version.title}",
        "lines": (
            str(annotation.first_line)
            if annotation.first_line == annotation.last_line
            else f"{annotation.first_line}–{annotation.last_line}"
        ),
        "url": thread_url(annotation),
    }


# --- receivers -------------------------------------------------------------------


@_receiver("decision")
def on_decided(annotation: Annotation, event: Any = None, **extra: Any) -> None:
    """Tell the author how their annotation was decided, and why."""
    from wpw.review.labels import DECISION_LABELS
    from wpw.review.models import ReviewAction

    author = annotation.author
    if author is None or annotation.decision is None:
        return
    revised = getattr(event, "action", None) is ReviewAction.REVISED
    label = DECISION_LABELS[annotation.decision]
    subject = (
        _("Zmieniono decyzję w sprawie Twojej uwagi: %(decision)s", decision=label)
        if revised
        else _("Decyzja w sprawie Twojej uwagi: %(decision)s", decision=label)
    )
    body = render_template(
        "mail/decision.txt",
        decision=label,
        revised=revised,
        justification=annotation.justification or "",
        adopted_wording=annotation.adopted_wording
        if annotation.decision is Decision.PARTIALLY_ACCEPTED
        else None,
        name=author.name,
        **_place(annotation),
    )
    queue_mail(author, MailCategory.DECISION, subject, body)


@_receiver("reply")
def on_reply(answer: Annotation, **extra: Any) -> None:
    """Tell the author of a thread's annotation that someone answered."""
    root = answer.thread_root
    author = root.author
    if author is None or author.id == answer.author_id:
        return
    who = public_name(answer.author, answer)
    body = render_template(
        "mail/reply.txt",
        name=author.name,
        who=who,
        reply=answer,
        **{**_place(root), "url": thread_url(answer)},
    )
    subject = _("Nowa odpowiedź na Twoją uwagę (%(who)s)", who=who)
    queue_mail(author, MailCategory.REPLY, subject, body)


def sub_team(annotation: Annotation) -> list[User]:
    """Members and leaders of the sub-teams of *annotation*'s section's sectors."""
    users = db.session.scalars(
        select(User)
        .join(SectorMembership, SectorMembership.user_id == User.id)
        .join(
            section_sectors,
            section_sectors.c.sector_id == SectorMembership.sector_id,
        )
        .where(section_sectors.c.section_id == annotation.section_id)
        .distinct()
        .order_by(User.id)
    )
    return list(users)


@_receiver("queue")
def on_created(annotation: Annotation, **extra: Any) -> None:
    """Tell the sub-teams that want it at once that their queue has a new item."""
    if annotation.kind is AnnotationKind.REPLY:
        return
    place = _place(annotation)
    who = public_name(annotation.author, annotation)
    subject = _(
        "Nowa uwaga w kolejce podzespołu: %(section)s", section=place["section"]
    )
    for user in sub_team(annotation):
        if (
            user.id == annotation.author_id
            or user.mail_queue is not QueueMail.IMMEDIATE
        ):
            continue
        body = render_template("mail/queue.txt", name=user.name, who=who, **place)
        queue_mail(user, MailCategory.QUEUE, subject, body)


annotation_decided.connect(on_decided, weak=False)
reply_created.connect(on_reply, weak=False)
annotation_created.connect(on_created, weak=False)


# --- the daily digest ------------------------------------------------------------


def new_in_sectors(user: User, since: datetime, until: datetime) -> list[Annotation]:
    """Annotations (not replies, not hidden) created after *since* and by *until*
    in *user*'s sectors, by others, oldest first."""
    sector_ids = [m.sector_id for m in user.memberships]
    if not sector_ids:
        return []
    section_ids = select(section_sectors.c.section_id).where(
        section_sectors.c.sector_id.in_(sector_ids)
    )
    query = (
        select(Annotation)
        .where(
            Annotation.section_id.in_(section_ids),
            Annotation.parent_id.is_(None),
            Annotation.created_at > since,
            Annotation.created_at <= until,
            Annotation.hidden_reason.is_(None),
            (Annotation.author_id.is_(None)) | (Annotation.author_id != user.id),
        )
        .order_by(Annotation.created_at, Annotation.id)
    )
    return list(db.session.scalars(query))


def _digest_readers() -> Iterable[User]:
    return db.session.scalars(
        select(User)
        .where(
            User.mail_queue == QueueMail.DAILY,
            User.is_active_account.is_(True),
            User.id.in_(select(SectorMembership.user_id)),
        )
        .order_by(User.id)
    )


def queue_digests(now: datetime | None = None) -> int:
    """Queue one digest for each sub-team member who chose the daily digest,
    listing what is new in their sectors since their last digest (or the last
    24 hours); nothing for whom nothing is new. Sets ``digest_sent_at``.
    Returns how many digests were queued; flushes, never commits."""
    now = now or utcnow()
    queued = 0
    with mail_language():
        for user in _digest_readers():
            since = user.digest_sent_at or now - DIGEST_PERIOD
            items = new_in_sectors(user, since, now)
            if not items:
                continue
            body = render_template(
                "mail/digest.txt",
                name=user.name,
                items=[_place(a) | {"who": public_name(a.author, a)} for a in items],
                since=since,
            )
            subject = _("Nowe uwagi w kolejce podzespołu: %(count)d", count=len(items))
            if queue_mail(user, MailCategory.DIGEST, subject, body) is not None:
                queued += 1
            user.digest_sent_at = now
    db.session.flush()
    return queued
