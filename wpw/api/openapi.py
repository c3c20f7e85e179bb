"""The OpenAPI 3.1 description of the JSON API v1, served as ``/api/v1/openapi.json``.

The schemas are JSON Schema 2020-12, as OpenAPI 3.1 prescribes, and closed
(``additionalProperties: false``, every property required): a presenter that adds
a field without documenting it fails the API tests. Keep this module in step
with :mod:`wpw.api.presenters` and :mod:`wpw.api.views`.
"""

from __future__ import annotations

import copy

from wpw.api import openapi_report, openapi_search
from wpw.api.presenters import ANNO_CONTEXT, ANNO_MEDIA_TYPE, PAGE_SIZE
from wpw.api.schema import JSON, POSITIVE, STRING, URL, array, closed, nullable, ref
from wpw.compare.services import STATUS_ORDER
from wpw.documents.models import RoundStatus
from wpw.process.models import PhaseKind

PROGRAMME_REF: dict[str, JSON] = {
    "slug": {**STRING, "description": "Stable identifier used in URLs."},
    "title": STRING,
    "url": {**URL, "description": "This programme in the API."},
}
PROGRAMME_SUMMARY: dict[str, JSON] = {
    **PROGRAMME_REF,
    "description": STRING,
    "latest_round": {
        **nullable(POSITIVE),
        "description": "Number of the newest public round; null before the first.",
    },
    "html_url": {**URL, "description": "The programme's page for readers."},
    "rounds_url": URL,
    "search_url": {
        **URL,
        "description": "Full-text search over the programme's comments and text.",
    },
}
ROUND_SUMMARY: dict[str, JSON] = {
    "number": POSITIVE,
    "title": STRING,
    "status": {
        "type": "string",
        "enum": [s.value for s in RoundStatus if s is not RoundStatus.WORKING],
        "description": "A published round is open to comments in its phase; a "
        "closed one is superseded. Working copies are never served.",
    },
    "published_at": {
        **nullable({"type": "string", "format": "date-time"}),
        "description": "ISO 8601 in UTC, e.g. 2011-09-20T10:00:00Z.",
    },
    "url": URL,
    "html_url": URL,
}
ROUND_SECTION: dict[str, JSON] = {
    "key": {**STRING, "description": "Stable across rounds, renames and moves."},
    "number": {**STRING, "description": "Display number such as “§ 4”."},
    "title": STRING,
    "position": {**POSITIVE, "description": "Reading order within the round."},
    "line_count": {"type": "integer", "minimum": 0},
    "url": URL,
    "html_url": URL,
}

