"""Report timings: the consultation report on 20,000 decided annotations, SQLite.

Run: ``.venv/bin/python bench/report.py [--annotations 20000] [--runs 3]``. Builds a
fresh SQLite database in a temporary directory (``flask wpw init`` and ``flask wpw
demo``), then bulk-inserts ``--annotations`` top-level annotations on the demo's
round 1 (comments, questions and proposed changes on whole lines of every
section, by the demo's accounts, some by a user who shows only the organisation,
a few hidden or withdrawn), each with a decision and a justification (some
undecided; partial ones with an adopted wording), and a placement on round 2 (80%
exact, 15% changed, 5% orphaned) — one ``executemany`` each, not the services,
which would take minutes and are not what is timed.

Each row is timed in-process through Flask's test client (the whole request:
routing, the query, rendering or writing the file, no network): the median and the
slowest of ``--runs`` runs after one warm-up. The named baseline in the same run
is the naive export: the raw SQL fetch of the same columns, written with a plain
``csv.writer`` loop — what the CSV costs without the report's shaping. Targets
(issue 5, part 10): CSV under 2 s, the report page under 1 s, the review queue
page with filters under 100 ms.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SLUG = "wpw-2012-2014"
REPORT = f"/programmes/{SLUG}/report?round=1"
QUEUE = f"/review/?programme={SLUG}&round=1&sector=edukacja&kind=change&status=decided"

JUSTIFICATIONS = [
    "Uwaga zasadna: zapis doprecyzowano zgodnie z propozycją organizacji.",
    "Propozycja wykracza poza zakres programu; zostanie rozważona przy ogłoszeniach "
    "konkursowych.",
    "Zapis pozostaje bez zmian; wyjaśnienie przekazano autorce uwagi.",
    "Uwzględniono część propozycji: termin skrócono, ale nie do 14 dni.",
]
PASSWORD = "bench-coordinator-1"  # noqa: S105 (a throwaway database)
DECISIONS = ["accepted", "partial", "rejected", "noted", None]


def generate(count: int, seed: int = 2011) -> None:
    """Bulk-insert *count* decided annotations with placements (see above)."""
    from sqlalchemy import func, insert, select

    from wpw.annotations.models import Annotation, Placement
    from wpw.auth.models import Organisation, Role, User
    from wpw.documents import services as documents
    from wpw.extensions import db

    rng = random.Random(seed)
    programme = documents.programme_by_slug(SLUG)
    one, two = programme.rounds[0], programme.rounds[1]
    users = db.session.scalars(select(User).where(User.role != Role.ADMIN)).all()
    quiet = User(
        email="cicha@bench.example",
        name="Nie Pokazuj",
        password_hash="!",  # noqa: S106 (no password: never logs in)
        role=Role.NGO,
        show_name=False,
        organisation=Organisation(name="Stowarzyszenie Ciche Źródło"),
    )
    db.session.add(quiet)
    db.session.flush()
    users = [*users, quiet]
    coordinator = next(u for u in users if u.role is Role.COORDINATOR)
    lines = [
        (v, n, line)
        for v in one.versions
        for n, line in enumerate(v.lines, 1)
        if line.strip()
    ]
    now = datetime(2011, 8, 1, tzinfo=UTC)
    rows = []
    for i in range(count):
        version, n, line = rng.choice(lines)
        start = sum(len(x) + 1 for x in version.lines[: n - 1])
        kind = ("comment", "question", "change")[i % 3]
        author = rng.choice(users)
        decision = rng.choice(DECISIONS)
        rows.append(
            {
                "version_id": version.id,
                "section_id": version.section_id,
                "round_id": one.id,
                "kind": kind,
                "state": "withdrawn" if i % 97 == 0 else "open",
                "author_id": author.id,
                "organisation_id": author.organisation_id,
                "is_expert": author.role is Role.EXPERT,
                "body": f"Uwaga nr {i + 1}: proponujemy doprecyzować ten zapis; "
                * rng.randrange(1, 4),
                "replacement": line[::-1] if kind == "change" else None,
                "first_line": n,
                "last_line": n,
                "start": start,
                "end": start + len(line),
                "exact": line,
                "prefix": version.text[max(0, start - 32) : start],
                "suffix": version.text[start + len(line) : start + len(line) + 32],
                "hidden_reason": "Narusza regulamin." if i % 211 == 0 else None,
                "created_at": now,
                "updated_at": now,
                "decision": decision,
                "justification": rng.choice(JUSTIFICATIONS) if decision else None,
                "adopted_wording": line.upper() if decision == "partial" else None,
                "decided_at": now if decision else None,
                "decided_by_id": coordinator.id if decision else None,
                "review_revision": 1 if decision else 0,
            }
        )
    before = db.session.scalar(select(func.max(Annotation.id))) or 0
    db.session.execute(insert(Annotation), rows)
    ids = db.session.execute(
        select(Annotation.id, Annotation.section_id, Annotation.exact).where(
            Annotation.id > before
        )
    ).all()
    in_two = {v.section_id: v.id for v in two.versions}
    placements = []
    for id_, section_id, exact in ids:
        roll = rng.random()
        version_id = in_two.get(section_id)
        outcome = (
            "orphaned"
            if version_id is None or roll < 0.05
            else "changed"
            if roll < 0.20
            else "exact"
        )
        placements.append(
            {
                "annotation_id": id_,
                "round_id": two.id,
                "version_id": version_id,
                "outcome": outcome,
                "first_line": None if outcome == "orphaned" else 1,
                "last_line": None if outcome == "orphaned" else 1,
                "new_exact": exact + " (zmienione)" if outcome == "changed" else None,
                "method": "mapped",
                "created_at": now,
            }
        )
    db.session.execute(insert(Placement), placements)
    db.session.commit()


def naive_csv() -> bytes:
    """The baseline: the same columns fetched raw and written with csv.writer."""
    from sqlalchemy import text

    from wpw.extensions import db

    result = db.session.execute(
        text(
            "SELECT a.id, a.kind, v.number, v.title, a.first_line, a.last_line, "
            "a.exact, u.name, o.name, a.body, a.replacement, a.decision, "
            "a.justification, a.adopted_wording, p.outcome, p.new_exact "
            "FROM annotations a JOIN section_versions v ON v.id = a.version_id "
            "LEFT JOIN users u ON u.id = a.author_id "
            "LEFT JOIN organisations o ON o.id = a.organisation_id "
            "LEFT JOIN annotation_placements p ON p.annotation_id = a.id "
            "AND p.round_id = (SELECT id FROM rounds WHERE number = 2) "
            "WHERE a.round_id = (SELECT id FROM rounds WHERE number = 1) "
            "AND a.parent_id IS NULL ORDER BY v.position, a.first_line, a.id"
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in result:
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode()


def _time(run: Callable[[], object], runs: int) -> tuple[float, float]:
    run()  # warm-up: templates compiled, pages cached
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, max(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--annotations", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(
            SECRET_KEY="bench",  # noqa: S106 (a throwaway database)
            DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite",
            WPW_INDEX_DIR=f"{tmp}/index",
        )
        from wpw import create_app
        from wpw.extensions import db

        app = create_app()
        runner = app.test_cli_runner()
        for command in (["wpw", "init"], ["wpw", "demo"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, result.output
        with app.app_context():
            started = time.perf_counter()
            generate(args.annotations)
            generated = time.perf_counter() - started
            rows = _measure(app, args.runs)
            db.session.remove()
            db.engine.dispose()
    _print(rows, args, generated)


def _measure(app, runs: int) -> list[tuple[str, float | None, float | None, str]]:
    from sqlalchemy import select

    from wpw.auth.models import Role, User
    from wpw.extensions import db

    client = app.test_client()

    def get(url: str, check: str = "") -> Callable[[], bytes]:
        def run() -> bytes:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            data = response.get_data()
            assert check.encode() in data, url
            return data

        return run

    table: list[tuple[str, float | None, float | None, str]] = []

    def row(label: str, run: Callable[[], object], target: str = "") -> None:
        table.append((label, *_time(run, runs), target))

    row("baseline: raw SQL + plain csv.writer", naive_csv)
    row(
        "report CSV (all rows)", get(REPORT.replace("report?", "report.csv?")), "< 2000"
    )
    row("report page (summary + first 200 rows)", get(REPORT, "<caption>"), "< 1000")
    row(
        "report page, sector Edukacja",
        get(REPORT + "&sector=edukacja", "<caption>"),
        "< 1000",
    )
    row("report XLSX (all rows)", get(REPORT.replace("report?", "report.xlsx?")))
    row("report ODS (all rows)", get(REPORT.replace("report?", "report.ods?")))
    row("API: report JSON (all rows)", get("/api/v1" + REPORT))

    if "review.queue" in app.view_functions:
        coordinator = db.session.scalar(
            select(User).where(User.role == Role.COORDINATOR)
        )
        coordinator.set_password(PASSWORD)
        db.session.commit()
        app.config["WTF_CSRF_ENABLED"] = False  # log in through the real form
        response = client.post(
            "/login", data={"email": coordinator.email, "password": PASSWORD}
        )
        assert response.status_code == 302, response.status_code
        row("review queue, 4 filters (coordinator)", get(QUEUE), "< 100")
        row("review queue, no filter (coordinator)", get("/review/"), "< 100")
    else:
        table.append(("review queue: not available (no review.queue)", None, None, ""))
    return table


def _print(table, args, generated: float) -> None:
    floor = table[0][1]
    print(
        f"{'what (round 1, ' + format(args.annotations, ',') + ' annotations)':<48} "
        f"{'median ms':>10} {'max ms':>8} {'× baseline':>11} {'target ms':>10}"
    )
    verdicts = []
    for label, median, slowest, target in table:
        if median is None:
            print(f"{label:<48} {'—':>10} {'—':>8} {'—':>11} {'':>10}")
            continue
        print(
            f"{label:<48} {median:>10.1f} {slowest:>8.1f} "
            f"{median / floor:>11.1f} {target:>10}"
        )
        if target:
            met = median < float(target.strip("< "))
            verdicts.append(f"{label}: {'met' if met else 'NOT met'}")
    print("\n" + "\n".join(verdicts))
    print(
        f"\n{args.runs} runs after a warm-up, Flask test client in-process, SQLite "
        f"file; {args.annotations:,} annotations inserted in {generated:.1f} s."
    )


if __name__ == "__main__":
    main()
