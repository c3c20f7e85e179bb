"""GET /api/v1/programmes/<slug>/report, validated against the OpenAPI document."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.api.conftest import API, JsonClient, Validate, response_schema, schema_ref
from tests.report.conftest import DRAFT_MARKER, HIDDEN_BODY, SLUG, Consulted
from wpw.api.openapi import openapi_document
from wpw.report import services

PATH = f"/programmes/{SLUG}/report"


def test_report_json_matches_the_rows_and_the_schema(
    app: Flask, api: JsonClient, consulted: Consulted, validate: Validate
) -> None:
    body = api.get(f"{PATH}?round=1")
    validate(body, response_schema(app, openapi_document(), f"{API}{PATH}?round=1"))
    report = services.build_report(consulted.rounds[1])
    assert [row["id"] for row in body["rows"]] == [row.id for row in report.rows]
    assert (body["round"], body["next_round"], body["sector"]) == (1, 2, None)
    assert body["summary"]["total"] == 6
    assert body["summary"]["decisions"]["partial"] == 1
    assert body["downloads"]["csv"].endswith(f"{PATH}.csv?round=1")
    rows = {row["id"]: row for row in body["rows"]}
    change = rows[consulted.notes["change"].id]
    assert change["html_url"] == f"http://localhost/annotations/{change['id']}"
    assert change["decision"] == "accepted"
    assert change["outcome"] == "changed"
    assert "partnerskiej" in change["resulting_wording"]
    assert rows[consulted.notes["comment"].id]["author"] is None
    assert rows[consulted.notes["question"].id]["expert"] is True
    assert rows[consulted.notes["question"].id]["outcome"] == "orphaned"
    hidden = rows[consulted.notes["hidden"].id]
    assert hidden["hidden"] and hidden["proposed_wording"] is None
    assert HIDDEN_BODY not in str(body)


def test_default_round_and_sector(
    app: Flask, api: JsonClient, consulted: Consulted, validate: Validate
) -> None:
    body = api.get(PATH)
    validate(body, response_schema(app, openapi_document(), f"{API}{PATH}"))
    assert (body["round"], body["next_round"]) == (2, None)
    assert body["rows"][0]["outcome"] is None
    body = api.get(f"{PATH}?round=1&sector=edukacja")
    assert body["sector"] == "edukacja"
    assert {row["id"] for row in body["rows"]} == {
        consulted.notes[n].id for n in ("partial", "hidden")
    }
    assert [s["sector"] for s in body["summary"]["sectors"]] == ["edukacja"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?round=3", 404),  # the working copy, like a missing round
        ("?round=7", 404),
        ("?round=1&sector=nie-ma", 404),
        ("?round=x", 400),
        ("?round=-1", 400),
    ],
)
def test_errors_are_documented_json(
    api: JsonClient, consulted: Consulted, validate: Validate, query: str, status: int
) -> None:
    body = api.get(f"{PATH}{query}", status=status)
    validate(body, schema_ref("Error"))
    assert DRAFT_MARKER not in str(body)


def test_unknown_programme(api: JsonClient, consulted: Consulted) -> None:
    api.get("/programmes/nie-ma/report", status=404)


def test_documented(consulted: Consulted) -> None:
    document = openapi_document()
    operation = document["paths"]["/programmes/{slug}/report"]["get"]
    assert operation["operationId"] == "show_report"
    assert {"200", "400", "404", "default"} <= set(operation["responses"])
    for name in ("Report", "ReportRow", "ReportSummary", "ReportSectorCount"):
        assert name in document["components"]["schemas"]


def test_validation_catches_an_undocumented_field(
    app: Flask, api: JsonClient, consulted: Consulted, validate: Validate
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    body = api.get(f"{PATH}?round=1")
    body["rows"][0]["secret"] = "x"
    schema = response_schema(app, openapi_document(), f"{API}{PATH}?round=1")
    with pytest.raises(jsonschema.ValidationError):
        validate(body, schema)
