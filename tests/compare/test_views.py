"""The comparison page: public for published rounds, the working copy for the
team only, stable addresses, bad parameters, escaping, inline and side by side."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from tests.compare.conftest import build_round
from tests.conftest import AuthActions, make_user
from wpw.auth.models import Role, User
from wpw.compare import services
from wpw.documents.models import Programme
from wpw.text.diff import Op, TextDiff

URL = "/programmes/prog/compare"
ROUND_1 = [
    ("cele", "Cele", "Pierwszy wiersz.\nDrugi wiersz.\nTrzeci wiersz."),
    ("zasady", "Zasady", "Zasada jawności."),
    ("granty", "Małe granty", "Tryb pozakonkursowy."),
]
ROUND_2 = [
    ("cele", "Cele programu", "Pierwszy wiersz.\nDrugi wiersz, poprawiony.\nTrzeci."),
    ("zasady", "Zasady", "Zasada jawności."),
    ("nowy", "Nowy", "Nowy <script>alert(1)</script> paragraf."),
]
DRAFT = "TAJNY-SZKIC"


@pytest.fixture
def rounds(app, coordinator: User, programme: Programme) -> Programme:
    build_round(coordinator, programme, ROUND_1)
    build_round(coordinator, programme, ROUND_2)
    build_round(
        coordinator,
        programme,
        [("cele", "Cele", DRAFT), *ROUND_2[1:]],
        publish=False,
        title="Wersja robocza",
    )
    return programme


def html(client: FlaskClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_default_is_the_latest_two_public_rounds(client, rounds) -> None:
    page = html(client, URL)
    assert "<h1>Porównanie: runda 1 → runda 2</h1>" in page
    assert page.count("<h1") == 1
    permalink = (
        "http://localhost/programmes/prog/compare?from=1&amp;to=2&amp;mode=inline"
    )
    assert f'<a href="{permalink}">' in page
    assert DRAFT not in page and "Wersja robocza" not in page


def test_summary_counts_and_words(client, rounds) -> None:
    page = html(client, URL)
    totals = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page))
    assert totals == {
        "Zmieniony tekst": "1",
        "Dodane paragrafy": "1",
        "Usunięte paragrafy": "1",
        "Zmieniony tytuł": "1",
        "Przeniesione paragrafy": "0",
        "Paragrafy bez zmian": "1",
        "Dodane słowa": totals["Dodane słowa"],
        "Usunięte słowa": totals["Usunięte słowa"],
    }
    assert int(totals["Dodane słowa"]) > 0 and int(totals["Usunięte słowa"]) > 0
    assert "Brak różnic" not in page


def test_unchanged_sections_are_collapsed(client, rounds) -> None:
    page = html(client, URL)
    details = page.split('<details class="unchanged-group">', 1)[1].split("</details>")[
        0
    ]
    assert "Paragrafy bez zmian: 1" in details and "§ 2 Zasady" in details
    assert 'id="s-zasady"' not in page  # no section block of its own
    assert 'id="s-cele"' in page and 'id="s-granty"' in page and 'id="s-nowy"' in page


def test_inline_marks_insertions_and_deletions(client, rounds) -> None:
    page = html(client, f"{URL}?from=1&to=2&section=cele")
    assert re.search(r"<ins><span class=\"visually-hidden\"> początek wstawienia", page)
    assert re.search(r"<del><span class=\"visually-hidden\"> początek usunięcia", page)
    assert "koniec wstawienia" in page and "koniec usunięcia" in page
    assert "zmieniony tytuł" in page and "zmieniony tekst" in page
    assert "css/compare.css" in page
    # The legend's samples look like changes but are no <ins>/<del>.
    assert '<span class="sample-ins">podkreślony</span>' in page
    assert "<ins>podkreślony" not in page


def test_side_by_side_shows_both_line_numbers(client, rounds) -> None:
    page = html(client, f"{URL}?from=1&to=2&section=cele&mode=side")
    assert "<caption>" in page and page.count('<th scope="col"') == 4
    assert 'role="region"' in page and 'tabindex="0"' in page
    assert "/programmes/prog/rounds/1/sections/cele#L2" in page
    assert "/programmes/prog/rounds/2/sections/cele#L2" in page
    assert 'class="row-changed"' in page
    assert "Wiersz w rundzie 1" in page and "Wiersz w rundzie 2" in page


def test_side_by_side_of_the_whole_programme(client, rounds) -> None:
    page = html(client, f"{URL}?mode=side")
    assert page.count('<table class="sbs">') == 3  # cele, granty, nowy
    assert 'class="row-inserted"' in page and 'class="row-deleted"' in page
    assert "brak wiersza" in page


def test_section_text_is_escaped(client, rounds) -> None:
    for mode in ("inline", "side"):
        page = html(client, f"{URL}?section=nowy&mode={mode}")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>alert" not in page


def test_reverse_order(client, rounds) -> None:
    page = html(client, f"{URL}?from=2&to=1")
    assert "<h1>Porównanie: runda 2 → runda 1</h1>" in page
    assert "odwrotnej kolejności" in page
    assert "from=2&amp;to=1" in page


def test_same_round_says_no_differences(client, rounds) -> None:
    page = html(client, f"{URL}?from=2&to=2")
    assert '<p class="no-diff">Brak różnic</p>' in page
    assert "Paragrafy bez zmian: 3" in page
    assert 'class="compare-section"' not in page


def test_permalink_of_one_section(client, rounds) -> None:
    page = html(client, f"{URL}?to=2&section=granty&mode=side")
    assert "§ 3 Małe granty: runda 1 → runda 2" in page  # named as last seen
    link = "http://localhost/programmes/prog/compare?from=1&amp;to=2&amp;section=granty&amp;mode=side"
    assert f'<a href="{link}">' in page
    assert '<option value="granty" selected>' in page
    assert (
        '<input type="radio" id="mode-side" name="mode" value="side" checked>' in page
    )
    # The links between views keep the pair and the section.
    assert (
        'href="/programmes/prog/compare?from=1&amp;to=2&amp;section=granty&amp;mode=inline"'
        in page
    )


def test_fallback_is_explained(client, rounds, monkeypatch) -> None:
    def paragraph_diff(old: str, new: str, *, timeout: float) -> TextDiff:
        return TextDiff((Op("delete", old), Op("insert", new)), 1, 1, True)

    monkeypatch.setattr(services, "diff_text", paragraph_diff)
    page = html(client, f"{URL}?section=cele")
    assert "porównano akapitami" in page


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("from=abc", 400),
        ("to=abc", 400),
        ("from=0", 400),
        ("from=-1", 400),
        ("mode=wide", 400),
        ("from=99", 404),
        ("to=99", 404),
        ("section=nope", 404),
        ("from=2&to=2&section=granty", 404),  # only in round 1
        ("from=3", 404),  # the working copy, for the public
        ("from=2&to=3", 404),
    ],
)
def test_bad_parameters(client, rounds, query: str, status: int) -> None:
    page = html(client, f"{URL}?{query}", status)
    if status == 404:
        assert "Nie ma takiej strony" in page
    assert DRAFT not in page


def test_unknown_programme(client, rounds) -> None:
    assert "Nie ma takiej strony" in html(client, "/programmes/nope/compare", 404)


def test_programme_without_public_round(client, coordinator, programme) -> None:
    build_round(coordinator, programme, ROUND_1, publish=False)
    html(client, URL, 404)


@pytest.mark.parametrize("role", list(Role))
def test_working_copy_only_for_the_team(
    client: FlaskClient, auth: AuthActions, rounds, role: Role
) -> None:
    auth.login(make_user(role))
    url = f"{URL}?to=3&section=cele"
    public = html(client, URL)
    if role in (Role.COORDINATOR, Role.ADMIN):
        page = html(client, url)
        assert "runda 2 → runda 3" in page  # from its base by default
        assert DRAFT in page and "wersję roboczą" in page
        assert "(wersja robocza)</option>" in public
    else:
        html(client, url, 404)
        assert "wersja robocza" not in public


def test_working_copy_hidden_from_anonymous(client, rounds) -> None:
    html(client, f"{URL}?to=3", 404)
    html(client, f"{URL}?from=3&to=2", 404)


def test_the_form_works_without_javascript(client, rounds) -> None:
    page = html(client, f"{URL}?from=2&to=1&section=cele&mode=side")
    form = page.split('<form class="compare-form"', 1)[1].split("</form>")[0]
    assert 'method="get" action="/programmes/prog/compare"' in form
    for name in ("from", "to", "section", "mode"):
        assert f'name="{name}"' in form
    assert re.search(
        r'<select id="compare-from" name="from">\s*<option value="1">', form
    )
    assert '<option value="2" selected>' in form
