"""Language choice: Polish by default, English by a remembered switch or the browser.

Order: the user's switch (kept in the session and a long-lived cookie), then the
browser's ``Accept-Language``, then Polish.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale, gettext
from markupsafe import Markup

from wpw.core import CITY_TIMEZONE
from wpw.extensions import babel

LANG_COOKIE = "wpw_lang"


def select_locale() -> str:
    languages = current_app.config["WPW_LANGUAGES"]
    if not has_request_context():  # the CLI speaks the default language
        return languages[0]
    chosen = session.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def current_language() -> str:
    return str(get_locale() or "pl")


#: Short date and time per language, as Babel's "short" formats print them.
_SHORT_DATETIME = {"pl": "%d.%m.%Y, %H:%M", "en": "%d/%m/%Y, %H:%M"}


def short_datetime(value: datetime) -> str:
    """*value* in the city's time zone, e.g. "26.11.2026, 10:15".

    Babel's ``format_datetime`` costs ~0.1 ms a call; a page listing hundreds of
    annotations formats hundreds of dates, so this filter uses a fixed pattern.
    """
    local = value.astimezone(CITY_TIMEZONE)
    return local.strftime(
        _SHORT_DATETIME.get(current_language(), _SHORT_DATETIME["pl"])
    )


def translated_pattern(msgid: str) -> str:
    """*msgid* translated but not filled in, for a template that fills one message
    many times: ``{% set change = translated_pattern("Zmiana %(n)d") %}`` once,
    then ``{{ change|format(n=n) }}`` per use. A template's ``_()`` looks the
    message up each time (~20 µs), and a comparison page fills some messages a
    thousand times. Extracted like ``_`` (``make extract-messages``).

    Markup, as the template's ``_()`` makes it: filling it escapes the values,
    except those already markup (a macro's output).
    """
    return Markup(gettext(msgid))  # noqa: S704  (our own catalogue, as Jinja trusts it)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["translated_pattern"] = translated_pattern
    app.jinja_env.filters["short_datetime"] = short_datetime
