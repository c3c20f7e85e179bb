"""Searching: one function, :func:`search`, for the search page and the API.

It takes the acting user and :class:`SearchParams` (built from URL parameters by
:func:`params_from_args`) and returns a :class:`SearchResult`: the page of hits
with highlighted snippets, facet counts and messages. The public never sees
hidden (moderated) items; the working copy is never in the index at all.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from whoosh import highlight, query

from wpw.annotations.models import AnnotationKind, Decision
from wpw.auth.models import Organisation, User
from wpw.auth.permissions import signed_in
from wpw.core import CITY_TIMEZONE
from wpw.documents.models import Programme, Round, Section, SectionVersion
from wpw.errors import NotAllowed
from wpw.extensions import db
from wpw.review.labels import DECISION_LABELS
from wpw.search import docsets
from wpw.search.analysis import phrase_analyzer, polish_analyzer
from wpw.search.index import COLUMNS, forget, open_index, seconds
from wpw.search.indexer import ensure_index, index_root
from wpw.search.query import parse
from wpw.sectors.models import Sector

log = logging.getLogger(__name__)

PER_PAGE = 20
#: The facets, in the order they are shown, with their headings.
FACETS = {
    "programme": _l("Program"),
    "round": _l("Runda"),
    "section": _l("Paragraf"),
    "sector": _l("Sektor"),
    "kind": _l("Rodzaj"),
    "decision": _l("Decyzja"),
    "organisation": _l("Organizacja"),
}
SORTS = {
    "relevance": _l("trafność"),
    "newest": _l("najnowsze"),
    "oldest": _l("najstarsze"),
}
KIND_LABELS = {
    AnnotationKind.COMMENT.value: _l("Uwaga"),
    AnnotationKind.QUESTION.value: _l("Pytanie"),
    AnnotationKind.CHANGE.value: _l("Propozycja zmiany"),
    AnnotationKind.REPLY.value: _l("Odpowiedź"),
    "section": _l("Tekst programu"),
}
NO_DECISION = "none"
DECISION_VALUES = {d.value: label for d, label in DECISION_LABELS.items()} | {
    NO_DECISION: _l("bez decyzji")
}
#: A facet lists at most this many values (the most frequent).
FACET_LIMIT = 30
#: Annotation parts shown in snippets, in order, with their labels.
PARTS = {
    "body": _l("Treść"),
    "quote": _l("Cytowany fragment"),
    "replacement": _l("Proponowane brzmienie"),
    "justification": _l("Uzasadnienie decyzji"),
}
SNIPPET_CHARS = 240


def can_include_hidden(user: User | None) -> bool:
    """The Coordinating Team may search hidden (moderated) items too."""
    return signed_in(user) and user.is_coordinator


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    #: Facet name → the values chosen (OR within a facet, AND across facets).
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    include_hidden: bool = False


def _date(raw: str, name: str, messages: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.append(
            _(
                "„%(value)s” nie jest datą (RRRR-MM-DD); pominięto filtr „%(name)s”.",
                value=raw[:40],
                name=name,
            )
        )
        return None


def params_from_args(args: Any) -> tuple[SearchParams, list[str]]:
    """:class:`SearchParams` from URL parameters (a werkzeug ``MultiDict``): ``q``,
    one or more of each facet name, ``from``, ``to`` (YYYY-MM-DD), ``sort``,
    ``page``, ``hidden=1``. Bad values are dropped with a message, never an
    error."""
    messages: list[str] = []
    filters = {
        name: tuple(dict.fromkeys(v[:200] for v in args.getlist(name) if v))
        for name in FACETS
    }
    date_from = _date(args.get("from", ""), "od", messages)
    date_to = _date(args.get("to", ""), "do", messages)
    if date_from and date_to and date_from > date_to:
        messages.append(_("Data „od” jest późniejsza niż „do”; zamieniono je."))
        date_from, date_to = date_to, date_from
    sort = args.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    raw_page = args.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 7 else 1
    return (
        SearchParams(
            q=args.get("q", "")[:5000],
            filters={k: v for k, v in filters.items() if v},
            date_from=date_from,
            date_to=date_to,
            sort=sort,
            page=max(page, 1),
            include_hidden=args.get("hidden") in ("1", "on", "true"),
        ),
        messages,
    )


@dataclass(frozen=True)
class Snippet:
    label: str
    #: Escaped text in which only ``<mark>`` is markup.
    html: Markup


@dataclass(frozen=True)
class Hit:
    doc_type: str  #: "annotation" or "version"
    object_id: int  #: Annotation.id or SectionVersion.id
    root_id: int | None  #: The thread's first annotation (for replies)
    kind: str
    kind_label: str
    programme: str
    round: int
    section: str
    title: str
    #: Lines to show: the annotated passage, or the first matching line.
    first_line: int | None
    last_line: int | None
    date: datetime
    decision: str | None
    decision_label: str | None
    organisation: str | None
    hidden: bool
    state: str | None
    snippets: tuple[Snippet, ...]
    score: float | None


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    label: str
    values: tuple[FacetValue, ...]


@dataclass(frozen=True)
class SearchResult:
    params: SearchParams
    #: The query text actually searched (cleaned, maybe reduced to plain words).
    searched: str
    hits: tuple[Hit, ...]
    total: int
    page: int
    pages: int
    facets: tuple[Facet, ...]
    messages: tuple[str, ...]


class MarkFormatter(highlight.HtmlFormatter):
    """Escapes everything; wraps matches in ``<mark>``."""

    template = "<mark>%(t)s</mark>"

    def __init__(self) -> None:
        super().__init__(between=" … ")


def date_range(params: SearchParams) -> tuple[int | None, int | None] | None:
    """The chosen dates as index seconds (inclusive), or ``None``: whole days
    in Kraków."""
    if not (params.date_from or params.date_to):
        return None
    start = _city_midnight(params.date_from) if params.date_from else None
    end = (
        _city_midnight(params.date_to + timedelta(days=1)) - timedelta(seconds=1)
        if params.date_to
        else None
    )
    return (
        seconds(start) if start is not None else None,
        seconds(end) if end is not None else None,
    )


def _city_midnight(day: date) -> datetime:
    """The start of *day* in Kraków, as naive UTC (the index's dates)."""
    local = datetime.combine(day, time(), tzinfo=CITY_TIMEZONE)
    return local.astimezone(UTC).replace(tzinfo=None)


def search(actor: User | None, params: SearchParams) -> SearchResult:
    """Search the index with *params* for *actor*.

    Raises :class:`NotAllowed` when *actor* asks for hidden items without being
    on the Coordinating Team. Never raises for a malformed query: the result
    carries a message instead.
    """
    if params.include_hidden and not can_include_hidden(actor):
        raise NotAllowed(_("Ukryte wpisy może przeszukiwać tylko Zespół Koordynujący."))
    parsed = parse(params.q)
    messages = [parsed.message] if parsed.message else []
    empty = SearchResult(params, parsed.text, (), 0, 1, 1, (), tuple(messages))
    if parsed.query is None:
        return empty
    root = index_root(current_app)
    try:
        searcher = open_index(root).searcher()
    except Exception:  # missing or damaged since start: rebuild, once
        log.exception("search: the index cannot be read; rebuilding it")
        forget(root)
        ensure_index(current_app._get_current_object())
        searcher = open_index(root).searcher()
    with searcher:
        return _run(searcher, params, parsed.query, parsed.text, messages)


def run_query(
    searcher, params: SearchParams, q: query.Query, *, facets: bool = True
) -> docsets.Found:
    """The page of documents, the total and (with *facets*) the facet counts
    for *q* with *params*: the search without the database (labels) and the
    snippets. ``bench/search.py`` measures this."""
    sort = params.sort
    if sort == "relevance" and isinstance(q, query.Every):
        sort = "newest"
    return docsets.search(
        searcher,
        q,
        filters=params.filters,
        date_range=date_range(params),
        include_hidden=params.include_hidden,
        sort=sort,
        page=params.page,
        per_page=PER_PAGE,
        facets=tuple(FACETS) if facets else (),
    )


def _run(searcher, params, q, searched, messages) -> SearchResult:
    found = run_query(searcher, params, q)
    results = found.results
    marked = docsets.marked_terms(searcher, q)
    labels = _Labels()
    columns = docsets.column_values(
        searcher, [hit.docnum for hit in results], (*FACETS, *COLUMNS)
    )
    hits = tuple(_hit(hit, labels, columns[hit.docnum], marked) for hit in results)
    facet_list = tuple(_facets(found.counts, params, labels))
    return SearchResult(
        replace(params, page=found.page),
        searched,
        hits,
        found.total,
        found.page,
        found.pages,
        facet_list,
        tuple(messages),
    )


_WHOLE = highlight.WholeFragmenter()
_CONTEXT = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)


