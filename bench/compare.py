"""Compare timings: our word diff against git's word diff and Python's difflib.

Run: ``.venv/bin/python bench/compare.py [--runs 7] [--difflib-budget 60]
[--corpus DIR]``. Prints one table, then the targets from the issue and whether each
is met.

Documents: every pair ``X.v1.txt`` / ``X.v2.txt`` in the corpus folder (by default
``/work/shared/corpus/realdocs``; the script says so and goes on if it is missing)
and a generated programme of ~1 MB with 500 sections and 5% of its words edited,
made with a fixed seed from the word forms of the Polish document.

Words changed are counted the same way for all three tools: the ``\\w+`` words
(:func:`wpw.text.diff.count_words`) in the text each tool marks as removed or added.
What differs is each tool's unit of change, and that is part of what the table
shows: ours changes tokens (``Gerichte[^[-96-]{+97+}]`` changes two words, and
``ustawy,`` → ``ustawy;`` none); git's word-diff changes whole whitespace-separated
words (``-Gerichte[^96]`` ``+Gerichte[^97]``: four) inside line-based hunks; difflib
matches whitespace-separated words over the whole file. Ours counted in git's unit
(every whitespace-separated word it touches) differs from ours by at most 4% on the
corpus, so the unit explains little of the gaps; alignment does. Git word-diffs
each changed block of lines with xdiff's Myers and its cost heuristics, which on a
long rewritten block give up on the best alignment: in the Polish preamble it
removes Art. 98's paragraph and adds Art. 61's (some 300 words) where ours shows
``przed [-organami, które przejęły-]{+organem, który przejął+} zadania`` — git's
count is a reference, not the truth. The column "fewest possible" gives the floor:
the words outside a longest common subsequence of the two texts' whitespace-separated
words (git's unit), for the whole files and for the same section pairs as ours — no
word diff in that unit can mark fewer (ours, with its finer tokens, can: a changed
footnote number is one word of ``Gerichte[^96]``). On the Polish pair, ours is at
that floor and git 24% above it.

Ours compares section by section, as the app does; git and difflib compare the whole
files. Text that moved from one section into another (the letters at the end of the
Liechtenstein constitution, now under new headings) is removed and added for ours
and unchanged for git, so the column "git, same sections" gives git's count when it
is given the same section pairs as ours, one by one (not timed).

Sections, as the app stores them. A line starts a section when it is
- a Markdown heading (``#`` to ``######``, a space, then a capital letter, a digit or
  ``§``) — lower-case "headings" in the Argentine file are wrapped sentences,
  e.g. ``##### artículo 21 de la ley y de las directivas``;
- a bold article label, ``**ARTICULO`` / ``**Artículo`` (how the Argentine file marks
  its articles);
- the first footnote definition (``[^12]: …``): the footnotes at the end of the
  Liechtenstein file are a section of their own, not part of the last article.
Lines before the first heading (the front matter) are section 0; the sections join
back into the whole file. Sections are matched by heading, ignoring footnote marks
and Markdown emphasis (difflib over the heading list, which is short); headings that
changed are paired in order, and sections left over are compared with "".

Measured over ``--runs`` rounds after one unmeasured round; in each round ours and
git's run in turn, the same number of times, so that both see the same load on a
shared machine — a fair comparison, and the ratio is taken per round (ours ÷ git in
the same round) and reported as the median with its quartiles, which a burst of load
on the machine moves far less than a ratio of two separate medians:
- ours cold: ``diff_text`` on every section pair, no cache (the interpreter is warm;
  "cold" means no stored result, so every round starts from nothing) — the whole
  document is the sum of its sections; wall time, and CPU time (``process_time``).
  Splitting the files into sections and matching them is timed apart ("split ms"):
  the app stores sections and matches them by identity, so its comparison does
  neither;
- ours warm: the same pairs served from a dict keyed by (old section id, new section
  id) holding the TextDiff, as the app caches per version pair;
- git: ``git diff --no-index --word-diff=porcelain`` on the two whole files
  (process start included: ``git --version`` alone is printed for scale); wall time,
  and CPU time (the child's user + system time); words changed are the ``\\w+`` in
  its ``+``/``-`` lines;
- difflib: ``SequenceMatcher(None, a, b, autojunk=False)`` over the words of the two
  whole files split at whitespace (git's word unit; over our finer tokens, where
  every space is a token, it took 90 s on the Polish pair), in a child process
  stopped after ``--difflib-budget`` seconds; words changed are the ``\\w+`` in its
  replace/insert/delete spans.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wpw.text.diff import (  # noqa: E402
    TextDiff,
    _lcs_diff,
    count_words,
    diff_text,
    tokenize,
)

REALDOCS = Path("/work/shared/corpus/realdocs")
SEED = 20261126
GENERATED_SECTIONS = 500
GENERATED_SECTION_BYTES = 1_860  # × 500 ≈ 1 MB
EDITED_WORDS = 0.05

_HEADING = re.compile(
    r"#{1,6} +(?=[^\W\d_a-zßàáâãäåçèéêëìíîïñòóôõöùúûüýÿąćęłńóśźż]|[§\d])"
    r"|\*\*(?:ARTICULO|ARTÍCULO|Articulo|Artículo)\b"
)
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:")
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]]+\]")
# Used only when the Polish document is missing.
_FALLBACK_TEXT = """
organizacji pozarządowych podmiotów działalności pożytku publicznego zadań publicznych
współpracy samorządu województwa gminy miasta programu realizacji środków finansowych
dotacji konkursu ofert wolontariuszy mieszkańców rady komisji sprawozdania oceny celów
priorytetów zakresie rzecz ochrony zdrowia kultury sportu edukacji pomocy społecznej
ekologii bezpieczeństwa młodzieży
"""


# --- documents and sections ------------------------------------------------------


def split_sections(text: str) -> list[str]:
    """Cut *text* into sections at heading lines (see the module docstring)."""
    sections: list[list[str]] = [[]]
    footnotes_seen = False
    for line in text.split("\n"):
        starts = bool(_HEADING.match(line))
        if not footnotes_seen and _FOOTNOTE.match(line):
            starts = footnotes_seen = True
        if starts and sections[-1]:
            sections.append([])
        sections[-1].append(line)
    return ["\n".join(lines) for lines in sections]


def _heading_key(section: str) -> str:
    line = section.split("\n", 1)[0]
    if _FOOTNOTE.match(line):
        return "[footnotes]"
    line = _FOOTNOTE_MARK.sub("", line).replace("*", "").strip("# ")
    return " ".join(line.split())


def match_sections(
    old: list[str], new: list[str]
) -> list[tuple[int | None, int | None]]:
    """Pairs of (old index, new index); None on one side for an added/removed one."""
    matcher = difflib.SequenceMatcher(
        None, [_heading_key(s) for s in old], [_heading_key(s) for s in new], False
    )
    pairs: list[tuple[int | None, int | None]] = []
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        common = min(i2 - i1, j2 - j1)
        pairs += [(i1 + k, j1 + k) for k in range(common)]
        pairs += [(i, None) for i in range(i1 + common, i2)]
        pairs += [(None, j) for j in range(j1 + common, j2)]
    return pairs


def generate_programme(vocabulary: list[str], seed: int) -> tuple[str, str]:
    """A programme of ~1 MB in 500 sections, and a version with 5% of words edited."""
    rng = random.Random(seed)

    def words(n: int) -> str:
        chosen = [rng.choice(vocabulary) for _ in range(n)]
        for k in range(len(chosen) - 1):
            if rng.random() < 0.08:
                chosen[k] += ","
        return " ".join(chosen)

    lines: list[str] = []
    for number in range(1, GENERATED_SECTIONS + 1):
        lines += [f"##### § {number}. {words(rng.randint(2, 6)).capitalize()}", ""]
        size, paragraph = 0, 1
        while size < GENERATED_SECTION_BYTES:
            sentences = [
                words(rng.randint(6, 24)).capitalize() + "."
                for _ in range(rng.randint(1, 4))
            ]
            text = f"{paragraph}. " + " ".join(sentences)
            lines += [text, ""]
            size += len(text.encode()) + 2
            paragraph += 1
    old = "\n".join(lines)
    return old, _edit(old, vocabulary, rng)


def _edit(text: str, vocabulary: list[str], rng: random.Random) -> str:
    """Replace (60%), delete (20%) or add a word after (20%) 5% of body words."""
    out: list[str] = []
    for line in text.split("\n"):
        if line.startswith("#"):
            out.append(line)
            continue
        tokens = tokenize(line)
        edited: list[str] = []
        skip_space = False
        for token in tokens:
            if skip_space and token.isspace():
                skip_space = False
                continue
            skip_space = False
            if not token[0].isalnum() or rng.random() >= EDITED_WORDS:
                edited.append(token)
                continue
            roll = rng.random()
            if roll < 0.6:
                edited.append(rng.choice(vocabulary))
            elif roll < 0.8:
                skip_space = True
            else:
                edited += [token, " ", rng.choice(vocabulary)]
        out.append("".join(edited))
    return "\n".join(out)


def _vocabulary(corpus: Path) -> list[str]:
    polish = sorted(corpus.glob("pl-*.v1.txt")) if corpus.is_dir() else []
    if not polish:
        return _FALLBACK_TEXT.split()
    text = polish[0].read_text(encoding="utf-8")
    # Word forms as they occur (repeats kept, so common words stay common).
    return [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]


# --- measurements ------------------------------------------------------------------


@dataclass
class Row:
    name: str
    kb: str
    sections: str
    cold_ms: float
    warm_ms: float
    git_ms: float
    #: Median and quartiles of ours cold ÷ git, round by round (wall time).
    ratio: tuple[float, float, float]
    cold_cpu_ms: float
    git_cpu_ms: float
    difflib_ms: float | None  # None: over budget
    ours_words: int
    git_words: int
    #: git's count when it compares the same section pairs as ours, one by one.
    git_section_words: int
    #: Splitting both files into sections and matching them (not in cold_ms).
    split_ms: float
    difflib_words: int | None
    fallbacks: int
    #: The fewest words any diff in git's unit must mark changed: a longest common
    #: subsequence of the whitespace-separated words of the whole files (None: too
    #: long to compute), and of each section pair, summed.
    fewest_words: int | None
    fewest_section_words: int


@dataclass
class Timing:
    """Wall and CPU milliseconds of each measured round of one function."""

    wall: list[float]
    cpu: list[float]

    @property
    def wall_ms(self) -> float:
        return statistics.median(self.wall)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu)


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (git)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _interleaved(functions: list[Callable[[], object]], runs: int) -> list[Timing]:
    """Wall and CPU time of each function per round, run in turn so that all see
    the same load (the machine is shared); one unmeasured round first."""
    timings = [Timing([], []) for _ in functions]
    for round_ in range(runs + 1):
        for function, timing in zip(functions, timings, strict=True):
            cpu = _cpu_seconds()
            start = time.perf_counter()
            function()
            if round_:
                timing.wall.append((time.perf_counter() - start) * 1000)
                timing.cpu.append((_cpu_seconds() - cpu) * 1000)
    return timings


def _ratio(ours: list[float], theirs: list[float]) -> tuple[float, float, float]:
    """Median and quartiles of ours ÷ theirs, round by round."""
    ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
    if len(ratios) < 2:
        return ratios[0], ratios[0], ratios[0]
    low, middle, high = statistics.quantiles(ratios, n=4)
    return middle, low, high


def measure(name: str, old_path: Path, new_path: Path, runs: int, budget: float) -> Row:
    old_text = old_path.read_text(encoding="utf-8")
    new_text = new_path.read_text(encoding="utf-8")
    split_times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        old_sections, new_sections = split_sections(old_text), split_sections(new_text)
        pairs = match_sections(old_sections, new_sections)
        split_times.append((time.perf_counter() - start) * 1000)
    assert "\n".join(old_sections) == old_text and "\n".join(new_sections) == new_text
    texts = [
        (
            old_sections[i] if i is not None else "",
            new_sections[j] if j is not None else "",
        )
        for i, j in pairs
    ]
    keys = [(("v1", i), ("v2", j)) for i, j in pairs]

    cache: dict[tuple[tuple[str, int | None], tuple[str, int | None]], TextDiff] = {}

    def cold() -> None:
        for key, (old, new) in zip(keys, texts, strict=True):
            cache[key] = diff_text(old, new)

    def warm() -> int:
        total = 0
        for key in keys:
            result = cache[key]
            total += result.words_added + result.words_removed
        return total

    git = _Git(old_path, new_path)
    cold_time, warm_time, git_time = _interleaved([cold, warm, git.run], runs)
    results = list(cache.values())
    difflib_ms, difflib_words = _difflib(old_path, new_path, budget)
    changed = sum(old != new for old, new in texts)
    return Row(
        name=name,
        kb=f"{old_path.stat().st_size / 1024:.0f}→{new_path.stat().st_size / 1024:.0f}",
        sections=f"{len(pairs)} ({changed} differ)",
        cold_ms=cold_time.wall_ms,
        warm_ms=warm_time.wall_ms,
        git_ms=git_time.wall_ms,
        ratio=_ratio(cold_time.wall, git_time.wall),
        cold_cpu_ms=cold_time.cpu_ms,
        git_cpu_ms=git_time.cpu_ms,
        difflib_ms=difflib_ms,
        ours_words=warm(),
        git_words=git.words_changed(),
        git_section_words=_git_section_words(texts),
        split_ms=statistics.median(split_times),
        difflib_words=difflib_words,
        fallbacks=sum(result.fallback for result in results),
        fewest_words=_fewest_words(old_text, new_text),
        fewest_section_words=sum(_fewest_words(old, new) or 0 for old, new in texts),
    )


class _Git:
    """``git diff --no-index --word-diff=porcelain`` on two files."""

    def __init__(self, old_path: Path, new_path: Path) -> None:
        self.command = [
            "git",
            "diff",
            "--no-index",
            "--no-color",
            "--no-ext-diff",
            "--diff-algorithm=myers",
            "--word-diff=porcelain",
            str(old_path),
            str(new_path),
        ]
        self.output = ""

    def run(self) -> None:
        done = subprocess.run(self.command, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):  # 1: the files differ
            raise RuntimeError(done.stderr)
        self.output = done.stdout

    def words_changed(self) -> int:
        """The \\w+ words in the ``+`` and ``-`` lines of the last run's hunks."""
        words = 0
        in_hunks = False
        for line in self.output.split("\n"):
            if line.startswith("@@"):
                in_hunks = True
            elif in_hunks and line[:1] in ("+", "-"):
                words += count_words(line[1:])
        return words


