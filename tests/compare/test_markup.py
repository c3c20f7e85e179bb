"""The diff's markup (wpw/compare/markup.py): escaped, announced to screen
readers, trace markers where the trace puts them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from wpw.compare.markup import DiffMarkup
from wpw.compare.tracing import Hunk, HunkTrace, SectionTrace, answer_label, find_hunks
from wpw.text.diff import Op, SideBySideRow, diff_text

EVIL = '<b>&"x"</b>'
ESCAPED = "&lt;b&gt;&amp;&#34;x&#34;&lt;/b&gt;"


@pytest.fixture
def markup(app) -> DiffMarkup:
    with app.test_request_context():
        return DiffMarkup.translated(answer_label)


def test_every_kind_of_op_is_escaped_and_announced(markup) -> None:
    html = markup.ops([Op("equal", EVIL), Op("delete", EVIL), Op("insert", EVIL)])
    assert "<b>" not in html
    assert html.count(ESCAPED) == 3
    assert (
        f'<del><span class="visually-hidden"> początek usunięcia </span>{ESCAPED}'
        '<span class="visually-hidden"> koniec usunięcia </span></del>'
    ) in html
    assert (
        f'<ins><span class="visually-hidden"> początek wstawienia </span>{ESCAPED}'
        '<span class="visually-hidden"> koniec wstawienia </span></ins>'
    ) in html


def test_a_line_break_inside_a_change_shows_a_pilcrow(markup) -> None:
    html = markup.ops([Op("equal", "a\nb"), Op("insert", "c\n<d>")])
    assert html.startswith("a\nb<ins>")  # kept text keeps its break, unmarked
    assert 'c<span class="nl" aria-hidden="true">¶</span>\n&lt;d&gt;' in html


def _trace(
    old: str, new: str, annotations: int = 0
) -> tuple[tuple[Op, ...], SectionTrace]:
    diff = diff_text(old, new)
    hunks = find_hunks(diff)
    traces = tuple(
        HunkTrace(hunk, annotations=[object()] * annotations if n == 0 else [])  # type: ignore[list-item]
        for n, hunk in enumerate(hunks)
    )
    return diff.ops, SectionTrace(traces)


def test_inline_markers_follow_each_changed_passage(markup) -> None:
    ops, trace = _trace("jeden dwa trzy cztery pięć", "jeden DWA trzy cztery PIĘĆ", 2)
    html = markup.inline(ops, trace, "k<1>")
    assert html.startswith('<div class="diff-inline">jeden ') and html.endswith(
        "</div>"
    )
    first = html.index('id="r-k&lt;1&gt;-1"')
    second = html.index('id="r-k&lt;1&gt;-2"')
    assert html.index("DWA") < first < html.index("trzy") < html.index("PIĘĆ") < second
    assert 'aria-label="Zmiana 1: zmienione w odpowiedzi na 2 uwagi"' in html
    assert 'aria-label="Zmiana 2: zmiana bez uwag"' in html
    assert '<a href="#t-k&lt;1&gt;-2"' in html


def test_side_rows_number_link_and_say_why_a_cell_is_empty(markup) -> None:
    rows = [
        SideBySideRow("equal", 1, 1, (Op("equal", EVIL),), (Op("equal", EVIL),)),
        SideBySideRow("deleted", 2, None, (Op("delete", "stary"),), ()),
        SideBySideRow("inserted", None, 2, (), ()),
    ]
    rounds = (SimpleNamespace(number=1), SimpleNamespace(number=2))
    html = markup.side_rows(rows, None, "k", ("/r/1?a=1&b=2", "/r/2"), rounds)  # type: ignore[arg-type]
    assert html.count("<tr ") == 3
    assert html.count(ESCAPED) == 2
    assert (
        '<a href="/r/1?a=1&amp;b=2#L1" aria-label="Wiersz 1 w rundzie 1">1</a>' in html
    )
    assert '<a href="/r/2#L1" aria-label="Wiersz 1 w rundzie 2">1</a>' in html
    assert '<span class="visually-hidden">brak wiersza</span>' in html  # no line
    assert '<span class="visually-hidden">pusty wiersz</span>' in html  # empty line
    assert "<del>" in html


def test_side_markers_go_on_the_row_where_the_passage_ends(markup) -> None:
    hunk = Hunk(1, 0, 0, 0, 3, 0, 3, (2, 2), (2, 2))  # ends on line 2 of both
    trace = SectionTrace((HunkTrace(hunk),))
    rows = [
        SideBySideRow("equal", 1, 1, (Op("equal", "a"),), (Op("equal", "a"),)),
        SideBySideRow("changed", 2, 2, (Op("delete", "b"),), (Op("insert", "c"),)),
    ]
    rounds = (SimpleNamespace(number=1), SimpleNamespace(number=2))
    html = markup.side_rows(rows, trace, "k", ("/1", "/2"), rounds)  # type: ignore[arg-type]
    first, second = html.split("</tr>")[:2]
    assert "trace-ref" not in first
    assert second.count('class="trace-ref"') == 1


def test_line_spans(markup) -> None:
    assert markup.lines((4, 4)) == "w. 4"
    assert markup.lines((4, 6)) == "w. 4–6"
