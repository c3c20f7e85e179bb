"""A search: total, facet counts and the page (:func:`search`); what a hit's
snippets mark; column values for the hits shown."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query
from whoosh.searching import Results

from wpw.search.analysis import term
from wpw.search.docsets.view import View
from wpw.search.index import FACET_FIELDS, STEMS


def column_values(
    searcher: Any, docnums: Iterable[int], names: Sequence[str]
) -> dict[int, dict[str, Any]]:
    """Document number → column name → value, for a page of hits. (Per
    segment: Whoosh's multi-segment column reader misnumbers documents when a
    segment lacks the column.)"""
    leaves = [(offset, sub.reader()) for sub, offset in searcher.leaf_searchers()]
    starts = [offset for offset, _reader in leaves]
    readers: dict[tuple[int, str], Any] = {}
    out: dict[int, dict[str, Any]] = {}
    for docnum in docnums:
        i = bisect_right(starts, docnum) - 1
        offset, reader = leaves[i]
        values = out[docnum] = {}
        for name in names:
            column = readers.get((i, name))
            if column is None:
                column = readers[i, name] = reader.column_reader(name)
            values[name] = column[docnum - offset]
    return out


@dataclass(frozen=True)
class Marked:
    """What to mark in a hit's text: stems (matched through the Polish
    analyzer) and exact words (quoted phrases)."""

    stems: frozenset[str]
    words: frozenset[str]


def marked_terms(searcher: Any, q: query.Query) -> Marked:
    """The stems and words *q* searches for (prefixes expanded; negated parts
    left out)."""
    view = View(searcher)
    stems: set[str] = set()
    words: set[str] = set()

    def walk(node: query.Query) -> None:
        if isinstance(node, query.Not):
            return
        if isinstance(node, query.AndNot):
            walk(node.a)
        elif isinstance(node, query.Term):
            (stems if node.fieldname == STEMS else words).add(node.text)
        elif isinstance(node, query.Phrase):
            words.update(node.words)
        elif isinstance(node, query.MultiTerm) and node.fieldname == STEMS:
            stems.update(view.expand(node))
        else:
            for child in node.children():
                walk(child)

    walk(q)
    return Marked(frozenset(stems), frozenset(words))


# --- a search ------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    #: How many documents match (after filters and the hidden mask).
    total: int
    #: The page shown (the last one when more were asked for) and how many.
    page: int
    pages: int
    #: The page's documents, with scores when sorted by relevance.
    results: Results
    #: Facet name → value → count, for the facets asked for.
    counts: Mapping[str, Mapping[str, int]]


def scoring_query(q: query.Query) -> query.Query | None:
    """A query that scores the documents of *q* (given that the exact matches
    are filtered separately): phrases become their stemmed words, negations
    are dropped; ``None`` when nothing is left to score by."""
    if isinstance(q, query.Phrase):
        return _stemmed_and(q.words)
    if isinstance(q, query.Term) and q.fieldname == "phrase":
        return _stemmed_and([q.text])
    if isinstance(q, query.Not | query.Every):
        return None
    if isinstance(q, query.AndNot):
        return scoring_query(q.a)
    if isinstance(q, query.And):
        kept = [s for s in map(scoring_query, q.subqueries) if s is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else query.And(kept)
    if isinstance(q, query.Or):
        kept = [scoring_query(s) for s in q.subqueries]
        if any(s is None for s in kept):
            return None  # some matches have nothing to score
        return query.Or(kept)
    return q


def _stemmed_and(words: Sequence[str]) -> query.Query | None:
    terms = list(dict.fromkeys(term(w) for w in words))
    if not terms:
        return None
    parts = [query.Term("text", t) for t in terms]
    return parts[0] if len(parts) == 1 else query.And(parts)


def search(
    searcher: Any,
    q: query.Query,
    *,
    filters: Mapping[str, Sequence[str]] | None = None,
    date_range: tuple[int | None, int | None] | None = None,
    include_hidden: bool = False,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    facets: Sequence[str] = FACET_FIELDS,
) -> Found:
    """Run *q* with *filters* (facet → values: OR within a facet, AND across)
    and *date_range* (index seconds, inclusive; ``None``: open), without hidden
    items unless *include_hidden*. Returns the total, the counts of *facets*
    and page *page* (the last one if there are fewer) sorted by
    ``"relevance"``, ``"newest"`` or ``"oldest"``."""
    view = View(searcher)
    bits = view.bits(q)
    if not include_hidden and bits:
        bits &= ~view.facet("hidden").get("1", 0)
    for name, values in (filters or {}).items():
        if not bits:
            break
        column = view.facet(name)
        allowed = 0
        for value in values:
            allowed |= column.get(value, 0)
        bits &= allowed
    if date_range is not None and bits:
        bits &= view.date_range(*date_range)
    total = bits.bit_count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    offset = (page - 1) * per_page

    scorer = scoring_query(q) if sort == "relevance" else None
    items: list[tuple[float | None, int]] = []
    if total and scorer is not None:
        items = list(view.top(scorer, bits, offset + per_page))
    elif total:
        items = [
            (None, docnum)
            for docnum in view.by_date(bits, offset + per_page, newest=sort != "oldest")
        ]

    counts: dict[str, dict[str, int]] = {}
    for name in facets:
        found = {}
        if total:
            for value, value_bits in view.facet(name).items():
                if n := (bits & value_bits).bit_count():
                    found[value] = n
        counts[name] = found
    return Found(total, page, pages, Results(searcher, q, items[offset:]), counts)
