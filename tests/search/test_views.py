"""The search page: public, works without JavaScript, every filter in the URL."""

from __future__ import annotations

from html import unescape

import pytest

from tests.api.conftest import DRAFT_MARKER, HIDDEN_TEXT, SLUG, Annotated
from tests.conftest import make_user
from tests.search.helpers import annotate, version_of
from wpw.auth.models import Role


def _page(client, query: str = "", status: int = 200) -> str:
    response = client.get("/search" + query)
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_empty_page_shows_the_form(client, app) -> None:
    html = _page(client)
    assert '<form method="get"' in html and 'name="q"' in html
    assert "wynik" not in html  # nothing searched yet
    assert 'href="/search"' in _page(client)  # the navigation link


def test_results_link_to_their_lines_with_highlights(client, annotated) -> None:
    html = _page(client, "?q=jaśniej")
    section = f"/programmes/{SLUG}/rounds/2/sections/cele"
    assert f'href="{section}?lines=2-2#L2"' in html
    assert "<mark>Jaśniej</mark>" in html
    thread = f'href="/annotations/{annotated.change.id}"'
    assert thread in html


def test_user_text_is_escaped(client, annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    annotate(annotated.author, cele, '<img src=x onerror="alert(1)"> uchwała')
    html = _page(client, "?q=uchwała")
    assert "<img" not in html
    assert "&lt;img" in html
    assert _page(client, "?q=%3Cscript%3E").count("<script>") == 0


@pytest.mark.parametrize(
    "query",
    ["AND OR (", '"', "x" * 2000, "a\x00\x01b", "((", "NOT", "*", "%", "\\"],
)
def test_malformed_queries_get_a_message_not_an_error(client, annotated, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "<h1>" in response.get_data(as_text=True)


def test_bad_parameters_are_ignored_with_a_message(client, annotated) -> None:
    html = _page(client, "?q=dobry&from=wczoraj&sort=bogus&page=-4&round=%00")
    assert "nie jest datą" in unescape(html)


def test_facets_are_links_with_counts(client, annotated: Annotated) -> None:
    html = _page(client, "?q=")
    assert '<a href="/search?kind=comment">Uwaga</a> (2)' in html
    chosen = _page(client, "?kind=comment")
    assert "2 wynik" in chosen
    # the chosen value links to its removal, and the form keeps it
    assert '<a href="/search" aria-current="true">' in chosen
    assert '<input type="hidden" name="kind" value="comment">' in chosen
    both = _page(client, "?kind=comment&kind=question")
    assert "3 wynik" in both


def test_date_range_and_sort_in_the_url(client, annotated) -> None:
    html = _page(client, "?q=&from=2000-01-01&to=2000-12-31&sort=newest")
    assert "Nic nie znaleziono" in html
    assert 'value="2000-01-01"' in html


def test_pagination_links(client, annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    from wpw.extensions import db

    for n in range(22):
        annotate(annotated.author, cele, f"Wpis seryjny {n}", commit=False)
    db.session.commit()
    html = _page(client, "?q=seryjny")
    assert 'href="/search?q=seryjny&amp;page=2" rel="next"' in html
    second = _page(client, "?q=seryjny&page=2")
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_hidden_items_only_for_the_team(client, auth, annotated: Annotated) -> None:
    assert "0 wynik" in _page(client, f"?q={HIDDEN_TEXT}")
    assert "0 wynik" in _page(client, f"?q={HIDDEN_TEXT}&hidden=1")
    auth.login(make_user(Role.NGO))
    html = _page(client, f"?q={HIDDEN_TEXT}&hidden=1")
    assert 'name="hidden"' not in html and "0 wynik" in html
    auth.logout()
    auth.login(annotated.small.coordinator)
    html = _page(client, f"?q={HIDDEN_TEXT}")
    assert 'name="hidden"' in html and "0 wynik" in html
    html = _page(client, f"?q={HIDDEN_TEXT}&hidden=1")
    assert "1 wynik " in html and "ukryta przez moderację" in html


@pytest.mark.parametrize("role", [None, Role.CITIZEN, Role.COORDINATOR])
def test_working_copy_never_shown(client, auth, annotated, role) -> None:
    if role:
        auth.login(
            annotated.small.coordinator if role is Role.COORDINATOR else make_user(role)
        )
    extra = "&hidden=1" if role is Role.COORDINATOR else ""
    assert "0 wynik" in _page(client, f"?q={DRAFT_MARKER}{extra}")
