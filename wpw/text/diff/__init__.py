"""Word-level differences between two texts: inline (:func:`diff_text`) and side by
side (:func:`side_by_side`).

The aim is a careful editor's track changes, not char soup: ``[-podmiotów-]{+dotacje+}``
rather than letter fragments. How a diff is made:

1. Lines the texts share at both ends, and non-blank lines found exactly once in each
   text (in the same order), are matched whole. Between them, lines that differ only
   in their leading number (``[^5]:``, ``5)``, ``§ 5.``) are paired, so a renumbered
   footnote or list item shows ``[^[-5-]{+4+}]`` rather than aligning by its number
   with another item's text.
2. The rest is cut into tokens (:func:`tokenize`) — words (``\\w+``, so Polish letters
   belong to words; punctuation between two word characters stays inside, as in
   ``1,5`` or ``celno-skarbowego``), runs of spaces, newlines, single punctuation
   marks — and each distinct token becomes one character, as diff-match-patch's
   diff_linesToChars does for lines. Python strings hold every code point, so
   1,114,112 distinct tokens fit, far past the 65,536 of the BMP.
3. The character strings are diffed: tokens found once on each side anchor the match
   (patience diff; numbers never anchor, for the same reason); the stretches
   between anchors get a bit-parallel LCS, or diff-match-patch's diff_main when too
   big for it. Myers' bisection alone, in pure
   Python, took ~600 ms on a rewritten 6 KB section of the Polish act that now takes
   4 ms (``bench/compare.py``).
4. The result is tidied: a lone edit slides to the most readable boundary, and short
   equalities between two changes fold into them — including the short words a
   rewrite happens to share with the old text (``art.``, ``ust.``), which would
   otherwise stand as islands in it. Kept words next to a plain insertion or
   deletion stay kept: ``Hat [-der Richter-]{+das Gericht … oder+} die Aussetzung
   im Urteil {+oder in einem nachträglichen Beschluss +}abgelehnt``, as git's word
   diff shows it, rather than the whole clause removed and added again.

When the time budget runs out — or there are more distinct tokens than code points —
the texts are diffed line by line instead, and the result says so (``fallback``).

Texts are expected to be normalised already (:func:`wpw.text.lines.normalise_text`):
``\\n`` is the only line break.

The package, by concern:

- :mod:`.model` — :class:`Op`, :class:`TextDiff`, :class:`SideBySideRow`;
- :mod:`.tokens` — :func:`tokenize`, :func:`count_words`, tokens as characters;
- :mod:`.engine` — the diff of two code strings (anchors, bit-parallel LCS, deadline);
- :mod:`.tidy` — sliding edits and folding equalities into an editor's marks;
- :mod:`.words` — :func:`diff_text`, the inline word-level diff;
- :mod:`.line_level` — line-level diffs (the fallback, and side by side's alignment);
- :mod:`.rows` — :func:`side_by_side`.
"""

from wpw.text.diff.engine import lcs_diff as _lcs_diff
from wpw.text.diff.model import Op, OpKind, RowKind, SideBySideRow, TextDiff
from wpw.text.diff.rows import side_by_side
from wpw.text.diff.tokens import count_words, tokenize
from wpw.text.diff.words import diff_text

__all__ = [
    "Op",
    "OpKind",
    "RowKind",
    "SideBySideRow",
    "TextDiff",
    "_lcs_diff",
    "count_words",
    "diff_text",
    "side_by_side",
    "tokenize",
]
