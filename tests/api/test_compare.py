"""GET /programmes/<slug>/compare?from=&to=[&section=]: two public rounds compared.

Uses the small programme of :mod:`tests.api.conftest`: round 2 moves "formy" to
the top, renames and changes "cele", drops "usuniety" and adds "nowy" and "pusty".
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.api.conftest import (
    API,
    DRAFT_MARKER,
    SLUG,
    JsonClient,
    SmallProgramme,
    Validate,
    response_schema,
    schema_ref,
)
from tests.conftest import AuthActions
from wpw.api.openapi import openapi_document
from wpw.compare import services

COMPARE = f"/programmes/{SLUG}/compare"


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    services.clear_cache()
    yield
    services.clear_cache()


@pytest.fixture
def schema(app: Flask) -> dict:
    # The query string is not part of the route: look the schema up without it.
    return response_schema(app, openapi_document(), API + COMPARE)


def by_key(body: dict) -> dict[str, dict]:
    return {s["key"]: s for s in body["sections"]}


def test_round_1_to_2(
    api: JsonClient, small: SmallProgramme, validate: Validate, schema: dict
) -> None:
    body = api.get(f"{COMPARE}?from=1&to=2")
    validate(body, schema)
    assert (body["programme"], body["from"], body["to"], body["section"]) == (
        SLUG,
        1,
        2,
        None,
    )
    assert body["html_url"] == f"http://localhost{COMPARE}?from=1&to=2"
    assert [(s["key"], s["statuses"]) for s in body["sections"]] == [
        ("formy", ["renamed", "moved"]),
        ("usuniety", ["removed"]),  # it followed "formy" in round 1
        ("cele", ["changed", "renamed"]),
        ("nowy", ["added"]),
        ("pusty", ["added"]),
    ]
    assert body["totals"] == {
        "added": 2,
        "removed": 1,
        "changed": 1,
        "renamed": 2,
        "moved": 1,
        "unchanged": 0,
        "words_added": 1 + 2,  # "poprawiony" in cele; "Nowy paragraf"
        "words_removed": 2,  # "Do usunięcia"
    }


def test_sections_carry_both_sides_and_the_diff(
    api: JsonClient, small: SmallProgramme
) -> None:
    sections = by_key(api.get(f"{COMPARE}?from=1&to=2"))
    cele = sections["cele"]
    assert cele["from"] == {"number": "§ 1", "title": "Cele", "position": 1}
    assert cele["to"] == {"number": "§ 2", "title": "Cele programu", "position": 2}
    assert {"op": "insert", "text": ", poprawiony"} in cele["diff"]
    assert "".join(op["text"] for op in cele["diff"] if op["op"] != "insert") == (
        small.rounds[1].versions[0].text
    )
    assert (cele["words_added"], cele["words_removed"], cele["fallback"]) == (
        1,
        0,
        False,
    )
    assert sections["nowy"]["from"] is None
    assert sections["nowy"]["diff"] == [{"op": "insert", "text": "Nowy paragraf."}]
    assert sections["usuniety"]["to"] is None
    assert sections["usuniety"]["diff"] == [{"op": "delete", "text": "Do usunięcia."}]
    # The same text on both sides: no diff at all.
    assert sections["formy"]["diff"] == [] and sections["pusty"]["diff"] == []


def test_reverse(api: JsonClient, small: SmallProgramme) -> None:
    forward = api.get(f"{COMPARE}?from=1&to=2")
    reverse = api.get(f"{COMPARE}?from=2&to=1")
    assert (reverse["from"], reverse["to"]) == (2, 1)
    statuses = {k: s["statuses"] for k, s in by_key(reverse).items()}
    assert statuses["usuniety"] == ["added"] and statuses["nowy"] == ["removed"]
    assert reverse["totals"]["words_added"] == forward["totals"]["words_removed"]
    assert reverse["totals"]["words_removed"] == forward["totals"]["words_added"]


def test_same_round(api: JsonClient, small: SmallProgramme) -> None:
    body = api.get(f"{COMPARE}?from=2&to=2")
    assert all(s["statuses"] == ["unchanged"] for s in body["sections"])
    assert all(s["diff"] == [] for s in body["sections"])
    assert body["totals"]["unchanged"] == 4
    assert body["totals"]["words_added"] == body["totals"]["words_removed"] == 0


def test_one_section(
    api: JsonClient, small: SmallProgramme, validate: Validate, schema: dict
) -> None:
    body = api.get(f"{COMPARE}?from=1&to=2&section=formy")
    validate(body, schema)
    assert body["section"] == "formy"
    [formy] = body["sections"]
    assert formy["statuses"] == ["renamed", "moved"] and formy["diff"] == []
    assert body["totals"]["moved"] == 1 and body["totals"]["renamed"] == 1
    assert body["html_url"].endswith("?from=1&to=2&section=formy")


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("", "from"),
        ("from=1", "to"),
        ("to=2", "from"),
        ("from=abc&to=2", "abc"),
        ("from=1&to=0", "to"),
        ("from=1&to=-2", "to"),
        ("from=&to=2", "from"),
    ],
)
def test_missing_or_invalid_rounds_are_400(
    api: JsonClient, small: SmallProgramme, validate: Validate, query, mentions
) -> None:
    body = api.get(f"{COMPARE}?{query}", status=400)
    validate(body, schema_ref("Error"))
    assert body["error"] == "Bad Request" and mentions in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/programmes/nope/compare?from=1&to=2",
        f"{COMPARE}?from=1&to=9",
        f"{COMPARE}?from=1&to=2&section=nope",
        f"{COMPARE}?from=2&to=2&section=usuniety",  # only in round 1
    ],
)
def test_unknown_is_404(
    api: JsonClient, small: SmallProgramme, validate: Validate, path: str
) -> None:
    validate(api.get(path, status=404), schema_ref("Error"))


@pytest.mark.parametrize(
    "query", ["from=2&to=3", "from=3&to=2", "from=3&to=3", "from=2&to=3&section=szkic"]
)
def test_working_round_is_404_even_for_the_team(
    api: JsonClient, auth: AuthActions, small: SmallProgramme, query: str
) -> None:
    body = api.get(f"{COMPARE}?{query}", status=404)
    assert DRAFT_MARKER not in str(body)
    assert body == {
        **body,
        "message": api.get(f"{COMPARE}?{query.replace('3', '4')}", status=404)[
            "message"
        ].replace("4", "3"),
    }
    assert auth.login(small.coordinator).status_code == 302
    assert DRAFT_MARKER not in str(api.get(f"{COMPARE}?{query}", status=404))


def test_a_round_links_to_its_comparison(
    api: JsonClient, small: SmallProgramme, validate: Validate, schema: dict
) -> None:
    assert api.get(f"/programmes/{SLUG}/rounds/1")["compare_url"] is None
    url = api.get(f"/programmes/{SLUG}/rounds/2")["compare_url"]
    assert url == f"{API}{COMPARE}?from=1&to=2"
    validate(api.get(url), schema)


def test_the_html_page_matches(api: JsonClient, small: SmallProgramme) -> None:
    body = api.get(f"{COMPARE}?from=1&to=2&section=cele")
    page = api.client.get(body["html_url"])
    assert page.status_code == 200
    assert "Cele programu: runda 1 → runda 2" in page.get_data(as_text=True)


def test_operation_is_documented() -> None:
    operation = openapi_document()["paths"]["/programmes/{slug}/compare"]["get"]
    assert operation["operationId"] == "compare_rounds"
    names = [p["$ref"].rsplit("/", 1)[1] for p in operation["parameters"]]
    assert names == ["slug", "from", "to", "section"]
    assert set(operation["responses"]) == {"200", "400", "404", "default"}