def _git_section_words(texts: list[tuple[str, str]]) -> int:
    """Words git's word diff changes when given the same section pairs as ours,
    one pair at a time: the count on equal terms, where text that moved from one
    section into another counts as removed and added for both (not timed)."""
    words = 0
    with tempfile.TemporaryDirectory() as tmp:
        old_path, new_path = Path(tmp, "old.txt"), Path(tmp, "new.txt")
        for old, new in texts:
            if old == new:
                continue
            old_path.write_text(old, encoding="utf-8")
            new_path.write_text(new, encoding="utf-8")
            git = _Git(old_path, new_path)
            git.run()
            words += git.words_changed()
    return words


#: Whole files longer than this many words (either side) get no "fewest" count: the
#: bit-parallel LCS keeps one row of bits per word, 23,000² bits ≈ 66 MB at most.
_FEWEST_MAX_WORDS = 30_000


def _fewest_words(old: str, new: str) -> int | None:
    """The fewest \\w+ words a word diff in git's unit (whitespace-separated words)
    must mark removed or added to turn *old* into *new*: those outside a longest
    common subsequence of the two texts' words (our :func:`_lcs_diff`, an exact
    LCS). Not any tool's answer — the floor every tool's count stands on. None when
    a text is too long for it (not timed)."""
    if old == new:
        return 0
    old_words, new_words = old.split(), new.split()
    if max(len(old_words), len(new_words)) > _FEWEST_MAX_WORDS:
        return None
    if not old_words or not new_words:
        return sum(map(count_words, old_words + new_words))
    vocabulary = list(dict.fromkeys(old_words + new_words))
    codes = {word: chr(code) for code, word in enumerate(vocabulary)}
    pieces = _lcs_diff(
        "".join(map(codes.__getitem__, old_words)),
        "".join(map(codes.__getitem__, new_words)),
    )
    return sum(
        count_words(vocabulary[ord(code)])
        for kind, codes_ in pieces
        if kind != 0  # 0: equal
        for code in codes_
    )


