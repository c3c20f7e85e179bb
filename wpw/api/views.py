"""Read-only JSON API v1: programmes, their public rounds and section versions.

Only public rounds (published or closed) exist here. A working round answers 404
to everyone, the Coordinating Team included, exactly like a round that does not
exist, so the API never reveals a draft. Errors are JSON ``{"error", "message"}``
(see :mod:`wpw.errors`); the whole API is described by ``/api/v1/openapi.json``.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request
from flask_babel import gettext as _

from wpw.api import presenters
from wpw.api.openapi import openapi_document
from wpw.compare import services as compare
from wpw.documents import services
from wpw.documents.models import Programme, Round, SectionVersion

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def load_programme(slug: str) -> Programme:
    """The programme with *slug*, or a JSON 404."""
    programme = services.programme_by_slug(slug)
    if programme is None:
        abort(404, description=_("Nie ma programu „%(slug)s”.", slug=slug))
    return programme


def load_public_round(slug: str, number: int) -> Round:
    """The public round, or a JSON 404 that reads the same for a working round."""
    round_ = services.round_by_number(load_programme(slug), number)
    if round_ is None or not round_.is_public:
        abort(
            404,
            description=_(
                "Program „%(slug)s” nie ma opublikowanej rundy %(number)d.",
                slug=slug,
                number=number,
            ),
        )
    return round_


def load_public_version(slug: str, number: int, key: str) -> SectionVersion:
    version = services.version_in_round(load_public_round(slug, number), key)
    if version is None:
        abort(
            404,
            description=_(
                "Runda %(number)d nie ma paragrafu „%(key)s”.", number=number, key=key
            ),
        )
    return version


@bp.get("/programmes")
def list_programmes() -> dict[str, Any]:
    """Every programme, newest first (as on the home page)."""
    programmes = services.all_programmes()
    return presenters.programme_list(programmes)


@bp.get("/programmes/<slug>")
def show_programme(slug: str) -> dict[str, Any]:
    return presenters.programme_detail(load_programme(slug))


@bp.get("/programmes/<slug>/rounds")
def list_rounds(slug: str) -> dict[str, Any]:
    return presenters.round_list(load_programme(slug))


@bp.get("/programmes/<slug>/rounds/<int:number>")
def show_round(slug: str, number: int) -> dict[str, Any]:
    return presenters.round_detail(load_public_round(slug, number))


@bp.get("/programmes/<slug>/rounds/<int:number>/sections/<key>")
def show_section(slug: str, number: int, key: str) -> dict[str, Any]:
    version = load_public_version(slug, number, key)
    history = services.section_history(version.section)
    return presenters.section_detail(version, history)


def round_number_arg(name: str) -> int:
    """The round number in query parameter *name*, or a JSON 400."""
    raw = request.args.get(name)
    try:
        number = compare.parse_round_number(raw)
    except ValueError:
        abort(
            400,
            description=_(
                "Parametr „%(name)s” musi być numerem rundy (liczbą od 1), "
                "a nie „%(value)s”.",
                name=name,
                value=raw,
            ),
        )
    if number is None:
        abort(
            400,
            description=_(
                "Brak parametru „%(name)s”: podaj numer rundy, np. %(name)s=1.",
                name=name,
            ),
        )
    return number


@bp.get("/programmes/<slug>/compare")
def compare_rounds(slug: str) -> dict[str, Any]:
    """Two public rounds compared, whole programme or one ``section``."""
    load_programme(slug)
    numbers = round_number_arg("from"), round_number_arg("to")
    from_round, to_round = (load_public_round(slug, n) for n in numbers)
    key = request.args.get("section") or None
    comparison = compare.compare_rounds(None, from_round, to_round, section_key=key)
    if key is not None and not comparison.sections:
        abort(
            404,
            description=_(
                "Ani runda %(a)d, ani runda %(b)d nie ma paragrafu „%(key)s”.",
                a=from_round.number,
                b=to_round.number,
                key=key,
            ),
        )
    return presenters.comparison(comparison)


@bp.get("/openapi.json")
def openapi() -> dict[str, Any]:
    """This API described as OpenAPI 3.1 (``api.openapi`` is linked from every page)."""
    return openapi_document()