_STEMS = polish_analyzer()
_WORDS = phrase_analyzer()
_FORMATTER = MarkFormatter()


def _highlight(terms: docsets.Marked, text: str) -> Markup | None:
    """*text*'s best fragments with the matches in ``<mark>``, or ``None``:
    words with a searched stem, else words of a searched phrase."""
    fragmenter = _WHOLE if len(text) <= SNIPPET_CHARS else _CONTEXT
    for analyzer, wanted in ((_STEMS, terms.stems), (_WORDS, terms.words)):
        if wanted and (
            html := highlight.highlight(
                text, wanted, analyzer, fragmenter, _FORMATTER, top=2
            )
        ):
            # MarkFormatter escapes every character of *text*; only the <mark>
            # tags around matches are markup.
            return Markup(html)  # noqa: S704
    return None


def _excerpt(text: str) -> Markup:
    text = " ".join(text.split())
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return escape(text)


def _hit(
    hit, labels: _Labels, columns: Mapping[str, Any], marked: docsets.Marked
) -> Hit:
    fields = {**hit.fields(), **columns}
    snippets: list[Snippet] = []
    first, last = fields.get("first_line"), fields.get("last_line")
    if fields["doc_type"] == "version":
        lines = fields.get("body", "").split("\n")
        for number, line in enumerate(lines, 1):
            if html := _highlight(marked, line):
                first = last = number
                snippets.append(Snippet(str(_l("Wiersz %(n)d", n=number)), html))
                break
        if not snippets:
            snippets.append(Snippet(str(_l("Tekst")), _excerpt(fields.get("body", ""))))
    else:
        for name, label in PARTS.items():
            if (text := fields.get(name)) and (html := _highlight(marked, text)):
                snippets.append(Snippet(str(label), html))
        if not snippets:
            snippets.append(Snippet(str(PARTS["body"]), _excerpt(fields["body"])))
    decision = fields.get("decision")
    organisation = fields.get("organisation")
    date_ = fields["date"].replace(tzinfo=UTC)
    return Hit(
        doc_type=fields["doc_type"],
        object_id=fields["object_id"],
        root_id=fields.get("root_id"),
        kind=fields["kind"],
        kind_label=str(KIND_LABELS.get(fields["kind"], fields["kind"])),
        programme=fields["programme"],
        round=int(fields["round"]),
        section=fields["section"],
        title=fields.get("title", ""),
        first_line=first,
        last_line=last,
        date=date_,
        decision=decision if decision and decision != NO_DECISION else None,
        decision_label=str(DECISION_VALUES[decision])
        if decision and decision != NO_DECISION
        else None,
        organisation=labels.label("organisation", organisation)
        if organisation
        else None,
        hidden=bool(fields.get("hidden")),
        state=fields.get("state"),
        snippets=tuple(snippets),
        score=hit.score if hit.score is not None else None,
    )


