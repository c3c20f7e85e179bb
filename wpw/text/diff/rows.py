"""Side-by-side comparison (:func:`side_by_side`): lines aligned, changed lines
paired by similarity and diffed word by word."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from wpw.text.diff.engine import deadline_after
from wpw.text.diff.line_level import line_blocks
from wpw.text.diff.model import Op, SideBySideRow, merge_ops, ops_of
from wpw.text.diff.tokens import TOKEN
from wpw.text.diff.words import word_ops
from wpw.text.lines import split_lines

#: Lines in a changed block are paired by similarity (a small dynamic programme) when
#: the block has at most this many removed × added lines; bigger ones pair in order.
_PAIRING_CELLS = 10_000

#: Two lines of a changed block count as the same line edited when the Dice
#: coefficient of their non-space tokens reaches this.
_PAIRING_SIMILARITY = 0.35


def side_by_side(
    old: str, new: str, *, timeout: float = 1.0
) -> tuple[SideBySideRow, ...]:
    """Align the lines of *old* and *new* into rows, numbered as
    :func:`wpw.text.lines.split_lines` numbers them.

    Unchanged lines are ``equal`` rows. In each block of removed lines followed by
    added lines, lines are paired when they look like the same line edited (always
    when the block is one line against one line) and the pair is diffed word by word
    (a ``changed`` row); the other lines become ``deleted`` and ``inserted`` rows.
    The word-level diffs of all pairs share *timeout* seconds; a pair left without
    time shows its whole old line deleted and whole new line inserted. Raises
    nothing.
    """
    old_lines, new_lines = split_lines(old), split_lines(new)
    deadline = deadline_after(timeout)
    rows: list[SideBySideRow] = []
    i = j = 0  # next unconsumed line of old_lines / new_lines
    for same, n_old, n_new in line_blocks(old_lines, new_lines, timeout):
        if same:
            rows.extend(
                _equal_row(old_lines[i + k], i + k, j + k) for k in range(n_old)
            )
        else:
            removed, added = old_lines[i : i + n_old], new_lines[j : j + n_new]
            for a, b in _pair_lines(removed, added):
                if b is None:
                    assert a is not None
                    rows.append(_deleted_row(removed[a], i + a))
                elif a is None:
                    rows.append(_inserted_row(added[b], j + b))
                else:
                    rows.append(
                        _changed_row(
                            removed[a], added[b], i + a, j + b, deadline, timeout
                        )
                    )
        i, j = i + n_old, j + n_new
    return tuple(rows)


def _pair_lines(
    removed: Sequence[str], added: Sequence[str]
) -> list[tuple[int | None, int | None]]:
    """Order the lines of a changed block into (removed index, added index) rows.

    Pairs are chosen to maximise total similarity, keeping both sides in order;
    unpaired removed lines come before unpaired added ones.
    """
    if len(removed) == 1 and len(added) == 1:
        return [(0, 0)]
    if not removed or not added:
        return [(a, None) for a in range(len(removed))] + [
            (None, b) for b in range(len(added))
        ]
    if len(removed) * len(added) > _PAIRING_CELLS:
        pairs = [(k, k) for k in range(min(len(removed), len(added)))]
    else:
        pairs = _similar_pairs(removed, added)
    rows: list[tuple[int | None, int | None]] = []
    a = b = 0
    for pa, pb in [*pairs, (len(removed), len(added))]:
        rows.extend((k, None) for k in range(a, pa))
        rows.extend((None, k) for k in range(b, pb))
        if pa < len(removed) and pb < len(added):
            rows.append((pa, pb))
        a, b = pa + 1, pb + 1
    return rows


def _similar_pairs(
    removed: Sequence[str], added: Sequence[str]
) -> list[tuple[int, int]]:
    """The in-order pairing of similar lines with the greatest total similarity."""
    bags_added = [_bag(line) for line in added]
    scores = [
        [_similarity(bag, other) for other in bags_added] for bag in map(_bag, removed)
    ]
    n, m = len(removed), len(added)
    # best[a][b]: the best total for removed[a:] against added[b:]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        for b in range(m - 1, -1, -1):
            score = scores[a][b]
            take = best[a + 1][b + 1] + score if score >= _PAIRING_SIMILARITY else -1.0
            best[a][b] = max(take, best[a + 1][b], best[a][b + 1])
    pairs: list[tuple[int, int]] = []
    a = b = 0
    while a < n and b < m:
        score = scores[a][b]
        if score >= _PAIRING_SIMILARITY and best[a][b] == best[a + 1][b + 1] + score:
            pairs.append((a, b))
            a, b = a + 1, b + 1
        elif best[a][b] == best[a + 1][b]:
            a += 1
        else:
            b += 1
    return pairs


def _bag(line: str) -> Counter[str]:
    return Counter(t.casefold() for t in TOKEN.findall(line) if not t.isspace())


def _similarity(x: Counter[str], y: Counter[str]) -> float:
    total = x.total() + y.total()
    return 2 * (x & y).total() / total if total else 0.0


def _equal_row(line: str, i: int, j: int) -> SideBySideRow:
    ops = (Op("equal", line),) if line else ()
    return SideBySideRow("equal", i + 1, j + 1, ops, ops)


def _deleted_row(line: str, i: int) -> SideBySideRow:
    return SideBySideRow("deleted", i + 1, None, ops_of("delete", line), ())


def _inserted_row(line: str, j: int) -> SideBySideRow:
    return SideBySideRow("inserted", None, j + 1, (), ops_of("insert", line))


def _changed_row(
    old_line: str, new_line: str, i: int, j: int, deadline: float, timeout: float
) -> SideBySideRow:
    if old_line == new_line:
        return _equal_row(old_line, i, j)
    ops = word_ops(old_line, new_line, deadline, timeout)
    if ops is None:
        ops = [*ops_of("delete", old_line), *ops_of("insert", new_line)]
    return SideBySideRow(
        "changed",
        i + 1,
        j + 1,
        tuple(merge_ops((op.kind, op.text) for op in ops if op.kind != "insert")),
        tuple(merge_ops((op.kind, op.text) for op in ops if op.kind != "delete")),
    )
