"""What searching reads once per segment (facet bitsets, dates, lengths, the
words of each stem) and per index generation (live documents, facet bitsets
over all segments)."""

from __future__ import annotations

import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh.columns import FixedBytesColumn, RefBytesColumn

from wpw.search.analysis import TERMS
from wpw.search.docsets.bits import ONE, ZERO, bits_of
from wpw.search.index import WORDS

# --- per segment -------------------------------------------------------------------


def _refs(column: Any, count: int) -> tuple[Sequence[int], list[bytes]] | None:
    """A RefBytes column's per-document references and its unique values, read
    in one piece (``None`` for another kind of column reader)."""
    if not isinstance(column, RefBytesColumn.Reader):
        return None
    size = column._itemsize
    raw = column._dbfile.get(column._basepos, count * size)
    if column._typecode == "B":
        return raw, column._uniques
    refs = array(column._typecode, raw)
    if sys.byteorder == "little":
        refs.byteswap()  # written big-endian ("!H")
    return refs, column._uniques


def _numbers(column: Any, count: int) -> Sequence[int] | None:
    """A Numeric column's values, read in one piece (``None`` for another kind)."""
    if not isinstance(column, FixedBytesColumn.Reader) or not hasattr(
        column, "_typecode"
    ):
        return None
    stored = min(column._count, count)
    values = array(
        column._typecode, column._dbfile.get(column._basepos, stored * column._fixedlen)
    )
    if sys.byteorder == "little":
        values.byteswap()
    values.extend([column._default] * (count - stored))
    return values


def _value_bits(values: Sequence[Any], count: int) -> dict[Any, int]:
    """Value → bitset of the documents (0 … *count* - 1) having it."""
    digits: dict[Any, bytearray] = {}
    for docnum, value in enumerate(values):
        found = digits.get(value)
        if found is None:
            found = digits[value] = bytearray(b"0") * count
        found[docnum] = ONE
    out = {}
    for value, found in digits.items():
        found.reverse()
        out[value] = int(found, 2)
    return out


class SegmentData:
    """What searching needs from one segment's columns, read once: each facet
    value's documents and the documents in date order (segment-local numbers)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._facets: dict[str, dict[str, int]] = {}
        self._dates: tuple[list[int], list[int], Sequence[int]] | None = None
        self._lengths: bytes | None = None
        self._stems: tuple[dict[str, list[bytes]], list[str]] | None = None

    def facet(self, reader: Any, name: str) -> dict[str, int]:
        """Value → local bitset, for facet (or flag) *name*."""
        found = self._facets.get(name)
        if found is None:
            found = self._facets[name] = self._read_facet(reader, name)
        return found

    def _read_facet(self, reader: Any, name: str) -> dict[str, int]:
        count = self.count
        column = reader.column_reader(name, translate=False)
        refs = _refs(column, count)
        if refs is not None and isinstance(refs[0], bytes):
            raw, uniques = refs
            by_ref = {}
            for ref, value in enumerate(uniques):
                if value and raw.count(ref):
                    table = bytes(ONE if b == ref else ZERO for b in range(256))
                    by_ref[value] = int(raw.translate(table)[::-1], 2)
            by_value = by_ref
        elif refs is not None:
            refs_, uniques = refs
            by_value = {
                uniques[ref]: bits
                for ref, bits in _value_bits(refs_, count).items()
                if uniques[ref]
            }
        else:
            by_value = {
                value: bits
                for value, bits in _value_bits(list(column), count).items()
                if value
            }
        out: dict[str, int] = {}
        for value, bits in by_value.items():
            text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
            # A multi-valued facet (sectors) is stored comma-separated.
            for part in text.split(",") if name == "sector" else (text,):
                if part:
                    out[part] = out.get(part, 0) | bits
        return out

    def stems(self, reader: Any) -> tuple[dict[str, list[bytes]], list[str]]:
        """Stem → the words of the ``phrase`` field having it, and the stems in
        order (for prefixes). The stemmed field ``text`` has no postings of its
        own: a stem's documents are those of its word forms."""
        if self._stems is None:
            forms: dict[str, list[bytes]] = {}
            memo = TERMS
            for btext in reader.lexicon(WORDS):
                forms.setdefault(memo[btext.decode("utf-8")], []).append(btext)
            self._stems = (forms, sorted(forms))
        return self._stems

    def lengths(self, reader: Any) -> bytes:
        """Each document's text length, as Whoosh's one-byte length codes (the
        ``length`` column)."""
        if self._lengths is None:
            column = reader.column_reader("length", translate=False)
            values = _numbers(column, self.count)
            self._lengths = bytes(values if values is not None else list(column))
        return self._lengths

    def dates(self, reader: Any) -> tuple[list[int], list[int], Sequence[int]]:
        """(local document numbers in date order, their dates, and each
        document's date), dates in seconds."""
        if self._dates is None:
            column = reader.column_reader("date", translate=False)
            values = _numbers(column, self.count)
            if values is None:
                values = list(column)
            order = sorted(range(self.count), key=values.__getitem__)
            self._dates = (order, [values[d] for d in order], values)
        return self._dates


SEGMENTS: OrderedDict[str, SegmentData] = OrderedDict()
GENERATIONS: OrderedDict[tuple, Generation] = OrderedDict()
_lock = threading.Lock()
#: Cached segments and generations per process (least recently used dropped).
MAX_SEGMENTS = 64
MAX_GENERATIONS = 4


def remember(cache: OrderedDict, key: Any, make: Callable[[], Any], limit: int):
    with _lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    made = make()
    with _lock:
        found = cache.setdefault(key, made)
        cache.move_to_end(key)
        while len(cache) > limit:
            cache.popitem(last=False)
    return found


@dataclass
class Leaf:
    data: SegmentData
    offset: int
    reader: Any


class Generation:
    """One state of the index as a searcher sees it: its segments, the live
    (not deleted) documents, facet bitsets combined over segments."""

    def __init__(self, key: tuple, leaves: list[tuple[SegmentData, int, Any]]) -> None:
        self.key = key
        self.size = sum(data.count for data, _o, _r in leaves)
        live = 0
        for data, offset, reader in leaves:
            bits = (1 << data.count) - 1
            if reader.has_deletions():
                deleted = getattr(reader, "deleted_docs_set", None)
                if deleted is None:
                    deleted = [d for d in range(data.count) if reader.is_deleted(d)]
                bits &= ~bits_of(deleted, data.count)
            live |= bits << offset
        self.live = live
        self._facets: dict[str, dict[str, int]] = {}
        self.average_length: float | None = None

    def facet(self, leaves: Sequence[Leaf], name: str) -> dict[str, int]:
        """Value → bitset over the whole index."""
        found = self._facets.get(name)
        if found is None:
            found = {}
            for leaf in leaves:
                for value, bits in leaf.data.facet(leaf.reader, name).items():
                    found[value] = found.get(value, 0) | (bits << leaf.offset)
            self._facets[name] = found
        return found


def segment_id_of(reader: Any) -> str | None:
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None
