"""W3C Web Annotations in the API: the collection, its pages, one annotation,
the version a target points at, authors, and creating with a personal token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import (
    API,
    CONSULTATION_DAY,
    HIDDEN_TEXT,
    SLUG,
    Annotated,
    JsonClient,
    SmallProgramme,
    Validate,
    build_small,
    documented_response,
    schema_ref,
)
from tests.conftest import make_user
from wpw.annotations import services as annotations
from wpw.annotations import tokens
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.api.openapi import openapi_document
from wpw.api.presenters import ANNO_CONTEXT, ANNO_MEDIA_TYPE, PAGE_SIZE
from wpw.extensions import db
from wpw.process.models import Phase, PhaseKind
from wpw.process.services import city_today

COLLECTION = f"/programmes/{SLUG}/annotations?round=2"


def _url(annotation: Annotation) -> str:
    return f"{API}/annotations/{annotation.id}"


# Reading -------------------------------------------------------------------


def test_collection(api: JsonClient, annotated: Annotated) -> None:
    response = api.client.get(API + COLLECTION)
    assert response.headers["Content-Type"] == (
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    )
    body = response.get_json(force=True)
    assert body == {
        "@context": ANNO_CONTEXT,
        "id": API + COLLECTION,
        "type": "AnnotationCollection",
        "label": "Uwagi do rundy 2 programu „Program testowy”",
        "total": 6,
        "first": f"{API}{COLLECTION}&page=1",
        "last": f"{API}{COLLECTION}&page=1",
    }


def test_page_holds_every_annotation_and_reply(
    api: JsonClient, annotated: Annotated
) -> None:
    page = api.get_ld(f"{COLLECTION}&page=1")
    assert page["type"] == "AnnotationPage"
    assert page["partOf"] == API + COLLECTION
    assert page["startIndex"] == 0
    assert page["prev"] is page["next"] is None
    expected = [
        annotated.comment,
        annotated.change,
        annotated.question,
        annotated.reply,
        annotated.hidden,
        annotated.withdrawn,
    ]
    assert [item["id"] for item in page["items"]] == [_url(a) for a in expected]


def test_a_comment(api: JsonClient, annotated: Annotated) -> None:
    body = api.get_ld(f"/annotations/{annotated.comment.id}")
    version = annotated.comment.version
    assert body == {
        "@context": ANNO_CONTEXT,
        "id": _url(annotated.comment),
        "type": "Annotation",
        "motivation": "commenting",
        "created": body["created"],
        "modified": body["modified"],
        "creator": {
            "id": f"{API}/users/{annotated.author.id}",
            "type": "Person",
            "name": "Anna Autorka",
        },
        "body": [
            {
                "type": "TextualBody",
                "value": "Dobry cel.",
                "format": "text/plain",
                "language": "pl",
                "purpose": "commenting",
            }
        ],
        "target": {
            "type": "SpecificResource",
            "source": f"{API}/versions/{version.id}",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "Pierwszy wiersz celów.",
                    "prefix": "",
                    "suffix": "\nDrugi wiersz, poprawiony.\n\nCzwa",
                },
                {"type": "TextPositionSelector", "start": 0, "end": 22},
            ],
        },
    }
    assert body["created"].endswith("Z") and body["modified"].endswith("Z")


def test_motivations_and_bodies(api: JsonClient, annotated: Annotated) -> None:
    change = api.get_ld(f"/annotations/{annotated.change.id}")
    assert change["motivation"] == "editing"
    assert [(b["purpose"], b["value"]) for b in change["body"]] == [
        ("commenting", "Jaśniej."),
        ("editing", "Drugi, jaśniej."),
    ]
    question = api.get_ld(f"/annotations/{annotated.question.id}")
    assert question["motivation"] == "questioning"
    assert question["body"][0]["purpose"] == "questioning"
    reply = api.get_ld(f"/annotations/{annotated.reply.id}")
    assert reply["motivation"] == "replying"
    assert reply["target"] == _url(annotated.comment)
    assert reply["body"][0]["value"] == "Zgadzam się."


def test_any_client_can_check_the_selectors(
    api: JsonClient, annotated: Annotated
) -> None:
    """The source answers with the version's text, where both selectors hold."""
    page = api.get_ld(f"{COLLECTION}&page=1")
    anchored = [a for a in page["items"] if isinstance(a["target"], dict)]
    assert len(anchored) == 5
    for item in anchored:
        target = item["target"]
        version = api.get(target["source"])
        quote, position = target["selector"]
        text = version["text"]
        passage = text[position["start"] : position["end"]]
        assert passage == quote["exact"], item["id"]
        assert text[: position["start"]].endswith(quote["prefix"])
        assert text[position["end"] :].startswith(quote["suffix"])
        assert "\n".join(line["text"] for line in version["lines"]) == text
        assert version["round"] == 2
        assert version["programme"]["slug"] == SLUG


