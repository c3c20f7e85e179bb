"""Wiring search into the app: the outbox listeners and the start-up index check."""

from __future__ import annotations

import logging
import os

from flask import Flask

from wpw.search import indexer

log = logging.getLogger(__name__)
TRUE = ("1", "true", "yes", "on")


def init_app(app: Flask) -> None:
    """Listen for changes to index; check the index (a missing or corrupt one is
    rebuilt from the database, an empty one made when there are no tables yet).

    ``WPW_INDEX_CHECK_AT_START = False`` skips the check (it then happens on the
    first search or drain); ``WPW_SEARCH_DRAIN_AFTER_COMMIT`` (config or
    environment, default on except under ``TESTING``) turns the in-process
    drain after each commit on or off.
    """
    indexer.listen()
    flag = os.environ.get("WPW_SEARCH_DRAIN_AFTER_COMMIT")
    if flag is not None and "WPW_SEARCH_DRAIN_AFTER_COMMIT" not in app.config:
        app.config["WPW_SEARCH_DRAIN_AFTER_COMMIT"] = flag.lower() in TRUE
    if not app.config.get("WPW_INDEX_CHECK_AT_START", True):
        return
    with app.app_context():
        try:
            state = indexer.ensure_index(app)
        except Exception:  # never keep the app from starting; searches retry
            log.exception("search: checking the index at start failed")
            return
    if state == "rebuilt":
        log.warning("search: the index was missing or corrupt and was rebuilt")
