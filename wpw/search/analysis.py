"""Polish text analysis for the index: tokenise, lowercase, stem, fold diacritics.

Stemming comes before folding because the Snowball Polish stemmer (PyStemmer)
knows its endings with their diacritics: ``pozarządowych`` → ``pozarządow`` →
``pozarzadow``. Folding afterwards lets a query typed without Polish letters
(``zrodla``) meet the stem of ``źródła``. Quoted phrases use
:func:`phrase_analyzer` instead: the same words lowercased, neither stemmed nor
folded, so a phrase matches exactly.

Whoosh pickles the analyzers into the index, so :class:`PolishStemFilter` keeps
only the stemmer's name and builds the C stemmer lazily.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import Stemmer
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

#: Words: runs of Unicode letters and digits.
WORD_PATTERN = r"\w+"


def _fold_table() -> dict[int, str]:
    """A translation table stripping diacritics from Latin letters; ``ł`` has no
    Unicode decomposition, so it is added by hand."""
    table: dict[int, str] = {ord("ł"): "l", ord("Ł"): "L"}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = "".join(
            c
            for c in unicodedata.normalize("NFKD", char)
            if not unicodedata.combining(c)
        )
        if base and base != char and base.isascii():
            table[code] = base
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """*text* without diacritics: ``źródła`` → ``zrodla``, ``Łódź`` → ``Lodz``."""
    return text.translate(FOLD)


class PolishStemFilter(Filter):
    """Replaces each token's text with its Snowball Polish stem."""

    def __init__(self, language: str = "polish") -> None:
        self.language = language
        self._stemmer: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"language": self.language}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.language = state["language"]
        self._stemmer = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PolishStemFilter) and other.language == self.language

    def __hash__(self) -> int:
        return hash((PolishStemFilter, self.language))

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        if self._stemmer is None:
            self._stemmer = Stemmer.Stemmer(self.language)
        stem = self._stemmer.stemWord
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text)
            yield token


class FoldFilter(Filter):
    """Folds each token's diacritics (see :func:`fold`)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FoldFilter)

    def __hash__(self) -> int:
        return hash(FoldFilter)

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = token.text.translate(FOLD)
            yield token


def polish_analyzer():
    """Tokenise, lowercase, stem (Snowball Polish), fold diacritics."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | PolishStemFilter()
        | FoldFilter()
    )


def phrase_analyzer():
    """Tokenise and lowercase only: for exact phrases."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def normalise(text: str) -> list[str]:
    """The terms :func:`polish_analyzer` makes of *text*, as plain strings (for
    the FTS5 comparison in ``bench/search.py`` and for tests)."""
    return [token.text for token in polish_analyzer()(text)]


def stem_prefix(text: str) -> str:
    """A prefix query's text: lowercased and folded, not stemmed (a stemmer would
    cut a word's beginning as if it were a whole word)."""
    return fold(text.lower())
