"""The inline word-level diff (:func:`diff_text`): whole lines matched first, the
stretches between them tokenised, diffed and tidied."""

from __future__ import annotations

import re
import time

from wpw.text.diff import tokens
from wpw.text.diff.engine import (
    DIFF_EQUAL,
    DIFF_INSERT,
    DMP,
    Differ,
    cleanup_merge,
    compact,
    deadline_after,
    unique_common,
)
from wpw.text.diff.line_level import line_ops
from wpw.text.diff.model import Op, OpKind, TextDiff, merge_ops
from wpw.text.diff.tidy import slide_edits, tidy
from wpw.text.diff.tokens import TOKEN, count_words, encode

#: Words of shared context kept around a change when long texts are trimmed.
_MARGIN_WORDS = 2
#: A line's leading number label: ``[^12]:``, ``12)``, ``12.``, ``§ 12.``, ``(12)``,
#: ``4d.`` — what renumbering changes.
_LABEL = re.compile(r"[ \t>*#]*(?:\[\^\d+\w?\]:|§ *\d+\w*\.?|\(\d+\w?\)|\d+\w?[.)])")

#: :func:`_replacement` looks at replacements of at most this many tokens a side
#: (longer ones seldom have nothing in common).
_REPLACED_TOKENS = 64

#: A stretch of text: (old, new, ends), where *ends* is, when already known, the
#: length of the texts' common prefix and of the common suffix of what follows it
#: (:func:`_line_pairs` finds them; :func:`_trim_words` need not again).
_Stretch = tuple[str, str, tuple[int, int] | None]


def diff_text(old: str, new: str, *, timeout: float = 1.0) -> TextDiff:
    """Diff *old* against *new* word by word.

    The word-level diff gets *timeout* seconds (0 or less: no limit), checked before
    each stretch of text is diffed. When it cannot finish in time, diff-match-patch
    would answer the unfinished part with one coarse delete and insert; instead the
    texts are diffed line by line (with at least one second of its own) and the
    result has ``fallback=True``. Raises nothing.
    """
    if old == new:
        return TextDiff((Op("equal", old),) if old else (), 0, 0, False)
    ops = word_ops(old, new, deadline_after(timeout), timeout)
    fallback = ops is None
    if ops is None:
        ops = line_ops(old, new, timeout)
    return TextDiff(
        tuple(ops),
        _words_in(ops, "insert"),
        _words_in(ops, "delete"),
        fallback,
    )


def _words_in(ops: list[Op], kind: OpKind) -> int:
    """Word tokens in the ops of *kind*, counted in one pass: their texts are joined
    by newlines, which no word crosses."""
    return count_words("\n".join([op.text for op in ops if op.kind == kind]))


def word_ops(old: str, new: str, deadline: float, timeout: float) -> list[Op] | None:
    """Word-level ops of *old* → *new*, or None when time or token codes ran out.

    Lines shared at the start and end, and the lines :func:`_stretches` matches, are
    matched whole; only the stretches between them are cut into tokens. Whole lines
    end in a newline, a token boundary, so the stretches tokenise as they would
    inside the whole texts — and since their equalities hold a newline, folding (see
    :func:`tidy`) never reaches across them either.
    """
    head, old, new, tail = _trim_lines(old, new)
    differ = Differ(timeout)
    pieces: list[tuple[OpKind, str]] = [("equal", head)]
    for old_part, new_part, ends in _stretches(old, new):
        if old_part == new_part:
            pieces.append(("equal", old_part))
            continue
        block = _word_block(differ, old_part, new_part, ends, deadline)
        if block is None or differ.timed_out:
            return None
        pieces += block
    pieces.append(("equal", tail))
    return merge_ops(pieces)


def _word_block(
    differ: Differ,
    old: str,
    new: str,
    ends: tuple[int, int] | None,
    deadline: float,
) -> list[tuple[OpKind, str]] | None:
    """Word-level (kind, text) pieces of one stretch of text, some maybe empty
    (None: too many distinct tokens)."""
    head, old, new, tail = _trim_words(old, new, ends)
    tokens_old, tokens_new = TOKEN.findall(old), TOKEN.findall(new)
    # Past the deadline, the full way times out (before its LCS), as it should.
    if not differ.timed_out and time.time() <= deadline:
        replaced = _replacement(tokens_old, tokens_new)
        if replaced is not None:
            return [("equal", head), *replaced, ("equal", tail)]
    encoded = encode(tokens_old, tokens_new)
    if encoded is None:
        return None
    chars_old, chars_new, vocabulary = encoded
    differ.use_tokens(vocabulary)
    diffs = compact(differ.diff_anchored(chars_old, chars_new, deadline))
    cleanup_merge(differ, diffs)
    diffs = slide_edits(diffs, vocabulary)
    pieces = tidy(_decoded(diffs, tokens_old, tokens_new))
    return [("equal", head), *pieces, ("equal", tail)]


