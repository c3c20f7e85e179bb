"""Reading pages: public rounds for everyone, the working round for the team only."""

import pytest

from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.auth.models import Role

TEXT = "Pierwszy wiersz\nDrugi wiersz\nTrzeci <b>wiersz</b>\nCzwarty\nPiąty"


@pytest.fixture
def programme(app, users):
    coordinator = users[Role.COORDINATOR]
    programme = make_programme("prog", "Program testowy")
    make_round(
        coordinator, programme, {"cele": TEXT, "zasady": "Zasada"}, title="Założenia"
    )
    make_round(coordinator, programme, {"cele": TEXT + "\nSzósty"}, title="Projekt")
    make_round(
        coordinator, programme, {"cele": "Tajny szkic"}, title="Robocza", publish=False
    )
    return programme


def test_section_page_numbers_lines_and_escapes(client, programme) -> None:
    page = client.get("/programmes/prog/rounds/1/sections/cele")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for n in range(1, 6):
        assert f'id="L{n}"' in html
    assert 'id="L6"' not in html
    assert "Trzeci &lt;b&gt;wiersz&lt;/b&gt;" in html and "<b>wiersz</b>" not in html


def test_line_range_highlight_without_javascript(client, programme) -> None:
    html = client.get("/programmes/prog/rounds/1/sections/cele?lines=2-3").get_data(
        as_text=True
    )
    assert html.count('class="hl"') == 2
    assert '<li id="L2" class="hl">' in html and '<li id="L4" class="hl">' not in html


@pytest.mark.parametrize("value", ["7-9", "0", "abc", "3-99"])
def test_line_range_outside_section_is_a_message(client, programme, value) -> None:
    page = client.get(f"/programmes/prog/rounds/1/sections/cele?lines={value}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'role="alert"' in html and 'class="hl"' not in html


@pytest.mark.parametrize(
    "url",
    [
        "/programmes/nope",
        "/programmes/prog/rounds/9",
        "/programmes/prog/rounds/1/sections/nope",
        "/programmes/prog/rounds/2/sections/zasady",  # removed in round 2
        "/programmes/prog/rounds/x",
        "/sectors/nope",
    ],
)
def test_unknown_things_are_404_pages(client, programme, url) -> None:
    page = client.get(url)
    assert page.status_code == 404
    assert "Nie ma takiej strony" in page.get_data(as_text=True)


WORKING = "/programmes/prog/rounds/3"


@pytest.mark.parametrize("role", list(Role))
def test_working_round_visible_only_to_the_team(client, auth, programme, role) -> None:
    user = make_user(role)
    auth.login(user)
    page = client.get(WORKING)
    section = client.get(WORKING + "/sections/cele")
    listing = client.get("/programmes/prog").get_data(as_text=True)
    if role in (Role.COORDINATOR, Role.ADMIN):
        assert page.status_code == 200 and section.status_code == 200
        assert "Tajny szkic" in section.get_data(as_text=True)
        assert "Robocza" in listing
    else:
        assert page.status_code == 404 and section.status_code == 404
        assert "Robocza" not in listing


def test_working_round_hidden_from_anonymous(client, programme) -> None:
    assert client.get(WORKING).status_code == 404
    assert "Robocza" not in client.get("/").get_data(as_text=True)


def test_round_page_shows_every_section_in_order(client, programme) -> None:
    html = client.get("/programmes/prog/rounds/1").get_data(as_text=True)
    assert html.index('id="cele-h"') < html.index('id="zasady-h"')
    assert 'id="cele-L5"' in html
