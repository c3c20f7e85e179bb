"""Traceability in the comparison: each changed passage names the decided
annotations behind it, or the working copy's save message; each traced
annotation links to its thread and to its passage's wording in the newer round."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.compare.conftest import build_round
from wpw.annotations.models import Annotation, AnnotationKind, AnnotationState, Decision
from wpw.auth.models import User
from wpw.compare import services, tracing
from wpw.documents import services as documents
from wpw.documents.models import Programme, Round, SectionVersion
from wpw.extensions import db
from wpw.review.models import AppliedChange, ChangeStatus
from wpw.text.diff import diff_text

URL = "/programmes/prog/compare?from=1&to=2&section=cele"
OLD = "Pierwszy wiersz.\nDrugi wiersz o dotacjach.\nTrzeci wiersz."
NEW = "Pierwszy wiersz, poprawiony.\nDrugi wiersz o grantach.\nTrzeci wiersz."
MESSAGE = "Poprawki redakcyjne zespołu"


def _version(round_: Round, key: str = "cele") -> SectionVersion:
    return next(v for v in round_.versions if v.section.key == key)


def annotate(
    author: User,
    version: SectionVersion,
    quote: str,
    decision: Decision | None = Decision.ACCEPTED,
    *,
    state: AnnotationState = AnnotationState.OPEN,
    justification: str = "Słuszna uwaga, zmieniamy.",
) -> Annotation:
    """An annotation on *quote* with *decision* set directly (the review
    service's rules are tested where they live)."""
    start = version.text.index(quote)
    line = version.text.count("\n", 0, start) + 1
    annotation = Annotation(
        version=version,
        section_id=version.section_id,
        round_id=version.round_id,
        # A comment, not a proposed change: the working copy is edited by hand
        # (proposed changes would be applied when it opens).
        kind=AnnotationKind.COMMENT,
        author=author,
        body="Proszę zmienić.",
        first_line=line,
        last_line=line,
        start=start,
        end=start + len(quote),
        exact=quote,
        prefix="",
        suffix="",
        state=state,
        decision=decision,
        justification=justification if decision else None,
    )
    db.session.add(annotation)
    db.session.commit()
    return annotation


@pytest.fixture
def first(coordinator: User, programme: Programme) -> Round:
    return build_round(coordinator, programme, [("cele", "Cele", OLD)])


def publish_second(coordinator: User, programme: Programme) -> Round:
    """Round 2 made as a working copy: the edit carries a save message."""
    round_ = documents.open_working_copy(coordinator, programme, "Projekt")
    version = _version(round_)
    documents.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text=NEW,
        base_revision=version.revision,
        message=MESSAGE,
    )
    documents.publish_round(coordinator, round_, "opublikowano")
    db.session.commit()
    return round_


