"""Totals, facet counts, filters, dates and pages of :mod:`wpw.search.docsets`
against a brute-force count over the same documents, on an index of several
segments with deleted and replaced documents; and the schema check."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

import pytest
from whoosh import query

from wpw.search import docsets
from wpw.search.analysis import phrase_words, terms
from wpw.search.index import (
    FACET_FIELDS,
    add,
    new_index,
    open_index,
    seconds,
    swap_in,
)
from wpw.search.query import parse

WORDS = [
    "Organizacje",
    "pozarządowe",
    "potrzebują",
    "wsparcia",
    "uchwała",
    "Rady",
    "Miasta",
    "źródła",
    "finansowania",
    "kultura",
    "sport",
    "turystyka",
    "dotacja",
    "konkurs",
    "współpraca",
    "organizacji",
    "pozarządowych",
    "uchwały",
    "kulturę",
    "rewitalizacji",
    "zadania",
    "publiczne",
]


def _document(n: int, rng: random.Random) -> dict:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
    return {
        "id": f"annotation:{n}",
        "doc_type": "annotation",
        "text": text,
        "phrase": text,
        "hidden": rng.random() < 0.1,
        "programme": rng.choice(["a", "b"]),
        "round": str(rng.randint(1, 3)),
        "section": f"s{rng.randint(1, 5)}",
        "sector": ",".join(
            rng.sample(["edukacja", "kultura", "sport"], rng.randint(0, 2))
        ),
        "kind": rng.choice(["comment", "question", "change"]),
        "decision": rng.choice(["accepted", "rejected", "none"]),
        "organisation": str(rng.randint(1, 6)),
        "date": datetime(2012, 1, 1) + timedelta(hours=rng.randint(0, 24 * 400)),
        "object_id": n,
        "body": text,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """An index of four segments (one with deletions and replacements) and the
    documents it should hold."""
    rng = random.Random(6)
    root = tmp_path_factory.mktemp("docsets")
    path, ix = new_index(root)
    docs: dict[str, dict] = {}
    n = 0
    for size in (120, 60, 1, 40):
        writer = ix.writer()
        for _ in range(size):
            doc = _document(n, rng)
            docs[doc["id"]] = doc
            add(writer, doc)
            n += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for key in rng.sample(sorted(docs), 25):
        writer.delete_by_term("id", key)
        del docs[key]
    for key in rng.sample(sorted(docs), 15):
        doc = {**_document(int(key.split(":")[1]), rng), "id": key}
        docs[key] = doc
        add(writer, doc, update=True)
    writer.commit(merge=False)
    swap_in(root, path)
    ix = open_index(root, fresh=True)
    assert len(ix.reader().leaf_readers()) > 1
    with ix.searcher() as searcher:
        yield searcher, list(docs.values())


def _matches(doc: dict, q) -> bool:
    """Brute force: does *doc* match the parsed query *q*?"""
    if isinstance(q, query.Every):
        return True
    if isinstance(q, query.Term):
        if q.fieldname == "phrase":
            return q.text in phrase_words(doc["text"])
        return q.text in terms(doc["text"])
    if isinstance(q, query.Phrase):
        said = phrase_words(doc["text"])
        k = len(q.words)
        return any(said[i : i + k] == q.words for i in range(len(said)))
    if isinstance(q, query.Prefix):
        return any(t.startswith(q.text) for t in terms(doc["text"]))
    if isinstance(q, query.And):
        return all(_matches(doc, c) for c in q.subqueries)
    if isinstance(q, query.Or):
        return any(_matches(doc, c) for c in q.subqueries)
    if isinstance(q, query.Not):
        return not _matches(doc, q.query)
    raise AssertionError(f"unexpected query {q!r}")


QUERIES = [
    "",
    "kultura",
    "uchwały",
    "organizacji pozarządowych",
    '"organizacje pozarządowe"',
    '"pozarządowe organizacje"',
    '"sport"',
    "pozarz*",
    "sport OR turystyka",
    "dotacja NOT konkurs",
    "(uchwała OR kultura) rady",
    "nieistniejące",
]
FILTERS = [
    {},
    {"kind": ("question",)},
    {"kind": ("comment", "change"), "round": ("2",)},
    {"sector": ("kultura",)},
    {"organisation": ("3",), "decision": ("none",)},
]


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize("include_hidden", [False, True])
def test_totals_and_facet_counts_match_brute_force(
    corpus, text, filters, include_hidden
) -> None:
    searcher, docs = corpus
    q = parse(text).query
    expected = [
        d
        for d in docs
        if _matches(d, q)
        and (include_hidden or not d["hidden"])
        and all(
            d[name] in values
            or (name == "sector" and set(d[name].split(",")) & set(values))
            for name, values in filters.items()
        )
    ]
    found = docsets.search(
        searcher, q, filters=filters, include_hidden=include_hidden, per_page=500
    )
    assert found.total == len(expected)
    assert sorted(searcher.stored_fields(h.docnum)["id"] for h in found.results) == (
        sorted(d["id"] for d in expected)
    )
    for name in FACET_FIELDS:
        counts: Counter[str] = Counter()
        for d in expected:
            values = d[name].split(",") if name == "sector" else [d[name]]
            counts.update(v for v in values if v)
        assert found.counts[name] == dict(counts), name


def test_whoosh_agrees_on_exact_phrases(corpus) -> None:
    # (Stems have no postings of their own for Whoosh to compare with.)
    searcher, _docs = corpus
    for text in [t for t in QUERIES if t.startswith('"')]:
        q = parse(text).query
        view = docsets.View(searcher)
        mine = set(docsets.docnums_of(view.bits(q)))
        assert mine == set(searcher.docs_for_query(q)), text


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_date_order_and_range(corpus, sort: str) -> None:
    searcher, docs = corpus
    start, end = datetime(2012, 3, 1), datetime(2012, 9, 30, 23, 59, 59)
    expected = sorted(
        (d for d in docs if not d["hidden"] and start <= d["date"] <= end),
        key=lambda d: d["date"],
        reverse=sort == "newest",
    )
    dates = []
    for page in (1, 2, 3):
        found = docsets.search(
            searcher,
            query.Every(),
            date_range=(seconds(start), seconds(end)),
            sort=sort,
            page=page,
            per_page=7,
        )
        assert found.total == len(expected)
        dates += [searcher.stored_fields(h.docnum)["object_id"] for h in found.results]
    assert [next(d for d in docs if d["object_id"] == i)["date"] for i in dates] == [
        d["date"] for d in expected[:21]
    ]


def test_relevance_pages_do_not_overlap(corpus) -> None:
    searcher, _docs = corpus
    q = parse("kultura OR sport").query
    first = docsets.search(searcher, q, per_page=10)
    second = docsets.search(searcher, q, page=2, per_page=10)
    one = [h.docnum for h in first.results]
    two = [h.docnum for h in second.results]
    assert len(one) == 10 and not set(one) & set(two)
    scores = [h.score for h in first.results] + [h.score for h in second.results]
    assert scores == sorted(scores, reverse=True)
