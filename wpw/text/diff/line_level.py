"""Line-level diffs: the fallback of :func:`wpw.text.diff.diff_text` and the line
alignment of :func:`wpw.text.diff.side_by_side`."""

from __future__ import annotations

from collections.abc import Sequence

from wpw.text.diff.engine import KINDS, Differ, compact, deadline_after
from wpw.text.diff.model import Op
from wpw.text.diff.tokens import encode

#: Line-level diffs are the last resort, so they get at least this many seconds even
#: when the caller's budget for the word-level diff is smaller.
_LINE_TIMEOUT_FLOOR = 1.0


def line_ops(old: str, new: str, timeout: float) -> list[Op]:
    """Line-level ops of *old* → *new* (each op is whole lines)."""
    differ = Differ(max(timeout, _LINE_TIMEOUT_FLOOR))
    chars_old, chars_new, lines = differ.diff_linesToChars(old, new)
    diffs = line_diff(differ, chars_old, chars_new)
    differ.diff_charsToLines(diffs, lines)
    return [Op(KINDS[op], text) for op, text in diffs]


def line_diff(differ: Differ, chars_old: str, chars_new: str) -> list[tuple[int, str]]:
    """The anchored diff of two texts of line codes, merged, under the line deadline."""
    deadline = deadline_after(differ.Diff_Timeout)
    diffs = compact(differ.diff_anchored(chars_old, chars_new, deadline))
    differ.diff_cleanupMerge(diffs)
    return diffs


def line_blocks(
    old_lines: Sequence[str], new_lines: Sequence[str], timeout: float
) -> list[tuple[bool, int, int]]:
    """Runs of (unchanged?, old line count, new line count) aligning the two lists."""
    encoded = encode(list(old_lines), list(new_lines))
    if encoded is None:  # more distinct lines than code points: one big block
        return [(False, len(old_lines), len(new_lines))]
    chars_old, chars_new, _ = encoded
    differ = Differ(max(timeout, _LINE_TIMEOUT_FLOOR))
    diffs = line_diff(differ, chars_old, chars_new)
    blocks: list[tuple[bool, int, int]] = []
    for op, chars in diffs:
        same = op == differ.DIFF_EQUAL
        n_old = len(chars) if op != differ.DIFF_INSERT else 0
        n_new = len(chars) if op != differ.DIFF_DELETE else 0
        if blocks and not same and not blocks[-1][0]:
            _, o, n = blocks[-1]
            blocks[-1] = (False, o + n_old, n + n_new)
        else:
            blocks.append((same, n_old, n_new))
    return blocks
