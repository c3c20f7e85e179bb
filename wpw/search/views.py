"""The search page (blueprint ``search``): public, every filter a URL parameter."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from wpw.errors import DomainError
from wpw.search import services
from wpw.search.forms import SearchForm

bp = Blueprint("search", __name__, url_prefix="/search")


def hit_url(hit: services.Hit, **kwargs: Any) -> str:
    """The section page of *hit*'s round, at its lines (``?lines=3-5#L3``)."""
    url = url_for(
        "documents.section",
        slug=hit.programme,
        number=hit.round,
        key=hit.section,
        **kwargs,
    )
    if hit.first_line:
        lines = f"{hit.first_line}-{hit.last_line or hit.first_line}"
        url += "?" + urlencode({"lines": lines}) + f"#L{hit.first_line}"
    return url


def thread_url(hit: services.Hit, **kwargs: Any) -> str | None:
    if hit.doc_type != "annotation":
        return None
    return url_for("annotations.thread", annotation_id=hit.root_id, **kwargs)


def _search_url(args: MultiDict) -> str:
    pairs = [(k, v) for k, v in args.items(multi=True) if v != ""]
    return url_for("search.index") + ("?" + urlencode(pairs) if pairs else "")


def _url_with(args: MultiDict, **changes: Any) -> str:
    """This page's URL with *args* changed: ``name=value`` sets, ``None`` drops;
    any change but the page's goes back to page 1."""
    args = MultiDict(args)
    if "page" not in changes:
        args.poplist("page")
    for name, value in changes.items():
        args.setlist(name, [] if value is None else [str(value)])
    return _search_url(args)


def _toggle_url(args: MultiDict, name: str, value: str) -> str:
    """The URL adding *value* to facet *name*, or removing it if chosen."""
    args = MultiDict(args)
    values = args.getlist(name)
    chosen = [v for v in values if v != value] if value in values else [*values, value]
    args.setlist(name, chosen)
    args.poplist("page")
    return _search_url(args)


@bp.get("")
def index() -> ResponseReturnValue:
    """Search comments, replies, decisions and published text."""
    form = SearchForm(formdata=request.args)
    params, messages = services.params_from_args(request.args)
    may_hide = services.can_include_hidden(current_user)
    if params.include_hidden and not may_hide:
        params = replace(params, include_hidden=False)
    searched = bool(request.args)
    result, status = None, 200
    if searched:
        try:
            result = services.search(current_user, params)
        except DomainError as error:
            messages.append(error.message)
            status = error.status_code
    return render_template(
        "search/index.html",
        form=form,
        params=params,
        result=result,
        messages=[*messages, *(result.messages if result else ())],
        may_include_hidden=may_hide,
        hit_url=hit_url,
        thread_url=thread_url,
        url_with=lambda **changes: _url_with(request.args, **changes),
        toggle_url=lambda name, value: _toggle_url(request.args, name, value),
        facet_names=services.FACETS,
    ), status
