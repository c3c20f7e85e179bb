"""Polish by default; English by the browser's preference or a remembered switch."""

import pytest


def _lang(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_polish_by_default(client, demo) -> None:
    page = client.get("/")
    assert _lang(page) == "pl" and "Strona główna" in page.get_data(as_text=True)


def test_accept_language_english(client, demo) -> None:
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert _lang(page) == "en" and "Home" in page.get_data(as_text=True)
    page = client.get("/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert _lang(page) == "pl"


def test_switch_is_remembered_and_redirects_back(client, demo) -> None:
    switch = client.get("/language/en?next=/sectors/")
    assert switch.status_code == 302 and switch.headers["Location"] == "/sectors/"
    assert "wpw_lang=en" in switch.headers["Set-Cookie"]
    page = client.get("/sectors/", headers={"Accept-Language": "pl"})
    assert _lang(page) == "en" and "Sector sub-teams" in page.get_data(as_text=True)
    client.get("/language/pl")
    assert _lang(client.get("/sectors/")) == "pl"


def test_switch_ignores_foreign_next_and_unknown_language(client, demo) -> None:
    client.get("/language/xx")
    assert _lang(client.get("/")) == "pl"
    for target in ("https://evil.example/", "//evil.example", "/\\evil.example"):
        response = client.get("/language/en", query_string={"next": target})
        assert response.headers["Location"] == "/"


def test_every_message_has_an_english_translation() -> None:
    """Extract the messages afresh: none may lack an English translation, so the
    catalogue cannot silently fall behind the templates and code."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    with open(root / "wpw/translations/en/LC_MESSAGES/messages.po", "rb") as f:
        catalogue = read_po(f)
    keywords = {
        "_": None,
        "gettext": None,
        "ngettext": (1, 2),
        "lazy_gettext": None,
        "_l": None,
        "translated_pattern": None,
    }
    missing = set()
    sources = [
        ("wpw", "python"),
        ("templates", "jinja2"),
        ("templates/_macros", "jinja2"),
    ]
    for folder, method in sources:  # Babel skips "_macros" unless named on its own
        # Page templates are .html, mail templates .txt
        patterns = ["**.py"] if method == "python" else ["**.html", "**.txt"]
        options = {"extensions": "jinja2.ext.do"} if method == "jinja2" else {}
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            root / folder,
            method_map=[(pattern, method) for pattern in patterns],
            options_map={pattern: options for pattern in patterns},
            keywords=keywords,
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalogue.get(msgid)
            strings = entry.string if entry else None
            if not entry or not (
                any(strings) if isinstance(strings, tuple) else strings
            ):
                missing.add(msgid)
    assert not missing, f"{len(missing)} messages lack English: {sorted(missing)[:10]}"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "Zmiana 5: &lt;b&gt; <i>x</i>"), ("en", "Change 5: &lt;b&gt; <i>x</i>")],
)
def test_translated_pattern_is_translated_once_and_filled_escaped(
    app, language, expected
) -> None:
    """``translated_pattern`` gives the message in the page's language, unfilled;
    ``|format`` fills it, escaping text but not markup — as ``_()`` would."""
    template = app.jinja_env.from_string(
        "{% autoescape true %}{% macro m() %}<i>x</i>{% endmacro %}"
        '{% set p = translated_pattern("Zmiana %(n)d: %(why)s") %}'
        '{{ p|format(n=5, why="<b>" ~ " " ~ m()) }}{% endautoescape %}'
    )
    with app.test_request_context(headers={"Accept-Language": language}):
        assert template.render() == expected
