"""``GET /api/v1/search``: the search page's search as JSON (same parameters).

Anyone may search; ``hidden=1`` (include hidden items) needs a Coordinating Team
account, signed in or by a personal API token, and answers 403 otherwise. A
malformed query is never an error: ``messages`` says what was searched instead.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_login import current_user

from wpw.annotations.tokens import user_for_token
from wpw.api.presenters import iso_datetime
from wpw.api.views import bp
from wpw.auth.models import User
from wpw.errors import NotAllowed
from wpw.search import services
from wpw.search.views import hit_url
from wpw.urls import this_url_with

JSON = dict[str, Any]


def _actor() -> User | None:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return user_for_token(token.strip())
    return current_user if current_user.is_authenticated else None


def _hit(hit: services.Hit) -> JSON:
    if hit.doc_type == "annotation":
        url = url_for(
            "api.show_annotation", annotation_id=hit.object_id, _external=True
        )
    else:
        url = url_for("api.show_version", version_id=hit.object_id, _external=True)
    return {
        "type": hit.doc_type,
        "kind": hit.kind,
        "programme": hit.programme,
        "round": hit.round,
        "section": hit.section,
        "title": hit.title,
        "first_line": hit.first_line,
        "last_line": hit.last_line,
        "date": iso_datetime(hit.date),
        "decision": hit.decision,
        "organisation": hit.organisation,
        "state": hit.state,
        "hidden": hit.hidden,
        "snippets": [{"label": s.label, "html": str(s.html)} for s in hit.snippets],
        "url": url,
        "html_url": hit_url(hit, _external=True),
    }


def _facets(result: services.SearchResult) -> JSON:
    facets: JSON = {name: [] for name in services.FACETS}
    for facet in result.facets:
        facets[facet.name] = [
            {
                "value": v.value,
                "label": v.label,
                "count": v.count,
                "selected": v.selected,
            }
            for v in facet.values
        ]
    return facets


@bp.get("/search")
def search() -> JSON:
    """Search annotations, replies, decisions and public section text."""
    params, messages = services.params_from_args(request.args)
    try:
        result = services.search(_actor(), params)
    except NotAllowed as error:
        abort(403, description=error.message)
    return {
        "query": params.q,
        "searched": result.searched,
        "messages": [*messages, *result.messages],
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "per_page": services.PER_PAGE,
        "results": [_hit(hit) for hit in result.hits],
        "facets": _facets(result),
        "prev": this_url_with(page=result.page - 1, external=True)
        if result.page > 1
        else None,
        "next": this_url_with(page=result.page + 1, external=True)
        if result.page < result.pages
        else None,
    }
