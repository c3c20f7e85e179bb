"""Errors under /api/ are JSON ``{"error", "message"}``, never HTML, never 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import API, SLUG, JsonClient, SmallProgramme


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/programmes/nope", ["nope"]),
        ("/programmes/nope/rounds", ["nope"]),
        ("/programmes/nope/rounds/1", ["nope"]),
        ("/programmes/nope/rounds/1/sections/cele", ["nope"]),
        (f"/programmes/{SLUG}/rounds/9", [SLUG, "9"]),
        (f"/programmes/{SLUG}/rounds/0", [SLUG, "0"]),
        (f"/programmes/{SLUG}/rounds/9/sections/cele", [SLUG, "9"]),
        (f"/programmes/{SLUG}/rounds/2/sections/nope", ["nope"]),
        (f"/programmes/{SLUG}/rounds/2/sections/usuniety", ["usuniety"]),
    ],
)
def test_unknown_things_are_json_404s_that_say_what(
    api: JsonClient, small: SmallProgramme, path: str, words: list[str]
) -> None:
    body = api.get(path, status=404)
    assert set(body) == {"error", "message"}
    assert body["error"] == "Not Found"
    for word in words:
        assert word in body["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/whatever",
        "/",
        "/programmes/",
        f"/programmes/{SLUG}/rounds/x",
        f"/programmes/{SLUG}/rounds/-1",
        f"/programmes/{SLUG}/rounds/1/sections/",
        f"/programmes/{SLUG}/rounds/1/sections/cele/lines",
    ],
)
def test_unknown_paths_are_json_404s(
    api: JsonClient, small: SmallProgramme, path: str
) -> None:
    assert api.get(path, status=404)["error"] == "Not Found"


def test_unknown_api_version_is_json(client: FlaskClient) -> None:
    response = client.get("/api/v2/programmes")
    assert response.status_code == 404
    assert response.content_type == "application/json"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "/programmes",
        f"/programmes/{SLUG}",
        f"/programmes/{SLUG}/rounds/2",
        "/openapi.json",
    ],
)
def test_writes_are_json_405s(
    client: FlaskClient, small: SmallProgramme, method: str, path: str
) -> None:
    response = getattr(client, method)(API + path, json={})
    assert response.status_code == 405
    assert response.content_type == "application/json"
    assert response.get_json()["error"] == "Method Not Allowed"


def test_405_says_which_methods_are_allowed(client: FlaskClient) -> None:
    response = client.post(f"{API}/programmes")
    assert response.status_code == 405
    assert "GET" in response.headers.get("Allow", "")
