"""GET /programmes/<slug>/rounds/<n>/sections/<key>: one version, line by line."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import (
    API,
    CELE_1,
    CELE_2,
    SLUG,
    JsonClient,
    SmallProgramme,
)

ROUND_URL = f"{API}/programmes/{SLUG}/rounds"


def test_section_version_in_full(api: JsonClient, small: SmallProgramme) -> None:
    body = api.get(f"/programmes/{SLUG}/rounds/2/sections/formy")
    assert body == {
        "key": "formy",
        "number": "§ 1",
        "title": "Formy współpracy",
        "position": 1,
        "round": 2,
        "round_url": f"{ROUND_URL}/2",
        "programme": {
            "slug": SLUG,
            "title": "Program testowy",
            "url": f"{API}/programmes/{SLUG}",
        },
        "text": "Formy finansowe.\nFormy pozafinansowe.",
        "line_count": 2,
        "lines": [
            {"number": 1, "text": "Formy finansowe."},
            {"number": 2, "text": "Formy pozafinansowe."},
        ],
        "sectors": [
            {"slug": "edukacja", "name": "Edukacja", "name_en": "Education"},
            {"slug": "kultura", "name": "Kultura", "name_en": "Culture"},
        ],
        "url": f"{ROUND_URL}/2/sections/formy",
        "html_url": f"http://localhost/programmes/{SLUG}/rounds/2/sections/formy",
        "other_rounds": [
            {
                "round": 1,
                "number": "§ 2",
                "title": "Formy",
                "url": f"{ROUND_URL}/1/sections/formy",
                "html_url": f"http://localhost/programmes/{SLUG}/rounds/1/sections/formy",
            }
        ],
    }


@pytest.mark.parametrize(
    ("number", "key", "text"),
    [
        (1, "cele", CELE_1),
        (2, "cele", CELE_2),
        (2, "nowy", "Nowy paragraf."),
        (2, "pusty", ""),
    ],
)
def test_lines_are_numbered_from_1_and_join_back_into_the_text(
    api: JsonClient, small: SmallProgramme, number: int, key: str, text: str
) -> None:
    body = api.get(f"/programmes/{SLUG}/rounds/{number}/sections/{key}")
    assert body["text"] == text
    numbers = [line["number"] for line in body["lines"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert body["line_count"] == len(numbers)
    assert "\n".join(line["text"] for line in body["lines"]) == text


def test_an_empty_line_keeps_its_number(api: JsonClient, small: SmallProgramme) -> None:
    lines = api.get(f"/programmes/{SLUG}/rounds/1/sections/cele")["lines"]
    assert lines[2] == {"number": 3, "text": ""}
    assert lines[3] == {"number": 4, "text": "Czwarty, po pustym."}


def test_other_rounds_link_both_ways_and_skip_the_working_round(
    api: JsonClient, small: SmallProgramme
) -> None:
    old = api.get(f"/programmes/{SLUG}/rounds/1/sections/cele")
    new = api.get(f"/programmes/{SLUG}/rounds/2/sections/cele")
    assert [(o["round"], o["number"], o["title"]) for o in old["other_rounds"]] == [
        (2, "§ 2", "Cele programu")
    ]
    assert old["other_rounds"][0]["url"] == new["url"]
    assert [o["url"] for o in new["other_rounds"]] == [old["url"]]


def test_a_section_in_one_round_has_no_other_rounds(
    api: JsonClient, small: SmallProgramme
) -> None:
    assert api.get(f"/programmes/{SLUG}/rounds/2/sections/nowy")["other_rounds"] == []


def test_html_url_is_the_reading_page(
    api: JsonClient, client: FlaskClient, small: SmallProgramme
) -> None:
    body = api.get(f"/programmes/{SLUG}/rounds/2/sections/cele")
    assert (
        body["html_url"] == f"http://localhost/programmes/{SLUG}/rounds/2/sections/cele"
    )
    page = client.get(body["html_url"])
    assert page.status_code == 200
    assert page.content_type.startswith("text/html")
