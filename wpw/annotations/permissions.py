"""Who may annotate, edit, withdraw and moderate (``user`` ``None`` = anonymous)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wpw.auth.permissions import signed_in
from wpw.sectors.models import MembershipRole

if TYPE_CHECKING:
    from wpw.annotations.models import Annotation
    from wpw.auth.models import User


def is_author(user: User | None, annotation: Annotation) -> bool:
    return signed_in(user) and annotation.author_id == user.id


def can_moderate(user: User | None, annotation: Annotation) -> bool:
    """The Coordinating Team, and the leaders of the section's sector sub-teams."""
    if not signed_in(user):
        return False
    if user.is_coordinator:
        return True
    sectors = {s.id for s in annotation.section.sectors}
    return any(
        m.role is MembershipRole.LEADER and m.sector_id in sectors
        for m in user.memberships
    )


def can_see_hidden_text(user: User | None, annotation: Annotation) -> bool:
    """Moderators and the author still read a hidden annotation's text."""
    return can_moderate(user, annotation) or is_author(user, annotation)