SCHEMAS: dict[str, JSON] = {
    "Error": closed(
        "Every error: 404 for anything unknown or unpublished, 405, 500.",
        {
            "error": {**STRING, "description": "The HTTP status name."},
            "message": {**STRING, "description": "What went wrong, for people."},
        },
    ),
    "ProgrammeRef": closed("A programme named inside another resource.", PROGRAMME_REF),
    "ProgrammeSummary": closed("A programme as listed.", PROGRAMME_SUMMARY),
    "ProgrammeList": closed(
        "Every programme, newest first.",
        {"programmes": array(ref("ProgrammeSummary"))},
    ),
    "Programme": closed(
        "A programme with its public rounds, sections and schedule.",
        {
            **PROGRAMME_SUMMARY,
            "rounds": {**array(ref("RoundSummary")), "description": "Oldest first."},
            "sections": {
                **array(ref("ProgrammeSection")),
                "description": "Sections of the latest public round in reading "
                "order, then sections dropped in an earlier round.",
            },
            "phases": {**array(ref("Phase")), "description": "In schedule order."},
        },
    ),
    "ProgrammeSection": closed(
        "A section as of the latest public round; number, title and position "
        "are null if that round dropped it.",
        {
            "key": ROUND_SECTION["key"],
            "number": nullable(STRING),
            "title": nullable(STRING),
            "position": nullable(POSITIVE),
            "sectors": {**array(STRING), "description": "Slugs of its sectors."},
            "rounds": {
                **array(POSITIVE),
                "description": "The public rounds that have it, oldest first.",
            },
            "url": {**URL, "description": "The section in the latest round having it."},
        },
    ),
    "Phase": closed(
        "A dated stage of the schedule; days are inclusive, Europe/Warsaw.",
        {
            "kind": {"type": "string", "enum": [k.value for k in PhaseKind]},
            "name": STRING,
            "name_en": STRING,
            "description": STRING,
            "participants": STRING,
            "starts_on": {"type": "string", "format": "date"},
            "ends_on": {"type": "string", "format": "date"},
            "round": {
                **nullable(POSITIVE),
                "description": "The round it drafts or consults, once that round "
                "is public; otherwise null.",
            },
        },
    ),
    "RoundSummary": closed("A public round as listed.", ROUND_SUMMARY),
    "RoundList": closed(
        "A programme's public rounds, oldest first.",
        {"rounds": array(ref("RoundSummary"))},
    ),
    "Round": closed(
        "A public round with its sections in reading order.",
        {
            **ROUND_SUMMARY,
            "message": {**STRING, "description": "The publisher's message."},
            "programme": ref("ProgrammeRef"),
            "sections": array(ref("RoundSection")),
            "compare_url": {
                **nullable(URL),
                "description": "This round compared with the public round before "
                "it; null for the first public round.",
            },
            "annotations_url": {
                **URL,
                "description": "The round's W3C AnnotationCollection.",
            },
            "report_url": {
                **URL,
                "description": "The round's consultation report with every "
                "decision and justification.",
            },
        },
    ),
    "RoundSection": closed("A section in a round's table of contents.", ROUND_SECTION),
    "Line": closed(
        "One line of a section's text; numbers are public and citeable.",
        {"number": POSITIVE, "text": STRING},
    ),
    "Sector": closed(
        "A sector sub-team.",
        {"slug": STRING, "name": STRING, "name_en": STRING},
    ),
    "SectionLink": closed(
        "The same section in another public round.",
        {
            "round": POSITIVE,
            "number": STRING,
            "title": STRING,
            "url": URL,
            "html_url": URL,
        },
    ),
    "SectionVersion": closed(
        "One section's text in one public round.",
        {
            **ROUND_SECTION,
            "round": {**POSITIVE, "description": "The round's number."},
            "round_url": URL,
            "programme": ref("ProgrammeRef"),
            "text": {**STRING, "description": "Lines separated by \\n."},
            "lines": {
                **array(ref("Line")),
                "description": "The text's lines numbered from 1; joined with \\n "
                "they give back the text. An empty text has no lines.",
            },
            "sectors": array(ref("Sector")),
            "other_rounds": {
                **array(ref("SectionLink")),
                "description": "Oldest round first.",
            },
        },
    ),
    "Comparison": closed(
        "Two public rounds compared section by section, from → to (either order; "
        "the same round twice has no differences).",
        {
            "programme": {**STRING, "description": "The programme's slug."},
            "from": {**POSITIVE, "description": "The round compared from."},
            "to": {**POSITIVE, "description": "The round compared to."},
            "section": {
                **nullable(STRING),
                "description": "The one section compared, or null for all.",
            },
            "html_url": {**URL, "description": "The same comparison for readers."},
            "sections": {
                **array(ref("ComparedSection")),
                "description": "In the to round's reading order; a removed section "
                "follows the section it followed in the from round.",
            },
            "totals": ref("ComparisonTotals"),
        },
    ),
    "ComparedSection": closed(
        "One section in both rounds, matched by its key (never by number or "
        "title, so renames and moves are recognised).",
        {
            "key": ROUND_SECTION["key"],
            "statuses": {
                "type": "array",
                "items": {"type": "string", "enum": [s.value for s in STATUS_ORDER]},
                "minItems": 1,
                "uniqueItems": True,
                "description": "added: only in to; removed: only in from; changed: "
                "its text differs; renamed: its title differs; moved: its place "
                "among the other sections changed (not merely shifted by an "
                "insertion or removal); unchanged: none of these. A section may "
                "have several, e.g. changed and renamed.",
            },
            "from": {
                **nullable(ref("ComparedVersion")),
                "description": "The section in the from round; null if added.",
            },
            "to": {
                **nullable(ref("ComparedVersion")),
                "description": "The section in the to round; null if removed.",
            },
            "diff": {
                **array(ref("DiffOp")),
                "description": "The word diff turning the from text into the to "
                "text (a missing side reads as an empty text): equal, delete and "
                "insert pieces in order; texts may contain \\n. Empty when the "
                "two texts are the same.",
            },
            "words_added": {"type": "integer", "minimum": 0},
            "words_removed": {"type": "integer", "minimum": 0},
            "fallback": {
                "type": "boolean",
                "description": "True if the text was compared paragraph by "
                "paragraph, not word by word (too long or too changed).",
            },
        },
    ),
    "ComparedVersion": closed(
        "Where a section stands in one of the two rounds.",
        {
            "number": ROUND_SECTION["number"],
            "title": STRING,
            "position": ROUND_SECTION["position"],
        },
    ),
    "DiffOp": closed(
        "One piece of a word diff.",
        {
            "op": {"type": "string", "enum": ["equal", "delete", "insert"]},
            "text": STRING,
        },
    ),
    "ComparisonTotals": closed(
        "How many sections have each status (a section counts under each of "
        "its statuses) and how many words were added and removed.",
        {
            **{s.value: {"type": "integer", "minimum": 0} for s in STATUS_ORDER},
            "words_added": {"type": "integer", "minimum": 0},
            "words_removed": {"type": "integer", "minimum": 0},
        },
    ),
}

