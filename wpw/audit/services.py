"""Write to the audit log and read it back. Callers pass the actor explicitly,
like every service."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from wpw.audit.models import AuditEvent
from wpw.audit.permissions import can_read_audit
from wpw.core import CITY_TIMEZONE
from wpw.errors import NotAllowed
from wpw.extensions import db

if TYPE_CHECKING:
    from wpw.auth.models import User
    from wpw.documents.models import Round


def record(
    actor: User | None,
    action: str,
    subject: Any,
    summary: str = "",
    **details: Any,
) -> AuditEvent:
    """Log *action* (e.g. ``"annotation.decided"``) on *subject*, a model with an
    ``id``, in the current transaction. *details* must be JSON-serialisable."""
    event = AuditEvent(
        actor=actor,
        action=action,
        subject_type=type(subject).__name__.lower(),
        subject_id=getattr(subject, "id", None),
        summary=summary,
        details=details,
    )
    db.session.add(event)
    return event


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """What to look for in the log; ``None`` means "any". Dates are days in the
    city's time zone, both ends included."""

    action: str | None = None
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    subject_type: str | None = None
    subject_id: int | None = None


def _city_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=CITY_TIMEZONE)


def audit_query(filters: AuditFilters) -> Select[tuple[AuditEvent]]:
    """The events matching *filters*, newest first, with their actors loaded;
    a ``select()`` for the caller to paginate."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.date_from is not None:
        query = query.where(AuditEvent.created_at >= _city_midnight(filters.date_from))
    if filters.date_to is not None:
        end = _city_midnight(filters.date_to + timedelta(days=1))
        query = query.where(AuditEvent.created_at < end)
    if filters.subject_type:
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id is not None:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def readable_log(
    actor: User | None, filters: AuditFilters
) -> Select[tuple[AuditEvent]]:
    """:func:`audit_query` for *actor*. Raises :class:`NotAllowed` unless
    *actor* is on the Coordinating Team or an admin."""
    if not can_read_audit(actor):
        raise NotAllowed(_("Dziennik zdarzeń czyta tylko Zespół Koordynujący i MOWIS."))
    return audit_query(filters)


def logged_actors() -> list[User]:
    """Everyone who appears in the log as an actor, by name (for the filter)."""
    from wpw.auth.models import User

    return list(
        db.session.scalars(
            select(User)
            .where(User.id.in_(select(AuditEvent.actor_id).distinct()))
            .order_by(User.name, User.id)
        )
    )


def logged_values(column: str) -> list[str]:
    """The distinct actions or subject types found in the log, sorted."""
    field = {"action": AuditEvent.action, "subject_type": AuditEvent.subject_type}[
        column
    ]
    return sorted(db.session.scalars(select(field).distinct()))


@dataclass(frozen=True, slots=True)
class Subjects:
    """The rounds and users named by a page of events, loaded at once."""

    rounds: dict[int, Round]
    users: dict[int, User]


def subjects_of(events: Iterable[AuditEvent]) -> Subjects:
    """Load the rounds and users *events* are about (two queries at most), so
    each row can name and link its subject."""
    from wpw.auth.models import User
    from wpw.documents.models import Round

    ids: dict[str, set[int]] = {"round": set(), "user": set()}
    for event in events:
        if event.subject_type in ids and event.subject_id is not None:
            ids[event.subject_type].add(event.subject_id)
    rounds = (
        db.session.scalars(
            select(Round)
            .where(Round.id.in_(ids["round"]))
            .options(selectinload(Round.programme))
        )
        if ids["round"]
        else []
    )
    users = (
        db.session.scalars(select(User).where(User.id.in_(ids["user"])))
        if ids["user"]
        else []
    )
    return Subjects({r.id: r for r in rounds}, {u.id: u for u in users})
