"""From what a person typed to a Whoosh query, never failing.

The syntax is the familiar one: words (all must occur), ``OR``, ``AND``,
``NOT``, parentheses, ``"exact phrases"`` and ``prefix*``. Words are stemmed
and folded like the index; a phrase is matched on the unstemmed field, so it
matches exactly (case aside); a prefix is only lowercased and folded. Field
syntax (``hidden:true``) is not recognised, so it can never reach a field. A
query that is too long, has control characters, unbalanced quotes or
parentheses, or does not parse, becomes a plain search for its words, with a
message saying so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from whoosh import query
from whoosh.qparser import (
    GroupPlugin,
    OperatorsPlugin,
    PhrasePlugin,
    QueryParser,
    WhitespacePlugin,
    WildcardPlugin,
)

from wpw.search.analysis import WORD_PATTERN, stem_prefix
from wpw.search.index import make_schema

#: Longer queries are cut (at a word) to this many characters.
MAX_QUERY = 500
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}
WORD = re.compile(WORD_PATTERN)


class ExactPhrasePlugin(PhrasePlugin):
    """Quoted phrases search the ``phrase`` field (lowercased, not stemmed)."""

    class PhraseNode(PhrasePlugin.PhraseNode):
        def query(self, parser):
            if self.fieldname is None:
                self.fieldname = "phrase"
            return super().query(parser)

    class PhraseTagger(PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            slop = int(match.group("slop")) if match.group("slop") else 1
            node = ExactPhrasePlugin.PhraseNode(
                match.group("text"), match.start("text"), slop
            )
            node.degrade = self.degrade
            return node

    def taggers(self, parser):
        return [(self.PhraseTagger(self.expr, degrade=self.degrade), 0)]


class PolishQueryParser(QueryParser):
    """Prefixes and wildcards are folded, not stemmed."""

    def term_query(
        self, fieldname, text, termclass, boost=1.0, tokenize=True, removestops=True
    ):
        if termclass in (query.Prefix, query.Wildcard):
            return termclass(fieldname, stem_prefix(text), boost=boost)
        return super().term_query(
            fieldname, text, termclass, boost, tokenize, removestops
        )


def make_parser() -> QueryParser:
    return PolishQueryParser(
        "text",
        make_schema(),
        plugins=[
            WhitespacePlugin(),
            GroupPlugin(),
            OperatorsPlugin(),
            ExactPhrasePlugin(),
            WildcardPlugin(),
        ],
    )


_parser = make_parser()


@dataclass(frozen=True)
class ParsedQuery:
    #: ``None`` when nothing is left to search for.
    query: query.Query | None
    #: The text actually searched (cleaned and maybe shortened).
    text: str
    #: For people: what was changed and why, or "".
    message: str = ""


def clean(text: str) -> str:
    """*text* without control or format characters, whitespace collapsed."""
    kept = "".join(
        " " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
    return " ".join(kept.split())


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def plain_words(text: str) -> list[str]:
    """The words of *text*, without operators and punctuation."""
    return [w for w in WORD.findall(text) if w not in OPERATORS]


def _plain(text: str) -> query.Query | None:
    words = plain_words(text)
    if not words:
        return None
    return _parser.parse(" ".join(words))


def _usable(parsed: query.Query | None) -> bool:
    return parsed is not None and parsed is not query.NullQuery


def parse(text: str) -> ParsedQuery:
    """Parse *text*; an empty query is ``query.Every()`` (browse everything)."""
    text = clean(text)
    message = ""
    if len(text) > MAX_QUERY:
        text = text[:MAX_QUERY].rsplit(" ", 1)[0]
        message = _(
            "Zapytanie było za długie; szukamy według pierwszych %(n)d znaków.",
            n=len(text),
        )
    if not text:
        return ParsedQuery(query.Every(), "", message)
    if text.strip("*? ") == "":
        return ParsedQuery(query.Every(), "", message)
    words = text.split()
    dangling = words[0] in OPERATORS or words[-1] in OPERATORS
    if _balanced(text) and not dangling:
        try:
            parsed = _parser.parse(text)
        except Exception:
            parsed = None
        if _usable(parsed) and not _has_errors(parsed):
            return ParsedQuery(parsed, text, message)
    plain = _plain(text)
    if plain is None:
        return ParsedQuery(
            None,
            text,
            _(
                "Nie rozumiemy zapytania „%(q)s”: nie ma w nim słów do wyszukania. "
                "Wpisz słowa; możesz łączyć je przez AND, OR i NOT, frazę ująć "
                "w cudzysłów, a początek słowa zakończyć gwiazdką (np. kultur*).",
                q=text,
            ),
        )
    return ParsedQuery(
        plain,
        " ".join(plain_words(text)),
        _(
            "Zapytanie „%(q)s” ma błąd składni (np. niedomknięty cudzysłów lub "
            "nawias albo operator bez słowa), więc szukamy po prostu słów: "
            "%(words)s.",
            q=text,
            words=" ".join(plain_words(text)),
        ),
    )


def _has_errors(parsed: query.Query) -> bool:
    return any(getattr(q, "error", None) for q in _walk(parsed))


def _walk(q: query.Query):
    yield q
    for child in q.children():
        yield from _walk(child)