def _replacement(
    tokens_old: list[str], tokens_new: list[str]
) -> list[tuple[OpKind, str]] | None:
    """The pieces of a stretch that is one run of tokens replaced by another with no
    token in common (most stretches: ``1%`` → ``1,5%``), or None for any other.

    This is what the full way gives such a stretch — the tokens encoded, diffed
    (the common prefix and suffix set aside, the rest one delete and one insert,
    under the deadline like any LCS: the caller checks it), merged (nothing to
    merge: the two sides share no first or last token), slid (nothing to slide:
    no lone edit) and tidied (nothing to fold: a single change) — found at a
    fraction of its cost.
    """
    shorter = min(len(tokens_old), len(tokens_new))
    # Read from the module at each call, as encode() reads it (tests lower it).
    if len(tokens_old) + len(tokens_new) > tokens.MAX_TOKENS:
        return None  # the full way may give up: too many distinct tokens
    prefix = 0
    while prefix < shorter and tokens_old[prefix] == tokens_new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < shorter - prefix and tokens_old[-1 - suffix] == tokens_new[-1 - suffix]
    ):
        suffix += 1
    removed = tokens_old[prefix : len(tokens_old) - suffix]
    added = tokens_new[prefix : len(tokens_new) - suffix]
    if (
        not removed
        or not added
        or len(removed) > _REPLACED_TOKENS
        or len(added) > _REPLACED_TOKENS
        or not set(removed).isdisjoint(added)
    ):
        return None
    return [
        ("equal", "".join(tokens_old[:prefix])),
        ("delete", "".join(removed)),
        ("insert", "".join(added)),
        ("equal", "".join(tokens_old[len(tokens_old) - suffix :])),
    ]


def _decoded(
    diffs: list[tuple[int, str]], tokens_old: list[str], tokens_new: list[str]
) -> list[tuple[OpKind, str, int]]:
    """(kind, text, token count) runs of a diff of token codes.

    The equal and deleted pieces spell the old tokens in order, the equal and
    inserted ones the new tokens, so each piece's text is one run of the old or
    new tokens, joined — rather than each of its codes looked up (or every token's
    offset summed up first, twice the time).
    """
    runs: list[tuple[OpKind, str, int]] = []
    i = j = 0  # tokens of old and new used so far
    for op, chars in diffs:
        size = len(chars)
        if op == DIFF_INSERT:
            runs.append(("insert", "".join(tokens_new[j : j + size]), size))
            j += size
        else:
            text = "".join(tokens_old[i : i + size])
            i += size
            if op == DIFF_EQUAL:
                runs.append(("equal", text, size))
                j += size
            else:
                runs.append(("delete", text, size))
    return runs


def _trim_words(
    old: str, new: str, ends: tuple[int, int] | None = None
) -> tuple[str, str, str, str]:
    """Split off most of the text *old* and *new* share at their start and end.

    Returns (head, old middle, new middle, tail), cut where a space meets a word —
    a token boundary in both texts — and :data:`_MARGIN_WORDS` words short of where
    they differ, so that an edit can still slide (:func:`slide_edits`). Cutting by
    ``str.find`` spares tokenising a long paragraph for a one-word change. *ends*:
    the common prefix and suffix, when known (see :data:`_Stretch`).
    """
    prefix = DMP.diff_commonPrefix(old, new) if ends is None else ends[0]
    start = _word_start_before(old, prefix - 1)
    if ends is not None and ends[1] < min(len(old), len(new)) - prefix:
        # Shorter than both texts after the prefix: the whole common suffix, which
        # the texts after *start* (no later than the prefix ends) share too.
        suffix = ends[1]
    else:
        suffix = DMP.diff_commonSuffix(old[start:], new[start:])
    size = len(old) - _word_end_after(old, len(old) - suffix + 1)
    return (
        old[:start],
        old[start : len(old) - size],
        new[start : len(new) - size],
        old[len(old) - size :],
    )


def _word_start_before(text: str, limit: int) -> int:
    """A position before *limit* where a space is followed by a non-space, as far
    back as :data:`_MARGIN_WORDS` such places; 0 when there are not enough."""
    found = 0
    while found <= _MARGIN_WORDS:
        limit = text.rfind(" ", 0, max(limit, 0))
        if limit < 1:
            return 0
        if not text[limit + 1].isspace():
            found += 1
    return limit + 1


def _word_end_after(text: str, limit: int) -> int:
    """A position from *limit* on where a non-space is followed by a space, as far
    on as :data:`_MARGIN_WORDS` such places; ``len(text)`` when there are not
    enough."""
    found = 0
    limit -= 1
    while found <= _MARGIN_WORDS:
        limit = text.find(" ", limit + 1)
        if limit == -1:
            return len(text)
        if not text[limit - 1].isspace():
            found += 1
    return limit


