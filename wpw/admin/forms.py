"""MOWIS's forms: search the users, change a role, set sector memberships."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, SearchField, SelectField, SubmitField
from wtforms.validators import Length, Optional

from wpw.auth.forms import strip
from wpw.auth.labels import MEMBERSHIP_LABELS, ROLE_LABELS
from wpw.auth.models import Role, User
from wpw.i18n import current_language
from wpw.sectors.models import MembershipRole, Sector

#: The choice for "not in this sector"; the others are :class:`MembershipRole`.
NO_MEMBERSHIP = ""


class UserSearchForm(Form):
    """A GET form (no CSRF token: it changes nothing)."""

    q = SearchField(
        _l("Imię, nazwisko lub adres e-mail"),
        validators=[Optional(), Length(max=200)],
        filters=[strip],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Rola w serwisie"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
    )
    submit = SubmitField(_l("Zmień rolę"))

    @property
    def chosen(self) -> Role:
        return Role(self.role.data)


class MembershipsForm(FlaskForm):
    """One select per sector, named ``sector_<id>``; see :func:`memberships_form`."""

    submit = SubmitField(_l("Zapisz przynależność"))

    def field_for(self, sector: Sector) -> SelectField:
        return self[f"sector_{sector.id}"]

    def chosen(self, sectors: Sequence[Sector]) -> dict[Sector, MembershipRole | None]:
        """Each sector with the chosen role, ``None`` for "not a member"."""
        roles: dict[Sector, MembershipRole | None] = {}
        for sector in sectors:
            value = self.field_for(sector).data
            roles[sector] = MembershipRole(value) if value else None
        return roles


def memberships_form(
    sectors: Sequence[Sector], user: User, **kwargs: Any
) -> MembershipsForm:
    """A :class:`MembershipsForm` for these sectors, showing *user*'s places."""
    current = {m.sector_id: m.role.value for m in user.memberships}
    choices = [(NO_MEMBERSHIP, _l("nie należy"))] + [
        (role.value, label) for role, label in MEMBERSHIP_LABELS.items()
    ]

    class ForSectors(MembershipsForm):
        pass

    for sector in sectors:
        field = SelectField(
            sector.display_name(current_language()),
            choices=choices,
            default=current.get(sector.id, NO_MEMBERSHIP),
        )
        setattr(ForSectors, f"sector_{sector.id}", field)
    return ForSectors(**kwargs)
