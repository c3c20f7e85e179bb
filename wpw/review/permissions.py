"""Who may decide, recommend and read the review's internal notes (``user`` ``None``
= anonymous).

The Coordinating Team (coordinators and MOWIS admins) decides every annotation;
an annotation is routed to the sub-teams of its section's sectors, whose members
read and write internal notes and whose leader recommends a decision. Services
call these and raise :class:`wpw.errors.NotAllowed`; views and templates call
them to decide what to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wpw.auth.permissions import signed_in
from wpw.sectors.models import MembershipRole

if TYPE_CHECKING:
    from wpw.annotations.models import Annotation
    from wpw.auth.models import User
    from wpw.sectors.models import Sector


def can_decide(user: User | None) -> bool:
    """Only the Coordinating Team decides."""
    return signed_in(user) and user.is_coordinator


def _section_sector_ids(annotation: Annotation) -> set[int]:
    return {s.id for s in annotation.section.sectors}


def can_recommend(user: User | None, annotation: Annotation, sector: Sector) -> bool:
    """The leader of *sector*, when *sector* is one of the annotation's sectors."""
    if not signed_in(user) or sector.id not in _section_sector_ids(annotation):
        return False
    return any(
        m.sector_id == sector.id and m.role is MembershipRole.LEADER
        for m in user.memberships
    )


def leader_sectors(user: User | None, annotation: Annotation) -> list[Sector]:
    """The annotation's sectors whose sub-team *user* leads."""
    if not signed_in(user):
        return []
    return [s for s in annotation.section.sectors if can_recommend(user, annotation, s)]


def is_subteam_member(user: User | None, annotation: Annotation) -> bool:
    """A member or the leader of one of the sub-teams the annotation is routed to."""
    if not signed_in(user):
        return False
    sectors = _section_sector_ids(annotation)
    return any(m.sector_id in sectors for m in user.memberships)


def member_sectors(user: User | None, annotation: Annotation) -> list[Sector]:
    """The annotation's sectors whose sub-team *user* belongs to (or leads)."""
    if not signed_in(user):
        return []
    mine = {m.sector_id for m in user.memberships}
    return [s for s in annotation.section.sectors if s.id in mine]


def can_read_notes(user: User | None, annotation: Annotation) -> bool:
    """Coordinators, and the members of the annotation's sub-teams (their notes)."""
    return can_decide(user) or is_subteam_member(user, annotation)


def can_review(user: User | None, annotation: Annotation) -> bool:
    """May open the annotation's review page: the same people as the notes."""
    return can_read_notes(user, annotation)


def can_view_sector_queue(user: User | None, sector: Sector) -> bool:
    """Coordinators, and the sector's members and leader."""
    if can_decide(user):
        return True
    return signed_in(user) and any(m.sector_id == sector.id for m in user.memberships)


def has_review_queue(user: User | None) -> bool:
    """Whether the navigation offers the review queue: coordinators and anyone in
    a sub-team."""
    return can_decide(user) or (signed_in(user) and bool(user.memberships))
