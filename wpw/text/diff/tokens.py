"""Tokens the word-level diff works on, and their encoding as one character each."""

from __future__ import annotations

import re

# Every character is a word character, a newline, other whitespace or punctuation, so
# the tokens of a text always join back into the text. Punctuation between two word
# characters stays inside the word — 1,5 · 29.9.2020 · celno-skarbowego · Dz.U — so a
# changed number reads [-1-]{+1,5+} rather than 1{+,5+}.
#
# Written for speed, the same tokens as r"\w++(?:[-.,'’/]\w++)*+|\n|[^\S\n]++|[^\w\s]":
# a lone space, the commonest token, is tried first (a space followed by another
# blank is left to the run of them), and the word class lists the ASCII letters
# and digits before \w, so that most characters are matched without a Unicode
# lookup (~13% less time tokenising).
TOKEN = re.compile(
    r" (?![^\S\n])"
    r"|[a-zA-Z0-9\w]++(?:[-.,'’/][a-zA-Z0-9\w]++)*+"
    r"|\n|[^\S\n]++|[^\w\s]"
)
#: The word tokens of :data:`TOKEN` (written for speed as it is: plainly,
#: r"\w+(?:[-.,'’/]\w+)*").
WORD_TOKEN = re.compile(r"[a-zA-Z0-9\w]++(?:[-.,'’/][a-zA-Z0-9\w]++)*+")

#: Runs of word characters (written for speed as :data:`TOKEN`: plainly, r"\w+").
WORD = re.compile(r"[a-zA-Z0-9\w]++")

#: Distinct tokens one diff can encode: every code point is one token.
MAX_TOKENS = 0x110000


def tokenize(text: str) -> list[str]:
    """Cut *text* into the tokens the diff works on: words (with punctuation between
    word characters, as in ``1,5``), runs of spaces, newlines, single punctuation
    marks. The tokens join back into *text*."""
    return TOKEN.findall(text)


def count_words(text: str) -> int:
    """Return the number of word tokens (``\\w+``) in *text*."""
    return len(WORD.findall(text))


def encode(tokens1: list[str], tokens2: list[str]) -> tuple[str, str, list[str]] | None:
    """One character per distinct token: the two encoded texts and the tokens by code,
    or None when there are more distinct tokens than code points."""
    vocabulary = list(dict.fromkeys(tokens1 + tokens2))
    if len(vocabulary) > MAX_TOKENS:
        return None
    # Lone surrogates are valid in a Python str; the diff never encodes them.
    codes = {token: chr(code) for code, token in enumerate(vocabulary)}
    return (
        "".join(map(codes.__getitem__, tokens1)),
        "".join(map(codes.__getitem__, tokens2)),
        vocabulary,
    )
