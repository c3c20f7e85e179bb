"""Page timings: median and p95 ms of the reading pages, SQLite, Flask's server.

Run: ``.venv/bin/python bench/pages.py [--requests 50]``. Starts ``flask run`` on a
free loopback port with a fresh SQLite database holding the demo, requests each page
repeatedly over HTTP, and prints one table. The baseline in the same run is a static
file from the same server (the server's own floor) — the reading pages are compared
with it, not with a number remembered from another machine.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("baseline: static CSS file", "/static/css/wpw.css"),
    ("home page", "/"),
    ("programme page", "/programmes/wpw-2012-2014"),
    ("round page (round 2, 21 sections)", "/programmes/wpw-2012-2014/rounds/2"),
    (
        "section page (round 2, Edukacja)",
        "/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja",
    ),
    (
        "API: section JSON",
        "/api/v1/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:  # noqa: S310 (loopback only)
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    flask = str(Path(sys.executable).with_name("flask"))
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "FLASK_APP": "app",
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite",
            "WPW_INDEX_DIR": f"{tmp}/index",
        }
        for command in (["wpw", "init"], ["wpw", "demo"]):
            subprocess.run(
                [flask, *command], env=env, cwd=ROOT, check=True, capture_output=True
            )
        port = _free_port()
        server = subprocess.Popen(
            [flask, "run", "--port", str(port), "--no-reload", "--without-threads"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    _get(base + "/static/css/wpw.css")
                    break
                except OSError:
                    time.sleep(0.1)
            rows = []
            for label, path in PAGES:
                for _ in range(3):  # warm up: templates compiled, caches filled
                    _get(base + path)
                times = sorted(_get(base + path) for _ in range(args.requests))
                rows.append(
                    (
                        label,
                        statistics.median(times),
                        times[int(0.95 * (len(times) - 1))],
                    )
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    floor = rows[0][1]
    print(f"{'page':<40} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for label, median, p95 in rows:
        print(f"{label:<40} {median:>10.1f} {p95:>8.1f} {median / floor:>11.1f}")
    print(
        f"\n{args.requests} requests per page, Flask development server, SQLite, "
        "one client at a time."
    )


if __name__ == "__main__":
    main()
