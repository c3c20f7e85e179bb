"""Building blocks of the OpenAPI document's schemas (JSON Schema 2020-12), shared
by :mod:`wpw.api.openapi` and the parts it merges in (:mod:`wpw.api.openapi_search`,
:mod:`wpw.api.openapi_report`)."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

STRING: JSON = {"type": "string"}
URL: JSON = {"type": "string", "format": "uri"}
POSITIVE: JSON = {"type": "integer", "minimum": 1}
COUNT: JSON = {"type": "integer", "minimum": 0}


def ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: JSON) -> JSON:
    return {"oneOf": [schema, {"type": "null"}]}


def array(items: JSON) -> JSON:
    return {"type": "array", "items": items}


def closed(description: str, properties: dict[str, JSON]) -> JSON:
    """An object schema with exactly *properties*, all required."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
