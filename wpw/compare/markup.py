"""The markup of word diffs — insertions, deletions and aligned lines — built in
Python for the comparison page.

A comparison of the whole programme holds thousands of ops and hundreds of aligned
lines. As Jinja macros (one call per op, per line side and per trace marker), they
cost more than the rest of the page together (~1,700 macro calls on the demo's
side-by-side page); here they are string joins. The markup is the one the page's
macros wrote (``templates/compare/_diff.html`` keeps the rest of the page): each
insertion and deletion carries visually hidden words for screen readers, a line
break inside one is shown as a pilcrow, and every text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from wpw.compare.tracing import HunkTrace, SectionTrace
from wpw.documents.models import Round
from wpw.text.diff import Op, SideBySideRow

_PILCROW = Markup('<span class="nl" aria-hidden="true">¶</span>\n')


@dataclass(frozen=True, slots=True)
class DiffMarkup:
    """The words a diff's markup says, translated once per page (see
    :meth:`translated`), and the methods that write it."""

    #: The markup opening and closing an insertion and a deletion, with the words
    #: screen readers say around them.
    ins_marks: tuple[str, str]
    del_marks: tuple[str, str]
    no_line: str
    empty_line: str
    no_annotations: str
    #: Messages filled per change or per line: "Zmiana %(n)d: %(why)s", "Wiersz
    #: %(n)d w rundzie %(r)d", "w. %(n)d", "w. %(a)d–%(b)d". Our own catalogue's
    #: (trusted, as a template trusts ``_()``); the values filled in are escaped.
    change_why: str
    line_in_round: str
    line_n: str
    lines_a_b: str
    #: "zmienione w odpowiedzi na N uwag" for N annotations.
    answer_label: Callable[[int], str]

    @classmethod
    def translated(cls, answer_label: Callable[[int], str]) -> DiffMarkup:
        """The markup's words in the current request's language."""
        return cls(
            ins_marks=_marks("ins", _("początek wstawienia"), _("koniec wstawienia")),
            del_marks=_marks("del", _("początek usunięcia"), _("koniec usunięcia")),
            no_line=_("brak wiersza"),
            empty_line=_("pusty wiersz"),
            no_annotations=_("zmiana bez uwag"),
            change_why=_("Zmiana %(n)d: %(why)s"),
            line_in_round=_("Wiersz %(n)d w rundzie %(r)d"),
            line_n=_("w. %(n)d"),
            lines_a_b=_("w. %(a)d–%(b)d"),
            answer_label=answer_label,
        )

    def inline(self, ops: Sequence[Op], trace: SectionTrace | None, key: str) -> Markup:
        """A section's diff as one block of text, a marker ``[n]`` after the last op
        of each changed passage that *trace* explains."""
        markers = trace.by_last_op if trace else None
        return Markup('<div class="diff-inline">%s</div>') % self.ops(ops, markers, key)

    def ops(
        self,
        ops: Iterable[Op],
        markers: Mapping[int, HunkTrace] | None = None,
        key: str = "",
    ) -> Markup:
        """*ops* as text with ``<ins>`` and ``<del>``; with *markers* (op index →
        hunk trace), a trace marker follows the op it names."""
        parts: list[str] = []
        for index, op in enumerate(ops):
            if op.kind == "equal":
                parts.append(escape(op.text))
            else:
                start, end = self.ins_marks if op.kind == "insert" else self.del_marks
                parts += (start, _marked(op.text), end)
            if markers and index in markers:
                parts.append(self.trace_marker(markers[index], key))
        return Markup("".join(parts))  # noqa: S704  (every text escaped above)

    def trace_marker(self, trace: HunkTrace, key: str) -> Markup:
        """The footnote-style ``[n]`` after a changed passage, linking to the note
        that says why it changed."""
        number = trace.hunk.number
        label = self.change_why % {"n": number, "why": escape(self.why(trace))}
        anchor = f"{escape(key)}-{number}"
        return Markup(  # noqa: S704  (escaped above)
            f'<sup class="trace-ref" id="r-{anchor}"><a href="#t-{anchor}" '
            f'aria-label="{label}">[{number}]</a></sup>'
        )

    def why(self, trace: HunkTrace) -> str:
        """Why a passage changed: "zmienione w odpowiedzi na N uwag", or that no
        annotation asked for it."""
        if trace.annotations:
            return self.answer_label(len(trace.annotations))
        return self.no_annotations

    def lines(self, span: tuple[int, int]) -> str:
        """A span of line numbers: "w. 4" or "w. 4–6"."""
        first, last = span
        if first == last:
            return self.line_n % {"n": first}
        return self.lines_a_b % {"a": first, "b": last}

    def side_rows(
        self,
        rows: Sequence[SideBySideRow],
        trace: SectionTrace | None,
        key: str,
        urls: tuple[str, str],
        rounds: tuple[Round, Round],
    ) -> Markup:
        """The table rows of a side-by-side comparison: on each side the line's
        number linking to it (*urls*: the section in each of *rounds*) and its
        text, or words saying why the cell is empty; trace markers on the new
        side."""
        old_url, new_url = urls
        old_round, new_round = rounds
        parts: list[str] = []
        for row in rows:
            markers = ""
            if trace:
                markers = "".join(
                    self.trace_marker(t, key)
                    for t in trace.markers(row.old_number, row.new_number)
                )
            parts += (
                f'\n    <tr class="row-{escape(row.kind)}">',
                self._side(old_url, old_round, row.old_number, row.old_ops),
                self._side(new_url, new_round, row.new_number, row.new_ops, markers),
                "\n    </tr>",
            )
        return Markup("".join(parts))  # noqa: S704  (every text escaped)

    def _side(
        self,
        url: str,
        round_: Round,
        number: int | None,
        ops: Sequence[Op],
        after: str = "",
    ) -> str:
        number_cell = ""
        if number:
            label = self.line_in_round % {"n": number, "r": round_.number}
            number_cell = (
                f'<a href="{escape(url)}#L{number}" aria-label="{label}">{number}</a>'
            )
        if number is None:
            text = f'<span class="visually-hidden">{escape(self.no_line)}</span>'
        elif not ops:
            text = f'<span class="visually-hidden">{escape(self.empty_line)}</span>'
        elif len(ops) == 1 and ops[0].kind == "equal":
            text = escape(ops[0].text)
        else:
            text = self.ops(ops)
        return (
            f'\n      <td class="ln">{number_cell}</td>'
            f'\n      <td class="lt">{text}{after}</td>'
        )


def _marks(tag: str, start: str, end: str) -> tuple[str, str]:
    """The opening and closing markup of an ``<ins>`` or ``<del>``."""
    return (
        f'<{tag}><span class="visually-hidden"> {escape(start)} </span>',
        f'<span class="visually-hidden"> {escape(end)} </span></{tag}>',
    )


def _marked(text: str) -> Markup:
    """*text* escaped, each line break in it shown as a pilcrow (hidden from screen
    readers, which hear the break)."""
    if "\n" not in text:
        return escape(text)
    return _PILCROW.join(text.split("\n"))