def _difflib(
    old_path: Path, new_path: Path, budget: float
) -> tuple[float | None, int | None]:
    command = [
        sys.executable,
        __file__,
        "--difflib-worker",
        str(old_path),
        str(new_path),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=budget, check=True
        )
    except subprocess.TimeoutExpired:
        return None, None
    result = json.loads(done.stdout)
    return result["ms"], result["words"]


def _difflib_worker(old_path: str, new_path: str) -> None:
    start = time.perf_counter()
    old = Path(old_path).read_text(encoding="utf-8").split()
    new = Path(new_path).read_text(encoding="utf-8").split()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    words = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            words += sum(count_words(t) for t in old[i1:i2])
            words += sum(count_words(t) for t in new[j1:j2])
    ms = (time.perf_counter() - start) * 1000
    print(json.dumps({"ms": ms, "words": words}))


# --- report ------------------------------------------------------------------------


def _print_table(rows: list[Row], budget: float) -> None:
    header = (
        "document",
        "size KB",
        "sections",
        "ours cold ms",
        "git ms",
        "ours ÷ git [q1–q3]",
        "CPU ms ours / git",
        "ours warm ms",
        "difflib ms",
        "words changed ours / git / difflib",
        "git, same sections",
        "fewest possible: files / sections",
        "split ms",
        "ours fallback sections",
    )
    lines = [
        (
            row.name,
            row.kb,
            row.sections,
            f"{row.cold_ms:.1f}",
            f"{row.git_ms:.1f}",
            f"{row.ratio[0]:.2f}× [{row.ratio[1]:.2f}–{row.ratio[2]:.2f}]",
            f"{row.cold_cpu_ms:.1f} / {row.git_cpu_ms:.1f}",
            f"{row.warm_ms:.3f}",
            f"> {budget:.0f} s" if row.difflib_ms is None else f"{row.difflib_ms:.0f}",
            f"{row.ours_words} / {row.git_words} / "
            + ("–" if row.difflib_words is None else str(row.difflib_words)),
            str(row.git_section_words),
            ("–" if row.fewest_words is None else str(row.fewest_words))
            + f" / {row.fewest_section_words}",
            f"{row.split_ms:.1f}",
            str(row.fallbacks),
        )
        for row in rows
    ]
    widths = [
        max(len(line[k]) for line in [header, *lines]) for k in range(len(header))
    ]
    for k, line in enumerate([header, *lines]):
        cells = [
            cell.ljust(width) if c == 0 else cell.rjust(width)
            for c, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        print(" | ".join(cells))
        if k == 0:
            print("-+-".join("-" * width for width in widths))


def _print_targets(rows: list[Row]) -> None:
    print(
        "\nTargets (issue): cold whole-programme comparison of the Polish pair within"
    )
    print(
        "2× of git's time, warm under 20 ms, words reported changed within 10% of git's"
    )
    print(
        "count (each pair, and all pairs together; beside it git on the same "
        "sections and the fewest words possible, for reference)."
    )
    checks: list[tuple[str, bool]] = []
    polish = next((row for row in rows if row.name.startswith("pl-")), None)
    if polish is None:
        print("  time not measured: no Polish pair measured")
    else:
        ratio, low, high = polish.ratio
        cpu = polish.cold_cpu_ms / polish.git_cpu_ms if polish.git_cpu_ms else 0.0
        checks += [
            (
                f"{polish.name}: cold {polish.cold_ms:.1f} ms, git "
                f"{polish.git_ms:.1f} ms: {ratio:.2f}× per round (quartiles "
                f"{low:.2f}–{high:.2f}; CPU time {cpu:.2f}×)",
                ratio <= 2,
            ),
            (f"{polish.name}: warm {polish.warm_ms:.3f} ms", polish.warm_ms < 20),
        ]
    for row in rows:
        words = _relative(row.ours_words, row.git_words)
        same = _relative(row.ours_words, row.git_section_words)
        floor = row.fewest_section_words
        checks.append(
            (
                f"{row.name}: words {row.ours_words} vs git {row.git_words} = "
                f"{words:+.0%} (git on the same sections: {same:+.0%}); above the "
                f"fewest possible on the same sections ({floor}): ours "
                f"{_relative(row.ours_words, floor):+.0%}, git "
                f"{_relative(row.git_section_words, floor):+.0%}",
                abs(words) <= 0.10,
            )
        )
    ours = sum(row.ours_words for row in rows)
    git = sum(row.git_words for row in rows)
    checks.append(
        (
            f"all pairs together: words {ours} vs git {git} = "
            f"{_relative(ours, git):+.0%}",
            abs(_relative(ours, git)) <= 0.10,
        )
    )
    for text, met in checks:
        print(f"  {'met    ' if met else 'NOT met'}  {text}")


def _relative(ours: int, theirs: int) -> float:
    return ours / theirs - 1 if theirs else 0.0


def _git_start_ms(runs: int) -> float:
    """Median wall time of ``git --version``: what git's column pays to start."""
    times: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(["git", "--version"], capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--difflib-worker":
        _difflib_worker(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--difflib-budget", type=float, default=60.0)
    parser.add_argument("--corpus", type=Path, default=REALDOCS)
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="measure only the documents whose name contains TEXT "
        "(the generated one is named 'generated')",
    )
    args = parser.parse_args()

    def wanted(name: str) -> bool:
        return args.only is None or args.only in name

    rows: list[Row] = []
    if args.corpus.is_dir():
        for old_path in sorted(args.corpus.glob("*.v1.txt")):
            new_path = old_path.with_name(old_path.name.replace(".v1.", ".v2."))
            if new_path.exists():
                name = old_path.name.removesuffix(".v1.txt")
                if not wanted(name):
                    continue
                rows.append(
                    measure(name, old_path, new_path, args.runs, args.difflib_budget)
                )
    else:
        print(f"{args.corpus} is missing: only the generated programme is measured.\n")
    generated = "generated (500 §, 5% words)"
    if wanted(generated):
        with tempfile.TemporaryDirectory() as tmp:
            old, new = generate_programme(_vocabulary(args.corpus), SEED)
            old_path = Path(tmp, "generated.v1.txt")
            new_path = Path(tmp, "generated.v2.txt")
            old_path.write_text(old, encoding="utf-8")
            new_path.write_text(new, encoding="utf-8")
            rows.append(
                measure(generated, old_path, new_path, args.runs, args.difflib_budget)
            )
    _print_table(rows, args.difflib_budget)
    print(
        f"\nMedian of {args.runs} interleaved rounds; ours ÷ git per round, median "
        "[quartiles]; size KB old→new; sections compared (of which differ); difflib "
        f"in a child process with a budget. git --version alone: "
        f"{_git_start_ms(args.runs):.1f} ms."
    )
    _print_targets(rows)


if __name__ == "__main__":
    main()
