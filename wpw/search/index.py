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
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import formats
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.columns import NumericColumn, RefBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema
from whoosh.index import Index
from whoosh.util.numeric import length_to_byte
from whoosh.writing import IndexWriter

from wpw.search.analysis import (
    PHRASE_BYTES,
    phrase_analyzer,
    polish_analyzer,
    words,
)

POINTER = "CURRENT"
LOCK = "writer.lock"
#: Bumped when the schema or analysis changes: an index of another version is
#: treated as corrupt and rebuilt.
SCHEMA_VERSION = "3"
#: Processes that build a whole index (``flask wpw reindex``, the benchmark).
BULK_PROCS = 2
#: Postings per block: 4 times Whoosh's default, so reading a common word's
#: postings (with their positions) decodes fewer, larger blocks.
CODEC = W3Codec(blocklimit=512)
#: Memory (MB) each of them may use before it spills postings to disk.
BULK_LIMIT_MB = 256


class StemmedText(TEXT):
    """The searchable text, stemmed and folded — on the query side only.

    Queries on it are analysed by its analyzer (Polish stems), but it has no
    postings: :func:`add` indexes the text once, as lowercased words with
    positions (:class:`PhraseText`), and :mod:`wpw.search.docsets` finds a
    stem's documents through its word forms (the segment's words, grouped by
    stem). One inverted field instead of two halves the postings to write.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=polish_analyzer(), phrase=False)


class PhraseText(TEXT):
    """The text as lowercased words with positions: quoted phrases match here
    exactly, and stems through their word forms (see :class:`StemmedText`).

    Indexing bypasses Whoosh's token stream (one regular-expression pass and a
    memo of lowercased words). Not *scorable* in Whoosh's sense: Whoosh would
    look up the document's length for every posting while writing; the length
    goes to the ``length`` column instead (:func:`document_length`), where
    :mod:`wpw.search.docsets` reads it for BM25.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=phrase_analyzer(), phrase=True)
        self.scorable = False

    def index(self, value: Any, **kwargs: Any):
        memo = PHRASE_BYTES
        positions: dict[bytes, Any] = {}
        for pos, word in enumerate(map(memo.__getitem__, words(value))):
            found = positions.get(word)
            if found is None:
                positions[word] = pos
            elif isinstance(found, int):
                positions[word] = [found, pos]
            else:
                found.append(pos)
        boost = self.format.field_boost
        single = _single_position
        encode = self.format.encode
        return [
            (word, 1, boost, single(found))
            if isinstance(found, int)
            else (word, len(found), len(found) * boost, encode(found))
            for word, found in positions.items()
        ]


@lru_cache(maxsize=4096)
def _single_position(pos: int) -> bytes:
    """A ``Positions`` posting value for one occurrence at *pos*."""
    return formats.Positions().encode([pos])


def document_length(text: str) -> int:
    """How many words *text* has, as Whoosh's one-byte length code (for the
    ``length`` column; BM25 needs the length of each document)."""
    return length_to_byte(len(words(text)))


class Facet(COLUMN):
    """A facet value (text) per document, kept in a column — not in the inverted
    index: filters and counts use the column (see :mod:`wpw.search.docsets`)."""

    def __init__(self) -> None:
        super().__init__(RefBytesColumn())

    def to_column_value(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def from_column_value(self, value: bytes) -> str:
        return value.decode("utf-8")


class Flag(COLUMN):
    """A yes/no per document in a column (``b"1"`` or ``b""``)."""

    def __init__(self) -> None:
        super().__init__(RefBytesColumn())

    def to_column_value(self, value: Any) -> bytes:
        return b"1" if value else b""

    def from_column_value(self, value: bytes) -> bool:
        return value == b"1"


class Moment(COLUMN):
    """A naive UTC datetime, as whole seconds in a column (for sorting, date
    ranges and display)."""

    def __init__(self) -> None:
        super().__init__(NumericColumn("q"))

    def to_column_value(self, value: datetime) -> int:
        return seconds(value)

    def from_column_value(self, value: int) -> datetime:
        return EPOCH + timedelta(seconds=value)


class Length(COLUMN):
    """A number from 0 to 255 per document in a column (see
    :func:`document_length`)."""

    def __init__(self) -> None:
        super().__init__(NumericColumn("B"))

    def to_column_value(self, value: Any) -> int:
        return int(value)

    def from_column_value(self, value: int) -> int:
        return value


EPOCH = datetime(1970, 1, 1)


def seconds(moment: datetime) -> int:
    """*moment* (naive UTC) as whole seconds since 1970."""
    return (moment - EPOCH) // timedelta(seconds=1)


#: The stemmed field (query side only: see :class:`StemmedText`) and the
#: field of words it is derived from, the only one with postings besides ``id``.
STEMS = "text"
WORDS = "phrase"
#: Columns read for each hit shown (not stored with the document).
COLUMNS = ("hidden", "date")
#: The facet columns (see :class:`Facet`); the order the search page shows them.
FACET_FIELDS = (
    "programme",
    "round",
    "section",
    "sector",
    "kind",
    "decision",
    "organisation",
)


def make_schema() -> Schema:
    """One document per annotation or reply ("annotation") and per section
    version of a public round ("version")."""
    return Schema(
        id=ID(unique=True, stored=True),
        doc_type=STORED,
        #: Every searchable part, stemmed and folded (for queries: no postings).
        text=StemmedText(),
        #: The same parts as lowercased words with positions.
        phrase=PhraseText(),
        #: The length of ``text`` (see :func:`document_length`).
        length=Length(),
        hidden=Flag(),
        date=Moment(),
        #: Sectors: comma-separated slugs.
        **{name: Facet() for name in FACET_FIELDS},
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


def add(writer: IndexWriter, document: dict[str, Any], *, update: bool = False) -> None:
    """Add (or with *update*, replace) *document*: its searchable ``text`` goes
    to the ``phrase`` field (words), with its ``length``."""
    fields = {k: v for k, v in document.items() if k != STEMS}
    text = document.get(STEMS, document.get(WORDS, ""))
    fields[WORDS] = text
    fields["length"] = document_length(text)
    if update:
        writer.update_document(**fields)
    else:
        writer.add_document(**fields)


def bulk_writer(ix: Index) -> IndexWriter:
    """A writer for loading a whole new index: :data:`BULK_PROCS` processes, one
    segment each (not merged: merging would rewrite everything once more)."""
    if BULK_PROCS > 1:
        return ix.writer(
            procs=BULK_PROCS, limitmb=BULK_LIMIT_MB, multisegment=True, codec=CODEC
        )
    return ix.writer(limitmb=BULK_LIMIT_MB, codec=CODEC)


def small_writer(ix: Index) -> IndexWriter:
    """A writer for a few documents (draining the outbox, small rebuilds)."""
    return ix.writer(codec=CODEC)


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
