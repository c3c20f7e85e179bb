"""The report part of the OpenAPI document, merged in by :mod:`wpw.api.openapi`.

Keep in step with :mod:`wpw.api.report`.
"""

from __future__ import annotations

from wpw.annotations.models import AnnotationKind, Outcome
from wpw.api.schema import (
    COUNT,
    JSON,
    POSITIVE,
    STRING,
    URL,
    array,
    closed,
    nullable,
    ref,
)
from wpw.report.services import DECISION_ORDER


def _decisions() -> JSON:
    return closed(
        "How many rows have each decision.", {d: COUNT for d in DECISION_ORDER}
    )


DECISION: JSON = {
    "type": "string",
    "enum": list(DECISION_ORDER),
    "description": "accepted, partial (partially accepted, with the adopted "
    "wording), rejected, noted: the Coordinating Team's decision; "
    "withdrawn: its author took it back; undecided: not decided yet.",
}

SCHEMAS: dict[str, JSON] = {
    "Report": closed(
        "The consultation report (zestawienie uwag wraz z uzasadnieniem) of "
        "one public round: every comment, question and proposed change "
        "(not replies) with its decision and justification.",
        {
            "programme": ref("ProgrammeRef"),
            "round": {**POSITIVE, "description": "The reported round."},
            "next_round": {
                **nullable(POSITIVE),
                "description": "The next public round, whose wording the "
                "rows show; null until it is published.",
            },
            "sector": {
                **nullable(STRING),
                "description": "The sector filtered on, or null for all.",
            },
            "html_url": {**URL, "description": "The report for readers."},
            "downloads": closed(
                "The same rows as files.",
                {"csv": URL, "xlsx": URL, "ods": URL},
            ),
            "summary": ref("ReportSummary"),
            "rows": {
                **array(ref("ReportRow")),
                "description": "In reading order: section, first line, number.",
            },
        },
    ),
    "ReportSummary": closed(
        "Counts of the rows per decision, and per sector and decision (a row "
        "counts under every sector of its section; with a sector filter only "
        "that sector is listed).",
        {
            "total": COUNT,
            "decisions": _decisions(),
            "sectors": array(ref("ReportSectorCount")),
        },
    ),
    "ReportSectorCount": closed(
        "The rows of one sector's sections (sector null: sections of none).",
        {
            "sector": nullable(STRING),
            "name": nullable(STRING),
            "total": COUNT,
            "decisions": _decisions(),
        },
    ),
    "ReportRow": closed(
        "One annotation of the report.",
        {
            "id": {**POSITIVE, "description": "The annotation's number."},
            "html_url": {**URL, "description": "Its thread for readers."},
            "kind": {
                "type": "string",
                "enum": [
                    k.value for k in AnnotationKind if k is not AnnotationKind.REPLY
                ],
            },
            "expert": {
                "type": "boolean",
                "description": "An expert opinion.",
            },
            "section": closed(
                "The section as it was in the reported round.",
                {"key": STRING, "number": STRING, "title": STRING},
            ),
            "first_line": POSITIVE,
            "last_line": POSITIVE,
            "quote": {**STRING, "description": "The quoted passage, exactly."},
            "author": {
                **nullable(STRING),
                "description": "Null if the author chose to show only the "
                "organisation, or the account was deleted.",
            },
            "organisation": nullable(STRING),
            "hidden": {
                "type": "boolean",
                "description": "Hidden by a moderator: content is the reason, "
                "proposed_wording is null.",
            },
            "content": {
                **STRING,
                "description": "The comment, question or reason for a change.",
            },
            "proposed_wording": {
                **nullable(STRING),
                "description": "A proposed change's new wording.",
            },
            "decision": DECISION,
            "decision_label": {**STRING, "description": "In Polish."},
            "justification": nullable(STRING),
            "adopted_wording": {
                **nullable(STRING),
                "description": "For partial: the wording actually adopted.",
            },
            "outcome": {
                **nullable({"type": "string", "enum": [o.value for o in Outcome]}),
                "description": "The passage in the next round: exact "
                "(unchanged), changed, orphaned (removed); null without a "
                "next round.",
            },
            "resulting_wording": {
                **nullable(STRING),
                "description": "How the passage reads in the next round; null "
                "if removed or without a next round.",
            },
            "sectors": {**array(STRING), "description": "Slugs."},
        },
    ),
}

ERROR = "#/components/responses/"
PATHS: dict[str, JSON] = {
    "/programmes/{slug}/report": {
        "get": {
            "operationId": "show_report",
            "summary": "The consultation report of a public round: every "
            "annotation with its decision, justification and resulting wording.",
            "parameters": [
                {"$ref": "#/components/parameters/slug"},
                {
                    "name": "round",
                    "in": "query",
                    "required": False,
                    "description": "The public round's number; without it, the "
                    "latest public round with annotations.",
                    "schema": POSITIVE,
                },
                {
                    "name": "sector",
                    "in": "query",
                    "required": False,
                    "description": "Only the annotations on this sector's "
                    "sections (the sector's slug).",
                    "schema": STRING,
                },
            ],
            "responses": {
                "200": {
                    "description": "The report.",
                    "content": {"application/json": {"schema": ref("Report")}},
                },
                "400": {"$ref": ERROR + "BadRequest"},
                "404": {"$ref": ERROR + "NotFound"},
                "default": {"$ref": ERROR + "Error"},
            },
        }
    }
}
