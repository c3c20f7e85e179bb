"""Importing a working copy's text from .docx, .odt, .md and .txt files.

Office files are built here with python-docx and odfpy rather than committed as
binaries, so each test shows exactly what its file contains.
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from odf.opendocument import OpenDocumentText
from odf.style import Style
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import (
    H,
    LineBreak,
    List,
    ListItem,
    ListLevelStyleBullet,
    ListLevelStyleNumber,
    ListStyle,
    Note,
    NoteBody,
    NoteCitation,
    P,
    S,
)
from sqlalchemy import func, select

from tests.auth.support import PageStructure, csrf_token, login_with_token
from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.auth.models import Role
from wpw.documents import importing, services
from wpw.documents.importing import pending as pending_imports
from wpw.documents.models import RoundEvent, Section, SectionVersion
from wpw.errors import InvalidFields
from wpw.extensions import db
from wpw.text.sections import split_sections

URL = "/programmes/prog/rounds/2/import"


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def working(app, coordinator):
    """Round 1 published (§ 1 Cele, § 2 Zasady, § 3 Okres, § 4 Stary), round 2
    its working copy."""
    programme = make_programme("prog", "Program testowy")
    make_round(
        coordinator,
        programme,
        {
            "cele": "Pierwszy cel\nDrugi cel",
            "zasady": "Jawność",
            "okres": "2012–2014",
            "stary": "Do usunięcia",
        },
        title="Założenia",
    )
    round_ = services.open_working_copy(coordinator, programme, "Projekt")
    db.session.commit()
    return round_


@pytest.fixture
def as_coordinator(client, auth, coordinator, working):
    auth.login(coordinator)
    return client


def upload(client, data: bytes, name: str, mode: str = "replace", url: str = URL):
    return client.post(
        url,
        data={"file": (io.BytesIO(data), name), "mode": mode},
        content_type="multipart/form-data",
    )


def state() -> tuple:
    """Everything an import could write, to compare before and after."""
    db.session.expire_all()
    rows = db.session.execute(
        select(
            SectionVersion.round_id,
            Section.key,
            SectionVersion.number,
            SectionVersion.title,
            SectionVersion.position,
            SectionVersion.text,
            SectionVersion.revision,
        )
        .join(Section)
        .order_by(SectionVersion.round_id, SectionVersion.position)
    ).all()
    events = db.session.scalar(select(func.count()).select_from(RoundEvent))
    sections = db.session.scalar(select(func.count()).select_from(Section))
    return tuple(rows), events, sections


def sections_of(round_) -> list[tuple[str, str, str, str]]:
    db.session.expire_all()
    return [(v.section.key, v.number, v.title, v.text) for v in round_.versions]


def plan_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-status="(\w+)" data-key="([\w-]+)"', html)


def pending_files(app) -> list[Path]:
    folder = Path(app.config["WPW_IMPORT_DIR"])
    return sorted(folder.glob("*.json")) if folder.exists() else []


def markdown(*lines: str) -> bytes:
    return "\n".join(lines).encode()


#: The working copy's sections, changed: § 1 as it is, § 2 renamed with more
#: text, a new § 3, § 3 Okres renumbered to § 4; § 4 Stary is not in the file.
CHANGED_FILE = markdown(
    "# Program testowy",
    "## § 1 Cele",
    "Pierwszy cel",
    "Drugi cel",
    "## § 2 Zasady współpracy",
    "Jawność i efektywność",
    "## § 3 Nowy paragraf",
    "Nowa treść",
    "## § 4 Okres",
    "2012–2014",
)


# --- reading each format --------------------------------------------------------


def docx_file(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _tracked(paragraph, tag: str, text_tag: str, text: str) -> None:
    change = OxmlElement(f"w:{tag}")
    change.set(qn("w:id"), "1")
    change.set(qn("w:author"), "Urząd")
    run = OxmlElement("w:r")
    text_element = OxmlElement(f"w:{text_tag}")
    text_element.text = text
    run.append(text_element)
    change.append(run)
    paragraph._p.append(change)


def test_docx_headings_lists_breaks_tables_and_tracked_changes() -> None:
    def build(d) -> None:
        d.add_paragraph("Wieloletni program", style="Title")
        d.add_paragraph("Projekt", style="Subtitle")
        d.add_heading("§ 1. Postanowienia ogólne", level=1)
        d.add_paragraph("Ilekroć jest mowa o:")
        d.add_paragraph("ustawie;", style="List Number")
        d.add_paragraph("Gminie.", style="List Number")
        d.add_paragraph("tiret", style="List Bullet")
        p = d.add_paragraph("Pierwszy wiersz")
        p.add_run().add_break()
        p.add_run("drugi\twiersz")
        d.add_heading("Szczegóły", level=2)
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Rok", "Kwota"
        table.cell(1, 0).text, table.cell(1, 1).text = "2012", "55 mln zł"
        d.add_heading("§ 2", level=1)
        d.add_paragraph("Cele programu")
        p = d.add_paragraph("Tekst ")
        _tracked(p, "ins", "t", "dodany")
        _tracked(p, "del", "delText", "usunięty")
        d.add_paragraph("dalszy", style="List Number")

    result = split_sections(importing.read_paragraphs("a.docx", docx_file(build)))
    assert not result.issues
    one, two = result.sections
    assert (one.number, one.title) == ("§ 1", "Postanowienia ogólne")
    assert one.lines == (
        "Ilekroć jest mowa o:",
        "1. ustawie;",
        "2. Gminie.",
        "• tiret",
        "Pierwszy wiersz",
        "drugi wiersz",
        "Szczegóły",
        "Rok | Kwota",
        "2012 | 55 mln zł",
    )
    assert (two.number, two.title) == ("§ 2", "Cele programu")
    assert two.lines == ("Tekst dodany", "3. dalszy")  # Word keeps counting


def test_docx_polish_and_derived_heading_styles() -> None:
    def build(d) -> None:
        polish = d.styles.add_style("Nagłówek 1", WD_STYLE_TYPE.PARAGRAPH)
        derived = d.styles.add_style("Paragraf urzędowy", WD_STYLE_TYPE.PARAGRAPH)
        derived.base_style = d.styles["Heading 1"]
        d.add_paragraph("Cele programu", style=polish)
        d.add_paragraph("tekst A")
        d.add_paragraph("Zasady", style=derived)
        d.add_paragraph("tekst B")

    result = split_sections(importing.read_paragraphs("a.docx", docx_file(build)))
    assert [(s.title, s.text) for s in result.sections] == [
        ("Cele programu", "tekst A"),
        ("Zasady", "tekst B"),
    ]
    # Headings without a number cannot become sections: the file is refused.
    assert {i.code.value for i in result.problems} == {"missing-number"}


def odt_file(build) -> bytes:
    document = OpenDocumentText()
    build(document)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def test_odt_headings_lists_spaces_tables_and_notes() -> None:
    def build(doc) -> None:
        title = Style(name="Title", family="paragraph")
        doc.styles.addElement(title)
        numbers = ListStyle(name="L1")
        numbers.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
        numbers.addElement(ListLevelStyleNumber(level=2, numformat="a", numsuffix=")"))
        doc.automaticstyles.addElement(numbers)
        bullets = ListStyle(name="L2")
        bullets.addElement(ListLevelStyleBullet(level=1, bulletchar="–"))
        doc.automaticstyles.addElement(bullets)

        doc.text.addElement(P(stylename=title, text="Wieloletni program"))
        doc.text.addElement(H(outlinelevel=1, text="§ 1. Postanowienia ogólne"))
        items = List(stylename=numbers)
        for text in ("Pierwszy punkt", "Drugi punkt"):
            item = ListItem()
            item.addElement(P(text=text))
            items.addElement(item)
        nested = List()
        nested_item = ListItem()
        nested_item.addElement(P(text="podpunkt"))
        nested.addElement(nested_item)
        item.addElement(nested)
        doc.text.addElement(items)
        dashes = List(stylename=bullets)
        dash = ListItem()
        dash.addElement(P(text="tiret"))
        dashes.addElement(dash)
        doc.text.addElement(dashes)
        p = P(text="dwie")
        p.addElement(S(c=2))
        p.addText("spacje")
        p.addElement(LineBreak())
        p.addText("i nowy wiersz")
        note = Note(noteclass="footnote")
        note.addElement(NoteCitation(text="1"))
        body = NoteBody()
        body.addElement(P(text="przypis"))
        note.addElement(body)
        p.addElement(note)
        doc.text.addElement(p)
        doc.text.addElement(H(outlinelevel=1, text="§ 2 Zasady"))
        table = Table()
        table.addElement(TableColumn(numbercolumnsrepeated=2))
        row = TableRow()
        for text in ("Rok", "Kwota"):
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        table.addElement(row)
        doc.text.addElement(table)

    result = split_sections(importing.read_paragraphs("a.odt", odt_file(build)))
    assert not result.issues
    one, two = result.sections
    assert (one.number, one.title) == ("§ 1", "Postanowienia ogólne")
    assert one.lines == (
        "1. Pierwszy punkt",
        "2. Drugi punkt",
        "a) podpunkt",
        "– tiret",
        "dwie  spacje",
        "i nowy wiersz",
    )
    assert (two.number, two.title, two.lines) == ("§ 2", "Zasady", ("Rok | Kwota",))


def test_markdown_headings_escapes_and_list_markers() -> None:
    data = markdown(
        "# Program",
        "",
        "## Runda 2",
        "",
        "### § 1 Cele #",
        "",
        "1\\. Pierwszy",
        "2) Drugi *ważny*",
        "- tiret",
        "",
        "### § 2. Zasady",
        "Tekst \\# z krzyżykiem",
    )
    result = split_sections(importing.read_paragraphs("a.md", data))
    assert [(s.number, s.title, s.lines) for s in result.sections] == [
        ("§ 1", "Cele", ("1. Pierwszy", "2) Drugi *ważny*", "- tiret")),
        ("§ 2", "Zasady", ("Tekst # z krzyżykiem",)),
    ]
    assert not result.issues


@pytest.mark.parametrize(
    "data",
    [
        "§ 1. Cele\nZażółć gęślą jaźń\n".encode(),
        "\ufeff§ 1. Cele\r\nZażółć gęślą jaźń\r\n".encode(),
        "§ 1. Cele\nZażółć gęślą jaźń\n".encode("cp1250"),
        "§ 1. Cele\nZażółć gęślą jaźń\n".encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom-crlf", "cp1250", "utf-16"],
)
def test_text_encodings(data) -> None:
    result = split_sections(importing.read_paragraphs("a.txt", data))
    assert [(s.number, s.title, s.text) for s in result.sections] == [
        ("§ 1", "Cele", "Zażółć gęślą jaźń")
    ]


# --- the preview ----------------------------------------------------------------


def test_preview_shows_each_section_status(app, as_coordinator, working) -> None:
    before = state()
    response = upload(as_coordinator, CHANGED_FILE, "program.md")
    assert response.status_code == 302
    html = as_coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert plan_rows(html) == [
        ("unchanged", "cele"),
        ("changed", "zasady"),
        ("new", "nowy-paragraf"),
        ("changed", "okres"),
        ("removed", "stary"),
    ]
    assert 'data-change="renamed">nowy tytuł (był „Zasady”)' in html
    assert 'data-change="renumbered">nowy numer (był § 3)' in html
    zasady = html.split('data-key="zasady"')[1].split("</tr>")[0]
    assert 'data-change="text"' in zasady and "1 → 1" in zasady
    assert '<span class="added">+2</span> / <span class="removed">−0</span>' in zasady
    assert "nowe: 1" in html and "zmienione: 2" in html and "do usunięcia: 1" in html
    assert "Nic nie zostało jeszcze zapisane" in html
    assert state() == before  # a preview writes nothing to the database
    assert len(pending_files(app)) == 1


def test_update_mode_keeps_what_the_file_lacks(as_coordinator, working) -> None:
    file = markdown("## § 2 Zasady", "Jawność", "## § 2a Dodatek", "Nowy tekst")
    response = upload(as_coordinator, file, "dodatek.md", mode="update")
    html = as_coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert plan_rows(html) == [
        ("kept", "cele"),
        ("unchanged", "zasady"),
        ("new", "dodatek"),
        ("kept", "okres"),
        ("kept", "stary"),
    ]


def test_a_file_without_changes_offers_nothing_to_confirm(
    as_coordinator, working
) -> None:
    file = markdown(
        "## § 1 Cele",
        "Pierwszy cel",
        "Drugi cel",
        "## § 2 Zasady",
        "Jawność",
        "## § 3 Okres",
        "2012–2014",
        "## § 4 Stary",
        "Do usunięcia",
    )
    response = upload(as_coordinator, file, "to-samo.md")
    html = as_coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert {status for status, _key in plan_rows(html)} == {"unchanged"}
    assert "nie wprowadza żadnych zmian" in html and "Importuj" not in html


def test_preview_warns_about_skipped_text(as_coordinator, working) -> None:
    file = markdown("Projekt uchwały Rady Miasta", "## § 1 Cele", "Pierwszy cel")
    response = upload(as_coordinator, file, "uchwala.md", mode="update")
    html = as_coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tekst przed pierwszym paragrafem (od „Projekt uchwały Rady Miasta”" in html


# --- applying -------------------------------------------------------------------


def test_apply_writes_exactly_what_the_preview_said(app, as_coordinator, working):
    response = upload(as_coordinator, CHANGED_FILE, "program.md")
    preview_url = response.headers["Location"]
    applied = as_coordinator.post(preview_url)
    assert applied.status_code == 302
    assert applied.headers["Location"] == "/programmes/prog/rounds/2"
    assert sections_of(working) == [
        ("cele", "§ 1", "Cele", "Pierwszy cel\nDrugi cel"),
        ("zasady", "§ 2", "Zasady współpracy", "Jawność i efektywność"),
        ("nowy-paragraf", "§ 3", "Nowy paragraf", "Nowa treść"),
        ("okres", "§ 4", "Okres", "2012–2014"),
    ]
    assert [v.position for v in working.versions] == [1, 2, 3, 4]
    messages = {e.message for e in services.round_events(working) if e.message}
    assert messages == {"Import z pliku program.md"}
    page = as_coordinator.get("/programmes/prog/rounds/2").get_data(as_text=True)
    assert "Zaimportowano plik program.md: nowe 1, zmienione 2, usunięte 1." in page
    assert pending_files(app) == []
    again = as_coordinator.post(preview_url)  # the token is spent
    assert again.headers["Location"].endswith("/rounds/2/import")


def test_apply_in_update_mode(as_coordinator, working) -> None:
    """A new section goes right before the file's next one; nothing is removed."""
    file = markdown("## § 2a Uzupełnienie", "Nowy tekst", "## § 3 Okres", "2012–2015")
    response = upload(as_coordinator, file, "zmiany.md", mode="update")
    as_coordinator.post(response.headers["Location"])
    assert [(k, n, t) for k, n, t, _text in sections_of(working)] == [
        ("cele", "§ 1", "Cele"),
        ("zasady", "§ 2", "Zasady"),
        ("uzupelnienie", "§ 2a", "Uzupełnienie"),
        ("okres", "§ 3", "Okres"),
        ("stary", "§ 4", "Stary"),
    ]
    assert sections_of(working)[3][3] == "2012–2015"


