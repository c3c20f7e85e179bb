"""What every presenter shares: the JSON type, ISO dates, absolute URLs and the
public rounds (see :mod:`wpw.api.presenters`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import url_for

from wpw.documents.models import Round

JSON = dict[str, Any]


def iso_datetime(value: datetime | None) -> str | None:
    """*value* in UTC as ISO 8601 to the second, e.g. ``2011-09-20T10:00:00Z``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(value: date) -> str:
    return value.isoformat()


def external_url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def public_rounds(rounds: Sequence[Round]) -> list[Round]:
    return [r for r in rounds if r.is_public]
