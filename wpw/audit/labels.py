"""Polish labels for audit actions and the details they record.

Lazy, so each request renders them in its own language. Details are stored as
plain JSON values (enum values, slugs, texts) and labelled only when shown.
"""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from wpw.annotations.models import Decision
from wpw.auth.labels import MEMBERSHIP_LABELS, ROLE_LABELS
from wpw.auth.models import Role
from wpw.review.labels import DECISION_LABELS
from wpw.sectors.models import MembershipRole

ACTION_LABELS: dict[str, LazyString] = {
    "annotation.decided": _l("decyzja w sprawie uwagi"),
    "annotation.revised": _l("zmiana decyzji w sprawie uwagi"),
    "annotation.reported": _l("zgłoszenie uwagi do moderacji"),
    "annotation.hidden": _l("ukrycie uwagi"),
    "annotation.restored": _l("przywrócenie uwagi"),
    "round.published": _l("publikacja rundy"),
    "changes.applied": _l("wprowadzenie przyjętych zmian do wersji roboczej"),
    "user.role_changed": _l("zmiana roli użytkownika"),
    "user.membership_changed": _l("zmiana składu podzespołu"),
}

SUBJECT_LABELS: dict[str, LazyString] = {
    "annotation": _l("uwaga"),
    "round": _l("runda"),
    "user": _l("konto"),
}

DETAIL_LABELS: dict[str, LazyString] = {
    "old": _l("było"),
    "new": _l("jest"),
    "sector": _l("podzespół"),
    "decision": _l("decyzja"),
    "justification": _l("uzasadnienie"),
    "programme": _l("program"),
    "number": _l("numer rundy"),
    "title": _l("tytuł"),
    "reason": _l("powód"),
}

#: Shown for a missing value (e.g. "not a member" before joining a sub-team).
NONE_LABEL = _l("brak")


def action_label(action: str) -> str:
    """The Polish name of *action*, or the dotted name itself if unknown."""
    return str(ACTION_LABELS.get(action, action))


def detail_rows(action: str, details: dict[str, Any]) -> list[tuple[str, str]]:
    """The details of an event as (label, value) pairs to show, roles and
    decisions by their labels."""
    rows = []
    for key, value in details.items():
        rows.append(
            (str(DETAIL_LABELS.get(key, key)), _detail_value(action, key, value))
        )
    return rows


def _detail_value(action: str, key: str, value: Any) -> str:
    if value is None or value == "":
        return str(NONE_LABEL)
    if key in ("old", "new") and action == "user.role_changed":
        return _label(ROLE_LABELS, Role, value)
    if key in ("old", "new") and action == "user.membership_changed":
        return _label(MEMBERSHIP_LABELS, MembershipRole, value)
    if key == "decision":
        return _label(DECISION_LABELS, Decision, value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _label(labels: dict, enum_class: type, value: Any) -> str:
    try:
        return str(labels[enum_class(value)])
    except (ValueError, KeyError):
        return str(value)