def test_a_section_of_an_earlier_round_is_brought_back(
    as_coordinator, working, coordinator
) -> None:
    services.remove_section(coordinator, working.versions[3])  # § 4 Stary
    db.session.commit()
    file = markdown("## § 9 Stary", "Wraca")
    response = upload(as_coordinator, file, "powrot.md", mode="update")
    html = as_coordinator.get(response.headers["Location"]).get_data(as_text=True)
    assert ("new", "stary") in plan_rows(html) and "przywrócony z rundy 1" in html
    as_coordinator.post(response.headers["Location"])
    assert sections_of(working)[-1] == ("stary", "§ 9", "Stary", "Wraca")


def test_a_conflict_writes_nothing_and_shows_a_fresh_preview(
    as_coordinator, working, coordinator
) -> None:
    response = upload(as_coordinator, CHANGED_FILE, "program.md")
    version = working.versions[0]
    services.save_section(
        coordinator,
        version,
        number="§ 1",
        title="Cele",
        text="Zmienione w międzyczasie",
        base_revision=version.revision,
    )
    db.session.commit()
    before = state()
    applied = as_coordinator.post(response.headers["Location"])
    assert state() == before
    fresh = applied.headers["Location"]
    assert fresh != response.headers["Location"] and "/import/" in fresh
    html = as_coordinator.get(fresh).get_data(as_text=True)
    assert "Ktoś zmienił wersję roboczą po przygotowaniu podglądu" in html
    assert ("changed", "cele") in plan_rows(html)  # now the file changes § 1 back


