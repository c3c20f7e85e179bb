"""GET /programmes/<slug>/rounds/<n>: a public round and its table of contents."""

from __future__ import annotations

from tests.api.conftest import API, SLUG, JsonClient, SmallProgramme

ROUND_URL = f"{API}/programmes/{SLUG}/rounds"


def test_round_with_its_sections_in_reading_order(
    api: JsonClient, small: SmallProgramme
) -> None:
    body = api.get(f"/programmes/{SLUG}/rounds/2")
    assert (body["number"], body["title"], body["status"], body["message"]) == (
        2,
        "Projekt",
        "published",
        "Druga runda.",
    )
    assert body["url"] == f"{ROUND_URL}/2"
    assert body["html_url"] == f"http://localhost/programmes/{SLUG}/rounds/2"
    assert body["programme"] == {
        "slug": SLUG,
        "title": "Program testowy",
        "url": f"{API}/programmes/{SLUG}",
    }
    assert [
        (s["key"], s["number"], s["title"], s["position"], s["line_count"])
        for s in body["sections"]
    ] == [
        ("formy", "§ 1", "Formy współpracy", 1, 2),
        ("cele", "§ 2", "Cele programu", 2, 4),
        ("nowy", "§ 3", "Nowy", 3, 1),
        ("pusty", "§ 4", "Pusty", 4, 0),
    ]
    assert body["sections"][1]["url"] == f"{ROUND_URL}/2/sections/cele"
    assert body["sections"][1]["html_url"] == (
        f"http://localhost/programmes/{SLUG}/rounds/2/sections/cele"
    )


def test_closed_round_keeps_its_own_text_and_order(
    api: JsonClient, small: SmallProgramme
) -> None:
    body = api.get(f"/programmes/{SLUG}/rounds/1")
    assert body["status"] == "closed"
    assert [(s["key"], s["number"]) for s in body["sections"]] == [
        ("cele", "§ 1"),
        ("formy", "§ 2"),
        ("usuniety", "§ 3"),
    ]


def test_round_summary_is_part_of_the_round(
    api: JsonClient, small: SmallProgramme
) -> None:
    summary = api.get(f"/programmes/{SLUG}/rounds")["rounds"][0]
    detail = api.get(summary["url"])
    assert {k: detail[k] for k in summary} == summary
