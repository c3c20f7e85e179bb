"""Polish labels for global roles and sector memberships.

Lazy, so each request renders them in its own language; templates reach them
as ``role_labels`` and ``membership_labels`` (see :mod:`wpw.auth.setup`).
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from wpw.auth.models import Role
from wpw.sectors.models import MembershipRole

ROLE_LABELS: dict[Role, LazyString] = {
    Role.CITIZEN: _l("mieszkaniec / mieszkanka"),
    Role.NGO: _l("organizacja pozarządowa"),
    Role.OFFICIAL: _l("urzędnik / urzędniczka"),
    Role.COUNCILLOR: _l("radny / radna"),
    Role.EXPERT: _l("ekspert / ekspertka"),
    Role.COORDINATOR: _l("Zespół Koordynujący"),
    Role.ADMIN: _l("MOWIS (administrator)"),
}

MEMBERSHIP_LABELS: dict[MembershipRole, LazyString] = {
    MembershipRole.MEMBER: _l("członek / członkini"),
    MembershipRole.LEADER: _l("lider / liderka"),
}
