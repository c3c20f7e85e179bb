"""Structure the accessibility checkers rely on: labels, unique ids, one h1."""

from __future__ import annotations

import pytest

from tests.auth.support import (
    PageStructure,
    csrf_token,
    login_with_token,
    make_sectors,
)
from tests.conftest import make_user
from wpw.auth.models import Role


def test_checker_finds_problems() -> None:
    html = (
        '<h1>a</h1><h1>b</h1><form method="post" action="">'
        '<input id="x" name="x"><input id="x" aria-describedby="y"></form>'
    )
    problems = PageStructure(html).problems()
    assert len(problems) == 6


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/login", None),
        ("/login", {"email": "a@test.example", "password": "x"}),
        ("/register", None),
        ("/register", {"email": "x", "krs": "1", "password": "a", "confirm": "b"}),
    ],
)
def test_anonymous_pages(csrf_app, path: str, data: dict | None) -> None:
    client = csrf_app.test_client()
    if data is not None:
        token = csrf_token(client.get(path).get_data(as_text=True))
        response = client.post(path, data={**data, "csrf_token": token})
    else:
        response = client.get(path)
    assert response.status_code in (200, 422)
    assert PageStructure(response.get_data(as_text=True)).problems() == []


@pytest.mark.parametrize("path", ["/account", "/admin/users", "/admin/users/{id}"])
def test_signed_in_pages(csrf_app, path: str) -> None:
    make_sectors()
    admin = make_user(Role.ADMIN, organisation="MOWIS", krs="0000000001")
    client = csrf_app.test_client()
    login_with_token(client, admin.email)
    response = client.get(path.format(id=admin.id))
    assert response.status_code == 200
    assert PageStructure(response.get_data(as_text=True)).problems() == []
