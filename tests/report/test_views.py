"""The public report page, its index, filters and errors."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import AuthActions, make_user
from tests.report.conftest import (
    DRAFT_MARKER,
    HIDDEN_BODY,
    HIDDEN_WORDING,
    SLUG,
    Consulted,
)
from wpw.auth.models import Role
from wpw.report import views

URL = f"/programmes/{SLUG}/report"


def _page(client: FlaskClient, query: str = "", status: int = 200) -> str:
    response = client.get(f"{URL}{query}")
    assert response.status_code == status, query
    return response.get_data(as_text=True)


def test_page_lists_the_rows_with_decisions(
    client: FlaskClient, consulted: Consulted
) -> None:
    html = _page(client, "?round=1")
    assert "<h1>Zestawienie uwag wraz z uzasadnieniem</h1>" in html
    for name in ("change", "comment", "question", "partial", "hidden", "withdrawn"):
        assert f'id="u{consulted.notes[name].id}"' in html
    assert f'id="u{consulted.notes["reply"].id}"' not in html
    for text in (
        "Zmiana wzmacnia zasadę partnerstwa.",
        "uwzględniona częściowo",
        "Formy finansowe i granty.",
        "wycofana przez autora",
        "bez rozstrzygnięcia",
        "usunięte",
        "Brzmienie w rundzie 2",
        "Opinia eksperta (pytanie)",
        "Stowarzyszenie Ślęża",
    ):
        assert text in html, text


def test_page_hides_what_must_not_be_shown(
    client: FlaskClient, consulted: Consulted
) -> None:
    html = _page(client, "?round=1")
    assert HIDDEN_BODY not in html and HIDDEN_WORDING not in html
    assert "Ukryta przez moderatora: Narusza regulamin." in html
    assert "Ukryty Autor" not in html
    assert "ODPOWIEDŹ-W-WĄTKU" not in html
    assert DRAFT_MARKER not in html


def test_summary_tables_have_captions(
    client: FlaskClient, consulted: Consulted
) -> None:
    html = _page(client, "?round=1")
    assert "<caption>Uwagi według rozstrzygnięcia</caption>" in html
    assert "Uwagi według podzespołów i rozstrzygnięć</caption>" in html
    assert '<tfoot><tr><th scope="row">Razem</th><td class="num">6</td>' in html


def test_default_round_and_filters_as_get_form(
    client: FlaskClient, consulted: Consulted
) -> None:
    html = _page(client)
    assert '<option value="2" selected>' in html  # latest public round with notes
    assert f'id="u{consulted.notes["later"].id}"' in html
    assert 'method="get"' in html and 'name="sector"' in html
    assert '<option value="3"' not in html  # never the working copy
    html = _page(client, "?round=1&sector=edukacja")
    assert f'id="u{consulted.notes["partial"].id}"' in html
    assert f'id="u{consulted.notes["change"].id}"' not in html
    assert '<option value="edukacja" selected>' in html
    assert f"{URL}.csv?round=1&amp;sector=edukacja" in html


def test_print_stylesheet_is_linked(client: FlaskClient, consulted: Consulted) -> None:
    html = _page(client, "?round=1")
    assert "css/report.css" in html
    assert "<thead>" in html


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?round=3", 404),  # the working copy
        ("?round=9", 404),
        ("?round=abc", 400),
        ("?round=0", 400),
        ("?round=1&sector=nie-ma", 404),
        ("?round=1&page=2", 404),
        ("?round=1&page=x", 400),
    ],
)
def test_errors(
    client: FlaskClient, consulted: Consulted, query: str, status: int
) -> None:
    html = _page(client, query, status)
    assert DRAFT_MARKER not in html


def test_unknown_programme(client: FlaskClient, consulted: Consulted) -> None:
    assert client.get("/programmes/nie-ma/report").status_code == 404
    assert client.get("/programmes/nie-ma/report.csv").status_code == 404
    assert client.get(f"{URL}.pdf?round=1").status_code == 404
    assert client.get(f"{URL}.csv?round=3").status_code == 404


@pytest.mark.parametrize("role", [None, *Role])
def test_everyone_sees_the_same_public_report(
    client: FlaskClient, auth: AuthActions, consulted: Consulted, role: Role | None
) -> None:
    """Public for every role; the working copy stays hidden even for the team."""
    if role is not None:
        auth.login(make_user(role))
    html = _page(client, "?round=1")
    assert HIDDEN_BODY not in html
    assert f'id="u{consulted.notes["change"].id}"' in html
    _page(client, "?round=3", 404)
    assert client.get(f"{URL}.csv?round=3").status_code == 404


def test_pages_of_rows(
    client: FlaskClient, consulted: Consulted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 4)
    first = _page(client, "?round=1")
    second = _page(client, "?round=1&page=2")
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert first.count('<tr id="u') == 4 and second.count('<tr id="u') == 2
    assert '<td class="num">6</td>' in second  # the summary covers every row


def test_index_links_every_public_round(
    client: FlaskClient, consulted: Consulted
) -> None:
    response = client.get("/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f"{URL}?round=1" in html and f"{URL}?round=2" in html
    assert f"{URL}?round=3" not in html
    assert "6 uwag" in html


def test_linked_from_home_programme_and_nav(
    client: FlaskClient, consulted: Consulted
) -> None:
    assert 'href="/report"' in client.get("/").get_data(as_text=True)
    programme = client.get(f"/programmes/{SLUG}").get_data(as_text=True)
    assert f'href="{URL}"' in programme