MOTIVATION: JSON = {
    "type": "string",
    "enum": ["commenting", "questioning", "editing", "replying"],
    "description": "commenting: a comment; questioning: a question; editing: a "
    "proposed change; replying: an answer in a thread.",
}
LD_HEADER: dict[str, JSON] = {
    "@context": {"const": ANNO_CONTEXT},
    "id": {**URL, "description": "This resource."},
}

SCHEMAS |= {
    "Annotation": closed(
        "A W3C Web Annotation (https://www.w3.org/TR/annotation-model/).",
        {
            **LD_HEADER,
            "type": {"const": "Annotation"},
            "motivation": MOTIVATION,
            "created": {"type": "string", "format": "date-time"},
            "modified": {"type": "string", "format": "date-time"},
            "creator": {
                **nullable(ref("Agent")),
                "description": "The author; null if the account was deleted.",
            },
            "body": {
                **array(ref("TextualBody")),
                "minItems": 1,
                "maxItems": 4,
                "description": "The text (a proposed change: the reason, purpose "
                "commenting, and the new wording, purpose editing). A hidden "
                "annotation has the moderation notice, purpose moderating, "
                "instead. Then the outcome: withdrawn, a tagging body "
                "'wycofana przez autora'; decided, a tagging body with the "
                "decision's name and an assessing body with the justification "
                "(for a partial acceptance, then the wording adopted).",
            },
            "target": {
                "oneOf": [ref("SpecificResource"), URL],
                "description": "The passage of a section version; for a reply, "
                "the URL of the annotation it answers.",
            },
        },
    ),
    "TextualBody": closed(
        "A plain-text body in Polish.",
        {
            "type": {"const": "TextualBody"},
            "value": STRING,
            "format": {"const": "text/plain"},
            "language": {"const": "pl"},
            "purpose": {
                "type": "string",
                "enum": [
                    "commenting",
                    "questioning",
                    "editing",
                    "replying",
                    "moderating",
                    "tagging",
                    "assessing",
                ],
            },
        },
    ),
    "SpecificResource": closed(
        "The annotated passage of one section version.",
        {
            "type": {"const": "SpecificResource"},
            "source": {
                **URL,
                "description": "The section version (GET it for its text).",
            },
            "selector": {
                "type": "array",
                "prefixItems": [
                    ref("TextQuoteSelector"),
                    ref("TextPositionSelector"),
                ],
                "items": False,
                "minItems": 2,
            },
        },
    ),
    "TextQuoteSelector": closed(
        "The passage and up to 32 characters either side.",
        {
            "type": {"const": "TextQuoteSelector"},
            "exact": STRING,
            "prefix": STRING,
            "suffix": STRING,
        },
    ),
    "TextPositionSelector": closed(
        "Character offsets into the version's text, end exclusive.",
        {
            "type": {"const": "TextPositionSelector"},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
        },
    ),
    "Agent": closed(
        "An annotation's author.",
        {"id": URL, "type": {"const": "Person"}, "name": STRING},
    ),
    "Person": closed(
        "An author of annotations: public facts only.",
        {
            "id": URL,
            "type": {"const": "Person"},
            "name": STRING,
            "organisation": nullable(STRING),
        },
    ),
    "AnnotationCollection": closed(
        "A public round's annotations and replies, oldest first.",
        {
            **LD_HEADER,
            "type": {"const": "AnnotationCollection"},
            "label": STRING,
            "total": {"type": "integer", "minimum": 0},
            "first": {**URL, "description": "Page 1 (empty if total is 0)."},
            "last": URL,
        },
    ),
    "AnnotationPage": closed(
        f"Up to {PAGE_SIZE} annotations of a collection.",
        {
            **LD_HEADER,
            "type": {"const": "AnnotationPage"},
            "partOf": {**URL, "description": "The collection."},
            "startIndex": {"type": "integer", "minimum": 0},
            "items": {**array(ref("Annotation")), "maxItems": PAGE_SIZE},
            "prev": {**nullable(URL), "description": "Null on the first page."},
            "next": {**nullable(URL), "description": "Null on the last page."},
        },
    ),
}