def _facets(counts, params: SearchParams, labels: _Labels):
    for name, heading in FACETS.items():
        found = counts.get(name, {})
        chosen = params.filters.get(name, ())
        top = sorted(found.items(), key=lambda item: (-item[1], item[0]))
        values = top[:FACET_LIMIT]
        values += [(v, found.get(v, 0)) for v in chosen if v not in dict(values)]
        if name == "round":
            values.sort(key=lambda item: int(item[0]) if item[0].isdigit() else 0)
        labels.prefetch(name, [v for v, _c in values])
        yield Facet(
            name,
            str(heading),
            tuple(
                FacetValue(v, labels.label(name, v), c, v in chosen) for v, c in values
            ),
        )


class _Labels:
    """Display labels of facet values, read from the database in one query each."""

    def __init__(self) -> None:
        self.cache: dict[str, dict[str, str]] = {}

    def prefetch(self, name: str, values: Sequence[str]) -> None:
        known = self.cache.setdefault(name, {})
        missing = [v for v in values if v not in known]
        if missing:
            known.update(_lookup(name, missing))

    def label(self, name: str, value: str) -> str:
        self.prefetch(name, [value])
        return self.cache[name].get(value, value)


def _lookup(name: str, values: Sequence[str]) -> dict[str, str]:
    if name == "programme":
        rows = db.session.execute(
            select(Programme.slug, Programme.title).where(Programme.slug.in_(values))
        )
        return {key: label for key, label in rows}
    if name == "round":
        return {v: _("Runda %(n)s", n=v) for v in values}
    if name == "section":
        rows = db.session.execute(
            select(Section.key, SectionVersion.number, SectionVersion.title)
            .join(SectionVersion.section)
            .join(SectionVersion.round)
            .where(Section.key.in_(values), Round.status != "working")
            .order_by(Round.number)
        )
        return {key: f"{number} {title}".strip() for key, number, title in rows}
    if name == "sector":
        rows = db.session.execute(
            select(Sector.slug, Sector.name).where(Sector.slug.in_(values))
        )
        return {key: label for key, label in rows}
    if name == "kind":
        return {v: str(KIND_LABELS.get(v, v)) for v in values}
    if name == "decision":
        return {v: str(DECISION_VALUES.get(v, v)) for v in values}
    if name == "organisation":
        ids = [int(v) for v in values if v.isdigit()]
        rows = db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        )
        return {str(i): n for i, n in rows}
    return {}


def decisions() -> list[str]:
    """Decision values accepted by the ``decision`` filter."""
    return [d.value for d in Decision] + [NO_DECISION]
