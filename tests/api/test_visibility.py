"""A working round is never visible through the API, not even to the team."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from tests.api.conftest import API, DRAFT_MARKER, SLUG, JsonClient, SmallProgramme
from tests.conftest import AuthActions

WORKING = [
    f"/programmes/{SLUG}/rounds/3",
    f"/programmes/{SLUG}/rounds/3/sections/cele",
    f"/programmes/{SLUG}/rounds/3/sections/szkic",
    f"/programmes/{SLUG}/rounds/2/sections/szkic",
]


@pytest.mark.parametrize("path", WORKING)
def test_working_round_is_404(
    api: JsonClient, small: SmallProgramme, path: str
) -> None:
    body = api.get(path, status=404)
    assert DRAFT_MARKER not in str(body)


@pytest.mark.parametrize("path", WORKING)
def test_working_round_is_404_for_a_signed_in_coordinator(
    api: JsonClient, auth: AuthActions, small: SmallProgramme, path: str
) -> None:
    assert auth.login(small.coordinator).status_code == 302
    assert api.client.get(f"/programmes/{SLUG}/rounds/3").status_code == 200  # HTML
    api.get(path, status=404)


def test_working_round_reads_like_a_missing_one(
    api: JsonClient, small: SmallProgramme
) -> None:
    working = api.get(f"/programmes/{SLUG}/rounds/3", status=404)
    missing = api.get(f"/programmes/{SLUG}/rounds/4", status=404)
    assert working["error"] == missing["error"] == "Not Found"
    assert working["message"] == missing["message"].replace("4", "3")


def _crawl(client: FlaskClient, start: str) -> Iterator[tuple[str, str]]:
    """Every API resource reachable from *start* by its ``url`` fields."""
    seen, queue = set(), [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        yield url, text
        queue.extend(re.findall(rf'"({re.escape(API)}/programmes[^"]*)"', text))


def test_no_resource_mentions_the_working_round(
    client: FlaskClient, small: SmallProgramme
) -> None:
    pages = dict(_crawl(client, f"{API}/programmes"))
    assert f"{API}/programmes/{SLUG}/rounds/2/sections/pusty" in pages  # it crawled
    # list, programme, rounds, round 1 and its sections, round 2 and its
    # sections, round 2 compared with round 1, the annotations of rounds 1 and
    # 2 (collection and page each), and the reports of rounds 1 and 2
    assert len(pages) == 2 + 1 + 2 + 3 + 4 + 1 + 2 * 2 + 2
    for url, text in pages.items():
        assert DRAFT_MARKER not in text, url
        assert "Wersja robocza" not in text, url
        assert "/rounds/3" not in text, url