def test_a_failing_step_rolls_back_the_steps_before_it(
    as_coordinator, working, monkeypatch
) -> None:
    """Removing and saving happen before adding: a refusal there undoes them."""
    from wpw.errors import Invalid

    def refuse(*args, **kwargs):
        raise Invalid("Nie tym razem.")

    response = upload(as_coordinator, CHANGED_FILE, "program.md")
    before = state()
    monkeypatch.setattr(services, "add_section", refuse)
    applied = as_coordinator.post(response.headers["Location"])
    assert state() == before
    assert applied.headers["Location"] == response.headers["Location"]
    assert "Nie tym razem." in as_coordinator.get(applied.headers["Location"]).text


def test_an_expired_preview_cannot_be_applied(
    as_coordinator, working, monkeypatch
) -> None:
    response = upload(as_coordinator, CHANGED_FILE, "program.md")
    monkeypatch.setattr(pending_imports, "TTL_SECONDS", -1)
    before = state()
    applied = as_coordinator.post(response.headers["Location"])
    assert state() == before
    assert applied.headers["Location"].endswith("/rounds/2/import")
    page = as_coordinator.get(applied.headers["Location"]).get_data(as_text=True)
    assert "wygasł albo nie istnieje" in page


def test_a_preview_belongs_to_its_uploader(client, auth, working, coordinator):
    auth.login(coordinator)
    preview_url = upload(client, CHANGED_FILE, "program.md").headers["Location"]
    auth.logout()
    auth.login(make_user(Role.ADMIN))
    before = state()
    assert client.get(preview_url).headers["Location"].endswith("/import")
    assert client.post(preview_url).headers["Location"].endswith("/import")
    assert client.get(URL + "/../../etc").status_code == 404
    assert client.get(URL + "/" + "x" * 32).headers["Location"].endswith("/import")
    assert state() == before


