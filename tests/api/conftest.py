"""Fixtures for the JSON API: a small programme built through the services, a
client that insists on JSON, and a validator that checks every body against the
schema the OpenAPI document gives for its endpoint.

The small programme has round 1 (closed), round 2 (published) and round 3
(working). Round 2 moves "formy" to the top, renames "cele", drops "usuniety" and
adds "nowy" and an empty "pusty"; round 3 changes "cele" and adds "szkic", both
carrying :data:`DRAFT_MARKER`, which the API must never show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import make_user
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.api.openapi import openapi_document
from wpw.api.presenters import ANNO_MEDIA_TYPE
from wpw.auth.models import Role, User
from wpw.documents import services
from wpw.documents.models import Programme, Round, Section
from wpw.extensions import db
from wpw.process.models import Phase, PhaseKind
from wpw.sectors.models import Sector

SLUG = "program-testowy"
API = "http://localhost/api/v1"
DRAFT_MARKER = "TAJNY-SZKIC"

CELE_1 = "Pierwszy wiersz celów.\nDrugi wiersz.\n\nCzwarty, po pustym."
CELE_2 = "Pierwszy wiersz celów.\nDrugi wiersz, poprawiony.\n\nCzwarty, po pustym."
FORMY = "Formy finansowe.\nFormy pozafinansowe."


@dataclass
class SmallProgramme:
    programme: Programme
    coordinator: User
    rounds: dict[int, Round]


def _save(
    coordinator: User,
    round_: Round,
    section: Section,
    number: str,
    title: str,
    position: int,
    text: str,
) -> None:
    services.save_section_version(
        coordinator,
        round_,
        section,
        number=number,
        title=title,
        position=position,
        text=text,
    )


@pytest.fixture
def small(app: Flask) -> SmallProgramme:
    """The small programme described in the module docstring, committed."""
    return build_small()


def build_small() -> SmallProgramme:
    """Build and commit the small programme in the current app's database."""
    coordinator = make_user(Role.COORDINATOR)
    education = Sector(slug="edukacja", number=2, name="Edukacja", name_en="Education")
    culture = Sector(slug="kultura", number=4, name="Kultura", name_en="Culture")
    programme = Programme(slug=SLUG, title="Program testowy", description="Opis.")
    db.session.add_all([education, culture, programme])
    sections = {
        key: Section(programme=programme, key=key)
        for key in ("cele", "formy", "usuniety", "nowy", "pusty", "szkic")
    }
    sections["formy"].sectors = [education, culture]
    db.session.add_all(sections.values())
    db.session.flush()

    one = services.create_round(coordinator, programme, "Założenia")
    _save(coordinator, one, sections["cele"], "§ 1", "Cele", 1, CELE_1)
    _save(coordinator, one, sections["formy"], "§ 2", "Formy", 2, FORMY)
    _save(coordinator, one, sections["usuniety"], "§ 3", "Usunięty", 3, "Do usunięcia.")
    services.publish_round(coordinator, one, "Pierwsza runda.")

    two = services.create_round(coordinator, programme, "Projekt")
    _save(coordinator, two, sections["formy"], "§ 1", "Formy współpracy", 1, FORMY)
    _save(coordinator, two, sections["cele"], "§ 2", "Cele programu", 2, CELE_2)
    _save(coordinator, two, sections["nowy"], "§ 3", "Nowy", 3, "Nowy paragraf.")
    _save(coordinator, two, sections["pusty"], "§ 4", "Pusty", 4, "")
    services.publish_round(coordinator, two, "Druga runda.")

    three = services.create_round(coordinator, programme, "Wersja robocza")
    _save(coordinator, three, sections["cele"], "§ 1", "Cele", 1, DRAFT_MARKER)
    _save(coordinator, three, sections["szkic"], "§ 2", DRAFT_MARKER, 2, DRAFT_MARKER)

    for position, (kind, round_) in enumerate(
        [
            (PhaseKind.MEETING, None),
            (PhaseKind.CONSULTATION, two),
            (PhaseKind.DRAFTING, three),
        ],
        1,
    ):
        db.session.add(
            Phase(
                programme=programme,
                kind=kind,
                name=f"Etap {position}",
                name_en=f"Phase {position}",
                starts_on=date(2011, 6, position),
                ends_on=date(2011, 7, position),
                position=position,
                round=round_,
            )
        )
    db.session.commit()
    return SmallProgramme(programme, coordinator, {1: one, 2: two, 3: three})


