"""URLs from the request: redirect targets from the query string (``next=``),
and this page's address with some arguments changed (pagers)."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import request


def safe_next(target: str | None) -> str | None:
    """Return *target* if it is a local path on this site, else ``None``.

    Refuses absolute URLs, scheme-relative ``//host`` and backslash tricks
    (``/\\host``) that some browsers treat as another host.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def this_url_with(
    *, anchor: str = "", external: bool = False, **changes: object
) -> str:
    """This request's URL with the query arguments *changes* set and the others
    kept as they are (repeated ones too): ``this_url_with(page=2)`` for a pager.

    *external*: with scheme and host. *anchor*: a fragment to end with.
    """
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in changes]
    args += [(k, str(v)) for k, v in changes.items()]
    url = f"{request.base_url if external else request.path}?{urlencode(args)}"
    return f"{url}#{anchor}" if anchor else url