def _stretches(old: str, new: str) -> list[_Stretch]:
    """Cut *old* and *new* into (old, new) stretches, equal ones included.

    Non-blank lines found once in each text and in the same order are matched
    whole; between them, lines that differ only in their leading number are paired
    (:func:`_renumbered`). Between those, a stretch that is the same lines each
    edited a little — as many on each side, every pair sharing at least half its
    text at its ends — is cut into pairs of lines, each diffed (and tokenised) on
    its own.
    """
    lines_old, lines_new = _lines(old), _lines(new)
    pieces: list[_Stretch] = []
    equal: list[str] = []
    i = j = 0
    anchors = unique_common(lines_old, lines_new, skip_blank=True)
    for a, b in [*anchors, (len(lines_old), len(lines_new))]:
        gap_old, gap_new = lines_old[i:a], lines_new[j:b]
        if gap_old == gap_new:
            equal += gap_old
        else:
            if equal:
                text = "".join(equal)
                pieces.append((text, text, None))
                equal = []
            pieces += _renumbered(gap_old, gap_new)
        equal += lines_old[a : a + 1]  # the anchor; nothing for the sentinel
        i, j = a + 1, b + 1
    if equal:
        text = "".join(equal)
        pieces.append((text, text, None))
    return pieces


def _renumbered(lines_old: list[str], lines_new: list[str]) -> list[_Stretch]:
    """Stretches of two runs of changed lines: lines found once in each run once
    their leading number is set aside (``[^5]:``, ``5)``, ``5.``, ``§ 5.``, ``(5)``)
    are paired, each run of paired lines a stretch of its own (the lines of a run
    differ only in their labels, so they cannot be misaligned within it); the lines
    between go to :func:`_line_pairs`.

    When a footnote or list item is removed and the rest renumbered, the old item
    5 is the new item 4: paired by their text, each shows ``[^[-5-]{+4+}]``, and
    the removed item is removed whole — where the word-level diff alone would keep
    ``[^5]:`` and align it with the new item 5, whose text is old item 6's.
    """
    if len(lines_old) + len(lines_new) <= 2 or not lines_old or not lines_new:
        return _line_pairs(lines_old, lines_new)  # nothing to pair
    keys_old = [_unlabelled(line) for line in lines_old]
    keys_new = [_unlabelled(line) for line in lines_new]
    if keys_old == lines_old and keys_new == lines_new:
        return _line_pairs(lines_old, lines_new)  # no labels: nothing renumbered
    pieces: list[_Stretch] = []
    paired_old: list[str] = []  # a run of paired lines, one stretch
    paired_new: list[str] = []
    i = j = 0
    for a, b in [
        *unique_common(keys_old, keys_new, skip_blank=True),
        (len(lines_old), len(lines_new)),
    ]:
        if i < a or j < b:
            if paired_old:
                pieces.append(("".join(paired_old), "".join(paired_new), None))
                paired_old, paired_new = [], []
            pieces += _line_pairs(lines_old[i:a], lines_new[j:b])
        if a < len(lines_old):
            paired_old.append(lines_old[a])
            paired_new.append(lines_new[b])
        i, j = a + 1, b + 1
    if paired_old:
        pieces.append(("".join(paired_old), "".join(paired_new), None))
    return pieces


def _unlabelled(line: str) -> str:
    """*line* without its leading number label, if it has one."""
    label = _LABEL.match(line)
    return line[label.end() :] if label else line


def _line_pairs(lines_old: list[str], lines_new: list[str]) -> list[_Stretch]:
    """The lines paired one to one when each pair looks like one line edited;
    otherwise one stretch of all of them."""
    if len(lines_old) == len(lines_new) > 1:
        pairs: list[_Stretch] = []
        for line_old, line_new in zip(lines_old, lines_new, strict=True):
            ends = None
            if line_old != line_new:
                prefix = DMP.diff_commonPrefix(line_old, line_new)
                suffix = DMP.diff_commonSuffix(line_old[prefix:], line_new[prefix:])
                if 2 * (prefix + suffix) < max(len(line_old), len(line_new)):
                    break
                ends = (prefix, suffix)
            pairs.append((line_old, line_new, ends))
        else:
            return pairs
    return [("".join(lines_old), "".join(lines_new), None)]


def _lines(text: str) -> list[str]:
    """The lines of *text*, each with its newline (the last one may have none)."""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _trim_lines(old: str, new: str) -> tuple[str, str, str, str]:
    """Split off the whole lines *old* and *new* share at their start and end.

    Returns (head, old middle, new middle, tail). The head is empty or ends with a
    newline, the middles too, so the tail is whole lines: the cuts are token
    boundaries (the middles tokenise as they would inside the whole texts, and only
    they need tokenising) and the middles' lines are whole lines, which
    :func:`_stretches` can match.
    """
    prefix = DMP.diff_commonPrefix(old, new)
    start = old.rfind("\n", 0, prefix) + 1
    suffix = DMP.diff_commonSuffix(old[start:], new[start:])
    # A newline inside the common suffix ends the middles; the tail follows it.
    end = old.find("\n", len(old) - suffix) if suffix else -1
    size = len(old) - end - 1 if end != -1 else 0
    return (
        old[:start],
        old[start : len(old) - size],
        new[start : len(new) - size],
        old[len(old) - size :],
    )
