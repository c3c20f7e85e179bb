"""Browser tests: a live server with the demo, Debian's Chromium through Playwright,
axe-core on every page visited, and the Nu Html Checker on each page's HTML.

Without Chromium (or Java and vnu.jar) these tests fail with a message saying
what to install; they are never skipped.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import DEMO_TODAY
from wpw import create_app
from wpw.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def serve_demo(tmp: Path, **config) -> Iterator[str]:
    """The app on a free loopback port, with a migrated SQLite file and the demo;
    *config* overrides settings (e.g. the mail server)."""
    from flask_migrate import upgrade

    from wpw.demo.loader import load_demo

    tmp.mkdir(parents=True, exist_ok=True)
    app = create_app(
        {
            "TESTING": False,
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'wpw.sqlite'}",
            "WPW_INDEX_DIR": str(tmp / "index"),
            "WPW_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            **config,
        }
    )
    with app.app_context():
        upgrade()
        load_demo(DEMO_TODAY)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """One demo server for the tests that only read (or add accounts)."""
    with serve_demo(tmp_path_factory.mktemp("live")) as url:
        yield url


@pytest.fixture
def own_server(tmp_path) -> Iterator[str]:
    """A demo server of the test's own, for journeys that change the programme."""
    with serve_demo(tmp_path / "own") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            "Debian's Chromium is missing at /usr/bin/chromium: "
            "run 'apt-get install -y chromium' (make test does this as root).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageChecker:
    """Runs axe-core on the current page and keeps its HTML for the Nu checker."""

    def __init__(self, out_dir: Path) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self._axe = Axe()
        self._out = out_dir
        self.pages: dict[str, Path] = {}

    def check(self, page) -> None:
        """axe-core on the page as shown, and keep its HTML for the Nu checker."""
        url = page.url.split("#")[0]
        results = self._axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
        )
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
        self.keep_html(page)

    def keep_html(self, page) -> None:
        """Keep the page's HTML only: for pages without JavaScript, where axe-core
        (a script) cannot run; the same pages are axe-checked with JavaScript on."""
        url = page.url.split("#")[0]
        if url not in self.pages:
            source = page.context.request.get(url).text()
            path = self._out / f"page{len(self.pages):03d}.html"
            path.write_text(source, encoding="utf-8")
            self.pages[url] = path

    def validate_html(self) -> None:
        """One vnu.jar call for every page kept; any error fails the test."""
        if not self.pages:
            return
        if shutil.which("java") is None or not VNU_JAR.exists():
            pytest.fail(
                "The Nu Html Checker needs Java and node_modules/vnu-jar "
                "(run 'npm ci'; make test does).",
                pytrace=False,
            )
        result = subprocess.run(
            [
                "java",
                "-jar",
                str(VNU_JAR),
                "--format",
                "gnu",
                "--errors-only",
                *map(str, self.pages.values()),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        names = {str(path): url for url, path in self.pages.items()}
        report = result.stderr + result.stdout
        for path, url in names.items():
            report = report.replace(path, url)
        assert result.returncode == 0, f"Nu Html Checker errors:\n{report}"


@pytest.fixture
def checker(tmp_path) -> Iterator[PageChecker]:
    checker = PageChecker(tmp_path)
    yield checker
    checker.validate_html()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context in Polish (as a Kraków reader's browser would be)."""
    context = browser.new_context(locale="pl-PL", base_url=live_server)
    page = context.new_page()
    yield page
    context.close()