def test_hidden_text_is_never_exported(api: JsonClient, annotated: Annotated) -> None:
    hidden = api.get_ld(f"/annotations/{annotated.hidden.id}")
    assert hidden["body"] == [
        {
            "type": "TextualBody",
            "value": "Uwaga ukryta przez moderatora. Powód: Obraźliwy język.",
            "format": "text/plain",
            "language": "pl",
            "purpose": "moderating",
        }
    ]
    for path in (COLLECTION, f"{COLLECTION}&page=1"):
        text = api.client.get(API + path).get_data(as_text=True)
        assert HIDDEN_TEXT not in text
    assert HIDDEN_TEXT not in api.client.get(hidden["target"]["source"]).text


def test_a_hidden_change_hides_its_new_wording_too(
    api: JsonClient, annotated: Annotated
) -> None:
    annotations.hide(annotated.small.coordinator, annotated.change, "Spam.")
    db.session.commit()
    body = api.get_ld(f"/annotations/{annotated.change.id}")
    assert [b["purpose"] for b in body["body"]] == ["moderating"]
    assert "jaśniej" not in str(body)


def test_withdrawn_annotations_stay_listed(
    api: JsonClient, annotated: Annotated
) -> None:
    body = api.get_ld(f"/annotations/{annotated.withdrawn.id}")
    assert body["body"][0]["value"] == "Jednak nie."


def test_a_deleted_author_reads_as_no_creator(
    api: JsonClient, annotated: Annotated
) -> None:
    annotated.comment.author = None
    db.session.commit()
    assert api.get_ld(f"/annotations/{annotated.comment.id}")["creator"] is None


def test_author(api: JsonClient, annotated: Annotated) -> None:
    body = api.get(f"/users/{annotated.author.id}")
    assert body == {
        "id": f"{API}/users/{annotated.author.id}",
        "type": "Person",
        "name": "Anna Autorka",
        "organisation": "Fundacja Testowa",
    }
    assert "@" not in str(body)


def test_a_user_who_never_annotated_is_404(
    api: JsonClient, annotated: Annotated
) -> None:
    api.get(f"/users/{annotated.small.coordinator.id}", status=404)
    api.get("/users/999", status=404)


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?round=x", 400),
        ("?round=3", 404),  # the working round
        ("?round=9", 404),
        ("?round=2&page=0", 400),
        ("?round=2&page=x", 400),
        ("?round=2&page=2", 404),
    ],
)
def test_collection_errors(
    api: JsonClient, annotated: Annotated, query: str, status: int
) -> None:
    body = api.get(f"/programmes/{SLUG}/annotations{query}", status=status)
    assert set(body) == {"error", "message"}


def test_working_and_unknown_versions_are_404(
    api: JsonClient, small: SmallProgramme
) -> None:
    working = small.rounds[3].versions[0]
    assert api.get(f"/versions/{working.id}", status=404)["error"] == "Not Found"
    api.get("/versions/9999", status=404)
    api.get("/annotations/9999", status=404)


