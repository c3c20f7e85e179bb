"""Bitsets of document numbers: Python ``int``s built from text of digits."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.idsets import DocIdSet

ZERO, ONE = 48, 49  # b"0", b"1": bitsets are built as text of digits
ZERO_ONE = bytes.maketrans(b"01", b"\x00\x01")


# --- bitsets ----------------------------------------------------------------------


def bits_of(docnums: Iterable[int], size: int) -> int:
    """The bitset of *docnums* (each below *size*)."""
    digits = bytearray(b"0") * size
    for docnum in docnums:
        digits[docnum] = ONE
    digits.reverse()
    return int(digits, 2) if size else 0


def bits_of_lists(lists: Iterable[Iterable[int]], size: int) -> int:
    """The bitset of the documents in any of *lists*."""
    digits = bytearray(b"0") * size
    for docnums in lists:
        for docnum in docnums:
            digits[docnum] = ONE
    digits.reverse()
    return int(digits, 2) if size else 0


def docnums_of(bits: int) -> Iterator[int]:
    """The document numbers in *bits*, ascending."""
    digits = format(bits, "b")[::-1]
    find = digits.find
    at = find("1")
    while at >= 0:
        yield at
        at = find("1", at + 1)


class BitDocSet(DocIdSet):
    """A bitset as Whoosh's collectors' ``filter`` (membership tests only)."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self._digits = format(bits, "b")[::-1]

    def __contains__(self, docnum: object) -> bool:
        digits = self._digits
        return (
            isinstance(docnum, int)
            and 0 <= docnum < len(digits)
            and (digits[docnum] == "1")
        )

    def __iter__(self) -> Iterator[int]:
        return docnums_of(self.bits)

    def __len__(self) -> int:
        return self.bits.bit_count()

    def __bool__(self) -> bool:
        return True  # an empty filter still filters everything out


def ones(digits: str) -> Iterator[int]:
    find = digits.find
    at = find("1")
    while at >= 0:
        yield at
        at = find("1", at + 1)
