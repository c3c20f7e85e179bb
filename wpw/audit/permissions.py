"""Who may read the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wpw.auth.permissions import signed_in

if TYPE_CHECKING:
    from wpw.auth.models import User


def can_read_audit(user: User | None) -> bool:
    """The Coordinating Team and MOWIS (admins) read the audit log."""
    return signed_in(user) and user.is_coordinator