def test_an_empty_round_has_one_empty_page(
    api: JsonClient, small: SmallProgramme
) -> None:
    collection = api.get_ld(f"/programmes/{SLUG}/annotations?round=1")
    assert collection["total"] == 0
    assert collection["first"] == collection["last"]
    assert api.get_ld(collection["first"])["items"] == []


def test_pages_of_a_hundred(api: JsonClient, annotated: Annotated) -> None:
    version = annotated.comment.version
    for n in range(2 * PAGE_SIZE):
        annotations.create_annotation(
            annotated.author,
            version,
            kind=AnnotationKind.COMMENT,
            body=f"Uwaga {n}.",
            first_line=1,
            last_line=1,
            today=CONSULTATION_DAY,
        )
    db.session.commit()
    total = 2 * PAGE_SIZE + 6
    collection = api.get_ld(COLLECTION)
    assert collection["total"] == total
    assert collection["last"] == f"{API}{COLLECTION}&page=3"
    ids, url, pages = [], collection["first"], []
    while url:
        page = api.get_ld(url)
        assert page["startIndex"] == len(ids)
        ids.extend(item["id"] for item in page["items"])
        pages.append(page)
        url = page["next"]
    assert [len(p["items"]) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 6]
    assert len(set(ids)) == total
    assert pages[0]["prev"] is None
    assert pages[2]["prev"] == pages[1]["id"]
    assert pages[2]["id"] == collection["last"]


# Writing -------------------------------------------------------------------


@pytest.fixture
def open_round(small: SmallProgramme) -> SmallProgramme:
    """Round 2 of the small programme in consultation today."""
    today = city_today()
    db.session.add(
        Phase(
            programme=small.programme,
            kind=PhaseKind.CONSULTATION,
            name="Konsultacje dziś",
            name_en="Consultation today",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=1),
            position=4,
            round=small.rounds[2],
        )
    )
    db.session.commit()
    return small


@pytest.fixture
def token(open_round: SmallProgramme) -> tuple[Any, str]:
    """A citizen's token, and its plaintext."""
    user = make_user(name="Piotr Tokenowy")
    created, plaintext = tokens.create_token(user, "skrypt")
    db.session.commit()
    return created, plaintext


def _version_url(small: SmallProgramme, number: int, key: str) -> str:
    version = next(v for v in small.rounds[number].versions if v.section.key == key)
    return f"{API}/versions/{version.id}"


def _annotation(source: str, **changes: Any) -> dict[str, Any]:
    body = {
        "@context": ANNO_CONTEXT,
        "type": "Annotation",
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": "Przez API.", "format": "text/plain"},
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Drugi wiersz"},
                {"type": "TextPositionSelector", "start": 23, "end": 35},
            ],
        },
    }
    return body | changes


def _post(client: FlaskClient, plaintext: str | None, body: Any, **kwargs: Any):
    headers = {"Authorization": f"Bearer {plaintext}"} if plaintext else {}
    return client.post(f"{API}/annotations", json=body, headers=headers, **kwargs)


def test_post_creates_an_annotation(
    app: Flask,
    client: FlaskClient,
    open_round: SmallProgramme,
    token: tuple[Any, str],
    validate: Validate,
) -> None:
    source = _version_url(open_round, 2, "cele")
    response = _post(client, token[1], _annotation(source))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == ANNO_MEDIA_TYPE
    body = response.get_json(force=True)
    assert response.headers["Location"] == body["id"]
    media_type, schema = documented_response(
        app, openapi_document(), f"{API}/annotations", method="POST", status="201"
    )
    assert media_type == ANNO_MEDIA_TYPE
    validate(body, schema)
    assert body["creator"]["name"] == "Piotr Tokenowy"
    assert body["body"][0]["value"] == "Przez API."
    assert body["target"]["selector"][0]["exact"] == "Drugi wiersz"
    assert client.get(body["id"]).get_json(force=True) == body
    stored = db.session.get(Annotation, int(body["id"].rsplit("/", 1)[1]))
    assert (stored.first_line, stored.last_line) == (2, 2)
    assert db.session.get(type(token[0]), token[0].id).last_used_at is not None


