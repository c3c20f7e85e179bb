"""Search at scale: the app's Whoosh index beside SQLite FTS5, same corpus, same run.

Run: ``.venv/bin/python bench/search.py [--docs 100000] [--runs 15] [--procs N]``.
Prints one table, then the targets of issue 6 and whether each is met.

Corpus: ``--docs`` generated comments made of real Polish sentences — those of the
demo programme and its annotations (``wpw/demo/data/*.toml``) and of the Polish law
in ``/work/shared/corpus/realdocs`` (if present) — shuffled with a fixed seed into
comments of 1–8 sentences (median ~230 characters, like the demo's annotations),
each with facets: 2 programmes, rounds 1–3, 24 sections, 8 sectors, 4 kinds, a
decision or none, 60 organisations, a date in 2011–2013; 2% are hidden.

Whoosh: the app's own schema and analysis (:func:`wpw.search.index.make_schema`:
lowercased words with positions, stems found through them — Snowball Polish,
diacritics folded after stemming — and facets, dates and lengths in columns),
documents added with :func:`wpw.search.index.add` to the app's bulk writer
(:func:`wpw.search.index.bulk_writer`: ``--procs`` or by default the app's
number of processes, one segment each, as ``flask wpw reindex`` uses for a large
database), one commit. Queries go through the app's parser
(:func:`wpw.search.query.parse`) and are run as the search page runs them
(:func:`wpw.search.services.run_query`, without the database's labels and the
snippets): hidden items masked, the total count, the top 20 by relevance, and —
in the second column — also the seven facet counts. Nothing is cached between
runs but what is derived from the index itself (facet and date columns, the
words of each stem, per segment); every run reads its terms' postings again.

FTS5: one table with the same text normalised in Python by the same analyzer
(:func:`wpw.search.analysis.normalise`, so stems and folding are identical) in a
``terms`` column, the lowercased unstemmed text in a ``phrase`` column, and the
facets as UNINDEXED columns; the same queries written in FTS5 syntax; top 20 by
``bm25`` plus ``count(*)``, hidden rows excluded. Inserts in one transaction.

Latency: each query ``--runs`` times after one unmeasured run; median and p95 over
all runs of all queries (and per query). Index size: the files on disk.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import tomllib
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wpw import create_app  # noqa: E402
from wpw.search import index as search_index  # noqa: E402
from wpw.search.analysis import normalise  # noqa: E402
from wpw.search.index import (  # noqa: E402
    add,
    bulk_writer,
    new_index,
    open_index,
    swap_in,
)
from wpw.search.query import parse  # noqa: E402
from wpw.search.services import SearchParams, run_query  # noqa: E402

CORPUS = Path("/work/shared/corpus/realdocs/pl-ustawa-pozytek.v1.txt")
SENTENCE = re.compile(r"[^.!?;\n]{20,400}[.!?;]")
KINDS = ["comment", "question", "change", "reply"]
DECISIONS = ["accepted", "partial", "rejected", "noted", "none", "none"]
SECTORS = [f"sektor-{n}" for n in range(1, 9)]

#: (label, query typed by a person, extra facet filter, FTS5 MATCH, FTS5 WHERE)
QUERIES = [
    ("single word", "kultura", {}, "terms: kultur", ""),
    ("inflected word", "uchwały", {}, "terms: uchw", ""),
    (
        "inflected phrase (words)",
        "organizacji pozarządowych",
        {},
        "terms: organizacj AND terms: pozarzadow",
        "",
    ),
    (
        "no diacritics",
        "organizacji pozarzadowych",
        {},
        "terms: organizacj AND terms: pozarzadow",
        "",
    ),
    (
        "exact phrase",
        '"organizacje pozarządowe"',
        {},
        'phrase: "organizacje pozarządowe"',
        "",
    ),
    ("prefix", "pozarz*", {}, "terms: pozarz*", ""),
    ("OR", "sport OR turystyka", {}, "terms: sport OR terms: turystyk", ""),
    ("NOT", "dotacja NOT konkurs", {}, "terms: dotacj NOT terms: konkurs", ""),
    (
        "facet filter",
        "współpraca",
        {"kind": "question", "round": "2"},
        "terms: wspolprac",
        "AND kind = 'question' AND round = '2'",
    ),
    ("rare word", "rewitalizacji", {}, "terms: rewitalizacj", ""),
]


def sentences() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "wpw/demo/data").glob("*.toml")):
        data = tomllib.loads(path.read_text())
        found.extend(_strings(data))
    if CORPUS.exists():
        found.append(CORPUS.read_text())
    else:
        print(f"({CORPUS} is missing: demo texts only)")
    out = []
    for text in found:
        out.extend(" ".join(m.group(0).split()) for m in SENTENCE.finditer(text))
    return [s for s in dict.fromkeys(out) if len(s.split()) >= 3]


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def corpus(count: int, pool: list[str]) -> list[dict]:
    rng = random.Random(6)
    start = datetime(2011, 1, 1)
    docs = []
    for n in range(count):
        length = min(8, max(1, int(rng.lognormvariate(0.6, 0.7))))
        text = " ".join(rng.choice(pool) for _ in range(length))
        docs.append(
            {
                "n": n,
                "text": text,
                "programme": rng.choice(["wpw-2012-2014", "wpw-2015-2017"]),
                "round": str(rng.randint(1, 3)),
                "section": f"s{rng.randint(1, 24)}",
                "sector": ",".join(rng.sample(SECTORS, rng.randint(0, 2))),
                "kind": rng.choice(KINDS),
                "decision": rng.choice(DECISIONS),
                "organisation": str(rng.randint(1, 60)),
                "date": start + timedelta(minutes=rng.randint(0, 3 * 525600)),
                "hidden": rng.random() < 0.02,
            }
        )
    return docs


def size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_whoosh(root: Path, docs: list[dict], procs: int | None) -> float:
    if procs is not None:
        search_index.BULK_PROCS = procs
    path, ix = new_index(root)
    started = time.perf_counter()
    writer = bulk_writer(ix)
    for d in docs:
        fields = {
            "id": f"annotation:{d['n']}",
            "doc_type": "annotation",
            "text": d["text"],
            "phrase": d["text"],
            "hidden": d["hidden"],
            "programme": d["programme"],
            "round": d["round"],
            "section": d["section"],
            "kind": d["kind"],
            "decision": d["decision"],
            "organisation": d["organisation"],
            "date": d["date"],
            "object_id": d["n"],
            "root_id": d["n"],
            "title": "§ 1 Tytuł",
            "body": d["text"],
            "first_line": 1,
            "last_line": 1,
            "state": "open",
        }
        if d["sector"]:
            fields["sector"] = d["sector"]
        add(writer, fields)
    writer.commit()
    elapsed = time.perf_counter() - started
    swap_in(root, path)
    return elapsed


def build_fts(path: Path, docs: list[dict]) -> tuple[sqlite3.Connection, float]:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE VIRTUAL TABLE notes USING fts5(terms, phrase, programme UNINDEXED, "
        "round UNINDEXED, section UNINDEXED, sector UNINDEXED, kind UNINDEXED, "
        "decision UNINDEXED, organisation UNINDEXED, date UNINDEXED, "
        "hidden UNINDEXED, tokenize='unicode61 remove_diacritics 0')"
    )
    started = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO notes VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    " ".join(normalise(d["text"])),
                    d["text"].lower(),
                    d["programme"],
                    d["round"],
                    d["section"],
                    d["sector"],
                    d["kind"],
                    d["decision"],
                    d["organisation"],
                    d["date"].isoformat(),
                    int(d["hidden"]),
                )
                for d in docs
            ),
        )
    return conn, time.perf_counter() - started


def whoosh_query(searcher, text: str, filters: dict, facets: bool) -> int:
    """As :func:`wpw.search.services.search` runs it (without the database's
    labels and the snippets): the total, the top 20 by relevance, hidden items
    masked, and with *facets* the seven facet counts."""
    parsed = parse(text)
    params = SearchParams(q=text, filters={k: (v,) for k, v in filters.items()})
    found = run_query(searcher, params, parsed.query, facets=facets)
    [hit["object_id"] for hit in found.results]
    return found.total


def fts_query(conn: sqlite3.Connection, match: str, where: str) -> int:
    sql = f"FROM notes WHERE notes MATCH ? AND hidden = 0 {where}"
    conn.execute(
        f"SELECT rowid {sql} ORDER BY bm25(notes) LIMIT 20", (match,)
    ).fetchall()
    return conn.execute(f"SELECT count(*) {sql}", (match,)).fetchone()[0]


def timed(run, runs: int) -> tuple[list[float], int]:
    total = run()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times, total


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--procs",
        type=int,
        default=None,
        help="indexing processes (default: the app's, wpw.search.index.BULK_PROCS)",
    )
    args = parser.parse_args()

    pool = sentences()
    docs = corpus(args.docs, pool)
    lengths = sorted(len(d["text"]) for d in docs)
    print(
        f"{len(docs):,} comments from {len(pool):,} real Polish sentences; length "
        f"median {lengths[len(lengths) // 2]} chars, p95 "
        f"{lengths[int(len(lengths) * 0.95)]}"
    )
    tmp = Path(tempfile.mkdtemp(prefix="wpw-bench-search-"))
    try:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "WPW_INDEX_DIR": str(tmp / "index"),
                "WPW_INDEX_CHECK_AT_START": False,
                "SECRET_KEY": "bench",
            }
        )
        with app.test_request_context():
            w_seconds = build_whoosh(tmp / "index", docs, args.procs)
            conn, f_seconds = build_fts(tmp / "fts.sqlite", docs)
            ix = open_index(tmp / "index")
            rows = []
            all_w, all_wf, all_f = [], [], []
            with ix.searcher() as searcher:
                for label, text, filters, match, where in QUERIES:
                    w, w_total = timed(
                        partial(whoosh_query, searcher, text, filters, False), args.runs
                    )
                    wf, _ = timed(
                        partial(whoosh_query, searcher, text, filters, True), args.runs
                    )
                    f, f_total = timed(
                        partial(fts_query, conn, match, where), args.runs
                    )
                    all_w += w
                    all_wf += wf
                    all_f += f
                    rows.append((label, text, filters, w_total, f_total, w, wf, f))
            w_size = size(tmp / "index")
            conn.close()
            f_size = (tmp / "fts.sqlite").stat().st_size
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'':34} {'Whoosh (app)':>22} {'Whoosh + facets':>17} {'SQLite FTS5':>22}")
    print(
        f"{'indexing docs/s':34} {len(docs) / w_seconds:>22,.0f} {'':>17} "
        f"{len(docs) / f_seconds:>22,.0f}"
    )
    print(f"{'index size MB':34} {w_size / 1e6:>22.1f} {'':>17} {f_size / 1e6:>22.1f}")
    print(
        f"{'query median / p95 ms (all)':34} "
        f"{statistics.median(all_w):>13.1f} / {p95(all_w):>6.1f} "
        f"{statistics.median(all_wf):>8.1f} / {p95(all_wf):>6.1f} "
        f"{statistics.median(all_f):>13.1f} / {p95(all_f):>6.1f}"
    )
    print()
    print(f"{'query':34} {'hits W/F':>14} {'W med':>7} {'W+f med':>8} {'F med':>7}")
    for label, text, filters, w_total, f_total, w, wf, f in rows:
        shown = f"{label}: {text}" + (f" {filters}" if filters else "")
        print(
            f"{shown[:34]:34} {w_total:>6,}/{f_total:<7,} "
            f"{statistics.median(w):>7.1f} {statistics.median(wf):>8.1f} "
            f"{statistics.median(f):>7.1f}"
        )
    print()
    targets = [
        ("median query < 30 ms (Whoosh, page as run)", statistics.median(all_w) < 30),
        ("p95 query < 100 ms (Whoosh, page as run)", p95(all_w) < 100),
        ("median query < 30 ms with facets", statistics.median(all_wf) < 30),
        ("p95 query < 100 ms with facets", p95(all_wf) < 100),
        ("indexing >= 2,000 docs/s (Whoosh)", len(docs) / w_seconds >= 2000),
    ]
    for label, met in targets:
        print(f"{'met' if met else 'NOT met':8} {label}")


if __name__ == "__main__":
    main()
