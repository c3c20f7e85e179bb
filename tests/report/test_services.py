"""The report's rows and summary (wpw.report.services)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from tests.report.conftest import DRAFT_MARKER, HIDDEN_BODY, HIDDEN_WORDING, Consulted
from wpw.annotations.models import Outcome
from wpw.documents.models import RoundStatus
from wpw.extensions import db
from wpw.report import services
from wpw.sectors.models import Sector


def _rows(consulted: Consulted, number: int = 1, sector: Sector | None = None):
    report = services.build_report(consulted.rounds[number], sector)
    return report, {row.id: row for row in report.rows}


def test_every_top_level_annotation_in_reading_order(consulted: Consulted) -> None:
    report, _ = _rows(consulted)
    notes = consulted.notes
    # cele (lines 1, 2, 3), formy (lines 1, 2), usuniety: the reply is not a row.
    assert [row.id for row in report.rows] == [
        notes[name].id
        for name in ("withdrawn", "change", "comment", "partial", "hidden", "question")
    ]
    assert report.next_round is consulted.rounds[2]


def test_row_of_an_accepted_change(consulted: Consulted) -> None:
    _, rows = _rows(consulted)
    change = consulted.notes["change"]
    row = rows[change.id]
    assert (row.section_number, row.section_title) == ("§ 1", "Cele")
    assert (row.first_line, row.last_line, row.lines) == (2, 2, "2")
    assert row.quote == "Drugi wiersz o współpracy."
    assert (row.author, row.organisation) == ("Zofia Łęcka", "Fundacja Źródło")
    assert row.content == "Współpraca powinna być partnerska."
    assert row.proposed_wording == "Drugi wiersz o partnerskiej współpracy."
    assert row.decision == "accepted"
    assert row.decision_label == "uwzględniona"
    assert row.justification == "Zmiana wzmacnia zasadę partnerstwa."
    assert row.adopted_wording is None
    assert row.kind_label == "Propozycja zmiany"
    assert not row.expert and not row.hidden


def test_resulting_wording_comes_from_the_placements(consulted: Consulted) -> None:
    _, rows = _rows(consulted)
    notes = consulted.notes
    changed = consulted.placement("change")
    assert changed.outcome is Outcome.CHANGED
    assert rows[notes["change"].id].outcome is Outcome.CHANGED
    assert rows[notes["change"].id].resulting_wording == changed.new_exact
    assert "partnerskiej" in rows[notes["change"].id].resulting_text
    exact = rows[notes["comment"].id]
    assert consulted.placement("comment").outcome is Outcome.EXACT
    assert (exact.outcome, exact.resulting_wording) == (
        Outcome.EXACT,
        "Trzeci wiersz zostaje.",
    )
    gone = rows[notes["question"].id]
    assert gone.outcome is Outcome.ORPHANED
    assert gone.resulting_wording is None
    assert gone.resulting_text == "usunięte"


def test_no_next_round_no_resulting_wording(consulted: Consulted) -> None:
    """Round 3 is a working copy: round 2's report shows no resulting wording."""
    report, rows = _rows(consulted, 2)
    assert report.next_round is None
    assert list(rows) == [consulted.notes["later"].id]
    assert rows[consulted.notes["later"].id].outcome is None
    assert rows[consulted.notes["later"].id].resulting_text == ""


def test_show_name_off_shows_only_the_organisation(consulted: Consulted) -> None:
    _, rows = _rows(consulted)
    row = rows[consulted.notes["comment"].id]
    assert row.author is None
    assert row.organisation == "Stowarzyszenie Ślęża"
    assert "Ukryty Autor" not in repr(row)


def test_expert_opinion_is_marked(consulted: Consulted) -> None:
    _, rows = _rows(consulted)
    row = rows[consulted.notes["question"].id]
    assert row.expert
    assert row.kind_label == "Opinia eksperta (pytanie)"
    assert row.author == "Ewa Ekspertka"


def test_hidden_annotation_shows_the_reason_not_the_text(
    consulted: Consulted,
) -> None:
    _, rows = _rows(consulted)
    row = rows[consulted.notes["hidden"].id]
    assert row.hidden
    assert row.content == "Ukryta przez moderatora: Narusza regulamin."
    assert row.proposed_wording is None
    assert HIDDEN_BODY not in repr(row) and HIDDEN_WORDING not in repr(row)
    assert row.decision == "undecided"
    assert row.decision_label == "bez rozstrzygnięcia"