class JsonClient:
    """GETs API paths (relative to ``/api/v1`` or absolute URLs) and checks
    that the answer is JSON (or *content_type*) with the expected status."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(
        self, path: str, status: int = 200, content_type: str = "application/json"
    ) -> Any:
        url = path if path.startswith("http") else API + path
        response = self.client.get(url)
        assert response.status_code == status, (url, response.get_data(as_text=True))
        assert response.content_type == content_type, url
        return response.get_json(force=True)

    def get_ld(self, path: str, status: int = 200) -> Any:
        """A Web Annotation resource (an error is still plain JSON)."""
        media = ANNO_MEDIA_TYPE if status == 200 else "application/json"
        return self.get(path, status, media)


@pytest.fixture
def api(client: FlaskClient) -> JsonClient:
    return JsonClient(client)


def documented_response(
    app: Flask, document: dict, url: str, method: str = "GET", status: str = "200"
) -> tuple[str, dict]:
    """The media type and schema that the document gives for the *status*
    answer of the endpoint serving *method* *url*."""
    path = urlsplit(url).path
    endpoint, _ = app.url_map.bind("localhost").match(path, method=method)
    operation_id = endpoint.removeprefix("api.")
    for item in document["paths"].values():
        operation = item.get(method.lower())
        if operation is not None and operation["operationId"] == operation_id:
            ((media_type, content),) = operation["responses"][status]["content"].items()
            return media_type, content["schema"]
    raise AssertionError(f"{endpoint} is not in the OpenAPI document")


def response_schema(app: Flask, document: dict, url: str) -> dict:
    """The 200 schema the document gives for the endpoint that serves GET *url*."""
    return documented_response(app, document, url)[1]


Validate = Callable[[Any, dict], None]


@pytest.fixture
def validate() -> Validate:
    """``validate(body, schema)`` against a schema of the OpenAPI document, with
    its ``$ref``s resolved and formats checked. Skips without jsonschema."""
    jsonschema = pytest.importorskip("jsonschema")
    components = openapi_document()["components"]

    def check(body: Any, schema: dict) -> None:
        validator = jsonschema.Draft202012Validator(
            {**schema, "components": components},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        )
        validator.validate(body)

    return check


def schema_ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


#: Inside the small programme's consultation of round 2 (June–July 2011).
CONSULTATION_DAY = date(2011, 6, 15)
HIDDEN_TEXT = "TAJNA-OBRAZA"


@dataclass
class Annotated:
    """Annotations on round 2 of the small programme (see :func:`annotated`)."""

    small: SmallProgramme
    author: User
    comment: Annotation
    change: Annotation
    question: Annotation
    reply: Annotation
    hidden: Annotation
    withdrawn: Annotation


@pytest.fixture
def annotated(small: SmallProgramme) -> Annotated:
    """A comment, a proposed change, a question on "formy", a reply, a hidden
    comment (its text is :data:`HIDDEN_TEXT`) and a withdrawn one, committed."""
    author = make_user(name="Anna Autorka", organisation="Fundacja Testowa")
    two = small.rounds[2]
    cele = next(v for v in two.versions if v.section.key == "cele")
    formy = next(v for v in two.versions if v.section.key == "formy")

    def make(kind, version, body, line=1, **extra):
        return annotations.create_annotation(
            author,
            version,
            kind=kind,
            body=body,
            first_line=line,
            last_line=line,
            today=CONSULTATION_DAY,
            **extra,
        )

    comment = make(AnnotationKind.COMMENT, cele, "Dobry cel.")
    change = make(
        AnnotationKind.CHANGE, cele, "Jaśniej.", 2, replacement="Drugi, jaśniej."
    )
    question = make(AnnotationKind.QUESTION, formy, "Jakie formy?")
    reply = annotations.reply(author, comment, "Zgadzam się.", today=CONSULTATION_DAY)
    hidden = make(AnnotationKind.COMMENT, cele, HIDDEN_TEXT, 4)
    annotations.hide(small.coordinator, hidden, "Obraźliwy język.")
    withdrawn = make(AnnotationKind.COMMENT, formy, "Jednak nie.", 2)
    annotations.withdraw_annotation(author, withdrawn)
    db.session.commit()
    return Annotated(small, author, comment, change, question, reply, hidden, withdrawn)
