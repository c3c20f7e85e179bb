"""One search's view of the index: queries to bitsets, exact phrases, BM25 for
the page, date order."""

from __future__ import annotations

import pickle
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from heapq import nlargest, nsmallest
from itertools import accumulate, compress, repeat
from math import log
from operator import add, ne, neg
from typing import Any

from whoosh import query
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.scoring import BM25F
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from wpw.search.docsets.bits import (
    ZERO_ONE,
    BitDocSet,
    bits_of,
    bits_of_lists,
    docnums_of,
    ones,
)
from wpw.search.docsets.segments import (
    GENERATIONS,
    MAX_GENERATIONS,
    MAX_SEGMENTS,
    SEGMENTS,
    Generation,
    Leaf,
    SegmentData,
    remember,
    segment_id_of,
)
from wpw.search.index import STEMS, WORDS


class View:
    """A searcher with its generation: what one search works with."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.leaves: list[Leaf] = []
        key = []
        for subsearcher, offset in searcher.leaf_searchers():
            reader = subsearcher.reader()
            segment_id = segment_id_of(reader)
            if segment_id is None:  # an empty index
                continue
            count = reader.doc_count_all()
            data = remember(
                SEGMENTS,
                (segment_id, count),
                lambda c=count: SegmentData(c),
                MAX_SEGMENTS,
            )
            self.leaves.append(Leaf(data, offset, reader))
            key.append((segment_id, count, reader.doc_count()))
        self.generation: Generation = remember(
            GENERATIONS,
            tuple(key),
            lambda: Generation(
                tuple(key), [(x.data, x.offset, x.reader) for x in self.leaves]
            ),
            MAX_GENERATIONS,
        )
        self.live = self.generation.live
        self._postings: dict[tuple, tuple] = {}
        self._terms: dict[tuple, int] = {}

    # --- query → bits ---------------------------------------------------------

    def bits(self, q: query.Query) -> int:
        """The live documents matching *q*."""
        return self._bits(q) & self.live

    def _bits(self, q: query.Query) -> int:
        if q is query.NullQuery or isinstance(q, query.NullQuery.__class__):
            return 0
        if isinstance(q, query.Every):
            if q.fieldname in (None, "", "*"):
                return self.live
        elif isinstance(q, query.Term):
            return self.term(q.fieldname, q.text)
        elif isinstance(q, query.And):
            return self._and(q.subqueries)
        elif isinstance(q, query.Or) and not getattr(q, "minmatch", 0):
            found = 0
            for child in q.subqueries:
                found |= self._bits(child)
            return found
        elif isinstance(q, query.Not):
            return self.live & ~self._bits(q.query)
        elif isinstance(q, query.AndNot):
            return self._bits(q.a) & ~self._bits(q.b)
        elif isinstance(q, query.AndMaybe):
            return self._bits(q.a)
        elif isinstance(q, query.Require):
            return self._bits(q.a) & self._bits(q.b)
        elif isinstance(q, query.Phrase):
            return self.phrase(q.fieldname, q.words, q.slop)
        elif isinstance(q, query.MultiTerm) and q.fieldname == STEMS:
            found = 0
            for stem in self.expand(q):
                found |= self.term(STEMS, stem)
            return found
        elif isinstance(q, query.MultiTerm) and q.fieldname in self.searcher.schema:
            found = 0
            for leaf in self.leaves:
                for btext in q._btexts(leaf.reader):
                    found |= self._leaf_term(leaf, q.fieldname, btext) << leaf.offset
            return found
        # Anything else: Whoosh's own (slower) matching.
        return bits_of(self.searcher.docs_for_query(q), self.generation.size)

    def _and(self, children: Sequence[query.Query]) -> int:
        found = self.live
        negative = [c.query for c in children if isinstance(c, query.Not)]
        for child in children:
            if not isinstance(child, query.Not):
                found &= self._bits(child)
                if not found:
                    return 0
        for child in negative:
            found &= ~self._bits(child)
        return found

    def expand(self, q: query.MultiTerm) -> list[str]:
        """The stems a prefix or wildcard query on ``text`` matches."""
        found: dict[str, None] = {}
        for leaf in self.leaves:
            stems = leaf.data.stems(leaf.reader)[1]
            if isinstance(q, query.Prefix):
                start = bisect_left(stems, q.text)
                for stem in stems[start:]:
                    if not stem.startswith(q.text):
                        break
                    found[stem] = None
            elif isinstance(q, query.Wildcard):
                pattern = re.compile(q._get_pattern())
                found.update((stem, None) for stem in stems if pattern.match(stem))
        return list(found)

    def forms(self, leaf: Leaf, stem: str) -> list[bytes]:
        """The words of *leaf* with *stem*."""
        return leaf.data.stems(leaf.reader)[0].get(stem, [])

    def term(self, fieldname: str, text: str | bytes) -> int:
        """The documents with the term (deleted ones too: see :meth:`bits`)."""
        key = (fieldname, text)
        found = self._terms.get(key)
        if found is None:
            found = self._terms[key] = self._term(fieldname, text)
        return found

    def _term(self, fieldname: str, text: str | bytes) -> int:
        if fieldname == STEMS:
            stem = text.decode("utf-8") if isinstance(text, bytes) else text
            found = 0
            for leaf in self.leaves:
                forms = self.forms(leaf, stem)
                if forms:
                    lists = [self.postings(leaf, WORDS, w)[0] for w in forms]
                    found |= bits_of_lists(lists, leaf.data.count) << leaf.offset
            return found
        if fieldname not in self.searcher.schema:
            return 0
        btext = (
            text
            if isinstance(text, bytes)
            else self.searcher.schema[fieldname].to_bytes(text)
        )
        found = 0
        for leaf in self.leaves:
            found |= self._leaf_term(leaf, fieldname, btext) << leaf.offset
        return found

    def _leaf_term(self, leaf: Leaf, fieldname: str, btext: bytes) -> int:
        ids = self.postings(leaf, fieldname, btext)[0]
        return bits_of_lists([ids], leaf.data.count) if ids else 0

    def postings(
        self, leaf: Leaf, fieldname: str, btext: bytes, *, values: bool = False
    ) -> tuple[list[int], list[float] | None, list[bytes] | None]:
        """A term's postings in *leaf*: document numbers, weights (``None`` if
        all are 1) and, with *values*, the encoded posting values. Read once
        per search (the total, the phrase check and the scoring share them)."""
        key = (id(leaf), fieldname, btext, values)
        found = self._postings.get(key)
        if found is None:
            field = self.searcher.schema[fieldname]
            try:
                matcher = leaf.reader._terms.matcher(fieldname, btext, field.format)
            except TermNotFound:  # not in this segment
                found = ([], None, [] if values else None)
            else:
                found = _postings(matcher, values=values)
            self._postings[key] = found
        return found

    def phrase(self, fieldname: str, words: Sequence[str], slop: int) -> int:
        """Documents with *words* in this order, each at most *slop* positions
        after the one before (``slop=1``: adjacent)."""
        if fieldname not in self.searcher.schema:
            return 0
        fieldobj = self.searcher.schema[fieldname]
        btexts = [fieldobj.to_bytes(w) for w in words]
        if len(btexts) < 2:
            return self.term(fieldname, btexts[0]) if btexts else 0
        if not fieldobj.format.supports("positions"):
            return self._and([query.Term(fieldname, w) for w in words])
        found = 0
        unique = list(dict.fromkeys(btexts))
        for leaf in self.leaves:
            encoded: dict[bytes, dict[int, bytes]] = {}
            candidates: set[int] | None = None
            rarest_first = sorted(
                unique, key=lambda t: leaf.reader.doc_frequency(fieldname, t)
            )
            for btext in rarest_first:
                ids, _tfs, vals = self.postings(leaf, fieldname, btext, values=True)
                encoded[btext] = dict(zip(ids, vals, strict=True))
                candidates = (
                    set(ids) if candidates is None else candidates.intersection(ids)
                )
                if not candidates:
                    break
            if not candidates:
                continue
            matched = [
                docnum
                for docnum in candidates
                if _in_order([_positions(encoded[b][docnum]) for b in btexts], slop)
            ]
            if matched:
                found |= bits_of(matched, leaf.data.count) << leaf.offset
        return found

    # --- scoring ------------------------------------------------------------

    def top(
        self, scorer: query.Query, bits: int, limit: int
    ) -> list[tuple[float, int]]:
        """The *limit* best of *bits* by BM25 for *scorer* — (score, docnum),
        best first, ties by number — computed from the posting blocks for the
        documents of *bits* only, with C-level ``map``/``compress`` rather than
        a Python loop per document (Whoosh's collector scores every match of
        *scorer* through several matcher calls each)."""
        weighting = self.searcher.weighting
        try:
            if not isinstance(weighting, BM25F):
                raise Unscorable(weighting)
            parts = _score_parts(scorer)
        except Unscorable:
            results = self.searcher.search(scorer, limit=limit, filter=BitDocSet(bits))
            return list(results.top_n)
        digits = format(bits, "b").zfill(self.generation.size)[::-1]
        # Per leaf: 1 (in *bits*) or 0 for each of its documents.
        masks = [
            digits[leaf.offset : leaf.offset + leaf.data.count]
            .encode()
            .translate(ZERO_ONE)
            for leaf in self.leaves
        ]
        scored: list[tuple[list[int], list[float]]] = []
        for part in parts:
            if isinstance(part, query.Term):
                scored.append(self._score_term(part, masks, weighting))
            else:  # a prefix or wildcard: every match counts the same
                keys = list(docnums_of(self._bits(part) & bits))
                scored.append((keys, [float(part.boost)] * len(keys)))
        scored = [(keys, values) for keys, values in scored if keys]
        if not scored:
            keys, values = [], []
        elif all(k == scored[0][0] for k, _v in scored[1:]):  # e.g. AND of terms
            keys = scored[0][0]
            values = scored[0][1]
            for _k, more in scored[1:]:
                values = list(map(add, values, more))
        else:
            totals: dict[int, float] = {}
            get = totals.get
            for part_keys, part_values in scored:
                if not totals:
                    totals.update(zip(part_keys, part_values, strict=True))
                    continue
                for key, value in zip(part_keys, part_values, strict=True):
                    totals[key] = get(key, 0.0) + value
            keys, values = list(totals), list(totals.values())
        best = nlargest(limit, zip(values, map(neg, keys), strict=True))
        top = [(score, -negated) for score, negated in best]
        if len(top) < limit and len(keys) < bits.bit_count():
            seen = set(keys)
            for docnum in docnums_of(bits):  # matches nothing scored: last
                if docnum not in seen:
                    top.append((0.0, docnum))
                    if len(top) == limit:
                        break
        return top

    def _score_term(
        self, part: query.Term, masks: list[bytes], weighting: BM25F
    ) -> tuple[list[int], list[float]]:
        """(documents, BM25 scores) of one term, for the documents in *masks*.
        A stem's frequency in a document is that of all its word forms."""
        fieldname = part.fieldname
        if fieldname == STEMS:
            stem = part.text.decode() if isinstance(part.text, bytes) else part.text
            field_name = WORDS
            lists = [
                [self.postings(leaf, WORDS, w) for w in self.forms(leaf, stem)]
                for leaf in self.leaves
            ]
        elif fieldname in self.searcher.schema:
            field = self.searcher.schema[fieldname]
            btext = (
                part.text if isinstance(part.text, bytes) else field.to_bytes(part.text)
            )
            field_name = fieldname
            lists = [[self.postings(leaf, fieldname, btext)] for leaf in self.leaves]
        else:
            return [], []
        # Documents with the term anywhere (deleted ones too, as Whoosh counts).
        frequency = self.term(fieldname, part.text).bit_count()
        if not frequency:
            return [], []
        idf = (log(self.generation.size / (frequency + 1)) + 1) * part.boost
        avg = self.average_length()
        b = weighting._field_B.get(field_name, weighting.B)
        k1 = weighting.K1
        # BM25 = idf * tf * (k1 + 1) / (tf + norm), norm by the length's byte
        norm = [k1 * ((1 - b) + b * byte_to_length(n) / avg) for n in range(256)]
        once = [idf * (k1 + 1) / (1 + n) for n in norm]  # tf = 1
        keys: list[int] = []
        values: list[float] = []
        for leaf, mask, found in zip(self.leaves, masks, lists, strict=True):
            if 1 not in mask:
                continue
            kept, kept_tfs = _kept(found, mask)
            if not kept:
                continue
            lengths = leaf.data.lengths(leaf.reader)
            scores = list(map(once.__getitem__, map(lengths.__getitem__, kept)))
            if kept_tfs is not None:
                for i in compress(range(len(kept)), map(ne, kept_tfs, repeat(1.0))):
                    tf = kept_tfs[i]
                    scores[i] = idf * tf * (k1 + 1) / (tf + norm[lengths[kept[i]]])
            keys.extend(map(add, kept, repeat(leaf.offset)) if leaf.offset else kept)
            values.extend(scores)
        return keys, values

    def average_length(self) -> float:
        """The mean text length of the documents (for BM25)."""
        generation = self.generation
        if generation.average_length is None:
            total = 0
            for leaf in self.leaves:
                lengths = leaf.data.lengths(leaf.reader)
                total += sum(map(byte_to_length, lengths))
            generation.average_length = total / generation.size if total else 1.0
        return generation.average_length

    # --- facets and dates ------------------------------------------------------

    def facet(self, name: str) -> dict[str, int]:
        return self.generation.facet(self.leaves, name)

    def date_range(self, start: int | None, end: int | None) -> int:
        """Documents dated from *start* to *end* seconds (inclusive; ``None``:
        open)."""
        found = 0
        for leaf in self.leaves:
            order, dates, _when = leaf.data.dates(leaf.reader)
            low = 0 if start is None else bisect_left(dates, start)
            high = len(dates) if end is None else bisect_right(dates, end)
            if low < high:
                found |= bits_of(order[low:high], leaf.data.count) << leaf.offset
        return found

    def by_date(self, bits: int, limit: int, *, newest: bool) -> list[int]:
        """The first *limit* documents of *bits* by date (ties: by number)."""
        if limit <= 0 or not bits:
            return []
        digits = format(bits, "b")[::-1]
        picked: list[tuple[int, int]] = []
        few = bits.bit_count() <= 4 * limit + 2_000
        for leaf in self.leaves:
            order, dates, when = leaf.data.dates(leaf.reader)
            offset = leaf.offset
            local = digits[offset : offset + leaf.data.count]
            if "1" not in local:
                continue
            if few:
                mine = [(when[d], d + offset) for d in ones(local)]
                pick = nlargest if newest else nsmallest
                picked.extend(pick(limit, mine))
                continue
            taken = 0
            steps = range(len(order) - 1, -1, -1) if newest else range(len(order))
            for i in steps:
                docnum = order[i]
                if docnum < len(local) and local[docnum] == "1":
                    picked.append((dates[i], docnum + offset))
                    taken += 1
                    if taken == limit:
                        break
        picked.sort(reverse=newest)
        return [docnum for _date, docnum in picked[:limit]]


