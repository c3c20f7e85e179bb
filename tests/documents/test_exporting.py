"""Exporting a round as .docx and Markdown, and reading the export back in."""

from __future__ import annotations

import io

import docx
import pytest

from tests.conftest import make_user
from wpw.auth.models import Role
from wpw.documents import services
from wpw.documents.exporting import content_disposition
from wpw.extensions import db

ROUND = "/programmes/wpw-2012-2014/rounds/{n}/export.{ext}"


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def working(demo, coordinator):
    """Round 3: a working copy of the demo's published round 2."""
    round_ = services.open_working_copy(coordinator, demo, "Tekst przyjęty")
    db.session.commit()
    return round_


def sections_of(round_) -> list[tuple[str, str, str, str]]:
    db.session.expire_all()
    return [(v.section.key, v.number, v.title, v.text) for v in round_.versions]


def test_markdown_export(client, demo) -> None:
    response = client.get(ROUND.format(n=2, ext="md"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="wpw-2012-2014-runda-2.md"; '
        "filename*=UTF-8''wpw-2012-2014-runda-2.md"
    )
    text = response.get_data(as_text=True)
    blocks = text.split("\n\n")
    assert blocks[0] == "# " + demo.title
    assert blocks[1] == "## Runda 2: Projekt programu"
    assert blocks[2] == "### § 1 Postanowienia ogólne"
    assert blocks[3] == "1\\. Ilekroć w Programie jest mowa o:"
    assert blocks[4].startswith("1\\) ustawie – rozumie się przez to ustawę")
    assert text.count("\n### ") == 21 and text.endswith("\n") and "\n\n\n" not in text
    assert "Cache-Control" not in response.headers


def test_docx_export(client, demo) -> None:
    response = client.get(ROUND.format(n=1, ext="docx"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert (
        'filename="wpw-2012-2014-runda-1.docx"'
        in (response.headers["Content-Disposition"])
    )
    document = docx.Document(io.BytesIO(response.data))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", demo.title)
    assert paragraphs[1] == ("Subtitle", "Runda 1: Założenia programu")
    assert paragraphs[2] == ("Heading 1", "§ 1 Postanowienia ogólne")
    assert paragraphs[3] == ("Normal", "1. Ilekroć w Programie jest mowa o:")
    round_ = services.round_by_number(demo, 1)
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == [v.label for v in round_.versions]
    lines = sum(len(v.lines) for v in round_.versions)
    assert len(paragraphs) == 2 + len(headings) + lines
    assert document.core_properties.title.startswith(demo.title)
    assert 'w:val="pl-PL"' in document.styles["Normal"].element.xml


def test_content_disposition_of_a_non_ascii_name() -> None:
    header = content_disposition("Łódź-zażółć 2012.docx")
    assert header == (
        'attachment; filename="Lodz-zazolc_2012.docx"; '
        "filename*=UTF-8''%C5%81%C3%B3d%C5%BA-za%C5%BC%C3%B3%C5%82%C4%87%202012.docx"
    )


@pytest.mark.parametrize("ext", ["docx", "md"])
@pytest.mark.parametrize("role", [None, *Role])
def test_working_round_exports_only_for_the_team(
    client, auth, working, role, ext
) -> None:
    if role is not None:
        auth.login(make_user(role))
    public = client.get(ROUND.format(n=2, ext=ext))
    private = client.get(ROUND.format(n=3, ext=ext))
    assert public.status_code == 200
    if role in (Role.COORDINATOR, Role.ADMIN):
        assert private.status_code == 200
        assert private.headers["Cache-Control"] == "private, no-store"
        assert "wpw-2012-2014-runda-3." in private.headers["Content-Disposition"]
    else:
        assert private.status_code == 404
    assert client.get(ROUND.format(n=9, ext=ext)).status_code == 404
    assert client.get(f"/programmes/nope/rounds/1/export.{ext}").status_code == 404


@pytest.mark.parametrize("ext", ["docx", "md"])
def test_round_trip_export_then_import(client, auth, coordinator, working, ext) -> None:
    """Round 1 exported and imported over a copy of round 2 gives round 1 back:
    same sections (identities included), numbers, titles and texts, in order."""
    auth.login(coordinator)
    exported = client.get(ROUND.format(n=1, ext=ext)).data
    response = client.post(
        "/programmes/wpw-2012-2014/rounds/3/import",
        data={"file": (io.BytesIO(exported), f"runda-1.{ext}"), "mode": "replace"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Uwagi do pliku" not in preview  # nothing skipped, nothing empty
    assert client.post(response.headers["Location"]).status_code == 302
    first = services.round_by_number(working.programme, 1)
    assert sections_of(working) == sections_of(first)


@pytest.mark.parametrize("ext", ["docx", "md"])
def test_a_round_imported_from_its_own_export_is_unchanged(
    client, auth, coordinator, working, ext
) -> None:
    auth.login(coordinator)
    exported = client.get(ROUND.format(n=3, ext=ext)).data
    response = client.post(
        "/programmes/wpw-2012-2014/rounds/3/import",
        data={"file": (io.BytesIO(exported), f"runda-3.{ext}"), "mode": "replace"},
        content_type="multipart/form-data",
    )
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert preview.count('data-status="unchanged"') == 21
    assert "nie wprowadza żadnych zmian" in preview