#: What POST /annotations reads (other keys are ignored).
ANNOTATION_INPUT: JSON = {
    "type": "object",
    "required": ["motivation", "target"],
    "properties": {
        "motivation": MOTIVATION,
        "bodyValue": {**STRING, "description": "The text, instead of body."},
        "body": {
            "description": "TextualBody objects with value; for editing, the one "
            "with purpose editing is the new wording, the other the reason.",
            "oneOf": [{"type": "object"}, array({"type": "object"})],
        },
        "target": {
            "description": "A SpecificResource whose source is a version URL of "
            "this API, with a TextPositionSelector and/or a TextQuoteSelector "
            "(both: the quote must be the text at the position; a quote alone "
            "must occur once, given its prefix and suffix); for replying, the "
            "URL of an annotation.",
            "oneOf": [{"type": "object"}, URL],
        },
    },
}

PARAMETERS: dict[str, JSON] = {
    "slug": {
        "name": "slug",
        "in": "path",
        "required": True,
        "description": "The programme's slug, e.g. wpw-2012-2014.",
        "schema": STRING,
    },
    "number": {
        "name": "number",
        "in": "path",
        "required": True,
        "description": "The round's number, from 1.",
        "schema": POSITIVE,
    },
    "key": {
        "name": "key",
        "in": "path",
        "required": True,
        "description": "The section's key, stable across rounds.",
        "schema": STRING,
    },
    "from": {
        "name": "from",
        "in": "query",
        "required": True,
        "description": "The number of the public round to compare from.",
        "schema": POSITIVE,
    },
    "to": {
        "name": "to",
        "in": "query",
        "required": True,
        "description": "The number of the public round to compare to; it may be "
        "older than from (a reverse comparison) or the same round.",
        "schema": POSITIVE,
    },
    "version_id": {
        "name": "version_id",
        "in": "path",
        "required": True,
        "description": "The section version's id (from an annotation's source).",
        "schema": POSITIVE,
    },
    "annotation_id": {
        "name": "annotation_id",
        "in": "path",
        "required": True,
        "description": "The annotation's id.",
        "schema": POSITIVE,
    },
    "user_id": {
        "name": "user_id",
        "in": "path",
        "required": True,
        "description": "The author's id.",
        "schema": POSITIVE,
    },
    "round": {
        "name": "round",
        "in": "query",
        "required": True,
        "description": "The number of the public round.",
        "schema": POSITIVE,
    },
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": f"A page of {PAGE_SIZE} annotations, from 1; without "
        "it, the collection.",
        "schema": POSITIVE,
    },
    "section": {
        "name": "section",
        "in": "query",
        "required": False,
        "description": "Compare only the section with this key.",
        "schema": STRING,
    },
}

