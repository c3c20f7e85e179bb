"""The account page: who I am, my role, organisation and sub-teams."""

from __future__ import annotations

from tests.auth.support import make_sectors
from tests.conftest import make_user
from wpw.auth import services as accounts
from wpw.auth.labels import ROLE_LABELS
from wpw.auth.models import Role
from wpw.extensions import db
from wpw.sectors.models import MembershipRole


def test_account_needs_login(client) -> None:
    assert client.get("/account").status_code == 302


def test_account_shows_name_email_role_and_organisation(client, auth) -> None:
    user = make_user(
        Role.NGO, name="Ewa Zielińska", organisation="Fundacja Las", krs="0000654321"
    )
    auth.login(user)

    html = client.get("/account").get_data(as_text=True)

    assert "<h1>Twoje konto</h1>" in html
    assert "Ewa Zielińska" in html
    assert user.email in html
    assert "organizacja pozarządowa" in html
    assert "Fundacja Las" in html
    assert "0000654321" in html
    assert "Nie należysz do żadnego podzespołu." in html


def test_account_shows_sector_memberships(client, auth) -> None:
    sectors = make_sectors()
    user = make_user(Role.EXPERT)
    accounts.set_membership(None, user, sectors[1], MembershipRole.LEADER)
    accounts.set_membership(None, user, sectors[4], MembershipRole.MEMBER)
    db.session.commit()
    auth.login(user)

    html = client.get("/account").get_data(as_text=True)

    assert "ekspert / ekspertka" in html
    assert "Edukacja</a> – lider / liderka" in html
    assert "Ekologia</a> – członek / członkini" in html
    assert "Kultura" not in html.split("<main")[1]


def test_every_role_has_a_polish_label() -> None:
    assert set(ROLE_LABELS) == set(Role)
    assert str(ROLE_LABELS[Role.ADMIN]) == "MOWIS (administrator)"
    assert str(ROLE_LABELS[Role.COORDINATOR]) == "Zespół Koordynujący"
