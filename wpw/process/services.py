"""Reading the schedule: today's date in the city and the current phases."""

from __future__ import annotations

from datetime import date, datetime

from wpw.core import CITY_TIMEZONE
from wpw.documents.models import Programme
from wpw.process.models import Phase


def city_today(now: datetime | None = None) -> date:
    """Today's date in Kraków: phases start and end on the city's calendar days."""
    return (now or datetime.now(CITY_TIMEZONE)).astimezone(CITY_TIMEZONE).date()


def current_phases(programme: Programme, today: date) -> list[Phase]:
    """The phases running on *today*, in schedule order."""
    return [p for p in programme.phases if p.is_current(today)]
