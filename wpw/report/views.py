"""The report pages and downloads (blueprint ``report``).

* ``/report`` — every programme with links to its reports;
* ``/programmes/<slug>/report?round=N&sector=<slug>&page=P`` — the report: the
  summary of the whole selection, then its rows, :data:`PER_PAGE` a page;
* ``/programmes/<slug>/report.<csv|xlsx|ods>?round=N&sector=<slug>`` — every
  row of the same selection as a file.

Without ``round`` the latest public round with annotations is shown. A working
copy, an unknown round or sector is a 404 (as for a round that does not
exist), a malformed round or page number a 400.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
)
from flask_babel import gettext as _
from sqlalchemy import select

from wpw.compare.services import parse_round_number
from wpw.documents import services as documents
from wpw.documents.exporting import content_disposition
from wpw.documents.models import Programme
from wpw.extensions import db
from wpw.report import exporting, services
from wpw.sectors.models import Sector

bp = Blueprint("report", __name__)

#: Rows per page of the HTML report (the downloads have every row).
PER_PAGE = 200
FORMATS = ("csv", "xlsx", "ods")


def load_report(slug: str, **page) -> services.Report:
    """The report the request asks for (``round``, ``sector``), or 404 / 400.

    *page*: ``offset`` and ``limit`` of the rows. The messages are for the JSON
    API, which shows them; pages show their own.
    """
    programme = documents.programme_by_slug(slug)
    if programme is None:
        abort(404, description=_("Nie ma programu „%(slug)s”.", slug=slug))
    raw = request.args.get("round")
    try:
        number = parse_round_number(raw)
    except ValueError:
        abort(
            400,
            description=_(
                "Parametr „round” musi być numerem rundy (liczbą od 1), "
                "a nie „%(value)s”.",
                value=raw,
            ),
        )
    round_ = services.report_round(programme, number)
    if round_ is None and number is None:
        abort(
            404,
            description=_(
                "Program „%(slug)s” nie ma jeszcze opublikowanej rundy.", slug=slug
            ),
        )
    if round_ is None:
        abort(
            404,
            description=_(
                "Program „%(slug)s” nie ma opublikowanej rundy %(number)d.",
                slug=slug,
                number=number,
            ),
        )
    return services.build_report(round_, _sector_arg(programme), **page)


def _sector_arg(programme: Programme) -> Sector | None:
    slug = request.args.get("sector") or None
    if slug is None:
        return None
    sector = db.session.scalar(select(Sector).where(Sector.slug == slug))
    if sector is None:
        abort(404, description=_("Nie ma podzespołu „%(slug)s”.", slug=slug))
    return sector


def _page_arg() -> int:
    raw = request.args.get("page") or "1"
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1 or len(raw) > 9:
        abort(400)
    return int(raw)


def query_args(report: services.Report, **changes) -> dict:
    """The query of *report*'s address (round and sector spelt out)."""
    args = {"round": report.round.number}
    if report.sector is not None:
        args["sector"] = report.sector.slug
    return {**args, **changes}


@bp.get("/report")
def index():
    """Every programme and its public rounds, each linking to its report."""
    programmes = [
        (p, [(r, services.annotation_count(r)) for r in services.public_rounds(p)])
        for p in documents.all_programmes()
    ]
    return render_template("report/index.html", programmes=programmes)


@bp.get("/programmes/<slug>/report")
def show(slug: str):
    page = _page_arg()
    report = load_report(slug, offset=(page - 1) * PER_PAGE, limit=PER_PAGE)
    pages = max(1, -(-report.summary.total // PER_PAGE))
    if page > pages:
        abort(404)
    return render_template(
        "report/show.html",
        report=report,
        programme=report.programme,
        rows=report.rows,
        first_index=(page - 1) * PER_PAGE,
        page=page,
        pages=pages,
        columns=services.columns(report),
        rounds=services.public_rounds(report.programme),
        sectors=services.programme_sectors(report.programme),
        decision_order=services.DECISION_ORDER,
        decision_label=services.decision_label,
        query_args=lambda **changes: query_args(report, **changes),
        formats=FORMATS,
    )


@bp.get("/programmes/<slug>/report.<fmt>")
def download(slug: str, fmt: str):
    """The report as a CSV, XLSX or ODS file (every row, no pages)."""
    if fmt not in FORMATS:
        abort(404)
    report = load_report(slug)
    if fmt == "csv":  # streamed, in the request's context (its language)
        body = stream_with_context(exporting.report_csv(report))
    else:
        body = {"xlsx": exporting.report_xlsx, "ods": exporting.report_ods}[fmt](report)
    return Response(
        body,
        content_type=exporting.MIMETYPES[fmt],
        headers={
            "Content-Disposition": content_disposition(exporting.filename(report, fmt)),
            "X-Content-Type-Options": "nosniff",
        },
    )
