"""Issue 6.5: four gunicorn workers, comments posted concurrently through the
API, each searchable within one second of its request, none lost.

A real server on a file SQLite database (WAL) and a fresh index directory; only
the in-process drain after commit keeps the index current (no index-worker), so
this also shows that a request finding the writer lock busy leaves nothing
stranded. About 15 seconds.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path
from statistics import median

import pytest
from sqlalchemy import func, select

from tests.api.conftest import build_small
from tests.conftest import make_user
from wpw import create_app
from wpw.annotations.models import Annotation
from wpw.annotations.tokens import create_token
from wpw.auth.models import Role
from wpw.extensions import db
from wpw.process.models import Phase, PhaseKind
from wpw.process.services import city_today
from wpw.search.models import SearchOutbox

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 4
THREADS = 4
POSTS = 40
DEADLINE = 1.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wpw.sqlite'}",
        "WPW_INDEX_DIR": str(tmp_path / "index"),
        "WPW_INSTANCE_DIR": str(tmp_path / "instance"),
        "SECRET_KEY": "concurrency-test",
    }


def _prepare(env: dict[str, str]) -> tuple[int, str]:
    """The database: the small programme with round 2's consultation open
    today, and an NGO's API token. Returns (version id of "cele", token)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "WPW_INDEX_DIR": env["WPW_INDEX_DIR"],
            "SECRET_KEY": env["SECRET_KEY"],
        }
    )
    with app.app_context():
        db.create_all()
        small = build_small()
        today = city_today()
        db.session.add(
            Phase(
                programme=small.programme,
                kind=PhaseKind.CONSULTATION,
                name="Dziś",
                name_en="Today",
                starts_on=today - timedelta(days=1),
                ends_on=today + timedelta(days=1),
                position=9,
                round=small.rounds[2],
            )
        )
        author = make_user(Role.NGO, organisation="Fundacja Współbieżna")
        _row, token = create_token(author, "test")
        db.session.commit()
        cele = next(v for v in small.rounds[2].versions if v.section.key == "cele")
        version_id = cele.id
        db.engine.dispose()
    return version_id, token


def _get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
        return json.load(response)


def _post(url: str, token: str, body: dict) -> int:
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode(),
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status


@pytest.fixture
def server(tmp_path: Path):
    env = _environment(tmp_path)
    version_id, token = _prepare(env)
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60", "wpw:create_app()"]
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "gunicorn.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=log)
        try:
            for _attempt in range(300):
                try:
                    _get_json(f"{base}/api/v1/search?q=x")
                    break
                except OSError:
                    if process.poll() is not None:
                        pytest.fail((tmp_path / "gunicorn.log").read_text()[-2000:])
                    time.sleep(0.1)
            yield base, version_id, token, env
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def test_concurrent_comments_are_searchable_within_a_second(server) -> None:
    base, version_id, token, env = server
    run = uuid.uuid4().hex[:6]
    common = f"wspolny{run}"
    delays: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def one(n: int) -> None:
        marker = f"zn{run}x{n:05d}"
        body = {
            "motivation": "commenting",
            "bodyValue": f"Uwaga współbieżna {marker} {common}.",
            "target": {
                "source": f"{base}/api/v1/versions/{version_id}",
                "selector": [{"type": "TextPositionSelector", "start": 0, "end": 8}],
            },
        }
        status = _post(f"{base}/api/v1/annotations", token, body)
        answered = time.monotonic()
        while True:
            found = _get_json(f"{base}/api/v1/search?q={marker}")["total"]
            waited = time.monotonic() - answered
            if found == 1 or waited > DEADLINE:
                break
            time.sleep(0.1)
        with lock:
            delays.append(waited)
            if status != 201 or found != 1:
                failures.append(f"{marker}: status {status}, found {found}")

    threads = [
        threading.Thread(target=lambda k=k: [one(n) for n in range(k, POSTS, THREADS)])
        for k in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    slowest = sorted(round(d, 2) for d in delays)[-5:]
    assert not failures, (failures, slowest)
    assert len(delays) == POSTS
    assert max(delays) <= DEADLINE, (median(delays), slowest)
    # None lost: the database, the index and the outbox agree.
    assert _get_json(f"{base}/api/v1/search?q={common}")["total"] == POSTS
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
            "WPW_INDEX_DIR": env["WPW_INDEX_DIR"],
            "SECRET_KEY": env["SECRET_KEY"],
        }
    )
    with app.app_context():
        stored = db.session.scalar(
            select(func.count(Annotation.id)).where(Annotation.body.contains(common))
        )
        assert stored == POSTS
        assert db.session.scalar(select(func.count(SearchOutbox.id))) == 0
        db.engine.dispose()