def test_post_a_quote_alone(
    client: FlaskClient, open_round: SmallProgramme, token: tuple[Any, str]
) -> None:
    source = _version_url(open_round, 2, "cele")
    target = {
        "source": source,
        "selector": {"type": "TextQuoteSelector", "exact": "poprawiony"},
    }
    response = _post(client, token[1], _annotation(source, target=target))
    assert response.status_code == 201, response.get_data(as_text=True)
    position = response.get_json(force=True)["target"]["selector"][1]
    assert (position["start"], position["end"]) == (37, 47)


def test_post_an_ambiguous_quote_is_400(
    client: FlaskClient, open_round: SmallProgramme, token: tuple[Any, str]
) -> None:
    source = _version_url(open_round, 2, "cele")
    target = {
        "source": source,
        "selector": {"type": "TextQuoteSelector", "exact": "wiersz"},
    }
    response = _post(client, token[1], _annotation(source, target=target))
    assert response.status_code == 400
    assert "kilka razy" in response.get_json()["message"]
    target["selector"]["prefix"] = "Drugi "
    assert (
        _post(client, token[1], _annotation(source, target=target)).status_code == 201
    )


def test_post_a_proposed_change_and_a_reply(
    client: FlaskClient, open_round: SmallProgramme, token: tuple[Any, str]
) -> None:
    source = _version_url(open_round, 2, "cele")
    change = _annotation(
        source,
        motivation="editing",
        body=[
            {"type": "TextualBody", "value": "Krócej."},
            {"type": "TextualBody", "value": "Drugi", "purpose": "editing"},
        ],
    )
    response = _post(client, token[1], change)
    assert response.status_code == 201, response.get_data(as_text=True)
    created = response.get_json(force=True)
    assert [b["value"] for b in created["body"]] == ["Krócej.", "Drugi"]
    reply = {
        "motivation": "replying",
        "bodyValue": "Odpowiedź.",
        "target": created["id"],
    }
    response = _post(client, token[1], reply)
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json(force=True)["target"] == created["id"]


def _assert_401(response) -> None:
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert set(response.get_json()) == {"error", "message"}


def test_post_without_a_token_is_401(
    client: FlaskClient, open_round: SmallProgramme
) -> None:
    source = _version_url(open_round, 2, "cele")
    _assert_401(_post(client, None, _annotation(source)))
    _assert_401(_post(client, "not-a-token", _annotation(source)))
    basic = {"Authorization": "Basic dXNlcjpwYXNz"}
    _assert_401(client.post(f"{API}/annotations", json={}, headers=basic))
    assert db.session.query(Annotation).count() == 0


def test_post_with_a_revoked_token_is_401(
    client: FlaskClient, open_round: SmallProgramme, token: tuple[Any, str]
) -> None:
    created, plaintext = token
    tokens.revoke_token(created.user, created)
    db.session.commit()
    _assert_401(
        _post(client, plaintext, _annotation(_version_url(open_round, 2, "cele")))
    )


def test_post_to_a_closed_round_is_409(
    client: FlaskClient, open_round: SmallProgramme, token: tuple[Any, str]
) -> None:
    source = _version_url(open_round, 1, "cele")
    response = _post(client, token[1], _annotation(source))
    assert response.status_code == 409
    assert db.session.query(Annotation).count() == 0


def test_post_outside_the_consultation_is_409(
    client: FlaskClient, small: SmallProgramme
) -> None:
    user = make_user()
    _created, plaintext = tokens.create_token(user, "skrypt")
    db.session.commit()
    response = _post(client, plaintext, _annotation(_version_url(small, 2, "cele")))
    assert response.status_code == 409
    assert "zamknięte" in response.get_json()["message"]


