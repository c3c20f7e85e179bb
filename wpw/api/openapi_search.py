"""The search part of the OpenAPI document, merged in by :mod:`wpw.api.openapi`."""

from __future__ import annotations

from typing import Any

from wpw.api.schema import COUNT, JSON, POSITIVE, STRING, URL, closed, nullable, ref

FACETS = ("programme", "round", "section", "sector", "kind", "decision", "organisation")
KINDS = ["comment", "question", "change", "reply", "section"]
DECISIONS = ["accepted", "partial", "rejected", "noted"]


def _query(name: str, description: str, schema: JSON, *, many: bool = False) -> JSON:
    parameter: JSON = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": schema} if many else schema,
    }
    if many:
        parameter |= {"style": "form", "explode": True}
    return parameter


FACET_DESCRIPTIONS = {
    "programme": "Programme slug.",
    "round": "Round number.",
    "section": "Section key.",
    "sector": "Sector slug.",
    "kind": "comment, question, change, reply, or section (published text).",
    "decision": "accepted, partial, rejected, noted, or none (not decided).",
    "organisation": "The author's organisation id.",
}

PARAMETERS: list[JSON] = [
    _query(
        "q",
        "The query: words (all must occur; Polish word forms and missing "
        'diacritics match), OR, AND, NOT, parentheses, "exact phrases", '
        "prefix*. Empty: everything, newest first. A malformed query is searched "
        "as plain words, with a message.",
        STRING,
    ),
    *(
        _query(
            name,
            f"Filter (repeat for OR within one facet): {FACET_DESCRIPTIONS[name]}",
            STRING,
            many=True,
        )
        for name in FACETS
    ),
    _query(
        "from",
        "Only items dated on or after this day (Europe/Warsaw).",
        {"type": "string", "format": "date"},
    ),
    _query(
        "to",
        "Only items dated on or before this day (Europe/Warsaw).",
        {"type": "string", "format": "date"},
    ),
    _query(
        "sort",
        "relevance (default), newest or oldest.",
        {"type": "string", "enum": ["relevance", "newest", "oldest"]},
    ),
    _query("page", "Page of 20 results, from 1 (past the last: the last).", POSITIVE),
    _query(
        "hidden",
        "1: include items hidden by moderation (Coordinating Team only, signed in "
        "or with a bearer token; 403 otherwise).",
        {"type": "string", "enum": ["0", "1"]},
    ),
]

ERROR = {"application/json": {"schema": ref("Error")}}

SCHEMAS: dict[str, Any] = {
    "SearchResults": closed(
        "One page of search results with facet counts over all matches.",
        {
            "query": {**STRING, "description": "The q parameter as given."},
            "searched": {
                **STRING,
                "description": "What was searched: q cleaned, maybe reduced to its "
                "plain words.",
            },
            "messages": {
                "type": "array",
                "items": STRING,
                "description": "For people, in Polish: a malformed query, a bad "
                "date, an overlong query.",
            },
            "total": COUNT,
            "page": POSITIVE,
            "pages": POSITIVE,
            "per_page": POSITIVE,
            "results": {"type": "array", "items": ref("SearchHit"), "maxItems": 20},
            "facets": ref("SearchFacets"),
            "prev": {**nullable(URL), "description": "Null on the first page."},
            "next": {**nullable(URL), "description": "Null on the last page."},
        },
    ),
    "SearchHit": closed(
        "An annotation or reply (type annotation) or a section's text in a public "
        "round (type version).",
        {
            "type": {"type": "string", "enum": ["annotation", "version"]},
            "kind": {"type": "string", "enum": KINDS},
            "programme": STRING,
            "round": POSITIVE,
            "section": {**STRING, "description": "The section's key."},
            "title": {**STRING, "description": "The section's number and title."},
            "first_line": {
                **nullable(POSITIVE),
                "description": "The annotated lines (a reply: its thread's), or "
                "the first matching line of a text.",
            },
            "last_line": nullable(POSITIVE),
            "date": {"type": "string", "format": "date-time"},
            "decision": nullable({"type": "string", "enum": DECISIONS}),
            "organisation": nullable(STRING),
            "state": nullable({"type": "string", "enum": ["open", "withdrawn"]}),
            "hidden": {
                "type": "boolean",
                "description": "Hidden by moderation (only with hidden=1).",
            },
            "snippets": {"type": "array", "items": ref("SearchSnippet")},
            "url": {**URL, "description": "The annotation or version in this API."},
            "html_url": {**URL, "description": "The section page at these lines."},
        },
    ),
    "SearchSnippet": closed(
        "A highlighted excerpt of one part (text, quoted passage, proposed "
        "wording, justification).",
        {
            "label": STRING,
            "html": {
                **STRING,
                "description": "HTML-escaped text; matches wrapped in <mark>.",
            },
        },
    ),
    "SearchFacetValue": closed(
        "One value of a facet with the number of matches having it.",
        {
            "value": STRING,
            "label": STRING,
            "count": COUNT,
            "selected": {"type": "boolean"},
        },
    ),
    "SearchFacets": closed(
        "Facet counts over all matches (at most 30 values each, most frequent "
        "first; chosen values always included).",
        {name: {"type": "array", "items": ref("SearchFacetValue")} for name in FACETS},
    ),
}

PATHS: dict[str, Any] = {
    "/search": {
        "get": {
            "operationId": "search",
            "summary": "Full-text search over annotations, replies, decision "
            "justifications and the text of public rounds, with facets.",
            "parameters": PARAMETERS,
            "responses": {
                "200": {
                    "description": "A page of results.",
                    "content": {"application/json": {"schema": ref("SearchResults")}},
                },
                "403": {
                    "description": "hidden=1 without a Coordinating Team account.",
                    "content": ERROR,
                },
                "404": {"$ref": "#/components/responses/NotFound"},
                "default": {"$ref": "#/components/responses/Error"},
            },
        }
    }
}