def test_partial_withdrawn_decisions(consulted: Consulted) -> None:
    _, rows = _rows(consulted)
    partial = rows[consulted.notes["partial"].id]
    assert partial.decision == "partial"
    assert partial.decision_label == "uwzględniona częściowo"
    assert partial.adopted_wording == "Formy finansowe i granty."
    withdrawn = rows[consulted.notes["withdrawn"].id]
    assert withdrawn.decision == "withdrawn"
    assert withdrawn.decision_label == "wycofana przez autora"


def test_adopted_wording_only_for_a_partial_decision(consulted: Consulted) -> None:
    consulted.notes["change"].adopted_wording = "pozostałość po rewizji"
    db.session.commit()
    _, rows = _rows(consulted)
    assert rows[consulted.notes["change"].id].adopted_wording is None


def test_summary_counts(consulted: Consulted) -> None:
    report, _ = _rows(consulted)
    summary = report.summary
    assert summary.total == 6
    assert summary.decisions == {
        "accepted": 1,
        "partial": 1,
        "rejected": 1,
        "noted": 1,
        "withdrawn": 1,
        "undecided": 1,
    }
    by_sector = {
        (c.sector.slug if c.sector else None): (c.total, c.counts)
        for c in summary.sectors
    }
    assert set(by_sector) == {"edukacja", "kultura", None}
    assert [c.sector.slug if c.sector else None for c in summary.sectors] == [
        "edukacja",
        "kultura",
        None,
    ]
    assert by_sector["edukacja"][0] == 2
    assert by_sector["edukacja"][1]["partial"] == 1
    assert by_sector["edukacja"][1]["undecided"] == 1
    assert by_sector["kultura"][0] == 1
    assert by_sector[None][0] == 3


def test_sector_filter(consulted: Consulted) -> None:
    education = db.session.query(Sector).filter_by(slug="edukacja").one()
    report, rows = _rows(consulted, 1, education)
    assert set(rows) == {consulted.notes["partial"].id, consulted.notes["hidden"].id}
    assert all(row.sectors[0].slug == "edukacja" for row in report.rows)
    assert report.summary.total == 2
    assert [c.sector.slug for c in report.summary.sectors] == ["edukacja"]


def test_working_copy_is_never_reported(consulted: Consulted) -> None:
    working = consulted.rounds[3]
    assert working.status is RoundStatus.WORKING
    assert services.report_round(consulted.programme, 3) is None
    with pytest.raises(ValueError):
        services.build_report(working)
    for number in (1, 2):
        report = services.build_report(consulted.rounds[number])
        assert DRAFT_MARKER not in repr(report.rows)


def test_default_round_is_the_latest_public_one_with_annotations(
    consulted: Consulted,
) -> None:
    assert services.report_round(consulted.programme, None) is consulted.rounds[2]
    db.session.delete(consulted.notes["later"])
    db.session.commit()
    assert services.report_round(consulted.programme, None) is consulted.rounds[1]
    assert services.report_round(consulted.programme, 9) is None


def test_queries_do_not_grow_with_the_rows(consulted: Consulted) -> None:
    """No N+1: the same few statements for 6 rows as for 1."""

    def count(number: int) -> int:
        statements = []

        def seen(*_args) -> None:
            statements.append(1)

        db.session.expire_all()
        round_ = db.session.get(type(consulted.rounds[1]), consulted.rounds[number].id)
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            services.build_report(round_)
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
        return len(statements)

    assert count(1) == count(2) <= 4


def test_cells_match_the_columns(consulted: Consulted) -> None:
    report, rows = _rows(consulted)
    columns = services.columns(report)
    assert columns[-2][1] == "Brzmienie w rundzie 2"
    for row in report.rows:
        assert len(services.cells(row)) == len(columns)
    cells = dict(
        zip(
            [key for key, _ in columns],
            services.cells(rows[consulted.notes["question"].id]),
            strict=True,
        )
    )
    assert cells["resulting"] == "usunięte"
    assert cells["sectors"] == "Kultura"
    assert cells["author"] == "Ewa Ekspertka"


@pytest.mark.parametrize("slug", [None, "edukacja", "kultura"])
def test_counted_summary_matches_the_rows(
    consulted: Consulted, slug: str | None
) -> None:
    """A page's summary is counted by the database; it equals the rows' one."""
    sector = db.session.query(Sector).filter_by(slug=slug).one() if slug else None
    report = services.build_report(consulted.rounds[1], sector)
    assert services.count_summary(consulted.rounds[1], sector) == report.summary


def test_a_page_of_rows(consulted: Consulted) -> None:
    whole = services.build_report(consulted.rounds[1])
    page = services.build_report(consulted.rounds[1], offset=2, limit=3)
    assert page.rows == whole.rows[2:5]
    assert page.summary == whole.summary
