"""W3C Web Annotations in API v1: read a round's annotations, write with a token.

Routes are added to the ``api`` blueprint of :mod:`wpw.api.views`; the package
:mod:`wpw.api` imports this module, so they exist before the blueprint is
registered. Annotation resources answer as
``application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"``; errors stay
JSON ``{"error", "message"}``. Writing needs a personal API token
(``Authorization: Bearer …``, see :mod:`wpw.annotations.tokens`) and follows the
rules of the web form (:func:`wpw.annotations.services.create_annotation`).
Every malformed or invalid annotation is a 400 (never 422), a closed
consultation a 409.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, json, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import NotFound, Unauthorized
from werkzeug.routing import RequestRedirect

from wpw.annotations import services
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.annotations.tokens import user_for_token
from wpw.api import presenters
from wpw.api.views import bp, load_public_round, round_number_arg
from wpw.auth.models import User
from wpw.documents import services as documents
from wpw.documents.models import SectionVersion
from wpw.errors import Invalid
from wpw.extensions import db
from wpw.process.services import city_today

KINDS = {
    "commenting": AnnotationKind.COMMENT,
    "questioning": AnnotationKind.QUESTION,
    "editing": AnnotationKind.CHANGE,
    "replying": AnnotationKind.REPLY,
}


def ld_response(body: dict[str, Any], status: int = 200, **headers: str) -> Response:
    """*body* as a Web Annotation resource."""
    return Response(
        json.dumps(body),
        status=status,
        headers=headers,
        content_type=presenters.ANNO_MEDIA_TYPE,
    )


def load_public_version(version_id: int) -> SectionVersion:
    version = db.session.get(SectionVersion, version_id)
    if version is None or not version.round.is_public:
        abort(404, description=_("Nie ma opublikowanej wersji %(id)d.", id=version_id))
    return version


def load_public_annotation(annotation_id: int) -> Annotation:
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or not annotation.round.is_public:
        abort(404, description=_("Nie ma uwagi %(id)d.", id=annotation_id))
    return annotation


@bp.get("/versions/<int:version_id>")
def show_version(version_id: int) -> dict[str, Any]:
    """One section version by id: the ``source`` of the annotations made on it."""
    version = load_public_version(version_id)
    history = documents.section_history(version.section)
    return presenters.section_detail(version, history)


@bp.get("/users/<int:user_id>")
def show_user(user_id: int) -> dict[str, Any]:
    """An annotation's author: name and organisation, only if they annotated."""
    user = db.session.get(User, user_id)
    wrote = db.session.scalar(
        select(Annotation.id).where(Annotation.author_id == user_id).limit(1)
    )
    if user is None or wrote is None:
        abort(404, description=_("Nie ma autora uwag o numerze %(id)d.", id=user_id))
    return presenters.person(user)


@bp.get("/annotations/<int:annotation_id>")
def show_annotation(annotation_id: int) -> Response:
    return ld_response(presenters.annotation(load_public_annotation(annotation_id)))


@bp.get("/programmes/<slug>/annotations")
def list_annotations(slug: str) -> Response:
    """A public round's annotations and replies: the collection, or ``page``."""
    round_ = load_public_round(slug, round_number_arg("round"))
    in_round = Annotation.round_id == round_.id
    total = db.session.scalar(select(func.count(Annotation.id)).where(in_round)) or 0
    if "page" not in request.args:
        return ld_response(presenters.annotation_collection(round_, total))
    page = _page_arg(presenters.page_count(total))
    items = db.session.scalars(
        select(Annotation)
        .where(in_round)
        .order_by(Annotation.id)
        .offset((page - 1) * presenters.PAGE_SIZE)
        .limit(presenters.PAGE_SIZE)
    ).all()
    return ld_response(presenters.annotation_page(round_, page, total, items))


def _page_arg(last: int) -> int:
    raw = request.args.get("page", "")
    if not raw.isdigit() or int(raw) < 1:
        abort(400, description=_("Parametr „page” musi być liczbą od 1."))
    if int(raw) > last:
        abort(404, description=_("Ostatnia strona to %(last)d.", last=last))
    return int(raw)


@bp.post("/annotations")
def create_annotation() -> Response:
    """Create an annotation (or a reply) from a W3C annotation, with a token."""
    actor = _token_user()
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description=_("Wyślij adnotację W3C jako obiekt JSON."))
    kind = _kind(data)
    try:
        if kind is AnnotationKind.REPLY:
            parent = _endpoint_object(data.get("target"), "api.show_annotation")
            created = services.reply(actor, parent, _text(data), today=city_today())
        else:
            created = _annotate(actor, data, kind)
    except Invalid as error:
        abort(400, description=error.message)
    db.session.commit()
    url = presenters.annotation_url(created)
    return ld_response(presenters.annotation(created), 201, Location=url)


