"""``flask wpw …`` commands of this feature; :mod:`wpw.cli` adds ``commands``."""

from __future__ import annotations

import time

import click
from flask import current_app
from sqlalchemy.orm import Session

from wpw.extensions import db
from wpw.search import indexer

commands: list[click.Command] = []


@click.command("reindex")
def reindex() -> None:
    """Rebuild the search index from the database and swap it in atomically."""
    app = current_app._get_current_object()
    with Session(db.engine) as session:
        total = indexer.document_count(session)
    with click.progressbar(length=total, label="Indexing") as bar:
        count = indexer.rebuild(app, progress=bar.update)
    click.echo(f"Indexed {count} documents into {indexer.index_root(app)}.")


@click.command("index-worker")
@click.option(
    "--interval", default=0.5, show_default=True, help="Seconds between polls."
)
@click.option("--once", is_flag=True, help="Drain the outbox once and exit.")
def index_worker(interval: float, once: bool) -> None:
    """Apply the search outbox to the index, in batches, until stopped."""
    app = current_app._get_current_object()
    while True:
        try:
            done = indexer.drain(app, wait=True)
        except Exception as error:  # a database or disk hiccup: try again
            click.echo(f"draining failed: {error}", err=True)
            done = 0
        if done:
            click.echo(f"Indexed {done} change(s).")
        if once:
            return
        time.sleep(interval)


commands += [reindex, index_worker]
