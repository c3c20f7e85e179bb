"""/api/v1/openapi.json: a structurally valid OpenAPI 3.1 document that describes
every API route, and whose schemas every response actually matches."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.api.conftest import (
    API,
    SLUG,
    Annotated,
    JsonClient,
    SmallProgramme,
    Validate,
    documented_response,
    response_schema,
    schema_ref,
)
from wpw.api.openapi import openapi_document
from wpw.api.presenters import ANNO_MEDIA_TYPE

PREFIX = "/api/v1"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document() -> dict[str, Any]:
    return openapi_document()


def _api_routes(app: Flask) -> dict[str, tuple[str, set[str]]]:
    """OpenAPI path → (endpoint, methods) for every Flask rule under /api/v1."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len(PREFIX) :])
        methods = {m.lower() for m in rule.methods} - {"head", "options"}
        routes[path] = (rule.endpoint, methods)
    return routes


def _operations(document: dict) -> Iterator[tuple[str, str, dict]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def _resolve(document: dict, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_served_document_is_the_module_document(api: JsonClient) -> None:
    assert api.get("/openapi.json") == openapi_document()


def test_document_header(document: dict) -> None:
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "WPW API"
    assert document["info"]["version"] == "1"
    assert document["servers"] == [{"url": PREFIX}]
    assert set(document["components"]["schemas"]) >= {"Error"}


def test_every_api_route_is_documented_and_nothing_else(
    app: Flask, document: dict
) -> None:
    routes = _api_routes(app)
    assert routes, "no routes under /api/v1"
    documented = {
        path: {m for m in item if m in HTTP_METHODS}
        for path, item in document["paths"].items()
    }
    assert set(documented) == set(routes)
    for path, (endpoint, methods) in routes.items():
        assert documented[path] == methods, path
        for method in methods:
            operation_id = document["paths"][path][method]["operationId"]
            assert f"api.{operation_id}" == endpoint, path


def test_operation_ids_are_unique(document: dict) -> None:
    ids = [op["operationId"] for _, _, op in _operations(document)]
    assert len(ids) == len(set(ids))


def test_path_parameters_match_the_routes(app: Flask, document: dict) -> None:
    rules = {
        re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", r.rule[len(PREFIX) :]): r.rule
        for r in app.url_map.iter_rules()
        if r.rule.startswith(PREFIX + "/")
    }
    for path, _, operation in _operations(document):
        declared = [
            _resolve(document, p["$ref"]) if "$ref" in p else p
            for p in operation.get("parameters", [])
        ]
        names = [p["name"] for p in declared if p["in"] == "path"]
        assert names == re.findall(r"{([^}]+)}", path), path
        for parameter in declared:
            if parameter["in"] != "path":
                continue
            assert parameter["required"] is True
            integer = f"<int:{parameter['name']}>" in rules[path]
            assert (parameter["schema"]["type"] == "integer") == integer, path


JSON_TYPES = {"application/json", ANNO_MEDIA_TYPE}


def test_every_operation_answers_json_and_documents_errors(document: dict) -> None:
    """GETs answer 200, POSTs 201, in one JSON media type; errors are Errors."""
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        success = responses["201" if method == "post" else "200"]
        ((media_type, content),) = success["content"].items()
        assert media_type in JSON_TYPES, path
        assert "schema" in content, path
        assert "default" in responses, path
        if operation.get("parameters"):
            assert "404" in responses, path
        for response in responses.values():
            if "$ref" in response:
                response = _resolve(document, response["$ref"])
            if response is not success:
                schema = response["content"]["application/json"]["schema"]
                assert schema == schema_ref("Error"), path


def test_every_ref_resolves_and_every_component_is_used(document: dict) -> None:
    security = {
        f"#/components/securitySchemes/{name}"
        for _, _, operation in _operations(document)
        for requirement in operation.get("security", [])
        for name in requirement
    }
    refs = set(_refs(document)) | security
    for ref in refs:
        _resolve(document, ref)
    for kind, components in document["components"].items():
        for name in components:
            assert f"#/components/{kind}/{name}" in refs, f"{kind}/{name} unused"


def test_object_schemas_are_closed(document: dict) -> None:
    """Closed schemas make undocumented fields fail the validation tests below."""
    for name, schema in document["components"]["schemas"].items():
        assert schema["type"] == "object", name
        assert schema["additionalProperties"] is False, name
        assert set(schema["required"]) == set(schema["properties"]), name


def test_schemas_are_valid_json_schema_2020_12(document: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for name, schema in document["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert name


def _reachable(
    app: Flask, api: JsonClient, document: dict, start: str
) -> Iterator[tuple[str, Any, dict]]:
    """Every API resource reachable from *start* by following its URLs (in
    ``*url`` fields and JSON-LD links alike), with its documented schema; each
    answers in its documented media type."""
    seen, queue = set(), [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        media_type, schema = documented_response(app, document, url)
        body = api.get(url, content_type=media_type)
        yield url, body, schema
        queue.extend(u for u in _urls(body) if u.startswith(API + "/"))


def _urls(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _urls(value)
    elif isinstance(node, list):
        for item in node:
            yield from _urls(item)


def test_every_response_matches_its_schema(
    app: Flask, api: JsonClient, annotated: Annotated, validate: Validate
) -> None:
    """Crawled from the programme list, every GET endpoint answers as documented
    (the one POST is checked in test_annotations_api)."""
    document = openapi_document()
    validated = set()
    for url, body, schema in _reachable(app, api, document, f"{API}/programmes"):
        validate(body, schema)
        path = urlsplit(url).path
        validated.add(app.url_map.bind("localhost").match(path)[0])
    openapi_url = f"{API}/openapi.json"
    validate(api.get(openapi_url), response_schema(app, document, openapi_url))
    validated.add("api.openapi")
    gets = {
        endpoint for endpoint, methods in _api_routes(app).values() if "get" in methods
    }
    assert validated == gets


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/programmes/nope",
        f"/programmes/{SLUG}/rounds/3",
        f"/programmes/{SLUG}/rounds/2/sections/nope",
    ],
)
def test_errors_match_the_error_schema(
    api: JsonClient, small: SmallProgramme, validate: Validate, path: str
) -> None:
    validate(api.get(path, status=404), schema_ref("Error"))


def test_405_matches_the_error_schema(api: JsonClient, validate: Validate) -> None:
    response = api.client.post(f"{API}/programmes")
    assert response.status_code == 405
    validate(response.get_json(), schema_ref("Error"))


SECTION = f"/programmes/{SLUG}/rounds/2/sections/cele"


def _undocumented_field(body: dict) -> None:
    body["sections"][0]["secret"] = "undocumented"


def _missing_field(body: dict) -> None:
    del body["lines"]


def _round_zero(body: dict) -> None:
    body["round"] = 0


def _relative_url(body: dict) -> None:
    pytest.importorskip("rfc3987")  # jsonschema checks "uri" only with it
    body["url"] = "/api/v1/relative"


def _line_number_as_text(body: dict) -> None:
    body["lines"][0]["number"] = "1"


def _bad_date(body: dict) -> None:
    body["phases"][0]["starts_on"] = "1.06.2011"


@pytest.mark.parametrize(
    ("path", "breaks"),
    [
        (f"/programmes/{SLUG}/rounds/2", _undocumented_field),
        (SECTION, _missing_field),
        (SECTION, _round_zero),
        (SECTION, _relative_url),
        (SECTION, _line_number_as_text),
        (f"/programmes/{SLUG}", _bad_date),
    ],
)
def test_validation_catches_a_broken_response(
    app: Flask,
    api: JsonClient,
    small: SmallProgramme,
    validate: Validate,
    path: str,
    breaks: Callable[[dict], None],
) -> None:
    """The schema checks above can fail: each broken body is refused."""
    jsonschema = pytest.importorskip("jsonschema")
    body = api.get(path)
    schema = response_schema(app, openapi_document(), API + path)
    validate(body, schema)
    breaks(body)
    with pytest.raises(jsonschema.ValidationError):
        validate(body, schema)


def test_a_working_status_would_be_refused(validate: Validate) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    round_ = {
        "number": 3,
        "title": "Robocza",
        "status": "working",
        "published_at": None,
        "url": f"{API}/programmes/{SLUG}/rounds/3",
        "html_url": f"http://localhost/programmes/{SLUG}/rounds/3",
    }
    with pytest.raises(jsonschema.ValidationError):
        validate(round_, schema_ref("RoundSummary"))
    validate({**round_, "status": "closed"}, schema_ref("RoundSummary"))