def _kept(
    found: Sequence[tuple[list[int], list[float] | None, Any]], mask: bytes
) -> tuple[list[int], list[float] | None]:
    """The documents of one or more posting lists (a stem's word forms) that
    are in *mask*, and their frequencies (``None`` if all are 1) — added up
    over the lists."""
    parts = []
    for ids, tfs, _values in found:
        if not ids:
            continue
        keep = bytes(map(mask.__getitem__, ids))
        parts.append(
            (
                list(compress(ids, keep)),
                None if tfs is None else list(compress(tfs, keep)),
            )
        )
    if len(parts) == 1:
        return parts[0]
    counts: Counter[int] = Counter()
    for ids, tfs in parts:
        counts.update(ids)  # once per form…
        if tfs is not None:  # …and the rest of a frequency above 1
            for i in compress(range(len(ids)), map(ne, tfs, repeat(1.0))):
                counts[ids[i]] += int(tfs[i]) - 1
    if not counts:
        return [], None
    # In document order, so that the terms of an AND line up (see View.top).
    kept = sorted(counts)
    if max(counts.values()) == 1:
        return kept, None
    return kept, list(map(float, map(counts.__getitem__, kept)))


class Unscorable(Exception):
    """A query :meth:`View.top` cannot score itself."""


def _score_parts(q: query.Query) -> list[query.Query]:
    """The terms (scored by BM25) and multi-term queries (a constant) whose
    scores add up to *q*'s."""
    if isinstance(q, query.Term):
        return [q]
    if isinstance(q, query.And | query.Or) and not getattr(q, "minmatch", 0):
        return [part for child in q.subqueries for part in _score_parts(child)]
    if isinstance(q, query.MultiTerm):
        return [q]
    raise Unscorable(q)


