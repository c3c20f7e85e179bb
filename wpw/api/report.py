"""``GET /api/v1/programmes/<slug>/report``: adds its route to the API blueprint.

The consultation report of one public round (``round``, default: the latest
public round with annotations), optionally of one ``sector``: the same rows as
the report page and its downloads (:mod:`wpw.report.services`), and the
summary. A malformed round number is a 400; an unknown programme, round or
sector a 404, and so is a working copy, exactly like a round that does not
exist. Described in :mod:`wpw.api.openapi_report`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

from wpw.api.presenters import programme_ref
from wpw.api.views import bp
from wpw.report import services
from wpw.report.views import FORMATS, load_report, query_args


@bp.get("/programmes/<slug>/report")
def show_report(slug: str) -> dict[str, Any]:
    """The consultation report of a public round as JSON."""
    return report_json(load_report(slug))


def report_json(report: services.Report) -> dict[str, Any]:
    args = query_args(report)
    slug = report.programme.slug
    # One url_for for every row's thread address (20,000 calls add up).
    head, _zero, tail = url_for(
        "annotations.thread", annotation_id=0, _external=True
    ).rpartition("/0")

    def thread_url(id_: int) -> str:
        return f"{head}/{id_}{tail}"

    return {
        "programme": programme_ref(report.programme),
        "round": report.round.number,
        "next_round": report.next_round.number if report.next_round else None,
        "sector": report.sector.slug if report.sector else None,
        "html_url": url_for("report.show", slug=slug, _external=True, **args),
        "downloads": {
            fmt: url_for("report.download", slug=slug, fmt=fmt, _external=True, **args)
            for fmt in FORMATS
        },
        "summary": summary_json(report.summary),
        "rows": [row_json(row, thread_url) for row in report.rows],
    }


def summary_json(summary: services.Summary) -> dict[str, Any]:
    return {
        "total": summary.total,
        "decisions": summary.decisions,
        "sectors": [
            {
                "sector": count.sector.slug if count.sector else None,
                "name": count.sector.name if count.sector else None,
                "total": count.total,
                "decisions": count.counts,
            }
            for count in summary.sectors
        ],
    }


def row_json(
    row: services.ReportRow, thread_url: Callable[[int], str]
) -> dict[str, Any]:
    return {
        "id": row.id,
        "html_url": thread_url(row.id),
        "kind": row.kind.value,
        "expert": row.expert,
        "section": {
            "key": row.section_key,
            "number": row.section_number,
            "title": row.section_title,
        },
        "first_line": row.first_line,
        "last_line": row.last_line,
        "quote": row.quote,
        "author": row.author,
        "organisation": row.organisation,
        "hidden": row.hidden,
        "content": row.content,
        "proposed_wording": row.proposed_wording,
        "decision": row.decision,
        "decision_label": row.decision_label,
        "justification": row.justification,
        "adopted_wording": row.adopted_wording,
        "outcome": row.outcome.value if row.outcome else None,
        "resulting_wording": row.resulting_wording,
        "sectors": [s.slug for s in row.sectors],
    }
