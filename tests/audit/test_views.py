"""The audit log page: coordinators and admins only, newest first, filtered by
a GET form, paginated, every row naming and linking its subject."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions
from wpw.audit.models import AuditEvent
from wpw.audit.services import record
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.extensions import db

URL = "/audit/"


def html(client: FlaskClient, url: str = URL, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def rows(page: str) -> int:
    return page.count("<tr>") - 1  # minus the header row


def test_anonymous_goes_to_the_login_page(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    "role", [Role.CITIZEN, Role.NGO, Role.OFFICIAL, Role.COUNCILLOR, Role.EXPERT]
)
def test_other_roles_are_refused(client, auth: AuthActions, users, role) -> None:
    auth.login(users[role])
    assert client.get(URL).status_code == 403
    assert "Dziennik zdarzeń" not in html(client, "/")  # no link in the menu


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_coordinators_and_admins_read_it(
    client, auth: AuthActions, users, first, role
) -> None:
    auth.login(users[role])
    assert f'href="{URL}"' in html(client, "/")  # the menu links to it
    page = html(client)
    assert "<h1>Dziennik zdarzeń</h1>" in page and page.count("<h1") == 1
    assert "publikacja rundy" in page
    assert 'href="/programmes/prog/rounds/1">Runda 1: Runda</a>' in page
    assert "opublikowano" in page
    assert "<caption>Zdarzenia: 1</caption>" in page


def test_rows_show_time_in_city_zone_actor_action_subject_details(
    client, auth: AuthActions, users, note, coordinator
) -> None:
    from wpw.annotations import services as annotations

    annotations.hide(coordinator, note, "Narusza <b>regulamin</b>.")
    admin = users[Role.ADMIN]
    accounts.set_role(admin, users[Role.CITIZEN], Role.EXPERT)
    db.session.commit()
    hidden = db.session.query(AuditEvent).filter_by(action="annotation.hidden").one()
    hidden.created_at = datetime(2026, 7, 1, 22, 15, tzinfo=UTC)
    db.session.commit()
    auth.login(admin)
    page = html(client)
    assert "02.07.2026, 00:15" in page  # Kraków is UTC+2 in summer
    assert "ukrycie uwagi" in page and "zmiana roli użytkownika" in page
    assert f'href="/annotations/{note.id}">Uwaga nr {note.id}</a>' in page
    assert "Narusza &lt;b&gt;regulamin&lt;/b&gt;." in page
    assert (
        f'href="/admin/users/{users[Role.CITIZEN].id}">{users[Role.CITIZEN].name}</a>'
        in page
    )
    assert "<dt>było</dt><dd>mieszkaniec / mieszkanka</dd>" in page
    assert "<dt>jest</dt><dd>ekspert / ekspertka</dd>" in page
    assert coordinator.name in page
    # Newest first: the role change (now) before the hiding (in July).
    table = page.split("<tbody>")[1]
    assert table.index("zmiana roli użytkownika") < table.index("ukrycie uwagi")


def test_coordinator_sees_user_subjects_without_the_admin_link(
    client, auth: AuthActions, users, coordinator
) -> None:
    accounts.set_role(users[Role.ADMIN], users[Role.CITIZEN], Role.EXPERT)
    db.session.commit()
    auth.login(coordinator)
    page = html(client)
    assert users[Role.CITIZEN].name in page and "/admin/users/" not in page


@pytest.fixture
def many(users: dict[Role, User]) -> None:
    """60 events: 55 role changes by the admin, 5 publications by a coordinator,
    one a day back from 1 June 2026."""
    start = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    for n in range(60):
        actor, action = (
            (users[Role.COORDINATOR], "round.published")
            if n % 12 == 0
            else (users[Role.ADMIN], "user.role_changed")
        )
        event = record(actor, action, users[Role.NGO], f"zdarzenie {n}")
        event.created_at = start - timedelta(days=n)
    db.session.commit()


def test_pages_of_fifty(client, auth: AuthActions, users, many) -> None:
    auth.login(users[Role.ADMIN])
    first = html(client)
    assert rows(first) == 50
    assert "zdarzenie 0<" in first and "zdarzenie 50<" not in first
    assert 'rel="next"' in first
    second = html(client, f"{URL}?page=2")
    assert rows(second) == 10 and "zdarzenie 59<" in second


def test_filters_by_action_actor_dates_and_subject(
    client, auth: AuthActions, users, many
) -> None:
    auth.login(users[Role.COORDINATOR])
    page = html(client, f"{URL}?action=round.published")
    assert rows(page) == 5 and "<caption>Zdarzenia: 5</caption>" in page
    assert '<option selected value="round.published">' in page
    page = html(client, f"{URL}?actor={users[Role.ADMIN].id}")
    assert rows(page) == 50 and "Zdarzenia: 55" in page
    # Pages keep the filters.
    assert f"actor={users[Role.ADMIN].id}" in page.split('rel="next"')[0]
    page = html(client, f"{URL}?date_from=2026-05-30&date_to=2026-06-01")
    assert rows(page) == 3
    page = html(client, f"{URL}?subject_type=user&subject_id={users[Role.NGO].id}")
    assert "Zdarzenia: 60" in page
    page = html(client, f"{URL}?subject_type=user&subject_id=999999")
    assert "Żadne zdarzenie nie pasuje do tych filtrów." in page


@pytest.mark.parametrize(
    "query",
    ["action=nope", "date_from=wczoraj", "date_from=2026-06-02&date_to=2026-06-01"],
)
def test_bad_filters_are_explained(
    client, auth: AuthActions, users, many, query
) -> None:
    auth.login(users[Role.ADMIN])
    page = html(client, f"{URL}?{query}", status=422)
    assert 'aria-invalid="true"' in page


def test_the_form_is_a_get_form_with_labels(client, auth: AuthActions, users) -> None:
    auth.login(users[Role.ADMIN])
    page = html(client)
    assert '<form method="get" action="/audit/"' in page
    for name in (
        "action",
        "actor",
        "date_from",
        "date_to",
        "subject_type",
        "subject_id",
    ):
        assert f'<label for="{name}">' in page
    assert "Dziennik jest pusty." in page
