"""Every exported annotation passes the W3C Web Annotation Working Group's MUST
assertions, run by ``../shared/conformance/check_w3c_annotation.py`` (outside
this repository; its absence fails the test, it never skips)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from flask.testing import FlaskClient

from tests.api.conftest import (  # noqa: F401  (fixtures)
    API,
    SLUG,
    Annotated,
    annotated,
    small,
)
from wpw.annotations.models import Annotation, Decision
from wpw.api.presenters import ANNO_MEDIA_TYPE
from wpw.core import utcnow
from wpw.extensions import db

RUNNER = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "conformance"
    / "check_w3c_annotation.py"
)


def _run(files: list[Path]) -> str:
    assert RUNNER.is_file(), (
        f"The W3C conformance runner is missing: expected {RUNNER} "
        "(the shared conformance suites beside this repository)."
    )
    result = subprocess.run(
        [sys.executable, str(RUNNER), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout.strip()
    assert result.returncode == 0, output + result.stderr
    return output.splitlines()[-1]


def _get(client: FlaskClient, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.content_type == ANNO_MEDIA_TYPE, url
    return response.get_json(force=True)


def test_every_exported_annotation_passes_the_w3c_musts(
    client: FlaskClient,
    annotated: Annotated,  # noqa: F811
    tmp_path: Path,
) -> None:
    annotated.withdrawn.author = None  # a deleted account: creator null
    _decide(annotated.change, Decision.PARTIALLY_ACCEPTED, "Częściowo.", "Nowe.")
    _decide(annotated.comment, Decision.REJECTED, "Nie pasuje.")
    db.session.commit()
    files, count = [], 0
    collection = _get(client, f"{API}/programmes/{SLUG}/annotations?round=2")
    url = collection["first"]
    while url:
        page = _get(client, url)
        files.append(tmp_path / f"page-{len(files) + 1}.json")
        files[-1].write_text(json.dumps(page), encoding="utf-8")
        count += len(page["items"])
        for item in page["items"]:
            single = tmp_path / f"annotation-{item['id'].rsplit('/', 1)[1]}.json"
            single.write_text(json.dumps(_get(client, item["id"])), encoding="utf-8")
            files.append(single)
        url = page["next"]
    assert count == collection["total"] == 6
    assert _run(files) == f"{2 * count} passed, 0 failed"


def _decide(
    annotation: Annotation, decision: Decision, why: str, wording: str | None = None
) -> None:
    annotation.decision = decision
    annotation.justification = why
    annotation.adopted_wording = wording
    annotation.decided_at = utcnow()


def _bodies(client: FlaskClient, annotation: Annotation) -> list[tuple[str, str]]:
    body = _get(client, f"{API}/annotations/{annotation.id}")
    return [(b["purpose"], b["value"]) for b in body["body"]]


def test_withdrawn_and_decided_annotations_say_so(
    client: FlaskClient,
    annotated: Annotated,  # noqa: F811
) -> None:
    assert _bodies(client, annotated.question) == [("questioning", "Jakie formy?")]
    assert _bodies(client, annotated.withdrawn)[-1] == (
        "tagging",
        "wycofana przez autora",
    )
    _decide(annotated.change, Decision.PARTIALLY_ACCEPTED, "Częściowo.", "Nowe.")
    _decide(annotated.comment, Decision.NOTED, "Dziękujemy.")
    _decide(annotated.hidden, Decision.REJECTED, "Nie na temat.")
    db.session.commit()
    change = _bodies(client, annotated.change)
    assert [p for p, _v in change] == ["commenting", "editing", "tagging", "assessing"]
    assert change[2][1] == "uwzględniona częściowo"
    assert change[3][1] == "Częściowo.\n\nPrzyjęte brzmienie: Nowe."
    assert _bodies(client, annotated.comment)[1:] == [
        ("tagging", "przyjęta do wiadomości"),
        ("assessing", "Dziękujemy."),
    ]
    hidden = _bodies(client, annotated.hidden)
    assert [p for p, _v in hidden] == ["moderating", "tagging", "assessing"]


def test_the_runner_can_fail(tmp_path: Path) -> None:
    """A broken annotation (no target, a relative id) is refused."""
    broken = tmp_path / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "id": "/relative",
                "type": "Annotation",
            }
        ),
        encoding="utf-8",
    )
    assert RUNNER.is_file(), f"The W3C conformance runner is missing: {RUNNER}"
    result = subprocess.run(
        [sys.executable, str(RUNNER), str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"