def _token_user() -> User:
    """The owner of the request's bearer token, or a 401 asking for one."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise Unauthorized(
            _("Podaj ważny osobisty token API: nagłówek Authorization: Bearer …"),
            www_authenticate=WWWAuthenticate("bearer", {"realm": "wpw"}),
        )
    return user


def _kind(data: dict[str, Any]) -> AnnotationKind:
    motivation = data.get("motivation")
    if isinstance(motivation, list) and len(motivation) == 1:
        motivation = motivation[0]
    if not isinstance(motivation, str) or motivation not in KINDS:
        abort(
            400,
            description=_(
                "Motywacja musi być jedną z: %(kinds)s.", kinds=", ".join(KINDS)
            ),
        )
    return KINDS[motivation]


def _bodies(data: dict[str, Any]) -> list[dict[str, Any]]:
    if isinstance(data.get("bodyValue"), str):
        return [{"type": "TextualBody", "value": data["bodyValue"]}]
    body = data.get("body")
    bodies = body if isinstance(body, list) else [body] if body is not None else []
    if not all(isinstance(b, dict) and isinstance(b.get("value"), str) for b in bodies):
        abort(400, description=_("Treść musi być obiektem TextualBody z „value”."))
    return bodies


def _text(data: dict[str, Any], purpose: str | None = None) -> str:
    """The value of the one body with *purpose* (any other purpose by default)."""
    found = [
        b["value"]
        for b in _bodies(data)
        if (b.get("purpose") == purpose if purpose else b.get("purpose") != "editing")
    ]
    if len(found) > 1:
        abort(400, description=_("Adnotacja ma za dużo treści (body)."))
    return found[0] if found else ""


def _annotate(actor: User, data: dict[str, Any], kind: AnnotationKind) -> Annotation:
    target = data.get("target")
    if not isinstance(target, dict):
        abort(400, description=_("Cel (target) musi być obiektem SpecificResource."))
    version = _endpoint_object(target.get("source"), "api.show_version")
    start, end = _offsets(version.text, target.get("selector"))
    return services.create_annotation(
        actor,
        version,
        kind=kind,
        body=_text(data),
        first_line=version.text.count("\n", 0, start) + 1,
        last_line=version.text.count("\n", 0, end) + 1,
        start=start,
        end=end,
        replacement=_text(data, "editing") if kind is AnnotationKind.CHANGE else None,
        today=city_today(),
    )


def _endpoint_object(url: Any, endpoint: str) -> Any:
    """The public version or annotation that *url* (one of ours) names, or a 400."""
    unknown = _("Nieznany lub obcy adres: %(url)s", url=url)
    if not isinstance(url, str):
        abort(400, description=unknown)
    parts = urlsplit(url)
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        if parts.netloc != request.host or parts.scheme != request.scheme:
            raise NotFound
        found, values = adapter.match(parts.path, method="GET")
    except (NotFound, RequestRedirect):
        abort(400, description=unknown)
    if found != endpoint or parts.query or parts.fragment:
        abort(400, description=unknown)
    try:
        if endpoint == "api.show_version":
            return load_public_version(values["version_id"])
        return load_public_annotation(values["annotation_id"])
    except NotFound:
        abort(400, description=unknown)


def _offsets(text: str, selector: Any) -> tuple[int, int]:
    """Start and end in *text* from a TextPosition and/or TextQuote selector."""
    selectors = selector if isinstance(selector, list) else [selector]
    by_type = {s.get("type"): s for s in selectors if isinstance(s, dict)}
    position = by_type.get("TextPositionSelector")
    quote = by_type.get("TextQuoteSelector")
    if position is not None:
        start, end = position.get("start"), position.get("end")
        if not (isinstance(start, int) and isinstance(end, int)):
            abort(400, description=_("TextPositionSelector wymaga liczb start i end."))
        if quote is not None and text[start:end] != quote.get("exact"):
            abort(
                400,
                description=_("Cytat (exact) nie zgadza się z tekstem w tym miejscu."),
            )
        return start, end
    if quote is not None:
        return _find_quote(text, quote)
    abort(400, description=_("Podaj TextPositionSelector lub TextQuoteSelector."))


def _find_quote(text: str, quote: dict[str, Any]) -> tuple[int, int]:
    """The one place where exact stands between prefix and suffix; else a 400."""
    exact, prefix, suffix = (quote.get(k) or "" for k in ("exact", "prefix", "suffix"))
    if not all(isinstance(v, str) for v in (exact, prefix, suffix)) or not exact:
        abort(400, description=_("TextQuoteSelector wymaga niepustego „exact”."))
    starts, i = [], text.find(exact)
    while i != -1:
        if text.endswith(prefix, 0, i) and text.startswith(suffix, i + len(exact)):
            starts.append(i)
        i = text.find(exact, i + 1)
    if len(starts) != 1:
        abort(
            400,
            description=_("Cytatu nie ma w tekście.")
            if not starts
            else _("Cytat występuje w tekście kilka razy: dodaj prefix lub suffix."),
        )
    return starts[0], starts[0] + len(exact)
