"""The review's rules: the transitions table, who may decide, recommend and
write notes, justifications, withdrawn annotations, revisions, optimistic
locking, bulk decisions and the queues."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import DEMO_TODAY
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind, Decision
from wpw.audit.models import AuditEvent
from wpw.errors import Conflict, Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.review import services
from wpw.review.models import (
    Recommendation,
    ReviewAction,
    ReviewEvent,
    ReviewNote,
    ReviewStatus,
)
from wpw.signals import annotation_decided


def _decide(actor, annotation, decision=Decision.REJECTED, why="Uzasadnienie.", **kw):
    kw.setdefault("expected_revision", annotation.review_revision)
    return services.decide(
        actor, annotation, decision=decision, justification=why, **kw
    )


def _recommend(actor, annotation, sector, decision=Decision.ACCEPTED, **kw):
    kw.setdefault("expected_revision", annotation.review_revision)
    kw.setdefault("justification", "Projekt uzasadnienia.")
    return services.recommend(actor, annotation, sector=sector, decision=decision, **kw)


def _events(annotation) -> list[ReviewAction]:
    return [e.action for e in services.history(annotation)]


# --- the transitions table ------------------------------------------------------


def test_transitions_table() -> None:
    t = services.TRANSITIONS
    assert set(t) == set(ReviewStatus)
    assert t[ReviewStatus.WITHDRAWN] == frozenset()
    assert t[ReviewStatus.DECIDED] == {ReviewAction.REVISED}
    for status in (ReviewStatus.NEW, ReviewStatus.RECOMMENDED):
        assert t[status] == {
            ReviewAction.RECOMMENDED,
            ReviewAction.DECIDED,
            ReviewAction.WITHDRAWN,
        }


def test_status_follows_the_steps(annotate, people, sectors) -> None:
    a = annotate()
    assert services.review_status(a) is ReviewStatus.NEW
    _recommend(people["leader"], a, sectors["edukacja"])
    assert services.review_status(a) is ReviewStatus.RECOMMENDED
    _decide(people["coordinator"], a)
    assert services.review_status(a) is ReviewStatus.DECIDED
    b = annotate()
    annotations.withdraw_annotation(people["ngo"], b)
    assert services.review_status(b) is ReviewStatus.WITHDRAWN
    assert not services.allows(b, ReviewAction.DECIDED)


# --- deciding: who and what -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("coordinator", True),
        ("admin", True),
        ("leader", False),
        ("member", False),
        ("official", False),
        ("other_leader", False),
        ("expert", False),
        ("councillor", False),
        ("citizen", False),
        ("ngo", False),
    ],
)
def test_only_the_coordinating_team_decides(annotate, people, who, allowed) -> None:
    a = annotate()
    if allowed:
        event = _decide(people[who], a, Decision.ACCEPTED, "Słuszna uwaga.")
        assert a.decision is Decision.ACCEPTED and a.decided_by == people[who]
        assert event.action is ReviewAction.DECIDED
    else:
        with pytest.raises(NotAllowed):
            _decide(people[who], a)
        db.session.rollback()
        assert a.decision is None and a.review_revision == 0


def test_anonymous_cannot_decide(annotate) -> None:
    with pytest.raises(NotAllowed):
        _decide(None, annotate())


def test_decision_records_event_audit_and_signal(annotate, people) -> None:
    a = annotate()
    received = []

    def listener(sender, event):
        received.append((sender, event))

    annotation_decided.connect(listener)
    try:
        event = _decide(people["coordinator"], a, Decision.NOTED, "Dziękujemy.")
    finally:
        annotation_decided.disconnect(listener)
    assert received == [(a, event)]
    assert (a.justification, a.review_revision) == ("Dziękujemy.", 1)
    assert a.decided_at is not None and a.adopted_wording is None
    audit = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "annotation.decided")
    ).all()
    assert audit[-1].subject_id == a.id
    assert audit[-1].details == {"decision": "noted", "justification": "Dziękujemy."}


@pytest.mark.parametrize("why", ["", "   \n ", "x" * 20_001])
def test_justification_is_mandatory_and_bounded(annotate, people, why) -> None:
    a = annotate()
    with pytest.raises(Invalid):
        _decide(people["coordinator"], a, why=why)
    db.session.rollback()
    assert a.decision is None


def test_noted_is_not_for_proposed_changes(annotate, people) -> None:
    change = annotate(AnnotationKind.CHANGE)
    with pytest.raises(Invalid, match="do wiadomości"):
        _decide(people["coordinator"], change, Decision.NOTED)
    # Comments and questions may be noted.
    _decide(people["coordinator"], annotate(AnnotationKind.QUESTION), Decision.NOTED)


def test_partial_change_needs_the_adopted_wording(annotate, people) -> None:
    change = annotate(AnnotationKind.CHANGE)
    with pytest.raises(Invalid, match="brzmienie"):
        _decide(people["coordinator"], change, Decision.PARTIALLY_ACCEPTED)
    db.session.rollback()
    _decide(
        people["coordinator"],
        change,
        Decision.PARTIALLY_ACCEPTED,
        adopted_wording="  Część nowego brzmienia. ",
    )
    assert change.adopted_wording == "Część nowego brzmienia."
    # Another decision drops the adopted wording.
    _decide(people["coordinator"], change, Decision.ACCEPTED)
    assert change.adopted_wording is None


def test_unknown_decision_is_invalid(annotate, people) -> None:
    with pytest.raises(Invalid):
        _decide(people["coordinator"], annotate(), "maybe")


def test_withdrawn_cannot_be_decided_or_recommended(annotate, people, sectors) -> None:
    a = annotate()
    annotations.withdraw_annotation(people["ngo"], a)
    db.session.commit()
    assert _events(a) == [ReviewAction.WITHDRAWN]
    assert services.history(a)[0].actor == people["ngo"]
    with pytest.raises(InvalidTransition):
        _decide(people["coordinator"], a)
    with pytest.raises(InvalidTransition):
        _recommend(people["leader"], a, sectors["edukacja"])


def test_replies_are_never_reviewed(annotate, people) -> None:
    answer = annotations.reply(
        people["leader"], annotate(), "Odpowiedź.", today=DEMO_TODAY
    )
    with pytest.raises(InvalidTransition):
        _decide(people["coordinator"], answer)


def test_decided_annotation_cannot_be_edited_or_withdrawn(annotate, people) -> None:
    a = annotate()
    _decide(people["coordinator"], a)
    db.session.commit()
    with pytest.raises(InvalidTransition):
        annotations.edit_annotation(
            people["ngo"], a, body="Nowa treść", today=DEMO_TODAY
        )
    with pytest.raises(InvalidTransition):
        annotations.withdraw_annotation(people["ngo"], a)


# --- revisions and history ------------------------------------------------------


def test_revision_keeps_the_whole_history(annotate, people) -> None:
    a = annotate()
    _decide(people["coordinator"], a, Decision.REJECTED, "Najpierw tak.")
    db.session.commit()
    with pytest.raises(Invalid, match="Nic się nie zmieniło"):
        _decide(people["coordinator2"], a, Decision.REJECTED, "Najpierw tak.")
    db.session.rollback()
    event = _decide(people["coordinator2"], a, Decision.ACCEPTED, "Po namyśle tak.")
    assert event.action is ReviewAction.REVISED
    assert (a.decision, a.decided_by, a.review_revision) == (
        Decision.ACCEPTED,
        people["coordinator2"],
        2,
    )
    steps = services.history(a)
    assert [(e.action, e.decision, e.justification, e.actor) for e in steps] == [
        (
            ReviewAction.DECIDED,
            Decision.REJECTED,
            "Najpierw tak.",
            people["coordinator"],
        ),
        (
            ReviewAction.REVISED,
            Decision.ACCEPTED,
            "Po namyśle tak.",
            people["coordinator2"],
        ),
    ]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.subject_id == a.id)
    ).all()
    assert "annotation.revised" in actions
    # The same decision with a new justification is a revision too.
    _decide(people["coordinator"], a, Decision.ACCEPTED, "Inne uzasadnienie.")
    assert a.review_revision == 3


# --- optimistic locking ---------------------------------------------------------


def test_stale_revision_is_a_conflict_naming_the_first_decision(
    annotate, people
) -> None:
    a = annotate()
    _decide(people["coordinator"], a, Decision.ACCEPTED, "Pierwsza decyzja.")
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        _decide(
            people["coordinator2"], a, Decision.REJECTED, "Druga.", expected_revision=0
        )
    assert caught.value.current is a
    assert "uwzględniona" in caught.value.message
    assert people["coordinator"].name in caught.value.message
    db.session.rollback()
    assert (a.decision, a.justification) == (Decision.ACCEPTED, "Pierwsza decyzja.")


def test_compare_and_set_refuses_a_row_changed_behind_the_session(
    annotate, people
) -> None:
    """Two requests racing: the row moved on after this session loaded it."""
    a = annotate()
    table = Annotation.__table__
    db.session.execute(
        table.update()
        .where(table.c.id == a.id)
        .values(
            review_revision=1,
            decision=Decision.REJECTED,
            justification="Z innej sesji.",
            decided_by_id=people["coordinator"].id,
        )
    )
    # The object in the session still says revision 0, as the page did.
    assert a.review_revision == 0
    with pytest.raises(Conflict, match="nieuwzględniona"):
        _decide(people["coordinator2"], a, Decision.ACCEPTED, "Moja.")
    assert a.justification == "Z innej sesji."


def test_recommendation_bumps_the_revision(annotate, people, sectors) -> None:
    a = annotate()
    _recommend(people["leader"], a, sectors["edukacja"])
    with pytest.raises(Conflict):
        _decide(people["coordinator"], a, expected_revision=0)


# --- bulk decisions and identical comments --------------------------------------


def test_bulk_decide_applies_one_justification_to_each(annotate, people) -> None:
    notes = [annotate(body="Ta sama treść.") for _ in range(3)]
    events = services.bulk_decide(
        people["coordinator"],
        [(a, a.review_revision) for a in notes],
        decision=Decision.NOTED,
        justification="Wspólne uzasadnienie.",
    )
    assert len(events) == 3
    assert {(a.decision, a.justification) for a in notes} == {
        (Decision.NOTED, "Wspólne uzasadnienie.")
    }


def test_bulk_decide_is_all_or_nothing(annotate, people) -> None:
    first, second = annotate(body="Ta sama."), annotate(body="Ta sama.")
    _decide(people["coordinator"], second, Decision.REJECTED, "Wcześniej.")
    db.session.commit()
    with pytest.raises(Conflict):
        services.bulk_decide(
            people["coordinator2"],
            [(first, 0), (second, 0)],
            decision=Decision.ACCEPTED,
            justification="Hurtem.",
        )
    db.session.rollback()
    assert first.decision is None and first.review_revision == 0
    assert second.justification == "Wcześniej."
    with pytest.raises(NotAllowed):
        services.bulk_decide(
            people["leader"], [(first, 0)], decision="accepted", justification="x"
        )
    with pytest.raises(Invalid):
        services.bulk_decide(
            people["coordinator"], [], decision="accepted", justification="x"
        )


def test_identical_groups_ignore_case_and_spacing(annotate, people, version) -> None:
    same = [
        annotate(body="Prosimy o  więcej\nśrodków."),
        annotate(body="prosimy o więcej środków."),
        annotate(body="PROSIMY O WIĘCEJ ŚRODKÓW."),
    ]
    decided = annotate(body="Prosimy o więcej środków.")
    _decide(people["coordinator"], decided)
    annotate(body="Zupełnie inna uwaga.")
    groups = services.identical_groups(version.round)
    mine = [g for g in groups if same[0] in g.annotations]
    assert len(mine) == 1
    assert mine[0].annotations == same  # the decided one is not offered
    assert all(len(g.annotations) > 1 for g in groups)


# --- recommendations ------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("leader", True),
        ("member", False),
        ("official", False),
        ("other_leader", False),
        ("coordinator", False),
        ("admin", False),
        ("expert", False),
        ("councillor", False),
        ("citizen", False),
        ("ngo", False),
    ],
)
def test_only_the_sectors_leader_recommends(
    annotate, people, sectors, who, allowed
) -> None:
    a = annotate()
    if allowed:
        rec = _recommend(people[who], a, sectors["edukacja"], Decision.REJECTED)
        assert rec.decision is Decision.REJECTED and rec.sector == sectors["edukacja"]
        assert services.history(a)[-1].sector == sectors["edukacja"]
    else:
        with pytest.raises(NotAllowed):
            _recommend(people[who], a, sectors["edukacja"])


def test_leader_cannot_recommend_for_a_sector_the_section_is_not_in(
    annotate, people, sectors
) -> None:
    with pytest.raises(NotAllowed):
        _recommend(people["other_leader"], annotate(), sectors["ekologia"])


def test_recommendation_is_upserted_and_stops_after_the_decision(
    annotate, people, sectors
) -> None:
    a = annotate(AnnotationKind.CHANGE)
    edu = sectors["edukacja"]
    with pytest.raises(Invalid):
        _recommend(people["leader"], a, edu, Decision.NOTED)
    with pytest.raises(Invalid):
        _recommend(people["leader"], a, edu, justification=" ")
    _recommend(people["leader"], a, edu, Decision.ACCEPTED)
    _recommend(people["leader"], a, edu, Decision.REJECTED)
    rows = db.session.scalars(select(Recommendation)).all()
    assert [(r.annotation_id, r.decision) for r in rows if r.annotation_id == a.id] == [
        (a.id, Decision.REJECTED)
    ]
    assert _events(a) == [ReviewAction.RECOMMENDED, ReviewAction.RECOMMENDED]
    _decide(people["coordinator"], a, Decision.ACCEPTED)
    with pytest.raises(InvalidTransition, match="Zespół Koordynujący"):
        _recommend(people["leader"], a, edu)


# --- notes ----------------------------------------------------------------------


def test_notes_are_written_by_sub_team_and_coordinators(
    annotate, people, sectors
) -> None:
    a = annotate()
    for who in ("member", "leader", "official", "coordinator"):
        services.add_note(people[who], a, f"Notatka: {who}")
    for who in ("other_leader", "expert", "councillor", "citizen", "ngo"):
        with pytest.raises(NotAllowed):
            services.add_note(people[who], a, "Nie wolno.")
    with pytest.raises(NotAllowed):
        services.add_note(None, a, "Anonim.")
    with pytest.raises(Invalid):
        services.add_note(people["member"], a, "  ")
    with pytest.raises(Invalid):
        services.add_note(
            people["member"], a, "Zły podzespół", sector=sectors["kultura"]
        )


def test_notes_visibility(annotate, people, sectors, version) -> None:
    a = annotate()
    # The section is routed to a second sub-team too.
    version.section.sectors.append(sectors["ekologia"])
    db.session.flush()
    services.add_note(people["member"], a, "Edukacja.")
    services.add_note(people["other_leader"], a, "Ekologia.")
    services.add_note(people["coordinator"], a, "Tylko zespół.")
    services.add_note(
        people["coordinator"], a, "Do edukacji.", sector=sectors["edukacja"]
    )

    def read(who):
        return [n.body for n in services.notes_for(people[who], a)]

    assert (
        read("coordinator")
        == read("admin")
        == [
            "Edukacja.",
            "Ekologia.",
            "Tylko zespół.",
            "Do edukacji.",
        ]
    )
    assert read("member") == read("leader") == ["Edukacja.", "Do edukacji."]
    assert read("other_leader") == ["Ekologia."]
    for who in ("expert", "citizen", "ngo", "councillor"):
        assert read(who) == []
    assert services.notes_for(None, a) == []
    assert (
        db.session.scalar(
            select(func.count(ReviewNote.id)).where(ReviewNote.annotation_id == a.id)
        )
        == 4
    )


# --- the queues -----------------------------------------------------------------


def test_queue_filters(annotate, people, sectors, demo, version) -> None:
    a_new = annotate(AnnotationKind.QUESTION, body="Pytanie nowe.")
    a_rec = annotate(AnnotationKind.COMMENT, body="Z rekomendacją.")
    a_dec = annotate(AnnotationKind.CHANGE, body="Zmiana rozstrzygnięta.")
    a_wd = annotate(AnnotationKind.COMMENT, body="Wycofana.")
    _recommend(people["leader"], a_rec, sectors["edukacja"])
    _decide(people["coordinator"], a_dec, Decision.ACCEPTED)
    annotations.withdraw_annotation(people["ngo"], a_wd)
    mine = {a_new.id, a_rec.id, a_dec.id, a_wd.id}

    def ids(**filters):
        query = services.queue_query(programme=demo, **filters)
        return {a.id for a in db.session.scalars(query).unique()} & mine

    assert ids() == mine
    assert ids(status=ReviewStatus.NEW) == {a_new.id}
    assert ids(status=ReviewStatus.RECOMMENDED) == {a_rec.id}
    assert ids(status=ReviewStatus.DECIDED) == {a_dec.id}
    assert ids(status=ReviewStatus.WITHDRAWN) == {a_wd.id}
    assert ids(kind=AnnotationKind.CHANGE) == {a_dec.id}
    assert ids(sector=sectors["edukacja"]) == mine
    assert ids(sector=sectors["kultura"]) == set()
    assert ids(section=version.section) == mine
    assert ids(round_=demo.rounds[0]) == set()
    assert ids(organisation=people["ngo"].organisation) == mine
    assert ids(organisation=people["leader"].organisation) == set()
    sector_ids = {
        a.id
        for a in db.session.scalars(
            services.sector_queue_query(sectors["edukacja"], ReviewStatus.NEW)
        ).unique()
    }
    assert a_new.id in sector_ids and not sector_ids & {a_rec.id, a_dec.id, a_wd.id}
    # Replies are never in a queue.
    answer = annotations.reply(people["leader"], a_new, "Odp.", today=DEMO_TODAY)
    assert answer.id not in {
        a.id for a in db.session.scalars(services.queue_query(programme=demo)).unique()
    }
    assert services.count(services.queue_query(programme=demo)) == len(
        db.session.scalars(services.queue_query(programme=demo)).unique().all()
    )


def test_review_events_are_kept_per_step(annotate, people, sectors) -> None:
    a = annotate()
    _recommend(people["leader"], a, sectors["edukacja"])
    _decide(people["coordinator"], a, Decision.NOTED, "Przyjęto.")
    _decide(people["coordinator"], a, Decision.REJECTED, "Jednak nie.")
    assert _events(a) == [
        ReviewAction.RECOMMENDED,
        ReviewAction.DECIDED,
        ReviewAction.REVISED,
    ]
    assert (
        db.session.scalar(
            select(func.count(ReviewEvent.id)).where(ReviewEvent.annotation_id == a.id)
        )
        == 3
    )