def _postings(
    matcher: Any, *, values: bool = False
) -> tuple[list[int], list[float] | None, list[bytes] | None]:
    """A posting list's document numbers, weights (``None`` if all are 1) and
    with *values* its encoded values, read block by block."""
    ids: list[int] = []
    encoded: list[bytes] | None = [] if values else None
    if not isinstance(matcher, W3LeafMatcher):
        weights = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if encoded is not None:
                encoded.append(matcher.value())
            matcher.next()
        return ids, weights, encoded
    tfs: list[float] | None = None
    while True:
        if matcher._data is None:
            matcher._read_data()
        start = len(ids)
        ids.extend(accumulate(matcher._data[0]))
        if encoded is not None:
            matcher._read_values()
            encoded.extend(matcher._values)
        weights = matcher._data[1]
        if weights is not None and weights != 1.0:
            if tfs is None:
                tfs = [1.0] * start
            if isinstance(weights, float):
                tfs.extend(repeat(weights, len(ids) - start))
            else:
                tfs.extend(weights)
        elif tfs is not None:
            tfs.extend(repeat(1.0, len(ids) - start))
        if matcher._lastblock:
            return ids, tfs, encoded
        matcher._goto(matcher._nextoffset)


@lru_cache(maxsize=65_536)
def _positions(encoded: bytes) -> tuple[int, ...]:
    """The positions in a ``Positions`` posting value (as
    ``whoosh.formats.Positions.decode_positions``; most values recur — a word
    once, at position *n* — so they are decoded once)."""
    if not encoded.endswith(b"."):
        encoded += b"."
    return tuple(accumulate(pickle.loads(encoded[_INT_SIZE:])))  # noqa: S301


def _in_order(positions: Sequence[Sequence[int]], slop: int) -> bool:
    """Whether a position can be picked from each list, in order, each 1 to
    *slop* after the previous."""
    reachable = set(positions[0])
    for following in positions[1:]:
        if slop == 1:
            reachable = set(map(add, reachable, repeat(1))).intersection(following)
        else:
            steps = range(1, slop + 1)
            reachable = {p for p in following if any(p - d in reachable for d in steps)}
        if not reachable:
            return False
    return True
