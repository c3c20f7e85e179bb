"""The demo is a believable programme: two public rounds differing like drafts,
annotated by organisations, an expert and residents, re-anchored onto the next."""

import difflib
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from wpw.demo.loader import SEED_PHASES, load_demo, phase_dates
from wpw.documents.models import Round, RoundStatus
from wpw.extensions import db
from wpw.process.models import PhaseKind
from wpw.process.services import current_phases
from wpw.sectors.models import Sector

REQUIRED_TOPICS = [
    "postanowienia-ogolne",
    "cele-programu",
    "zasady-wspolpracy",
    "zakres-przedmiotowy",
    "formy-finansowe",
    "formy-pozafinansowe",
    "wysokosc-srodkow",
    "ocena-realizacji",
    "tworzenie-i-konsultacje",
    "postanowienia-koncowe",
    "okres-realizacji",
]


def test_two_public_rounds_with_enough_sections(demo) -> None:
    first, second = demo.rounds
    assert (first.title, second.title) == ("Założenia programu", "Projekt programu")
    assert (first.status, second.status) == (RoundStatus.CLOSED, RoundStatus.PUBLISHED)
    keys1 = [v.section.key for v in first.versions]
    keys2 = [v.section.key for v in second.versions]
    assert len(keys1) >= 12 and len(keys2) >= 12
    for key in REQUIRED_TOPICS:
        assert key in keys1 and key in keys2, key
    sectors = {s.slug for s in db.session.scalars(select(Sector))}
    assert len(sectors) == 8
    for slug in sectors:  # priority tasks for every sector
        assert f"zadania-{slug}" in keys2


def test_rounds_differ_as_real_drafts_do(demo) -> None:
    first, second = demo.rounds
    v1 = {v.section.key: v for v in first.versions}
    v2 = {v.section.key: v for v in second.versions}
    assert len(set(v2) - set(v1)) == 1, "one section added"
    assert len(set(v1) - set(v2)) == 1, "one section removed"
    renamed = [k for k in v1.keys() & v2.keys() if v1[k].title != v2[k].title]
    assert len(renamed) >= 1
    common = [k for k in v1 if k in v2]
    order1 = [k for k in v1 if k in v2]
    order2 = [k for k in v2 if k in v1]
    assert order1 != order2, "one section moved"
    words1 = " ".join(v1[k].text for k in common).split()
    words2 = " ".join(v2[k].text for k in common).split()
    changed = 1 - difflib.SequenceMatcher(None, words1, words2, autojunk=False).ratio()
    assert 0.10 <= changed <= 0.20, f"{changed:.1%} of words changed"


def test_today_falls_in_final_consultation_of_round_two(demo) -> None:
    today = date(2026, 11, 26)
    current = current_phases(demo, today)
    consultation = [p for p in current if p.kind is PhaseKind.CONSULTATION]
    assert len(consultation) == 1 and consultation[0].round.number == 2
    assert consultation[0].position == 6


def test_shifted_schedule_keeps_order_and_durations() -> None:
    today = date(2030, 2, 14)
    shifted = phase_dates(today, historical=False)
    for seed, (start, end) in zip(SEED_PHASES, shifted, strict=True):
        assert end - start == seed.end - seed.start
        assert start - seed.start == shifted[0][0] - SEED_PHASES[0].start
    assert shifted[5][0] <= today <= shifted[5][1]
    assert phase_dates(today, historical=True)[0] == (
        date(2011, 6, 13),
        date(2011, 6, 13),
    )


def test_historical_demo_keeps_2011_dates(app) -> None:
    load_demo(date(2026, 11, 26), historical=True)
    db.session.commit()
    from wpw.documents.services import programme_by_slug

    programme = programme_by_slug("wpw-2012-2014")
    assert programme.phases[0].starts_on == date(2011, 6, 13)
    assert programme.phases[5].ends_on == date(2011, 9, 30)
    assert programme.rounds[1].published_at.date() == date(2011, 9, 20)


def _annotations_of(programme):
    from wpw.annotations.models import Annotation

    return db.session.scalars(
        select(Annotation).join(Annotation.round).where(Round.programme == programme)
    ).all()


def test_round_one_is_annotated_by_every_kind_of_participant(demo) -> None:
    from wpw.annotations.models import AnnotationKind

    notes = _annotations_of(demo)
    first, second = demo.rounds
    on_first = [a for a in notes if a.round is first and a.parent is None]
    kinds = Counter(a.kind for a in on_first)
    assert kinds[AnnotationKind.COMMENT] >= 5
    assert kinds[AnnotationKind.QUESTION] >= 3
    assert kinds[AnnotationKind.CHANGE] >= 3
    assert any(a.is_expert for a in on_first)
    assert len({a.organisation_id for a in on_first if a.organisation_id}) >= 2
    assert sum(a.kind is AnnotationKind.REPLY for a in notes) >= 4
    assert any(a.round is second and a.parent is None for a in notes)
    for note in on_first:  # anchored where the quote is
        assert note.version.text[note.start : note.end] == note.exact


def test_round_one_annotations_are_reanchored_onto_round_two(demo) -> None:
    from wpw.annotations.models import Outcome, Placement

    first, second = demo.rounds
    placements = db.session.scalars(
        select(Placement).where(Placement.round == second)
    ).all()
    top_level = [a for a in _annotations_of(demo) if a.round is first and not a.parent]
    assert {p.annotation_id for p in placements} == {a.id for a in top_level}
    outcomes = Counter(p.outcome for p in placements)
    assert outcomes[Outcome.EXACT] >= 3
    assert outcomes[Outcome.CHANGED] >= 3
    assert outcomes[Outcome.ORPHANED] >= 2
    assert any(p.outcome is Outcome.ORPHANED and p.version is None for p in placements)
    moved = [p for p in placements if p.outcome is Outcome.EXACT]
    assert any(p.first_line != p.annotation.first_line for p in moved)
    for p in placements:
        if p.outcome is Outcome.CHANGED:
            assert p.version.text[p.start : p.end] == p.new_exact


def test_loading_the_demo_twice_changes_nothing(demo) -> None:
    from wpw.annotations.models import Annotation, Placement

    def counts():
        return (
            db.session.scalar(select(func.count(Annotation.id))),
            db.session.scalar(select(func.count(Placement.id))),
        )

    before = counts()
    assert load_demo(date(2026, 11, 26)) == []
    db.session.commit()
    assert counts() == before
