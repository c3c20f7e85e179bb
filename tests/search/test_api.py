"""GET /api/v1/search: the page's search as JSON, documented and validated."""

from __future__ import annotations

import pytest

from tests.api.conftest import (
    API,
    DRAFT_MARKER,
    HIDDEN_TEXT,
    Annotated,
    JsonClient,
    Validate,
    documented_response,
)
from tests.conftest import make_user
from tests.search.helpers import annotate, version_of
from wpw.annotations.tokens import create_token
from wpw.api.openapi import openapi_document
from wpw.auth.models import Role
from wpw.extensions import db


@pytest.fixture
def schema(app):
    return documented_response(app, openapi_document(), f"{API}/search")[1]


def _token(user) -> str:
    _token_row, plaintext = create_token(user, "test")
    db.session.commit()
    return plaintext


def test_search_matches_its_schema(api: JsonClient, annotated, schema, validate):
    body = api.get("/search?q=dobry")
    validate(body, schema)
    (hit,) = body["results"]
    assert hit["type"] == "annotation" and hit["kind"] == "comment"
    assert hit["url"] == f"{API}/annotations/{annotated.comment.id}"
    assert hit["html_url"].endswith("/sections/cele?lines=1-1#L1")
    assert "<mark>Dobry</mark>" in hit["snippets"][0]["html"]


def test_every_shape_validates(api: JsonClient, annotated, schema, validate) -> None:
    for query in (
        "",
        "?q=",
        "?q=AND+OR+(",
        "?q=cel&kind=section&sort=newest",
        "?q=&page=2",
        "?q=&from=nope",
        "?q=*&decision=none&round=2",
    ):
        validate(api.get("/search" + query), schema)


def test_facets_and_pages(api: JsonClient, annotated) -> None:
    body = api.get("/search?kind=comment&kind=question")
    assert body["total"] == 3
    kinds = {v["value"]: v["count"] for v in body["facets"]["kind"]}
    assert kinds == {"comment": 2, "question": 1}
    assert body["prev"] is None and body["next"] is None


def test_malformed_query_is_a_200_with_a_message(api: JsonClient, annotated) -> None:
    body = api.get("/search?q=%22dobry+cel")
    assert body["searched"] == "dobry cel" and body["total"] == 1
    assert body["messages"]


def test_hidden_needs_the_team(client, api: JsonClient, annotated: Annotated):
    assert api.get(f"/search?q={HIDDEN_TEXT}")["total"] == 0
    api.get(f"/search?q={HIDDEN_TEXT}&hidden=1", status=403)
    ngo = _token(make_user(Role.NGO))
    response = client.get(
        f"/api/v1/search?q={HIDDEN_TEXT}&hidden=1",
        headers={"Authorization": f"Bearer {ngo}"},
    )
    assert response.status_code == 403
    team = _token(annotated.small.coordinator)
    response = client.get(
        f"/api/v1/search?q={HIDDEN_TEXT}&hidden=1",
        headers={"Authorization": f"Bearer {team}"},
    )
    body = response.get_json()
    assert body["total"] == 1 and body["results"][0]["hidden"] is True
    response = client.get(
        f"/api/v1/search?q={DRAFT_MARKER}&hidden=1",
        headers={"Authorization": f"Bearer {team}"},
    )
    assert response.get_json()["total"] == 0


def test_403_matches_the_error_schema(api: JsonClient, annotated, validate: Validate):
    body = api.get("/search?hidden=1", status=403)
    validate(body, {"$ref": "#/components/schemas/Error"})


def test_documented(annotated) -> None:
    document = openapi_document()
    operation = document["paths"]["/search"]["get"]
    assert operation["operationId"] == "search"
    names = {p["name"] for p in operation["parameters"]}
    assert names >= {
        "q",
        "programme",
        "round",
        "section",
        "sector",
        "kind",
        "decision",
        "organisation",
        "from",
        "to",
        "sort",
        "page",
        "hidden",
    }


def test_page_links_keep_the_query(api: JsonClient, annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    for n in range(22):
        annotate(annotated.author, cele, f"Wpis seryjny {n}", commit=False)
    db.session.commit()
    first = api.get("/search?q=seryjny&kind=comment&kind=question")
    assert first["prev"] is None
    assert first["next"] == (
        "http://localhost/api/v1/search?q=seryjny&kind=comment&kind=question&page=2"
    )
    second = api.get("/search?q=seryjny&kind=comment&kind=question&page=2")
    assert second["prev"] == (
        "http://localhost/api/v1/search?q=seryjny&kind=comment&kind=question&page=1"
    )
    assert second["next"] is None
