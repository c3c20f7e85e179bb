"""Sets of matching documents as bits, for totals, facet counts, filters and
date order without scoring every match.

Whoosh scores each matching document in Python, and so did counting and
grouping all matches; a common stem matches thousands of comments. Here a query
is first turned into a *bitset* — a Python ``int`` whose bit *n* says whether
document number *n* matches — by reading each term's posting blocks once and
combining terms with C-level integer operations (``&``, ``|``, ``~``). The
total is ``bits.bit_count()``; a facet value's count is ``(bits &
value_bits).bit_count()``; filters, the hidden-item mask and date ranges are
more ``&``. Relevance (BM25, as Whoosh computes it) is computed for the
documents of the bitset from the same posting blocks with C-level ``map`` and
``compress`` (:meth:`View.top`), and the best page taken with ``heapq``.

Facet values, the hidden flag and dates are read from the index's columns into
per-segment bitsets (:class:`SegmentData`, cached per segment: segments never
change, only their deletions do) and combined per index generation
(:class:`Generation`). These are derived from the index, not from queries:
every search still reads its terms' postings.
"""

from wpw.search.docsets.bits import BitDocSet, bits_of, docnums_of
from wpw.search.docsets.run import (
    Found,
    Marked,
    column_values,
    marked_terms,
    scoring_query,
    search,
)
from wpw.search.docsets.segments import Generation, SegmentData
from wpw.search.docsets.view import View

__all__ = [
    "BitDocSet",
    "Found",
    "Generation",
    "Marked",
    "SegmentData",
    "View",
    "bits_of",
    "column_values",
    "docnums_of",
    "marked_terms",
    "scoring_query",
    "search",
]
