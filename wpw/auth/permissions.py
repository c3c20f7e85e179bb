"""Who may do what, as plain predicates over the acting user (``None`` = anonymous).

Services call these and raise :class:`wpw.errors.NotAllowed`; views and templates
call them to decide what to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wpw.auth.models import User
    from wpw.documents.models import Round


def signed_in(user: User | None) -> bool:
    """Not anonymous."""
    return user is not None and user.is_authenticated


def can_view_round(user: User | None, round_: Round) -> bool:
    """Published and closed rounds are public; the working copy only for the team."""
    if round_.is_public:
        return True
    return signed_in(user) and user.is_coordinator


def can_edit_round(user: User | None, round_: Round) -> bool:
    """Only the Coordinating Team (and MOWIS) edits, and only a working copy."""
    return signed_in(user) and user.is_coordinator and not round_.is_frozen


def can_publish(user: User | None) -> bool:
    return signed_in(user) and user.is_coordinator


def can_administer(user: User | None) -> bool:
    """MOWIS manages accounts, roles and sector memberships."""
    return signed_in(user) and user.is_admin
