"""Account services, called directly: rules and permissions without the web."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.auth.support import make_sectors
from tests.conftest import make_user
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, SectorMembership

NOT_ADMIN = [role for role in Role if role is not Role.ADMIN]


def memberships() -> int:
    return db.session.scalar(select(func.count(SectorMembership.id)))


def test_account_problems_are_grouped_by_field(app) -> None:
    problems = accounts.account_problems(
        email="nie-email", name=" ", password="abc", krs="12"
    )
    assert set(problems) == {"email", "name", "password", "krs", "organisation_name"}


def test_account_problems_empty_for_good_details(app) -> None:
    assert (
        accounts.account_problems(
            email="ok@test.example", name="Ola", password="dobre długie hasło"
        )
        == {}
    )


def test_create_user_raises_invalid_with_every_reason(app) -> None:
    with pytest.raises(Invalid) as caught:
        accounts.create_user(email="x", name="", password="abc")
    error = caught.value
    assert isinstance(error, accounts.InvalidFields)
    assert error.message.split("\n") == [
        m for msgs in error.problems.values() for m in msgs
    ]
    assert len(error.message.split("\n")) >= 3
    assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize(
    ("organisation", "role"), [("", Role.CITIZEN), ("Fundacja A", Role.NGO)]
)
def test_register_picks_the_role(app, organisation: str, role: Role) -> None:
    user = accounts.register(
        email="a@test.example",
        name="A",
        password="dobre długie hasło",
        organisation_name=organisation,
    )
    assert user.role is role


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_set_role_refuses_non_admins(users, role: Role) -> None:
    target = users[Role.CITIZEN]
    with pytest.raises(NotAllowed):
        accounts.set_role(users[role], target, Role.ADMIN)
    db.session.rollback()
    assert db.session.get(User, target.id).role is Role.CITIZEN


def test_set_role_refuses_anonymous(users) -> None:
    with pytest.raises(NotAllowed):
        accounts.set_role(None, users[Role.CITIZEN], Role.ADMIN)


def test_admin_sets_a_role(users) -> None:
    accounts.set_role(users[Role.ADMIN], users[Role.CITIZEN], Role.COUNCILLOR)
    assert users[Role.CITIZEN].role is Role.COUNCILLOR


def test_admin_cannot_demote_self(users) -> None:
    admin = users[Role.ADMIN]
    with pytest.raises(Invalid):
        accounts.set_role(admin, admin, Role.COORDINATOR)
    assert admin.role is Role.ADMIN


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_set_membership_refuses_non_admins(users, role: Role) -> None:
    sector = make_sectors()[0]
    with pytest.raises(NotAllowed):
        accounts.set_membership(
            users[role], users[Role.NGO], sector, MembershipRole.LEADER
        )
    with pytest.raises(NotAllowed):
        accounts.set_memberships(
            users[role], users[Role.NGO], {sector: MembershipRole.MEMBER}
        )
    assert memberships() == 0


def test_set_memberships_adds_changes_and_removes(users) -> None:
    admin, user = users[Role.ADMIN], users[Role.NGO]
    one, two, three = make_sectors()[:3]
    accounts.set_memberships(
        admin, user, {one: MembershipRole.MEMBER, two: MembershipRole.LEADER}
    )
    accounts.set_memberships(
        admin, user, {one: None, two: MembershipRole.MEMBER, three: None}
    )
    assert [(m.sector, m.role) for m in user.memberships] == [
        (two, MembershipRole.MEMBER)
    ]


def test_users_query_searches_name_and_email_ignoring_case(app) -> None:
    make_user(name="Zofia Wiśniewska", email="zofia@test.example")
    make_user(name="Adam Mickiewicz", email="adam@WPW.example")
    make_user(name="100% Fundacja", email="sto@test.example")

    def names(search: str) -> list[str]:
        return [u.name for u in db.session.scalars(accounts.users_query(search))]

    assert names("WIŚNIEW") == ["Zofia Wiśniewska"]
    assert names("wpw.EXAMPLE") == ["Adam Mickiewicz"]
    assert names("%") == ["100% Fundacja"]  # a literal, not a wildcard
    assert names("") == ["100% Fundacja", "Adam Mickiewicz", "Zofia Wiśniewska"]


def test_login_throttled_ignores_case_and_spaces(app) -> None:
    for _ in range(2):
        accounts.authenticate("Ala@Test.example ", "wrong", "198.51.100.1")
    assert accounts.login_throttled(
        " ala@test.EXAMPLE", "192.0.2.1", limit=2, window=60
    )
    assert not accounts.login_throttled(
        "ola@test.example", "192.0.2.1", limit=2, window=60
    )


def test_cli_create_user_reports_every_reason(runner) -> None:
    result = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "x",
            "--name",
            "A",
            "--role",
            "ngo",
            "--krs",
            "123",
        ],
        input="abc\n",
    )
    assert result.exit_code != 0
    assert "Podaj poprawny adres e-mail." in result.output
    assert "Numer KRS to dokładnie 10 cyfr" in result.output
    assert "Hasło musi mieć co najmniej 10 znaków." in result.output


def test_cli_create_user_still_creates(runner) -> None:
    result = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "Cli@Test.example",
            "--name",
            "Cli User",
            "--role",
            "official",
        ],
        input="dobre długie hasło\n",
    )
    assert result.exit_code == 0, result.output
    assert accounts.user_by_email("cli@test.example").role is Role.OFFICIAL
