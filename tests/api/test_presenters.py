"""Presenter helpers that need no app: dates in ISO 8601."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from wpw.api.presenters import iso_date, iso_datetime

WARSAW_SUMMER = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        (datetime(2011, 9, 20, 10, 0, tzinfo=UTC), "2011-09-20T10:00:00Z"),
        (
            datetime(2011, 9, 20, 12, 0, 30, 999, tzinfo=WARSAW_SUMMER),
            "2011-09-20T10:00:30Z",
        ),
    ],
)
def test_iso_datetime_is_utc_to_the_second(
    value: datetime | None, expected: str | None
) -> None:
    assert iso_datetime(value) == expected


def test_iso_date() -> None:
    assert iso_date(date(2011, 6, 13)) == "2011-06-13"
