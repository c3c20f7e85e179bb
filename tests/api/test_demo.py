"""The API over the demo: WPW 2012–2014, round 1 closed and round 2 published."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.api.conftest import API, JsonClient, Validate, response_schema
from wpw.api.openapi import openapi_document
from wpw.documents.models import Programme
from wpw.process.models import PhaseKind

SLUG = "wpw-2012-2014"


@pytest.fixture
def body(api: JsonClient, demo: Programme) -> dict[str, Any]:
    return api.get(f"/programmes/{SLUG}")


def test_demo_programme_is_listed(api: JsonClient, demo: Programme) -> None:
    [listed] = api.get("/programmes")["programmes"]
    assert (listed["slug"], listed["title"], listed["latest_round"]) == (
        SLUG,
        demo.title,
        2,
    )


def test_demo_rounds(body: dict[str, Any]) -> None:
    assert [(r["number"], r["title"], r["status"]) for r in body["rounds"]] == [
        (1, "Założenia programu", "closed"),
        (2, "Projekt programu", "published"),
    ]
    first, second = (r["published_at"] for r in body["rounds"])
    assert first < second


def test_demo_phases(body: dict[str, Any], demo: Programme) -> None:
    phases = body["phases"]
    assert len(phases) == len(demo.phases) == 7
    assert [p["round"] for p in phases if p["kind"] != PhaseKind.INFORMATION] == [
        None,
        None,
        1,
        1,
        2,
        2,
    ]
    for phase in phases:
        assert phase["starts_on"] <= phase["ends_on"]


def test_demo_sections_follow_round_2(body: dict[str, Any], demo: Programme) -> None:
    round_2 = demo.rounds[1]
    sections = body["sections"]
    in_round_2 = sections[: len(round_2.versions)]
    assert [s["key"] for s in in_round_2] == [v.section.key for v in round_2.versions]
    assert [s["position"] for s in in_round_2] == list(range(1, len(in_round_2) + 1))
    keys = {v.section.key for r in demo.rounds for v in r.versions}
    assert {s["key"] for s in sections} == keys
    for dropped in sections[len(round_2.versions) :]:
        assert dropped["rounds"] == [1] and dropped["number"] is None


def test_every_demo_section_reads_back_line_by_line(
    app: Flask, api: JsonClient, demo: Programme, validate: Validate
) -> None:
    document = openapi_document()
    for number in (1, 2):
        round_ = api.get(f"/programmes/{SLUG}/rounds/{number}")
        validate(round_, response_schema(app, document, round_["url"]))
        assert round_["sections"], number
        for entry in round_["sections"]:
            section = api.get(entry["url"])
            validate(section, response_schema(app, document, entry["url"]))
            lines = section["lines"]
            assert [line["number"] for line in lines] == list(range(1, len(lines) + 1))
            assert "\n".join(line["text"] for line in lines) == section["text"]
            assert section["line_count"] == entry["line_count"] == len(lines)
            for other in section["other_rounds"]:
                assert other["round"] != number
                assert other["url"].startswith(f"{API}/programmes/{SLUG}/rounds/")