RESPONSES: dict[str, JSON] = {
    "NotFound": {
        "description": "No such programme, public round or section. A working "
        "round is reported exactly like a missing one.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "BadRequest": {
        "description": "A query parameter is missing or is not a round (or page) "
        "number.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "Unauthorized": {
        "description": "No, an unknown or a revoked token "
        "(with WWW-Authenticate: Bearer).",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "InvalidAnnotation": {
        "description": "Not a usable annotation: unknown motivation, a source "
        "that is not a public version URL of this API, selectors that do not "
        "fit the text, an empty or overlong text, a change identical to the text.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "Closed": {
        "description": "The round's consultation is not open.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
    "Error": {
        "description": "Any other error, e.g. 405 for a method other than GET.",
        "content": {"application/json": {"schema": ref("Error")}},
    },
}


def get(
    operation_id: str,
    summary: str,
    schema: JSON,
    parameters: tuple[str, ...] = (),
    media_type: str = "application/json",
) -> JSON:
    """A GET operation answering 200 with *schema*; 404 when it has parameters."""
    content = {media_type: {"schema": schema}}
    responses: JSON = {"200": {"description": summary, "content": content}}
    if parameters:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["default"] = {"$ref": "#/components/responses/Error"}
    operation: JSON = {"operationId": operation_id, "summary": summary}
    if parameters:
        operation["parameters"] = [
            {"$ref": f"#/components/parameters/{name}"} for name in parameters
        ]
    operation["responses"] = responses
    return {"get": operation}


def with_bad_request(item: JSON) -> JSON:
    """*item*'s GET, also answering 400 for bad query parameters."""
    responses = item["get"]["responses"]
    item["get"]["responses"] = {
        "200": responses["200"],
        "400": {"$ref": "#/components/responses/BadRequest"},
        **{code: r for code, r in responses.items() if code != "200"},
    }
    return item


def create_annotation_operation() -> JSON:
    """POST /annotations: a W3C annotation in, the stored one out."""
    error = "#/components/responses/"
    return {
        "post": {
            "operationId": "create_annotation",
            "summary": "Annotate a passage, or reply, with a personal API token "
            "(made on the account page); the rules of the web form apply.",
            "security": [{"token": []}],
            "requestBody": {
                "required": True,
                "content": {
                    media: {"schema": ANNOTATION_INPUT}
                    for media in ("application/json", ANNO_MEDIA_TYPE)
                },
            },
            "responses": {
                "201": {
                    "description": "Created; Location is its URL.",
                    "headers": {"Location": {"schema": URL}},
                    "content": {ANNO_MEDIA_TYPE: {"schema": ref("Annotation")}},
                },
                "400": {"$ref": error + "InvalidAnnotation"},
                "401": {"$ref": error + "Unauthorized"},
                "409": {"$ref": error + "Closed"},
                "default": {"$ref": error + "Error"},
            },
        }
    }


PROGRAMME = ("slug",)
ROUND = ("slug", "number")
SECTION = ("slug", "number", "key")

PATHS: dict[str, JSON] = {
    "/programmes": get("list_programmes", "Every programme.", ref("ProgrammeList")),
    "/programmes/{slug}": get(
        "show_programme",
        "A programme with its public rounds, sections and phases.",
        ref("Programme"),
        PROGRAMME,
    ),
    "/programmes/{slug}/rounds": get(
        "list_rounds", "A programme's public rounds.", ref("RoundList"), PROGRAMME
    ),
    "/programmes/{slug}/rounds/{number}": get(
        "show_round", "A public round with its sections.", ref("Round"), ROUND
    ),
    "/programmes/{slug}/rounds/{number}/sections/{key}": get(
        "show_section",
        "One section's text and numbered lines in a public round.",
        ref("SectionVersion"),
        SECTION,
    ),
    "/programmes/{slug}/compare": with_bad_request(
        get(
            "compare_rounds",
            "Two public rounds compared, the whole programme or one section.",
            ref("Comparison"),
            ("slug", "from", "to", "section"),
        )
    ),
    "/programmes/{slug}/annotations": with_bad_request(
        get(
            "list_annotations",
            "A public round's annotations and replies: the AnnotationCollection, "
            "or one AnnotationPage with page.",
            {"oneOf": [ref("AnnotationCollection"), ref("AnnotationPage")]},
            ("slug", "round", "page"),
            ANNO_MEDIA_TYPE,
        )
    ),
    "/annotations": create_annotation_operation(),
    "/annotations/{annotation_id}": get(
        "show_annotation",
        "One annotation.",
        ref("Annotation"),
        ("annotation_id",),
        ANNO_MEDIA_TYPE,
    ),
    "/versions/{version_id}": get(
        "show_version",
        "One section version by id, as an annotation's source.",
        ref("SectionVersion"),
        ("version_id",),
    ),
    "/users/{user_id}": get(
        "show_user", "An author of annotations.", ref("Person"), ("user_id",)
    ),
    "/openapi.json": get(
        "openapi",
        "This document.",
        {"type": "object", "description": "An OpenAPI 3.1 document."},
    ),
}

for _part in (openapi_search, openapi_report):
    PATHS.update(_part.PATHS)
    SCHEMAS.update(_part.SCHEMAS)

DOCUMENT: JSON = {
    "openapi": "3.1.0",
    "info": {
        "title": "WPW API",
        "version": "1",
        "description": "Access to the published text of the programmes "
        "co-written in WPW: programmes, their public drafting rounds and the "
        "numbered lines of every section, and their annotations as W3C Web "
        "Annotations, which a personal API token can also create. Unpublished "
        "drafts are never served.",
    },
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "parameters": PARAMETERS,
        "responses": RESPONSES,
        "securitySchemes": {
            "token": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal API token from the account page.",
            }
        },
    },
}


def openapi_document() -> JSON:
    """A fresh copy of the OpenAPI document, safe for the caller to change."""
    return copy.deepcopy(DOCUMENT)