def test_pending_import_file_is_private(app, as_coordinator, working) -> None:
    upload(as_coordinator, CHANGED_FILE, "program.md")
    (path,) = pending_files(app)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- bad input: a message, and nothing written --------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _odt_with_mimetype(mimetype: bytes) -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": b"<x/>"})


def _broken_docx() -> bytes:
    good = docx_file(lambda d: d.add_heading("§ 1 Cele", level=1))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["word/document.xml"] = b"<w:document><unclosed"
    return _zip(entries)


BAD_FILES = [
    ("program.pdf", b"%PDF-1.4 ...", "Wybierz plik .docx (Word), .odt"),
    ("program.docx", b"To tylko tekst.", "nie jest poprawnym dokumentem Word (.docx)"),
    ("program.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "(.doc)"),
    (
        "program.docx",
        _zip({"inny.xml": b"<x/>"}),
        "Plik nie jest dokumentem Word (.docx).",
    ),
    ("program.docx", _broken_docx(), "jest uszkodzony"),
    ("program.docx", _broken_docx()[:300], "nie jest poprawnym dokumentem"),
    (
        "program.odt",
        _zip({"content.xml": b"<x/>"}),
        "Plik nie jest dokumentem OpenDocument (.odt).",
    ),
    (
        "program.odt",
        _odt_with_mimetype(b"application/vnd.oasis.opendocument.spreadsheet"),
        "nie jest dokumentem OpenDocument",
    ),
    (
        "program.odt",
        _odt_with_mimetype(importing.readers.ODT_MIMETYPE),
        "jest uszkodzony",
    ),
    ("program.txt", b"\x00\x01binarne\x02\x03", "To nie jest plik tekstowy"),
    ("program.txt", b"", "Plik jest pusty."),
    ("program.md", "Zwykły tekst\nbez paragrafów".encode(), "Nie znaleziono w pliku"),
    (
        "program.txt",
        "§ 1. Cele\na\n§ 2. Zasady\nb\n§ 1. Znowu\nc".encode(),
        "Numer § 1 występuje w pliku więcej niż raz (drugi raz w akapicie 5).",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_bad_files_are_refused_with_a_message(
    app, as_coordinator, working, name, data, message
) -> None:
    before = state()
    response = upload(as_coordinator, data, name)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = html.split('id="file-error"')[1].split("</ul>")[0]
    assert message in errors
    assert 'aria-invalid="true"' in html
    assert state() == before and pending_files(app) == []


@pytest.mark.parametrize("name", ["a.docx", "a.odt"])
def test_damaged_office_files_are_refused_never_crash(app, name) -> None:
    """Random damage to a good file: read, or refused with a reason — never a 500."""
    import random

    def build_odt(doc) -> None:
        doc.text.addElement(H(outlinelevel=1, text="§ 1 Cele"))
        doc.text.addElement(P(text="tekst"))

    def build_docx(d) -> None:
        d.add_heading("§ 1 Cele", level=1)
        d.add_paragraph("tekst", style="List Number")

    good = docx_file(build_docx) if name.endswith("docx") else odt_file(build_odt)
    rng = random.Random(2011)
    with app.test_request_context():
        for _ in range(150):
            damaged = bytearray(good)
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            if rng.random() < 0.2:
                damaged = damaged[: rng.randrange(len(damaged))]
            try:
                importing.read_paragraphs(name, bytes(damaged))
            except InvalidFields as error:
                assert error.problems["file"]


def test_no_file_at_all(as_coordinator, working) -> None:
    response = as_coordinator.post(URL, data={"mode": "replace"})
    assert response.status_code == 422 and "Wybierz plik." in response.text


def test_a_file_over_5_mb_is_refused_by_the_app_itself(
    app, as_coordinator, working
) -> None:
    # Just over 5 MB: under the server's limit, so the importer itself refuses it.
    assert app.config["MAX_CONTENT_LENGTH"] > importing.MAX_UPLOAD_BYTES + 2048
    data = b"\xc2\xa7 1. Cele\n" + b"x" * importing.MAX_UPLOAD_BYTES
    before = state()
    response = upload(as_coordinator, data, "duzy.txt")
    assert response.status_code == 422 and "Plik jest za duży" in response.text
    assert state() == before and pending_files(app) == []


def test_a_request_over_the_server_limit_gets_the_form_back(
    app, as_coordinator, working
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(as_coordinator, b"x" * 20_000, "duzy.txt")
    assert response.status_code == 413
    assert "Plik jest za duży" in response.text and 'id="file-error"' in response.text


def test_a_zip_bomb_is_refused_before_parsing(app, as_coordinator, working) -> None:
    bomb = _zip(
        {
            "word/document.xml": b"<x/>",
            "[Content_Types].xml": b"<x/>",
            "word/media/zera.bin": b"\0" * (importing.readers.MAX_UNZIPPED_BYTES + 1),
        }
    )
    assert len(bomb) < 200_000
    before = state()
    response = upload(as_coordinator, bomb, "bomba.docx")
    assert response.status_code == 422 and "większy niż 50 MB" in response.text
    assert state() == before


def test_too_many_problems_are_summarised(app, working, coordinator) -> None:
    lines = "\n".join(f"§ 1. Tytuł {n}\ntekst" for n in range(15))
    with pytest.raises(InvalidFields) as raised:
        importing.prepare_import(
            coordinator, working, "a.txt", io.BytesIO(lines.encode()), "replace"
        )
    reasons = raised.value.problems["file"]
    assert len(reasons) == 10 and reasons[-1] == "…i 5 innych problemów."


# --- who may import ----------------------------------------------------------------


@pytest.mark.parametrize("role", [None, *Role])
def test_only_the_coordinating_team_imports(client, auth, working, role) -> None:
    """Anonymous: to the login page. Others: the working copy is not revealed
    (404, as on its reading pages); a published round's import is 403."""
    if role is not None:
        auth.login(make_user(role))
    before = state()
    page = client.get(URL)
    posted = upload(client, CHANGED_FILE, "program.md")
    published = client.get("/programmes/prog/rounds/1/import")
    if role in (Role.COORDINATOR, Role.ADMIN):
        assert (page.status_code, posted.status_code) == (200, 302)
        assert published.status_code == 409
        return
    if role is None:
        assert page.status_code == posted.status_code == published.status_code == 302
        assert "/login" in page.headers["Location"]
    else:
        assert page.status_code == posted.status_code == 404
        assert published.status_code == 403
    assert state() == before


def test_a_published_round_is_refused(as_coordinator, working) -> None:
    before = state()
    for response in (
        as_coordinator.get("/programmes/prog/rounds/1/import"),
        upload(
            as_coordinator, CHANGED_FILE, "a.md", url="/programmes/prog/rounds/1/import"
        ),
    ):
        assert response.status_code == 409
        assert "Opublikowana runda nie może się już zmienić" in response.text
    assert as_coordinator.get("/programmes/prog/rounds/7/import").status_code == 404
    assert state() == before


# --- the pages, with CSRF protection on ----------------------------------------------


def test_pages_are_accessible_and_confirming_needs_the_token(
    csrf_app, tmp_path
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    programme = make_programme("prog", "Program testowy")
    make_round(coordinator, programme, {"cele": "a", "zasady": "b"})
    working = services.open_working_copy(coordinator, programme, "Projekt")
    db.session.commit()
    client = csrf_app.test_client()
    login_with_token(client, coordinator.email)

    form = client.get(URL).get_data(as_text=True)
    assert PageStructure(form).problems() == []
    response = client.post(
        URL,
        data={
            "file": (io.BytesIO(markdown("## § 1 Cele", "nowe")), "a.md"),
            "mode": "update",
            "csrf_token": csrf_token(form),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert PageStructure(preview).problems() == []
    refused = client.post(response.headers["Location"])
    assert refused.status_code == 400
    assert sections_of(working)[0][3] == "a"
    applied = client.post(
        response.headers["Location"], data={"csrf_token": csrf_token(preview)}
    )
    assert applied.status_code == 302
    assert sections_of(working)[0][3] == "nowe"

    csrf_app.config["MAX_CONTENT_LENGTH"] = 10_000
    too_large = client.post(
        URL,
        data={"file": (io.BytesIO(b"x" * 20_000), "a.txt"), "csrf_token": "x"},
        content_type="multipart/form-data",
    )
    assert too_large.status_code == 413 and "Plik jest za duży" in too_large.text
    assert PageStructure(too_large.get_data(as_text=True)).problems() == []