def page(client: FlaskClient, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _traces(first: Round, second: Round):
    comparison = services.compare_rounds(None, first, second, section_key="cele")
    return tracing.trace_comparison(comparison)["cele"]


# --- hunks (pure) ----------------------------------------------------------------


def test_hunks_have_offsets_and_lines_on_both_sides() -> None:
    hunks = tracing.find_hunks(diff_text(OLD, NEW))
    assert len(hunks) == 2
    one, two = hunks
    assert (one.number, two.number) == (1, 2)
    assert one.old_lines == (1, 1) and one.new_lines == (1, 1)
    assert two.old_lines == (2, 2) and two.new_lines == (2, 2)
    assert OLD[two.old_start : two.old_end] == "dotacjach"
    assert NEW[two.new_start : two.new_end] == "grantach"


@pytest.mark.parametrize(
    ("old", "new", "old_range", "new_range"),
    [
        ("a b\nc", "a b\nX\nc", (2, 2), (2, 2)),  # a line inserted
        ("a\nb c\nd", "a\nb X\nY c\nd", (2, 2), (2, 3)),  # a line broken
        ("a\nb\nc", "a\nc", (2, 2), (2, 2)),  # a line deleted
        ("alfa beta", "alfa gamma beta", (1, 1), (1, 1)),  # words inserted
    ],
)
def test_hunk_lines(old, new, old_range, new_range) -> None:
    (hunk,) = tracing.find_hunks(diff_text(old, new))
    assert (hunk.old_lines, hunk.new_lines) == (old_range, new_range)
    assert (
        old[: hunk.old_start] + old[hunk.old_end :]
        == new[: hunk.new_start] + (new[hunk.new_end :])
    )


def test_equal_texts_have_no_hunks() -> None:
    assert tracing.find_hunks(diff_text("a b", "a b")) == ()


def test_touching_counts_as_overlap() -> None:
    (hunk,) = tracing.find_hunks(diff_text("abc def ghi", "abc XYZ ghi"))
    assert tracing.overlaps(0, hunk.old_start, hunk)  # ends where it starts
    assert tracing.overlaps(hunk.old_end, hunk.old_end + 3, hunk)
    assert not tracing.overlaps(0, hunk.old_start - 1, hunk)


@pytest.mark.parametrize(
    ("count", "label"),
    [
        (1, "zmienione w odpowiedzi na 1 uwagę"),
        (3, "zmienione w odpowiedzi na 3 uwagi"),
        (5, "zmienione w odpowiedzi na 5 uwag"),
        (12, "zmienione w odpowiedzi na 12 uwag"),
        (22, "zmienione w odpowiedzi na 22 uwagi"),
    ],
)
def test_answer_label_uses_polish_plurals(app, count, label) -> None:
    assert tracing.answer_label(count) == label


# --- tracing --------------------------------------------------------------------


def test_accepted_annotation_claims_the_passage_it_overlaps(
    first, coordinator, programme, users
) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    second = publish_second(coordinator, programme)
    one, two = _traces(first, second).hunks
    assert [t.annotation for t in two.annotations] == [note]
    assert one.annotations == [] and one.messages == (MESSAGE,)
    # Every word of the passage was replaced: re-anchoring calls it orphaned.
    passage = two.annotations[0].passage
    assert passage is not None and passage.orphaned and passage.url is None


@pytest.mark.parametrize("decision", [Decision.PARTIALLY_ACCEPTED])
def test_partial_decision_claims_too(first, coordinator, programme, decision) -> None:
    note = annotate(coordinator, _version(first), "o dotacjach", decision)
    second = publish_second(coordinator, programme)
    assert [t.annotation for t in _traces(first, second).hunks[1].annotations] == [note]


@pytest.mark.parametrize(
    ("decision", "state"),
    [
        (None, AnnotationState.OPEN),
        (Decision.REJECTED, AnnotationState.OPEN),
        (Decision.NOTED, AnnotationState.OPEN),
        (Decision.ACCEPTED, AnnotationState.WITHDRAWN),
    ],
)
def test_undecided_rejected_noted_withdrawn_claim_nothing(
    first, coordinator, programme, decision, state
) -> None:
    annotate(coordinator, _version(first), "dotacjach", decision, state=state)
    second = publish_second(coordinator, programme)
    assert all(not t.annotations for t in _traces(first, second).hunks)


def test_annotation_elsewhere_claims_nothing(first, coordinator, programme) -> None:
    annotate(coordinator, _version(first), "Trzeci")
    second = publish_second(coordinator, programme)
    assert all(not t.annotations for t in _traces(first, second).hunks)


def test_an_unresolved_conflict_claims_nothing(first, coordinator, programme) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    second = publish_second(coordinator, programme)
    db.session.add(
        AppliedChange(
            annotation=note,
            round=second,
            section=note.section,
            status=ChangeStatus.CONFLICT,
        )
    )
    db.session.commit()
    assert not _traces(first, second).hunks[1].annotations


def test_an_applied_change_claims(first, coordinator, programme) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    second = publish_second(coordinator, programme)
    db.session.add(
        AppliedChange(
            annotation=note,
            round=second,
            section=note.section,
            status=ChangeStatus.APPLIED,
            wording="grantach",
        )
    )
    db.session.commit()
    assert _traces(first, second).hunks[1].annotations[0].annotation == note


def test_reverse_or_same_round_comparisons_are_not_traced(
    first, coordinator, programme
) -> None:
    annotate(coordinator, _version(first), "dotacjach")
    second = publish_second(coordinator, programme)
    for a, b in ((second, first), (second, second)):
        comparison = services.compare_rounds(None, a, b, section_key="cele")
        assert tracing.trace_comparison(comparison) == {}


def test_tracing_runs_a_fixed_number_of_queries(
    first, coordinator, programme, users
) -> None:
    for quote in ("dotacjach", "Drugi wiersz o dotacjach", "Pierwszy wiersz"):
        annotate(coordinator, _version(first), quote)
    second = publish_second(coordinator, programme)
    comparison = services.compare_rounds(None, first, second)
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        traces = tracing.trace_comparison(comparison)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert sum(len(t.annotations) for t in traces["cele"].hunks) == 3
    # annotations with placements, their sections, applied changes
    assert len(statements) <= 3


def test_trace_url_points_to_the_next_public_round(
    app, first, coordinator, programme
) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    app.test_request_context().push()
    assert tracing.trace_url(note) is None  # no later round yet
    build_round(
        coordinator, programme, [("cele", "Cele", NEW)], publish=False, title="Szkic"
    )
    assert tracing.trace_url(note) is None  # a working copy is not public
    documents.publish_round(coordinator, programme.rounds[-1], "")
    db.session.commit()
    assert (
        tracing.trace_url(note)
        == "/programmes/prog/compare?from=1&to=2&section=cele&mode=inline"
    )


def test_resulting_passage(first, coordinator, programme) -> None:
    note = annotate(coordinator, _version(first), "Drugi wiersz")
    assert tracing.resulting_passage(note, first) is None
    second = publish_second(coordinator, programme)
    passage = tracing.resulting_passage(note, second)
    assert passage is not None and not passage.orphaned
    assert (passage.first_line, passage.last_line) == (2, 2)
    assert passage.wording == "Drugi wiersz"


def test_resulting_passage_of_a_replaced_passage(first, coordinator, programme) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    second = publish_second(coordinator, programme)
    passage = tracing.resulting_passage(note, second)
    assert passage is not None and passage.orphaned
    start = NEW.index("grantach")
    change = AppliedChange(
        annotation=note,
        round=second,
        section=note.section,
        status=ChangeStatus.APPLIED,
        wording="grantach",
        start=start,
        end=start + len("grantach"),
    )
    db.session.add(change)
    db.session.commit()
    passage = tracing.resulting_passage(note, second)
    assert passage is not None and not passage.orphaned
    assert (passage.first_line, passage.wording) == (2, "grantach")
    change.start = 0  # the wording no longer stands there: not trusted
    db.session.commit()
    assert tracing.resulting_passage(note, second).orphaned


# --- the page ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_page_links_the_change_to_its_annotation(
    client, first, coordinator, programme, mode
) -> None:
    note = annotate(
        coordinator, _version(first), "dotacjach", justification="Trafna <b>uwaga</b>."
    )
    publish_second(coordinator, programme)
    html = page(client, f"{URL}&mode={mode}")
    assert "zmienione w odpowiedzi na 1 uwagę" in html
    assert f'href="/annotations/{note.id}"' in html
    assert "uwzględniona" in html
    assert "Trafna &lt;b&gt;uwaga&lt;/b&gt;." in html
    assert 'href="/programmes/prog/rounds/2/sections/cele#L2"' in html
    # Footnote markers with an accessible name, linking to the notes and back.
    assert re.search(
        r'<sup class="trace-ref" id="r-cele-2"><a href="#t-cele-2" '
        r'aria-label="Zmiana 2: zmienione w odpowiedzi na 1 uwagę">\[2\]</a></sup>',
        html,
    )
    assert '<li id="t-cele-2">' in html and 'href="#r-cele-2"' in html
    # The other passage nobody asked for shows the save message.
    assert f"<q>{MESSAGE}</q>" in html
    assert 'aria-label="Zmiana 1: zmiana bez uwag"' in html


@pytest.mark.parametrize("mode", ["inline", "side"])
def test_page_without_annotations_shows_the_save_message(
    client, first, coordinator, programme, mode
) -> None:
    annotate(coordinator, _version(first), "dotacjach", Decision.REJECTED)
    publish_second(coordinator, programme)
    html = page(client, f"{URL}&mode={mode}")
    assert "w odpowiedzi na" not in html
    assert html.count(f"<q>{MESSAGE}</q>") == 2
    assert "/annotations/" not in html


def test_whole_programme_page_is_traced_too(
    client, first, coordinator, programme
) -> None:
    note = annotate(coordinator, _version(first), "dotacjach")
    publish_second(coordinator, programme)
    html = page(client, "/programmes/prog/compare?from=1&to=2")
    assert f'href="/annotations/{note.id}"' in html
    assert "zmienione w odpowiedzi na 1 uwagę" in html


def test_a_change_saved_without_message(client, coordinator, programme) -> None:
    build_round(coordinator, programme, [("cele", "Cele", OLD)])
    build_round(coordinator, programme, [("cele", "Cele", NEW)])
    html = page(client)
    assert "Wersję roboczą zapisano bez opisu tej zmiany." in html
