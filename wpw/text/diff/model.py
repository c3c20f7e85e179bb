"""The results of a diff: ops, whole-text diffs and side-by-side rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

OpKind = Literal["equal", "insert", "delete"]

RowKind = Literal["equal", "changed", "inserted", "deleted"]


@dataclass(frozen=True, slots=True)
class Op:
    """One piece of a diff: text kept (``equal``), added (``insert``) or removed
    (``delete``)."""

    kind: OpKind
    text: str


@dataclass(frozen=True, slots=True)
class TextDiff:
    """The differences between two texts.

    Joining the ``equal`` and ``delete`` texts of :attr:`ops` gives the old text;
    joining the ``equal`` and ``insert`` texts gives the new one. No op is empty and
    no two neighbouring ops have the same kind.
    """

    ops: tuple[Op, ...]
    #: Word tokens (``\\w+``) inside insert ops.
    words_added: int
    #: Word tokens (``\\w+``) inside delete ops.
    words_removed: int
    #: True when the word-level diff could not finish in time (or the texts had too
    #: many distinct tokens) and a line-level diff was used instead.
    fallback: bool

    @property
    def changed(self) -> bool:
        """Whether the two texts differ."""
        return any(op.kind != "equal" for op in self.ops)

    @property
    def old_text(self) -> str:
        """The old text, rebuilt from the ops."""
        return "".join(op.text for op in self.ops if op.kind != "insert")

    @property
    def new_text(self) -> str:
        """The new text, rebuilt from the ops."""
        return "".join(op.text for op in self.ops if op.kind != "delete")


@dataclass(frozen=True, slots=True)
class SideBySideRow:
    """One row of a side-by-side comparison: a line of the old text, of the new text,
    or of both.

    ``old_ops`` render the old line (``equal`` and ``delete`` ops, empty for an inserted
    line or an empty line); ``new_ops`` render the new line (``equal`` and ``insert``
    ops, empty for a deleted line or an empty line). No op contains ``\\n``.
    """

    kind: RowKind
    #: 1-based number of the line in the old text, None for an inserted line.
    old_number: int | None
    #: 1-based number of the line in the new text, None for a deleted line.
    new_number: int | None
    old_ops: tuple[Op, ...]
    new_ops: tuple[Op, ...]


def ops_of(kind: OpKind, text: str) -> tuple[Op, ...]:
    return (Op(kind, text),) if text else ()


def merge_ops(pieces: Iterable[tuple[OpKind, str]]) -> list[Op]:
    """The ops of (kind, text) pieces: empty pieces dropped, neighbours of one kind
    joined. Callers hand over plain pairs and each op is made once, here: an
    :class:`Op` (a frozen dataclass) costs ~20 times a tuple to make, and most
    pieces are joined with a neighbour anyway."""
    ops: list[Op] = []
    kind: OpKind = "equal"
    texts: list[str] = []  # the pieces of the op being joined, all of *kind*
    for piece_kind, text in pieces:
        if not text:
            continue
        if piece_kind != kind:
            if texts:
                ops.append(Op(kind, "".join(texts)))
            kind, texts = piece_kind, []
        texts.append(text)
    if texts:
        ops.append(Op(kind, "".join(texts)))
    return ops
