"""Where sections stand in two rounds: which of them moved, and the order in
which a comparison lists them.

Pure functions over sequences of ids (any hashable values): no Flask, no
database, so the subtle part of "moved" is tested with plain tables.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def moved_items(old_order: Sequence[T], new_order: Sequence[T]) -> set[T]:
    """The items present in both orders that changed place among the others.

    Inserting or removing an item shifts the positions of those after it, but
    they keep their order relative to each other, so they have not moved. The
    common items that stay in order are a longest increasing subsequence of
    their new indices taken in old order; the rest moved. When several are
    equally long (two neighbours swapped), the earlier items of *old_order*
    stay, so the item that went up is the one marked as moved.
    """
    new_index = {item: i for i, item in enumerate(new_order)}
    common = [item for item in old_order if item in new_index]
    # Patience sorting keeps, of equally long runs, the one ending lowest; fed
    # backwards and negated, it keeps the one starting earliest instead.
    backwards = longest_increasing([-new_index[item] for item in reversed(common)])
    last = len(common) - 1
    return {item for i, item in enumerate(common) if last - i not in backwards}


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices into *values* of a longest strictly increasing subsequence
    (patience sorting, O(n log n))."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # index in *values* of that tail
    previous: list[int | None] = []
    for i, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[length] = value
            tail_at[length] = i
        previous.append(tail_at[length - 1] if length else None)
    kept: set[int] = set()
    at = tail_at[-1] if tail_at else None
    while at is not None:
        kept.add(at)
        at = previous[at]
    return kept


def reading_order(old_order: Sequence[T], new_order: Sequence[T]) -> list[T]:
    """Every item of both orders: *new_order*, with each item found only in
    *old_order* placed right after the item it followed there (first, if it
    led), so a removed section is listed where readers last saw it."""
    in_new = set(new_order)
    after: dict[T | None, list[T]] = {}
    anchor: T | None = None
    for item in old_order:
        if item in in_new:
            anchor = item
        else:
            after.setdefault(anchor, []).append(item)
    order = list(after.get(None, []))
    for item in new_order:
        order.append(item)
        order.extend(after.get(item, []))
    return order
