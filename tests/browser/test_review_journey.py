"""The whole review journey in one browser test (issue #5, "done when"):

an NGO proposes a change on the round open for comments, its sector sub-team
recommends, the Coordinating Team decides, the author receives the e-mail (over
real SMTP), the next round's working copy receives the accepted change, the round
is published, the public compare shows why the passage changed, and the report
lists it — as a page, CSV, XLSX and ODS.

The demo's open round is round 2, so the journey runs on rounds 2 → 3: the same
steps as on rounds 1 → 2.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serve_demo
from tests.mail.conftest import Collector, free_port
from wpw import create_app

pytestmark = pytest.mark.browser

PROGRAMME = "/programmes/wpw-2012-2014"
SECTION = f"{PROGRAMME}/rounds/2/sections/zadania-edukacja"
OLD = (
    "2) prowadzenie zajęć pozalekcyjnych rozwijających zainteresowania i uzdolnienia "
    "uczniów, w tym zajęć z zakresu nauk ścisłych, przyrodniczych i technicznych;"
)
NEW = OLD.replace("i technicznych;", "technicznych i artystycznych;")
REASON = "Zajęcia artystyczne prowadzi połowa naszych świetlic."
JUSTIFICATION = "Zespół uwzględnia uwagę: zajęcia artystyczne dopisano do zadania."


def _login(page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/login")
    page.get_by_label("Adres e-mail").fill(email)
    page.get_by_label("Hasło").fill("wpw-demo-2011")
    page.get_by_role("button", name="Zaloguj się").click()
    expect(page.locator(".flash-error")).to_have_count(0)


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, collector
    controller.stop()


def test_annotate_recommend_decide_mail_apply_publish_trace_report(
    browser, tmp_path, smtp, checker
) -> None:
    controller, collector = smtp
    mail = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port}
    with serve_demo(tmp_path / "journey", **mail) as url:
        context = browser.new_context(
            locale="pl-PL", base_url=url, accept_downloads=True
        )
        page = context.new_page()

        # 1. An NGO member proposes a change to line 3 (the plain form).
        _login(page, "ngo@wpw.example")
        page.goto(SECTION)
        page.locator("#L3 a.ln").click()
        expect(page.locator("#first_line")).to_have_value("3")
        expect(page.locator("#last_line")).to_have_value("3")
        page.locator("input[name=kind][value=change]").check()
        page.locator("#replacement").fill(NEW)
        page.locator("#body").fill(REASON)
        page.get_by_role("button", name="Zgłoś uwagę", exact=True).click()
        expect(page.locator(".flash-success")).to_contain_text("Zapisano")
        note = page.locator("article.note", has_text=REASON).first
        number = note.get_attribute("id")
        annotation_id = int("".join(ch for ch in number if ch.isdigit()))

        # 2. The sub-team's leader recommends accepting it.
        _login(page, "lider.edukacja@wpw.example")
        page.goto("/review/sectors/edukacja")
        checker.check(page)
        page.goto(f"/review/annotations/{annotation_id}")
        checker.check(page)
        form = page.locator(
            "form", has=page.get_by_role("button", name="Zapisz rekomendację")
        )
        form.get_by_label("Decyzja").select_option("accepted")
        form.get_by_label("Uzasadnienie").fill("Podzespół edukacji popiera.")
        form.get_by_role("button", name="Zapisz rekomendację").click()
        expect(page.locator(".flash-success")).to_be_visible()

        # 3. The Coordinating Team decides, with a justification.
        _login(page, "koordynator@wpw.example")
        page.goto("/review/?status=recommended")
        checker.check(page)
        page.goto(f"/review/annotations/{annotation_id}")
        form = page.locator(
            "form", has=page.get_by_role("button", name="Zapisz decyzję")
        )
        form.get_by_label("Decyzja").select_option("accepted")
        form.get_by_label("Uzasadnienie").fill(JUSTIFICATION)
        form.get_by_role("button", name="Zapisz decyzję").click()
        expect(page.locator(".flash-success")).to_be_visible()
        expect(page.locator("#main")).to_contain_text(JUSTIFICATION)
        checker.check(page)

        # 4. The author gets the e-mail, sent after commit by the outbox sender.
        served = tmp_path / "journey"
        sender = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{served / 'wpw.sqlite'}",
                "WPW_INDEX_DIR": str(served / "index"),
                **mail,
            }
        )
        with sender.app_context():
            from wpw.mail.services import send_pending

            send_pending()
        mails = collector.to("ngo@wpw.example")
        assert mails, [m["To"] for m in collector.messages]
        assert JUSTIFICATION in mails[-1].get_content()

        # 5. The working copy of round 3 receives the accepted change.
        page.goto(PROGRAMME)
        page.get_by_label("Tytuł nowej rundy").fill("Tekst przyjęty")
        page.get_by_role("button", name="Otwórz wersję roboczą").click()
        page.goto(f"{PROGRAMME}/working-copy/changes")
        expect(page.locator("#main")).to_contain_text(f"{annotation_id}")
        checker.check(page)
        page.goto(f"{PROGRAMME}/rounds/3/sections/zadania-edukacja/edit")
        assert NEW in page.get_by_label("Tekst", exact=True).input_value()

        # 6. Round 3 is published.
        page.goto(f"{PROGRAMME}/rounds/3")
        page.get_by_role("link", name="Opublikuj rundę").click()
        page.get_by_label("Komunikat publikacji").fill("Tekst przyjęty przez Zespół.")
        page.get_by_role("button", name="Opublikuj rundę").click()
        expect(page.locator(".flash-success")).to_contain_text("Opublikowano")
        context.close()

        # 7. The public sees why the passage changed…
        public = browser.new_context(
            locale="pl-PL", base_url=url, accept_downloads=True
        )
        reader = public.new_page()
        reader.goto(
            f"{PROGRAMME}/compare?from=2&to=3&section=zadania-edukacja&mode=inline"
        )
        expect(reader.locator("ins", has_text="artystycznych")).to_have_count(1)
        trace = reader.locator(f"a[href*='/annotations/{annotation_id}']").first
        expect(trace).to_be_visible()
        checker.check(reader)

        # 8. …and the report lists it, with its justification, in every format.
        reader.goto(f"{PROGRAMME}/report?round=2")
        expect(reader.locator("#main")).to_contain_text(JUSTIFICATION)
        checker.check(reader)
        for name in ("CSV", "XLSX", "ODS"):
            with reader.expect_download() as info:
                reader.get_by_role("link", name=name).first.click()
            data = Path(info.value.path()).read_bytes()
            assert _contains(name, data, JUSTIFICATION), name
        public.close()


def _contains(kind: str, data: bytes, text: str) -> bool:
    if kind == "CSV":
        return text in data.decode("utf-8-sig")
    if kind == "XLSX":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        return any(
            text == cell
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        )
    from odf.opendocument import load

    return text in str(load(io.BytesIO(data)).spreadsheet)