@pytest.mark.parametrize(
    "source",
    [
        "http://evil.example/api/v1/versions/{id}",
        "https://localhost/api/v1/versions/{id}",
        "http://localhost/api/v1/versions/9999",
        "http://localhost/api/v1/programmes/program-testowy/rounds/2/sections/cele",
        "http://localhost/api/v1/versions/{id}?x=1",
        "/api/v1/versions/{id}",
        "urn:x-wpw:{id}",
        "{working}",
        42,
    ],
)
def test_post_a_forged_or_unknown_source_is_400(
    client: FlaskClient,
    open_round: SmallProgramme,
    token: tuple[Any, str],
    source: Any,
) -> None:
    good = _version_url(open_round, 2, "cele")
    if isinstance(source, str):
        version_id = good.rsplit("/", 1)[1]
        source = source.format(
            id=version_id, working=_version_url(open_round, 3, "cele")
        )
    response = _post(client, token[1], _annotation(source))
    assert response.status_code == 400, source
    assert set(response.get_json()) == {"error", "message"}


@pytest.mark.parametrize(
    "change",
    [
        {
            "target": {
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "Pierwszy"},
                    {"type": "TextPositionSelector", "start": 23, "end": 35},
                ]
            }
        },
        {"target": {"selector": {"type": "TextQuoteSelector", "exact": "nie ma go"}}},
        {
            "target": {
                "selector": {"type": "TextPositionSelector", "start": 5, "end": 999}
            }
        },
        {
            "target": {
                "selector": {"type": "TextPositionSelector", "start": "0", "end": 3}
            }
        },
        {"target": {"selector": []}},
        {"body": {"type": "TextualBody", "value": "   "}},
        {"body": None},
        {
            "body": [
                {"type": "TextualBody", "value": "a"},
                {"type": "TextualBody", "value": "b"},
            ]
        },
        {"body": {"type": "TextualBody"}},
        {"motivation": "bookmarking"},
        {"motivation": None},
        {"target": "http://localhost/api/v1/versions/1"},
    ],
)
def test_post_an_invalid_annotation_is_400(
    client: FlaskClient,
    open_round: SmallProgramme,
    token: tuple[Any, str],
    change: dict[str, Any],
) -> None:
    body = _annotation(_version_url(open_round, 2, "cele"))
    if "target" in change and isinstance(change["target"], dict):
        change = {"target": body["target"] | change["target"]}
    response = _post(client, token[1], body | change)
    assert response.status_code == 400, (change, response.get_data(as_text=True))
    assert set(response.get_json()) == {"error", "message"}
    assert db.session.query(Annotation).count() == 0


@pytest.mark.parametrize("payload", [None, b"", b"not json", b"[1, 2]"])
def test_post_without_a_json_object_is_400(
    client: FlaskClient,
    open_round: SmallProgramme,
    token: tuple[Any, str],
    payload: bytes | None,
) -> None:
    response = client.post(
        f"{API}/annotations",
        data=payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token[1]}"},
    )
    assert response.status_code == 400
    assert set(response.get_json()) == {"error", "message"}


def test_a_token_needs_no_csrf_token(csrf_app: Flask) -> None:
    """The token is the credential: the API is exempt from CSRF."""
    small = build_small()
    db.session.add(
        Phase(
            programme=small.programme,
            kind=PhaseKind.CONSULTATION,
            name="Dziś",
            name_en="Today",
            starts_on=city_today() - timedelta(days=1),
            ends_on=city_today() + timedelta(days=1),
            position=4,
            round=small.rounds[2],
        )
    )
    user = make_user()
    _created, plaintext = tokens.create_token(user, "skrypt")
    db.session.commit()
    response = _post(
        csrf_app.test_client(), plaintext, _annotation(_version_url(small, 2, "cele"))
    )
    assert response.status_code == 201, response.get_data(as_text=True)


def test_errors_match_the_error_schema(
    client: FlaskClient, open_round: SmallProgramme, validate: Validate
) -> None:
    response = _post(client, None, {})
    validate(response.get_json(), schema_ref("Error"))
