"""Polish text analysis for the index: tokenise, lowercase, stem, fold diacritics.

Stemming comes before folding because the Snowball Polish stemmer (PyStemmer)
knows its endings with their diacritics: ``pozarządowych`` → ``pozarządow`` →
``pozarzadow``. Folding afterwards lets a query typed without Polish letters
(``zrodla``) meet the stem of ``źródła``. Quoted phrases use
:func:`phrase_analyzer` instead: the same words lowercased, neither stemmed nor
folded, so a phrase matches exactly.

Speed: a word's term (lowercased, stemmed, folded) is computed once per process
and remembered (:data:`TERMS`, a dict whose misses call the stemmer), so
analysing a text is one regular-expression pass and one dict look-up per word.
:class:`PolishTokenizer` is that pass as a Whoosh analyzer (for queries and
highlights); :func:`terms` is the same without Whoosh's token objects. The
index itself stores only lowercased words (:data:`PHRASE_BYTES`); a stem finds
its documents through the words that have it (see
:class:`wpw.search.index.StemmedText`).

Whoosh pickles the analyzers into the index: :class:`PolishTokenizer` keeps no
state, the stemmer and the memo live in this module.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

import Stemmer
from whoosh.analysis import LowercaseFilter, RegexTokenizer, Token, Tokenizer

#: Words: runs of Unicode letters and digits.
WORD_PATTERN = r"\w+"
WORD = re.compile(WORD_PATTERN)
LANGUAGE = "polish"


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


_stemmers = threading.local()


def _stem(word: str) -> str:
    # PyStemmer's objects are not thread-safe: one per thread.
    stemmer = getattr(_stemmers, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmers.stemmer = Stemmer.Stemmer(LANGUAGE)
    return stemmer.stemWord(word)


class _Terms(dict):
    """Word as written → its index term; a miss analyses the word."""

    #: Forgotten (all at once) beyond this many words; Polish comments use far
    #: fewer distinct word forms.
    limit = 400_000

    def __missing__(self, word: str) -> str:
        term = _stem(word.lower()).translate(FOLD)
        if len(self) >= self.limit:
            self.clear()
        self[word] = term
        return term


TERMS = _Terms()


class _PhraseBytes(dict):
    """Word as written → the word lowercased, as UTF-8 (phrase-field terms)."""

    limit = _Terms.limit

    def __missing__(self, word: str) -> bytes:
        found = word.lower().encode("utf-8")
        if len(self) >= self.limit:
            self.clear()
        self[word] = found
        return found


PHRASE_BYTES = _PhraseBytes()


_last: tuple[str | None, list[str]] = (None, [])


def words(text: str) -> list[str]:
    """The words of *text* (remembering the last text: indexing reads the same
    string for its length and for its words)."""
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    found = WORD.findall(text)
    _last = (text, found)
    return found


def term(word: str) -> str:
    """One word's index term: lowercased, stemmed, folded."""
    return TERMS[word]


def terms(text: str) -> list[str]:
    """The index terms of *text*, in order (what :class:`PolishTokenizer`
    yields, without token objects)."""
    memo = TERMS
    return [memo[w] for w in WORD.findall(text)]


def phrase_words(text: str) -> list[str]:
    """The words of *text* lowercased, in order (what :func:`phrase_analyzer`
    yields)."""
    return [w.lower() for w in WORD.findall(text)]


class PolishTokenizer(Tokenizer):
    """Tokenise, lowercase, stem (Snowball Polish), fold diacritics — in one
    pass (the same terms as ``RegexTokenizer(r"\\w+") | LowercaseFilter() |
    stem | fold``)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PolishTokenizer)

    def __hash__(self) -> int:
        return hash(PolishTokenizer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        memo = TERMS
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = value
            token.text = memo[value]
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar = start_char
                token.endchar = start_char + len(value)
            yield token
            return
        for pos, match in enumerate(WORD.finditer(value)):
            word = match.group(0)
            if keeporiginal:
                token.original = word
            token.text = memo[word]
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


def polish_analyzer() -> PolishTokenizer:
    """Tokenise, lowercase, stem (Snowball Polish), fold diacritics."""
    return PolishTokenizer()


def phrase_analyzer():
    """Tokenise and lowercase only: for exact phrases."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()


def normalise(text: str) -> list[str]:
    """The terms :func:`polish_analyzer` makes of *text*, as plain strings (for
    the FTS5 comparison in ``bench/search.py`` and for tests)."""
    return terms(text)


def stem_prefix(text: str) -> str:
    """A prefix query's text: lowercased and folded, not stemmed (a stemmer would
    cut a word's beginning as if it were a whole word)."""
    return fold(text.lower())
