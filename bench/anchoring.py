"""Re-anchoring annotations on the next version: ours against a naive search.

Run: ``.venv/bin/python bench/anchoring.py [--annotations 1000] [--runs 3]
[--corpus DIR] [--whole]``. Prints one table, then the target of the issue and
whether it is met.

Documents: every pair ``X.v1.txt`` / ``X.v2.txt`` in the corpus folder (by default
``/work/shared/corpus/realdocs``); when the folder is missing the script says so and
uses the generated programme of ``bench/compare.py`` (500 sections, 5% of words
edited, fixed seed) instead. Each document is cut into sections and the sections
of the two versions are paired as ``bench/compare.py`` does (its
``split_sections``/``match_sections``), because annotations live on a section;
``--whole`` treats each file as one text instead. A section that v2 removed is
re-anchored onto "" (the app orphans those without asking).

Annotations: ``--annotations`` per pair (fixed seed) at random passages of v1 of
20–300 characters (cut at any character, as a careless selection would be),
inside one section, sections drawn in proportion to their length.

Timed (median of ``--runs``): ours — :func:`wpw.text.anchoring.reanchor_many` on
every section pair that holds annotations, diffs included; naive — for each
annotation ``new.find(exact)``, the first occurrence or nothing. The target line
re-anchors 10,000 annotations (spread evenly over the pairs) the same way.
Beneath the table, the opt-in approximate search (``fuzzy=True``) on the same
annotations: how many more it places, and how many of those land away from where
difflib's alignment puts the passage (a look-alike — or a moved paragraph, which
the truth cannot tell apart; read them with ``--show-fuzzy``).

Ground truth, computed without the anchoring code: ``difflib.SequenceMatcher``
(no autojunk) over the whitespace-separated words of each section pair, each
word with the spaces after it, so every character of v1 is in an ``equal``,
``replace`` or ``delete`` block.
- *kept*: the passage lies inside one ``equal`` block: it must come out EXACT at
  the block's image of it (``kept ✓`` counts those that do);
- *deleted*: the passage lies inside one ``delete`` block and its text occurs
  nowhere in the new section: it must come out ORPHANED (``deleted ✓``);
- *misplaced*: EXACT with a text other than the quote, or placed (EXACT/CHANGED)
  where the truth says deleted, or a kept passage placed anywhere but its image
  (another copy of the same words);
- *lost*: ORPHANED although at least half of the passage's non-space characters
  lie in ``equal`` blocks.
Passages the truth calls neither (edited) are counted but not judged. A deletion
next to text it repeats can slide (two equal paragraphs, one deleted: which one
is difflib's choice), so *kept* and *deleted* hold under every slide of it; the
passages this leaves unjudged are counted below the table (see ``Truth``).
"""

from __future__ import annotations

import argparse
import bisect
import difflib
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from compare import (  # noqa: E402
    SEED,
    _vocabulary,
    generate_programme,
    match_sections,
    split_sections,
)

from wpw.text.anchoring import (  # noqa: E402
    Anchor,
    Outcome,
    Reanchored,
    anchor_for_offsets,
    reanchor_many,
)

REALDOCS = Path("/work/shared/corpus/realdocs")
MIN_LENGTH, MAX_LENGTH = 20, 300
TARGET_ANNOTATIONS = 10_000
TARGET_SECONDS = 2.0
_WORD = re.compile(r"\S+\s*|\s+")


# --- annotations and the ground truth ------------------------------------------------


