"""Helpers for the account and admin tests: sectors, CSRF tokens, page checks."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from flask.testing import FlaskClient

from tests.conftest import TEST_PASSWORD
from wpw.extensions import db
from wpw.sectors.models import Sector


def make_sectors() -> list[Sector]:
    """The demo's eight sub-teams, committed."""
    from wpw.demo.loader import SECTORS

    sectors = [
        Sector(slug=slug, number=number, name=name, name_en=name_en)
        for number, (slug, name, name_en) in enumerate(SECTORS, 1)
    ]
    db.session.add_all(sectors)
    db.session.commit()
    return sectors


def csrf_token(html: str, name: str = "csrf_token") -> str:
    """The value of the hidden CSRF field called *name* (e.g. ``role-csrf_token``)."""
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', html)
    assert match, f"no {name} field in the page"
    return match.group(1)


def login_with_token(client: FlaskClient, email: str) -> None:
    """Log in through the real form on an app with CSRF protection on."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def field_errors(html: str, field_id: str) -> list[str]:
    """The reasons the ``field`` macro shows under the input *field_id*."""
    match = re.search(
        rf'<ul class="errors" id="{re.escape(field_id)}-error">(.*?)</ul>', html, re.S
    )
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


class PageStructure(HTMLParser):
    """Collects what the accessibility checks below need from a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.controls: list[dict[str, str | None]] = []
        self.described_by: list[str] = []
        self.h1 = 0
        self.th_without_scope = 0
        self.empty_actions = 0
        self.forms_without_token = 0
        self._form_method: str | None = None
        self._form_has_token = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(a["id"])
        if a.get("aria-describedby"):
            self.described_by += a["aria-describedby"].split()
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(a)
        if tag == "input" and (a.get("name") or "").endswith("csrf_token"):
            self._form_has_token = True
        self.h1 += tag == "h1"
        self.th_without_scope += tag == "th" and not a.get("scope")
        if tag == "form":
            self.empty_actions += not a.get("action")
            self._form_method = (a.get("method") or "get").lower()
            self._form_has_token = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.forms_without_token += (
                self._form_method == "post" and not self._form_has_token
            )

    def problems(self) -> list[str]:
        """What breaks the page rules we promise; empty when none."""
        found = []
        if self.h1 != 1:
            found.append(f"{self.h1} h1 elements")
        duplicates = [i for i, n in Counter(self.ids).items() if n > 1]
        if duplicates:
            found.append(f"duplicate ids {duplicates}")
        unlabelled = [
            c.get("name") for c in self.controls if c.get("id") not in self.label_for
        ]
        if unlabelled:
            found.append(f"controls without a label {unlabelled}")
        dangling = set(self.described_by) - set(self.ids)
        if dangling:
            found.append(f"aria-describedby to missing ids {sorted(dangling)}")
        if self.th_without_scope:
            found.append(f"{self.th_without_scope} th without scope")
        if self.empty_actions:
            found.append(f"{self.empty_actions} forms without action")
        if self.forms_without_token:
            found.append(f"{self.forms_without_token} POST forms without a CSRF token")
        return found
