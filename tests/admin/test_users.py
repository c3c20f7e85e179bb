"""MOWIS's list of users: who may see it, search, pagination."""

from __future__ import annotations

import re

import pytest

from tests.auth.support import make_sectors
from tests.conftest import make_user
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.extensions import db
from wpw.sectors.models import MembershipRole

ROLES_AND_ANONYMOUS = [*Role, None]


def user_links(html: str) -> list[str]:
    return re.findall(r'<a href="/admin/users/(\d+)">', html)


@pytest.mark.parametrize("role", ROLES_AND_ANONYMOUS)
@pytest.mark.parametrize("path", ["/admin/users", "/admin/users/{id}"])
def test_only_admin_gets_in(client, auth, users, role: Role | None, path: str):
    if role is not None:
        auth.login(users[role])
    url = path.format(id=users[Role.CITIZEN].id)

    response = client.get(url)

    if role is Role.ADMIN:
        assert response.status_code == 200
    elif role is None:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=%2Fadmin%2Fusers")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_non_admin_cannot_post_to_the_user_page(client, auth, users, role) -> None:
    auth.login(users[role])
    target = users[Role.CITIZEN]
    response = client.post(
        f"/admin/users/{target.id}", data={"role-role": "admin", "role-submit": "y"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).role is Role.CITIZEN


def test_list_shows_name_email_role_organisation_and_sectors(client, auth) -> None:
    sectors = make_sectors()
    ngo = make_user(
        Role.NGO, name="Ewa Las", email="ewa@las.example", organisation="Fundacja Las"
    )
    accounts.set_membership(None, ngo, sectors[4], MembershipRole.LEADER)
    db.session.commit()
    auth.login(make_user(Role.ADMIN, name="Mowis Admin"))

    html = client.get("/admin/users").get_data(as_text=True)

    row = re.search(r"<tr>\s*<th scope=\"row\"><a[^>]*>Ewa Las</a>.*?</tr>", html, re.S)
    assert row, html
    for text in (
        "ewa@las.example",
        "organizacja pozarządowa",
        "Fundacja Las",
        "Ekologia (lider / liderka)",
    ):
        assert text in row.group(0)
    assert '<th scope="col">' in html


def test_search_by_name_or_email(client, auth) -> None:
    make_user(name="Zofia Wiśniewska", email="zofia@test.example")
    make_user(name="Adam Mickiewicz", email="adam@poeci.example")
    admin = make_user(Role.ADMIN, name="Mowis Admin")
    auth.login(admin)

    by_name = client.get("/admin/users", query_string={"q": "wiśniew"})
    by_email = client.get("/admin/users", query_string={"q": "POECI"})
    nothing = client.get("/admin/users", query_string={"q": "nikt taki"})

    assert "Zofia Wiśniewska" in by_name.get_data(as_text=True)
    assert "Adam Mickiewicz" not in by_name.get_data(as_text=True)
    assert "Adam Mickiewicz" in by_email.get_data(as_text=True)
    assert "Zofia Wiśniewska" not in by_email.get_data(as_text=True)
    assert user_links(nothing.get_data(as_text=True)) == []
    assert "Żadne konto nie pasuje" in nothing.get_data(as_text=True)


def test_pagination_50_per_page_keeping_the_search(client, auth) -> None:
    db.session.add_all(
        User(email=f"u{n:03}@test.example", name=f"Osoba {n:03}", password_hash="x")
        for n in range(60)
    )
    db.session.commit()
    auth.login(make_user(Role.ADMIN, name="Mowis Admin"))

    first = client.get("/admin/users").get_data(as_text=True)
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    searched = client.get("/admin/users?q=osoba").get_data(as_text=True)

    assert len(user_links(first)) == 50
    assert len(user_links(second)) == 11
    assert set(user_links(first)).isdisjoint(user_links(second))
    assert 'href="/admin/users?page=2" rel="next"' in first
    assert 'href="/admin/users?q=osoba&amp;page=2" rel="next"' in searched
    assert client.get("/admin/users?page=9").status_code == 404