@dataclass
class Truth:
    """difflib's alignment of one section pair, by character of the old text.

    A deletion next to text it repeats can slide (deleting the first of two equal
    paragraphs or the second gives the same new text, and difflib picks one): the
    characters it may cover under some slide are *ambiguous*. A passage counts as
    deleted only when every slide deletes it, and as kept only when none touches it.
    """

    old: str
    new: str
    #: (old start, old end, tag, new start, new end) per block holding old text.
    blocks: list[tuple[int, int, str, int, int]] = field(default_factory=list)
    #: Per deletion: (first, last) old offsets it may cover, (first, last) it
    #: always covers.
    slides: list[tuple[int, int, int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        words_old, words_new = _WORD.findall(self.old), _WORD.findall(self.new)
        ends_old = _ends(words_old)
        ends_new = _ends(words_new)
        matcher = difflib.SequenceMatcher(None, words_old, words_new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if i1 < i2:  # inserts hold no old character
                self.blocks.append(
                    (ends_old[i1], ends_old[i2], tag, ends_new[j1], ends_new[j2])
                )
        self._starts = [block[0] for block in self.blocks]
        for k, (first, last, tag, _, _) in enumerate(self.blocks):
            if tag == "delete":
                self.slides.append(self._slide(k, first, last))

    def _slide(self, k: int, first: int, last: int) -> tuple[int, int, int, int]:
        """How far deletion *k* (old ``[first, last)``) slides into the equal text
        on either side."""
        old, blocks = self.old, self.blocks
        floor = blocks[k - 1][0] if k and blocks[k - 1][2] == "equal" else first
        ceiling = (
            blocks[k + 1][1]
            if k + 1 < len(blocks) and blocks[k + 1][2] == "equal"
            else last
        )
        left = 0
        while first - left > floor and old[first - left - 1] == old[last - left - 1]:
            left += 1
        right = 0
        while last + right < ceiling and old[first + right] == old[last + right]:
            right += 1
        return first - left, last + right, first + right, last - left

    def _block(self, offset: int) -> tuple[int, int, str, int, int]:
        return self.blocks[bisect.bisect_right(self._starts, offset) - 1]

    def _touched(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b, _, _ in self.slides)

    def kept_at(self, start: int, end: int) -> int | None:
        """The new offset of old ``[start, end)`` if one equal block holds it and
        no deletion may slide over it."""
        first, last, tag, new_start, _ = self._block(start)
        if tag == "equal" and end <= last and not self._touched(start, end):
            return new_start + start - first
        return None

    def deleted(self, start: int, end: int) -> bool:
        """Whether every slide of one deletion covers old ``[start, end)``."""
        return any(a <= start and end <= b for _, _, a, b in self.slides)

    def ambiguous(self, start: int, end: int) -> bool:
        """Whether the plain alignment would judge the passage (kept or deleted) but
        a slide of a deletion makes that uncertain."""
        _, last, tag, _, _ = self._block(start)
        plain = tag in ("equal", "delete") and end <= last
        return (
            plain and self.kept_at(start, end) is None and not self.deleted(start, end)
        )

    def image(self, start: int, end: int) -> tuple[int, int]:
        """Where difflib's alignment puts old ``[start, end)`` in the new text (an
        end inside a change takes in all of its new side)."""
        first, _, tag, new_first, new_last = self._block(start)
        new_start = new_first + start - first if tag == "equal" else new_first
        first, _, tag, new_first, new_last = self._block(end - 1)
        new_end = new_first + end - first if tag == "equal" else new_last
        return new_start, new_end

    def mostly_kept(self, start: int, end: int) -> bool:
        """Whether at least half of the passage's non-space characters lie in equal
        blocks, out of reach of any deletion's slide."""
        kept = 0
        for first, last, tag, _, _ in self.blocks:
            if tag == "equal" and first < end and last > start:
                for offset in range(max(first, start), min(last, end)):
                    kept += not self.old[offset].isspace() and not self._touched(
                        offset, offset + 1
                    )
        passage = self.old[start:end]
        return 2 * kept >= len(passage) - sum(map(str.isspace, passage))


def _ends(words: list[str]) -> list[int]:
    """Character offset where each word starts, and the text's length last."""
    offsets = [0]
    for word in words:
        offsets.append(offsets[-1] + len(word))
    return offsets


def place_annotations(
    sections: list[str], count: int, rng: random.Random
) -> list[tuple[int, Anchor]]:
    """*count* (section index, anchor) at random passages of 20–300 characters."""
    usable = [k for k, text in enumerate(sections) if len(text.strip()) >= MIN_LENGTH]
    weights = [len(sections[k]) for k in usable]
    placed: list[tuple[int, Anchor]] = []
    while len(placed) < count:
        k = rng.choices(usable, weights)[0]
        text = sections[k]
        size = min(rng.randint(MIN_LENGTH, MAX_LENGTH), len(text))
        start = rng.randint(0, len(text) - size)
        if text[start : start + size].strip():
            placed.append((k, anchor_for_offsets(text, start, start + size)))
    return placed


# --- one document --------------------------------------------------------------------


@dataclass
class Row:
    name: str
    kb: str
    annotations: int = 0
    ms: float = 0.0
    outcomes: Counter[str] = field(default_factory=Counter)
    searched: int = 0
    kept: int = 0
    kept_ok: int = 0
    deleted: int = 0
    deleted_ok: int = 0
    misplaced: int = 0
    lost: int = 0
    ambiguous: int = 0
    #: With ``fuzzy=True``: passages placed by the approximate search, and those of
    #: them placed away from where difflib's alignment puts them.
    fuzzy_placed: int = 0
    fuzzy_elsewhere: int = 0
    fuzzy_examples: list[tuple[str, str]] = field(default_factory=list)
    naive_ms: float = 0.0
    naive_found: int = 0
    naive_misplaced: int = 0
    naive_lost: int = 0


def _judge(
    truth: Truth, anchor: Anchor, outcome: Outcome, placed_at: int | None, text: str
) -> tuple[bool, bool]:
    """(misplaced, lost) for one result (see the module docstring)."""
    start, end = anchor.position.start, anchor.position.end
    exact = anchor.quote.exact
    if outcome is Outcome.ORPHANED:
        return False, truth.mostly_kept(start, end)
    if outcome is Outcome.EXACT and text != exact:
        return True, False
    if truth.deleted(start, end) and exact not in truth.new:
        return True, False
    kept_at = truth.kept_at(start, end)
    return kept_at is not None and placed_at != kept_at, False


def _naive(new: str, anchors: list[Anchor]) -> list[int]:
    return [new.find(anchor.quote.exact) for anchor in anchors]


def _median_ms(function: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(
    name: str, old_text: str, new_text: str, count: int, runs: int, whole: bool
) -> Row:
    if whole:
        old_sections, new_sections = [old_text], [new_text]
        pairs: list[tuple[int | None, int | None]] = [(0, 0)]
    else:
        old_sections, new_sections = split_sections(old_text), split_sections(new_text)
        pairs = match_sections(old_sections, new_sections)
    new_of = {
        i: ("" if j is None else new_sections[j]) for i, j in pairs if i is not None
    }
    rng = random.Random(f"{SEED}:{name}")
    by_section: dict[int, list[Anchor]] = defaultdict(list)
    for k, anchor in place_annotations(old_sections, count, rng):
        by_section[k].append(anchor)
    work = [(old_sections[k], new_of[k], anchors) for k, anchors in by_section.items()]

    results: list[list[Reanchored]] = []
    found: list[list[int]] = []

    def ours() -> None:
        results[:] = [reanchor_many(old, new, anchors) for old, new, anchors in work]

    def naive() -> None:
        found[:] = [_naive(new, anchors) for _, new, anchors in work]

    row = Row(
        name, f"{len(old_text.encode()) / 1024:.0f}→{len(new_text.encode()) / 1024:.0f}"
    )
    row.ms = _median_ms(ours, runs)
    row.naive_ms = _median_ms(naive, runs)
    for (old, new, anchors), ours_, naive_ in zip(work, results, found, strict=True):
        truth = Truth(old, new)
        for anchor, result, at in zip(anchors, ours_, naive_, strict=True):
            _count(row, truth, anchor, result, at)
        for anchor, result in zip(
            anchors, reanchor_many(old, new, anchors, fuzzy=True), strict=True
        ):
            if result.method == "fuzzy" and result.outcome is Outcome.CHANGED:
                assert result.anchor is not None
                placed = result.anchor.position
                image = truth.image(anchor.position.start, anchor.position.end)
                row.fuzzy_placed += 1
                row.fuzzy_examples.append(
                    (anchor.quote.exact, result.anchor.quote.exact)
                )
                row.fuzzy_elsewhere += not (
                    placed.start < image[1] and image[0] < placed.end
                )
    return row


def _count(row: Row, truth: Truth, anchor: Anchor, result: Reanchored, at: int) -> None:
    start, end = anchor.position.start, anchor.position.end
    exact = anchor.quote.exact
    row.annotations += 1
    row.outcomes[result.outcome] += 1
    row.searched += result.method == "fuzzy"
    row.ambiguous += truth.ambiguous(start, end)
    placed = result.anchor.position.start if result.anchor else None
    text = result.anchor.quote.exact if result.anchor else ""
    misplaced, lost = _judge(truth, anchor, result.outcome, placed, text)
    row.misplaced += misplaced
    row.lost += lost
    kept_at = truth.kept_at(start, end)
    if kept_at is not None:
        row.kept += 1
        row.kept_ok += result.outcome is Outcome.EXACT and placed == kept_at
    if truth.deleted(start, end) and exact not in truth.new:
        row.deleted += 1
        row.deleted_ok += result.outcome is Outcome.ORPHANED
    naive_outcome = Outcome.EXACT if at >= 0 else Outcome.ORPHANED
    row.naive_found += at >= 0
    misplaced, lost = _judge(
        truth, anchor, naive_outcome, at if at >= 0 else None, exact
    )
    row.naive_misplaced += misplaced
    row.naive_lost += lost


# --- the table -----------------------------------------------------------------------

COLUMNS = [
    ("pair", 28),
    ("KB v1→v2", 9),
    ("ann.", 6),
    ("ms", 7),
    ("exact", 6),
    ("changed", 8),
    ("orphan", 7),
    ("search", 7),
    ("kept ✓", 11),
    ("deleted ✓", 10),
    ("misplaced", 10),
    ("lost", 5),
    ("│ naive ms", 10),
    ("found", 6),
    ("misplaced", 10),
    ("lost", 5),
]


def _cells(row: Row) -> list[str]:
    return [
        row.name,
        row.kb,
        str(row.annotations),
        f"{row.ms:.0f}",
        str(row.outcomes[Outcome.EXACT]),
        str(row.outcomes[Outcome.CHANGED]),
        str(row.outcomes[Outcome.ORPHANED]),
        str(row.searched),
        f"{row.kept_ok}/{row.kept}",
        f"{row.deleted_ok}/{row.deleted}",
        str(row.misplaced),
        str(row.lost),
        f"│ {row.naive_ms:.1f}",
        str(row.naive_found),
        str(row.naive_misplaced),
        str(row.naive_lost),
    ]


def _total(rows: list[Row]) -> Row:
    total = Row("total", "")
    for row in rows:
        for name in Row.__dataclass_fields__:
            value = getattr(row, name)
            if isinstance(value, int | float) and name not in ("name", "kb"):
                setattr(total, name, getattr(total, name) + value)
        total.outcomes.update(row.outcomes)
    return total


def _print_table(rows: list[Row]) -> None:
    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) if k == 0 else cell.rjust(width)
            for k, ((_, width), cell) in enumerate(zip(COLUMNS, cells, strict=True))
        )

    header = line([name for name, _ in COLUMNS])
    print(header)
    print("-" * len(header))
    for row in rows:
        print(line(_cells(row)))
    print("-" * len(header))
    print(line(_cells(_total(rows))))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--annotations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=REALDOCS)
    parser.add_argument("--whole", action="store_true", help="each file is one text")
    parser.add_argument(
        "--show-fuzzy",
        action="store_true",
        help="list what the opt-in approximate search placed, old → new",
    )
    args = parser.parse_args()

    documents: list[tuple[str, str, str]] = []
    if args.corpus.is_dir():
        for old_path in sorted(args.corpus.glob("*.v1.txt")):
            new_path = old_path.with_name(old_path.name.replace(".v1.", ".v2."))
            if new_path.exists():
                name = old_path.name.removesuffix(".v1.txt")
                documents.append(
                    (
                        name,
                        old_path.read_text(encoding="utf-8"),
                        new_path.read_text(encoding="utf-8"),
                    )
                )
    if not documents:
        print(f"{args.corpus} is missing or empty: a generated pair is used instead.\n")
        old, new = generate_programme(_vocabulary(args.corpus), SEED)
        documents.append(("generated (500 §, 5% words)", old, new))

    rows = [
        measure(name, old, new, args.annotations, args.runs, args.whole)
        for name, old, new in documents
    ]
    _print_table(rows)
    unit = "whole files" if args.whole else "sections as the app stores them"
    ambiguous = sum(row.ambiguous for row in rows)
    print(
        f"\n{args.annotations} annotations per pair on {unit}; ms: median of "
        f"{args.runs} runs, diffs included; search: found by the fallback search; "
        "kept/deleted: the difflib truth (see --help); naive: new.find(exact); "
        "left unjudged because a deletion next to them can slide over repeated "
        f"text: {ambiguous}."
    )
    print(
        "Opt-in approximate search (fuzzy=True), same annotations: "
        f"{sum(row.fuzzy_placed for row in rows)} more placed as changed, "
        f"{sum(row.fuzzy_elsewhere for row in rows)} of them away from where "
        "difflib's alignment puts the passage (a look-alike, or a move)."
    )
    if args.show_fuzzy:
        for row in rows:
            for old_exact, new_exact in row.fuzzy_examples:
                print(f"  {row.name}: {old_exact!r}")
                print(f"  {' ' * len(row.name)}→ {new_exact!r}")
    # The target, measured: 10,000 annotations over the same pairs.
    per_pair = -(-TARGET_ANNOTATIONS // len(documents))
    big = [
        measure(name, old, new, per_pair, args.runs, args.whole)
        for name, old, new in documents
    ]
    seconds = sum(row.ms for row in big) / 1000
    misplaced = sum(row.misplaced for row in big)
    met = seconds < TARGET_SECONDS and misplaced == 0
    annotations = sum(row.annotations for row in big)
    print(
        f"\nTarget: {TARGET_ANNOTATIONS:,} annotations re-anchored in under "
        f"{TARGET_SECONDS:.0f} s; zero misplaced — {'met' if met else 'NOT met'} "
        f"({annotations:,} annotations in {seconds:.2f} s, {misplaced} misplaced; "
        f"naive: {sum(row.naive_ms for row in big) / 1000:.2f} s, "
        f"{sum(row.naive_misplaced for row in big)} misplaced, "
        f"{sum(row.naive_lost for row in big)} lost)"
    )


if __name__ == "__main__":
    main()
