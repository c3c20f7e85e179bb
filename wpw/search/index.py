"""The Whoosh index on disk: its schema, where it lives, opening, locking, swapping.

``WPW_INDEX_DIR`` holds one or more index directories and a ``CURRENT`` file
naming the one in use. A rebuild writes a new directory and replaces
``CURRENT`` with :func:`os.replace`, which is atomic: readers see the old index
or the new one, never half of either. ``writer.lock`` (an ``flock``) admits one
writer at a time across processes; a busy lock never makes a request wait.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import Index

from wpw.search.analysis import phrase_analyzer, polish_analyzer

POINTER = "CURRENT"
LOCK = "writer.lock"
#: Bumped when the schema or analysis changes: an index of another version is
#: treated as corrupt and rebuilt.
SCHEMA_VERSION = "1"


def make_schema() -> Schema:
    """One document per annotation or reply ("annotation") and per section
    version of a public round ("version")."""
    facet = {"stored": True, "sortable": True}
    return Schema(
        id=ID(unique=True, stored=True),
        doc_type=ID(stored=True),
        #: Every searchable part, stemmed and folded.
        text=TEXT(analyzer=polish_analyzer(), phrase=False),
        #: The same parts lowercased only, with positions: quoted phrases.
        phrase=TEXT(analyzer=phrase_analyzer(), phrase=True),
        hidden=BOOLEAN(stored=True),
        programme=ID(**facet),
        round=ID(**facet),
        section=ID(**facet),
        sector=KEYWORD(commas=True, scorable=False, **facet),
        kind=ID(**facet),
        decision=ID(**facet),
        organisation=ID(**facet),
        date=DATETIME(stored=True, sortable=True),
        # Shown in results, not searched as such.
        object_id=STORED,
        root_id=STORED,
        title=STORED,
        body=STORED,
        quote=STORED,
        replacement=STORED,
        justification=STORED,
        first_line=STORED,
        last_line=STORED,
        state=STORED,
    )


class IndexMissing(Exception):
    """No usable index: none yet, or it cannot be opened."""


def _pointer(root: Path) -> Path:
    return root / POINTER


def current_dir(root: Path) -> Path | None:
    """The index directory in use, or ``None`` when there is none."""
    try:
        name = _pointer(root).read_text().strip()
    except OSError:
        return None
    if not name or "/" in name or name.startswith("."):
        return None
    return root / name


_local = threading.local()


def open_index(root: Path, *, fresh: bool = False) -> Index:
    """The current index (cached per thread until ``CURRENT`` changes, unless
    *fresh*).

    Raises :class:`IndexMissing` when there is none or it cannot be read.
    """
    path = current_dir(root)
    if path is None:
        raise IndexMissing(str(root))
    cache = getattr(_local, "indexes", None)
    if cache is None:
        cache = _local.indexes = {}
    cached = cache.get(root)
    if cached is not None and cached[0] == path and not fresh:
        return cached[1]
    try:
        if (path / "SCHEMA").read_text().strip() != SCHEMA_VERSION:
            raise IndexMissing(str(path))
        ix = whoosh_index.open_dir(str(path))
        ix.doc_count()  # reads the table of contents and the segments
    except IndexMissing:
        raise
    except Exception as error:  # any damage at all: rebuild
        raise IndexMissing(f"{path}: {error}") from error
    cache[root] = (path, ix)
    return ix


def forget(root: Path) -> None:
    """Drop this thread's cached index for *root* (after a swap or in tests)."""
    cache = getattr(_local, "indexes", None)
    if cache:
        cache.pop(root, None)


def new_index(root: Path) -> tuple[Path, Index]:
    """A new, empty index directory beside the current one (not yet in use)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"ix-{uuid.uuid4().hex[:12]}"
    path.mkdir()
    (path / "SCHEMA").write_text(SCHEMA_VERSION)
    return path, whoosh_index.create_in(str(path), make_schema())


def swap_in(root: Path, path: Path) -> None:
    """Make *path* the current index atomically and delete the others."""
    tmp = root / f".{POINTER}.{uuid.uuid4().hex[:8]}"
    tmp.write_text(path.name)
    os.replace(tmp, _pointer(root))
    forget(root)
    for other in root.iterdir():
        if other.is_dir() and other.name.startswith("ix-") and other != path:
            # Open readers elsewhere keep their files (POSIX unlink semantics).
            shutil.rmtree(other, ignore_errors=True)


@contextmanager
def writer_lock(root: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the index's writer lock; yields ``False`` at once when *wait* is
    false and another process or thread holds it."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(handle, flags)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
