"""MOWIS's page for one user: change the role, set the sector memberships."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.auth.support import (
    csrf_token,
    field_errors,
    login_with_token,
    make_sectors,
)
from tests.conftest import make_user
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, Sector, SectorMembership


@pytest.fixture
def sectors(app) -> list[Sector]:
    return make_sectors()


@pytest.fixture
def admin(client, auth) -> User:
    admin = make_user(Role.ADMIN, name="Mowis Admin")
    auth.login(admin)
    return admin


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def places(user: User) -> dict[str, MembershipRole]:
    rows = db.session.scalars(
        select(SectorMembership).where(SectorMembership.user_id == user.id)
    )
    return {m.sector.slug: m.role for m in rows}


def test_page_shows_the_forms(client, admin, sectors) -> None:
    target = make_user(name="Jan Radny")

    html = client.get(f"/admin/users/{target.id}").get_data(as_text=True)

    assert "<h1>Jan Radny</h1>" in html
    assert '<select id="role-role" name="role-role">' in html
    assert html.count('<select id="sectors-sector_') == 8
    assert '<option selected value="citizen">' in html


def test_unknown_user_is_404(client, admin) -> None:
    assert client.get("/admin/users/999").status_code == 404


def test_admin_changes_a_role(client, admin) -> None:
    target = make_user(name="Jan Radny")

    response = client.post(
        f"/admin/users/{target.id}",
        data={"role-role": "councillor", "role-submit": "y"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/users/{target.id}"
    assert reload(target).role is Role.COUNCILLOR
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Zmieniono rolę: Jan Radny – radny / radna." in page


def test_unknown_role_is_refused(client, admin) -> None:
    target = make_user()
    response = client.post(
        f"/admin/users/{target.id}", data={"role-role": "king", "role-submit": "y"}
    )
    assert response.status_code == 422
    assert reload(target).role is Role.CITIZEN


def test_admin_cannot_demote_self_through_the_form(client, admin) -> None:
    response = client.post(
        f"/admin/users/{admin.id}", data={"role-role": "citizen", "role-submit": "y"}
    )

    assert response.status_code == 422
    assert field_errors(response.get_data(as_text=True), "role-role") == [
        "Nie możesz odebrać sobie roli administratora."
    ]
    assert reload(admin).role is Role.ADMIN


def test_admin_sets_memberships(client, admin, sectors) -> None:
    target = make_user(Role.NGO)
    edukacja, kultura = sectors[1], sectors[3]
    data = {f"sectors-sector_{s.id}": "" for s in sectors}
    data |= {
        f"sectors-sector_{edukacja.id}": "leader",
        f"sectors-sector_{kultura.id}": "member",
        "sectors-submit": "y",
    }

    response = client.post(f"/admin/users/{target.id}", data=data)

    assert response.status_code == 302
    assert places(target) == {
        "edukacja": MembershipRole.LEADER,
        "kultura": MembershipRole.MEMBER,
    }
    assert reload(target).role is Role.NGO  # the role form was not sent
    page = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
    assert "Zapisano przynależność do podzespołów" in page
    assert '<option selected value="leader">' in page


def test_admin_removes_and_changes_memberships(client, admin, sectors) -> None:
    target = make_user(Role.NGO)
    accounts.set_membership(None, target, sectors[0], MembershipRole.LEADER)
    accounts.set_membership(None, target, sectors[1], MembershipRole.MEMBER)
    db.session.commit()
    data = {f"sectors-sector_{s.id}": "" for s in sectors}
    data |= {f"sectors-sector_{sectors[0].id}": "member", "sectors-submit": "y"}

    assert client.post(f"/admin/users/{target.id}", data=data).status_code == 302

    assert places(target) == {"zdrowie": MembershipRole.MEMBER}


def test_sending_the_role_form_leaves_memberships_alone(client, admin, sectors):
    target = make_user(Role.NGO)
    accounts.set_membership(None, target, sectors[2], MembershipRole.LEADER)
    db.session.commit()

    client.post(
        f"/admin/users/{target.id}", data={"role-role": "expert", "role-submit": "y"}
    )

    assert reload(target).role is Role.EXPERT
    assert places(target) == {"wykluczenie": MembershipRole.LEADER}


def test_unknown_membership_value_is_refused(client, admin, sectors) -> None:
    target = make_user()
    data = {f"sectors-sector_{sectors[0].id}": "boss", "sectors-submit": "y"}
    response = client.post(f"/admin/users/{target.id}", data=data)
    assert response.status_code == 422
    assert places(target) == {}


class TestCsrf:
    @pytest.fixture
    def setup(self, csrf_app: Flask) -> tuple[FlaskClient, User]:
        make_sectors()
        admin = make_user(Role.ADMIN)
        target = make_user()
        client = csrf_app.test_client()
        login_with_token(client, admin.email)
        return client, target

    def test_role_form_without_token_is_refused(self, setup) -> None:
        client, target = setup
        response = client.post(
            f"/admin/users/{target.id}",
            data={"role-role": "expert", "role-submit": "y"},
        )
        assert response.status_code == 400
        assert reload(target).role is Role.CITIZEN

    def test_role_form_with_its_token_works(self, setup) -> None:
        client, target = setup
        html = client.get(f"/admin/users/{target.id}").get_data(as_text=True)
        token = csrf_token(html, "role-csrf_token")
        response = client.post(
            f"/admin/users/{target.id}",
            data={"role-role": "expert", "role-submit": "y", "role-csrf_token": token},
        )
        assert response.status_code == 302
        assert reload(target).role is Role.EXPERT

    def test_membership_form_without_token_is_refused(self, setup) -> None:
        client, target = setup
        sector = db.session.scalar(select(Sector))
        response = client.post(
            f"/admin/users/{target.id}",
            data={f"sectors-sector_{sector.id}": "member", "sectors-submit": "y"},
        )
        assert response.status_code == 400
        assert places(target) == {}
