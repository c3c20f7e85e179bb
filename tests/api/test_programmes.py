"""GET /programmes, /programmes/<slug> and /programmes/<slug>/rounds."""

from __future__ import annotations

from datetime import datetime

from tests.api.conftest import API, SLUG, JsonClient, SmallProgramme
from wpw.documents.models import Programme
from wpw.extensions import db

PROGRAMME_URL = f"{API}/programmes/{SLUG}"


def test_list_names_every_programme_with_its_links(
    api: JsonClient, small: SmallProgramme
) -> None:
    body = api.get("/programmes")
    assert body == {
        "programmes": [
            {
                "slug": SLUG,
                "title": "Program testowy",
                "description": "Opis.",
                "latest_round": 2,
                "url": PROGRAMME_URL,
                "html_url": f"http://localhost/programmes/{SLUG}",
                "rounds_url": f"{PROGRAMME_URL}/rounds",
                "search_url": f"http://localhost/api/v1/search?programme={SLUG}",
            }
        ]
    }


def test_list_is_empty_without_programmes(api: JsonClient) -> None:
    assert api.get("/programmes") == {"programmes": []}


def test_programme_lists_public_rounds_only(
    api: JsonClient, small: SmallProgramme
) -> None:
    rounds = api.get(f"/programmes/{SLUG}")["rounds"]
    assert [(r["number"], r["title"], r["status"]) for r in rounds] == [
        (1, "Założenia", "closed"),
        (2, "Projekt", "published"),
    ]
    assert rounds[1]["url"] == f"{PROGRAMME_URL}/rounds/2"
    assert rounds[1]["html_url"] == f"http://localhost/programmes/{SLUG}/rounds/2"


def test_published_at_is_iso_8601_in_utc(
    api: JsonClient, small: SmallProgramme
) -> None:
    rounds = api.get(f"/programmes/{SLUG}")["rounds"]
    for entry, round_ in zip(rounds, (small.rounds[1], small.rounds[2]), strict=True):
        assert entry["published_at"].endswith("Z")
        parsed = datetime.fromisoformat(entry["published_at"])
        assert parsed.utcoffset().total_seconds() == 0
        assert parsed == round_.published_at.replace(microsecond=0)
    assert rounds[0]["published_at"] <= rounds[1]["published_at"]


def test_programme_sections_follow_the_latest_public_round(
    api: JsonClient, small: SmallProgramme
) -> None:
    sections = api.get(f"/programmes/{SLUG}")["sections"]
    assert [
        (s["key"], s["number"], s["title"], s["position"], s["rounds"])
        for s in sections
    ] == [
        ("formy", "§ 1", "Formy współpracy", 1, [1, 2]),
        ("cele", "§ 2", "Cele programu", 2, [1, 2]),
        ("nowy", "§ 3", "Nowy", 3, [2]),
        ("pusty", "§ 4", "Pusty", 4, [2]),
        # dropped by round 2: no current number, linked to its last round
        ("usuniety", None, None, None, [1]),
    ]
    by_key = {s["key"]: s for s in sections}
    assert by_key["formy"]["sectors"] == ["edukacja", "kultura"]
    assert by_key["cele"]["sectors"] == []
    assert by_key["cele"]["url"] == f"{PROGRAMME_URL}/rounds/2/sections/cele"
    assert by_key["usuniety"]["url"] == f"{PROGRAMME_URL}/rounds/1/sections/usuniety"


def test_programme_phases_with_dates_and_public_rounds(
    api: JsonClient, small: SmallProgramme
) -> None:
    phases = api.get(f"/programmes/{SLUG}")["phases"]
    assert phases[0] == {
        "kind": "meeting",
        "name": "Etap 1",
        "name_en": "Phase 1",
        "description": "",
        "participants": "",
        "starts_on": "2011-06-01",
        "ends_on": "2011-07-01",
        "round": None,
    }
    assert [p["kind"] for p in phases] == ["meeting", "consultation", "drafting"]
    # the drafting phase's round 3 is a working copy, so it is not named
    assert [p["round"] for p in phases] == [None, 2, None]


def test_programme_repeats_its_summary(api: JsonClient, small: SmallProgramme) -> None:
    summary = api.get("/programmes")["programmes"][0]
    detail = api.get(f"/programmes/{SLUG}")
    assert {k: detail[k] for k in summary} == summary


def test_programme_without_public_rounds(
    api: JsonClient, small: SmallProgramme
) -> None:
    db.session.add(Programme(slug="pusty", title="Pusty"))
    db.session.commit()
    body = api.get("/programmes/pusty")
    assert (body["latest_round"], body["rounds"], body["sections"]) == (None, [], [])
    assert api.get("/programmes/pusty/rounds") == {"rounds": []}
    assert [p["slug"] for p in api.get("/programmes")["programmes"]] == [
        "pusty",
        SLUG,
    ]


def test_rounds_list_matches_the_programme(
    api: JsonClient, small: SmallProgramme
) -> None:
    listed = api.get(f"/programmes/{SLUG}/rounds")
    assert listed == {"rounds": api.get(f"/programmes/{SLUG}")["rounds"]}
    assert [r["number"] for r in listed["rounds"]] == [1, 2]
