"""Accepted proposals flow into the working copy: the service, per role, and the
changes page. Decisions are set directly on the Annotation rows here."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    Outcome,
    Placement,
)
from wpw.audit.models import AuditEvent
from wpw.auth.models import Role
from wpw.documents import services
from wpw.documents.models import EventAction, RoundEvent
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.review.applying import (
    apply_accepted_changes,
    changes_in_round,
    current_passage,
    resolve_conflict,
)
from wpw.review.models import AppliedChange, ChangeStatus
from wpw.sectors.models import MembershipRole, Sector, SectorMembership
from wpw.text.anchoring import anchor_for_offsets

TEAM = (Role.COORDINATOR, Role.ADMIN)
OUTSIDERS = [r for r in Role if r not in TEAM]

CELE = (
    "Gmina Kraków współpracuje z organizacjami pozarządowymi.\n"
    "Priorytetem jest wsparcie rodzin w trudnej sytuacji życiowej.\n"
    "Program realizuje Wydział Spraw Społecznych."
)
ZASADY = "Zasada pomocniczości.\nZasada jawności."


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def programme(app, coordinator):
    programme = make_programme("prog", "Program")
    make_round(coordinator, programme, {"cele": CELE, "zasady": ZASADY})
    return programme


def _published(programme):
    return services.latest_public_round(programme)


def propose(
    round_,
    key: str,
    quote: str,
    wording: str | None,
    *,
    decision: Decision | None = Decision.ACCEPTED,
    adopted: str | None = None,
    nth: int = 0,
    state: AnnotationState = AnnotationState.OPEN,
) -> Annotation:
    """A proposed change on *quote* in *round_*, decided as given."""
    version = services.version_in_round(round_, key)
    start = -1
    for _ in range(nth + 1):
        start = version.text.index(quote, start + 1)
    anchor = anchor_for_offsets(version.text, start, start + len(quote))
    author = make_user(Role.NGO, organisation="Fundacja")
    annotation = Annotation(
        version=version,
        section=version.section,
        round=round_,
        kind=AnnotationKind.CHANGE,
        state=state,
        author=author,
        body="Uzasadnienie",
        replacement=wording,
        first_line=anchor.first_line,
        last_line=anchor.last_line,
        start=start,
        end=start + len(quote),
        exact=quote,
        prefix=anchor.quote.prefix,
        suffix=anchor.quote.suffix,
        decision=decision,
        justification="Słusznie." if decision else None,
        adopted_wording=adopted,
    )
    db.session.add(annotation)
    db.session.commit()
    return annotation


def open_copy(programme, actor):
    round_ = services.open_working_copy(actor, programme, "Projekt")
    db.session.commit()
    return round_


def text_of(round_, key: str) -> str:
    return services.version_in_round(round_, key).text


def change_of(annotation, round_) -> AppliedChange:
    return db.session.scalar(
        select(AppliedChange).where(
            AppliedChange.annotation_id == annotation.id,
            AppliedChange.round_id == round_.id,
        )
    )


def count_changes() -> int:
    return db.session.scalar(select(func.count(AppliedChange.id)))


# --- the automatic run when the working copy opens ----------------------------------


def test_opening_the_working_copy_applies_accepted_proposals(
    programme, coordinator
) -> None:
    r1 = _published(programme)
    a = propose(r1, "cele", "trudnej sytuacji życiowej", "kryzysie")
    b = propose(
        r1,
        "zasady",
        "Zasada jawności.",
        "Zasada jawności i przejrzystości.",
        decision=Decision.PARTIALLY_ACCEPTED,
        adopted="Zasada jawności i otwartości.",
    )
    working = open_copy(programme, coordinator)
    assert text_of(working, "cele") == CELE.replace(
        "trudnej sytuacji życiowej", "kryzysie"
    )
    assert (
        text_of(working, "zasady")
        == "Zasada pomocniczości.\nZasada jawności i otwartości."
    )
    ca, cb = change_of(a, working), change_of(b, working)
    assert ca.status is ChangeStatus.APPLIED and cb.status is ChangeStatus.APPLIED
    assert text_of(working, "cele")[ca.start : ca.end] == "kryzysie" == ca.wording
    assert cb.wording == "Zasada jawności i otwartości."
    assert ca.actor == coordinator
    # Saved through the working copy's save service, with a message naming them.
    event = db.session.scalar(
        select(RoundEvent).where(
            RoundEvent.round_id == working.id,
            RoundEvent.action == EventAction.EDITED,
            RoundEvent.section_id == a.section_id,
        )
    )
    assert event.message == (
        f"Wprowadzono uwagi nr {a.id} (zaakceptowane propozycje zmian)"
    )
    assert services.version_in_round(working, "cele").revision == 2
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "changes.applied")
    )
    assert audit.subject_id == working.id
    assert sorted(audit.details["applied"]) == sorted([a.id, b.id])


def test_many_proposals_in_one_section_are_one_save(programme, coordinator) -> None:
    r1 = _published(programme)
    a = propose(r1, "cele", "Gmina Kraków", "Gmina Miejska Kraków")
    b = propose(r1, "cele", "Wydział Spraw Społecznych", "Miejski Ośrodek")
    working = open_copy(programme, coordinator)
    version = services.version_in_round(working, "cele")
    assert version.revision == 2
    assert version.message == (
        f"Wprowadzono uwagi nr {a.id}, {b.id} (zaakceptowane propozycje zmian)"
    )
    for annotation, wording in ((a, "Gmina Miejska Kraków"), (b, "Miejski Ośrodek")):
        change = change_of(annotation, working)
        assert version.text[change.start : change.end] == wording


def test_only_accepted_and_partial_proposals_flow(programme, coordinator) -> None:
    r1 = _published(programme)
    skipped = [
        propose(r1, "cele", "Gmina", "Miasto", decision=Decision.REJECTED),
        propose(r1, "cele", "Priorytetem", "Celem", decision=Decision.NOTED),
        propose(r1, "cele", "Program", "Plan", decision=None),
        propose(
            r1,
            "zasady",
            "pomocniczości",
            "subsydiarności",
            state=AnnotationState.WITHDRAWN,
        ),
    ]
    working = open_copy(programme, coordinator)
    assert text_of(working, "cele") == CELE
    assert text_of(working, "zasady") == ZASADY
    assert all(change_of(a, working) is None for a in skipped)
    assert count_changes() == 0
    assert services.version_in_round(working, "cele").revision == 1


def test_a_comment_is_never_applied(programme, coordinator) -> None:
    r1 = _published(programme)
    comment = propose(r1, "cele", "Gmina", "Miasto")
    comment.kind = AnnotationKind.COMMENT
    db.session.commit()
    working = open_copy(programme, coordinator)
    assert text_of(working, "cele") == CELE
    assert change_of(comment, working) is None


def test_removal_of_a_whole_line(programme, coordinator) -> None:
    r1 = _published(programme)
    line = "Priorytetem jest wsparcie rodzin w trudnej sytuacji życiowej.\n"
    a = propose(r1, "cele", line, "")
    working = open_copy(programme, coordinator)
    assert text_of(working, "cele") == CELE.replace(line, "")
    change = change_of(a, working)
    assert change.status is ChangeStatus.APPLIED and change.start == change.end


# --- conflicts ----------------------------------------------------------------------


def test_overlapping_proposals_are_conflicts_side_by_side(
    programme, coordinator
) -> None:
    r1 = _published(programme)
    a = propose(r1, "cele", "trudnej sytuacji", "kryzysowej sytuacji")
    b = propose(r1, "cele", "sytuacji życiowej", "sytuacji materialnej")
    c = propose(r1, "cele", "Program", "Plan")
    working = open_copy(programme, coordinator)
    assert text_of(working, "cele") == CELE.replace("Program", "Plan")
    ca, cb = change_of(a, working), change_of(b, working)
    assert ca.status is ChangeStatus.CONFLICT and cb.status is ChangeStatus.CONFLICT
    assert ca.detail == f"Dotyczy tego samego fragmentu co uwagi nr {b.id}."
    assert cb.detail == f"Dotyczy tego samego fragmentu co uwagi nr {a.id}."
    assert ca.start is None and ca.wording == "kryzysowej sytuacji"
    assert change_of(c, working).status is ChangeStatus.APPLIED
    assert current_passage(ca) == "trudnej sytuacji"
    assert changes_in_round(working)[:2] == [ca, cb]  # conflicts first


def test_passage_already_edited_in_the_working_copy(programme, coordinator) -> None:
    working = open_copy(programme, coordinator)
    version = services.version_in_round(working, "cele")
    edited = CELE.replace("trudnej sytuacji", "trudnej, złożonej sytuacji")
    services.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text=edited,
        base_revision=version.revision,
    )
    db.session.commit()
    r1 = _published(programme)
    a = propose(r1, "cele", "trudnej sytuacji życiowej", "kryzysie")
    b = propose(r1, "cele", "Gmina Kraków", "Gmina Miejska Kraków")
    report = apply_accepted_changes(coordinator, working)
    db.session.commit()
    assert [c.annotation_id for c in report.conflicts] == [a.id]
    assert [c.annotation_id for c in report.applied] == [b.id]
    assert change_of(a, working).detail == (
        "Ten fragment zmieniono już w wersji roboczej."
    )
    assert text_of(working, "cele") == edited.replace(
        "Gmina Kraków", "Gmina Miejska Kraków"
    )
    assert (
        current_passage(change_of(a, working)) == "trudnej, złożonej sytuacji życiowej"
    )


def test_edited_neighbourhood_but_intact_passage_applies(
    programme, coordinator
) -> None:
    working = open_copy(programme, coordinator)
    version = services.version_in_round(working, "cele")
    edited = "Wstęp.\n" + CELE.replace("Program realizuje", "Program wdraża")
    services.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text=edited,
        base_revision=version.revision,
    )
    r1 = _published(programme)
    a = propose(r1, "cele", "wsparcie rodzin", "pomoc rodzinom")
    apply_accepted_changes(coordinator, working)
    db.session.commit()
    assert change_of(a, working).status is ChangeStatus.APPLIED
    assert text_of(working, "cele") == edited.replace(
        "wsparcie rodzin", "pomoc rodzinom"
    )


def test_patch_that_no_longer_applies_is_a_conflict_and_text_unchanged(
    programme, coordinator
) -> None:
    r1 = _published(programme)
    a = propose(r1, "zasady", "Zasada", "Reguła", nth=1)
    working = open_copy(programme, coordinator)
    # The proposal was applied on opening; undo that record to replay the case where
    # everything around the short passage was rewritten before it was applied.
    db.session.delete(change_of(a, working))
    version = services.version_in_round(working, "zasady")
    rewritten = "Zasada pomocniczości.\nXXXXXXXXZasada_yyyyyyy."
    services.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text=rewritten,
        base_revision=version.revision,
    )
    db.session.commit()
    report = apply_accepted_changes(coordinator, working)
    db.session.commit()
    change = change_of(a, working)
    assert report.conflicts == [change]
    assert change.status is ChangeStatus.CONFLICT
    assert change.detail.startswith("Zmiany nie dało się nanieść")
    assert text_of(working, "zasady") == rewritten


def test_section_removed_from_the_working_copy(programme, coordinator) -> None:
    working = open_copy(programme, coordinator)
    services.remove_section(coordinator, services.version_in_round(working, "zasady"))
    db.session.commit()
    r1 = _published(programme)
    a = propose(r1, "zasady", "jawności", "otwartości")
    apply_accepted_changes(coordinator, working)
    db.session.commit()
    change = change_of(a, working)
    assert change.status is ChangeStatus.CONFLICT
    assert change.detail == "Tego paragrafu nie ma w wersji roboczej."
    assert current_passage(change) is None


def test_partial_without_adopted_wording_is_a_conflict(programme, coordinator) -> None:
    r1 = _published(programme)
    a = propose(
        r1, "zasady", "jawności", "otwartości", decision=Decision.PARTIALLY_ACCEPTED
    )
    working = open_copy(programme, coordinator)
    assert change_of(a, working).status is ChangeStatus.CONFLICT
    assert text_of(working, "zasady") == ZASADY


# --- proposals made on earlier rounds ------------------------------------------------


def _round_three(programme, coordinator, cele_in_round_two: str):
    """Round 2 published with *cele_in_round_two*; no working copy yet."""
    round_two = services.open_working_copy(coordinator, programme, "Projekt")
    version = services.version_in_round(round_two, "cele")
    services.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text=cele_in_round_two,
        base_revision=version.revision,
    )
    services.publish_round(coordinator, round_two, "runda 2")
    db.session.commit()
    return round_two


def test_earlier_round_proposal_uses_its_placement(programme, coordinator) -> None:
    r1 = _published(programme)
    late = propose(r1, "cele", "wsparcie rodzin", "pomoc rodzinom", decision=None)
    changed = propose(
        r1, "cele", "Wydział Spraw Społecznych", "Biuro Spraw", decision=None
    )
    r2 = _round_three(
        programme, coordinator, "Wstęp.\n" + CELE.replace("Wydział", "Departament")
    )
    placements = {p.annotation_id: p for p in db.session.scalars(select(Placement))}
    assert placements[late.id].outcome is Outcome.EXACT
    assert placements[changed.id].outcome is Outcome.CHANGED
    # Decided only after round 2 was published.
    late.decision = changed.decision = Decision.ACCEPTED
    db.session.commit()
    working = open_copy(programme, coordinator)
    assert change_of(late, working).status is ChangeStatus.APPLIED
    assert "pomoc rodzinom" in text_of(working, "cele")
    conflict = change_of(changed, working)
    assert conflict.status is ChangeStatus.CONFLICT
    assert conflict.detail == (
        "Fragment zmieniono w rundzie 2, zanim propozycję wprowadzono."
    )
    assert r2.number == 2


def test_earlier_round_proposal_orphaned_or_already_in_the_text(
    programme, coordinator
) -> None:
    r1 = _published(programme)
    gone = propose(r1, "cele", "Gmina Kraków", "Miasto Kraków", decision=None)
    quote = "wsparcie rodzin w trudnej sytuacji życiowej"
    wording = "wsparcie rodzin w trudnej sytuacji materialnej"
    done = propose(r1, "cele", quote, wording, decision=None)
    _round_three(
        programme,
        coordinator,
        CELE.replace("Gmina Kraków współpracuje", "Współpraca").replace(quote, wording),
    )
    gone.decision = done.decision = Decision.ACCEPTED
    db.session.commit()
    working = open_copy(programme, coordinator)
    assert change_of(gone, working).detail == (
        "Cytowanego fragmentu nie ma już w rundzie 2."
    )
    assert change_of(done, working) is None  # round 2 already reads so
    assert text_of(working, "cele").count(wording) == 1


def test_a_proposal_flows_into_one_round_only(programme, coordinator) -> None:
    r1 = _published(programme)
    a = propose(r1, "cele", "wsparcie rodzin", "pomoc rodzinom")
    r2 = _round_three(
        programme, coordinator, CELE.replace("wsparcie rodzin", "pomoc rodzinom")
    )
    assert change_of(a, r2).status is ChangeStatus.APPLIED
    working = open_copy(programme, coordinator)
    assert change_of(a, working) is None  # already in round 2's text


# --- idempotence, discarding, and the rules -----------------------------------------


def test_running_twice_applies_nothing_new(programme, coordinator) -> None:
    r1 = _published(programme)
    propose(r1, "cele", "trudnej sytuacji", "kryzysowej sytuacji")
    propose(r1, "cele", "sytuacji życiowej", "sytuacji materialnej")
    propose(r1, "zasady", "jawności", "otwartości")
    working = open_copy(programme, coordinator)
    before = (text_of(working, "cele"), text_of(working, "zasady"), count_changes())
    revisions = [v.revision for v in working.versions]
    report = apply_accepted_changes(coordinator, working)
    db.session.commit()
    assert not report and report.applied == [] and report.conflicts == []
    assert (
        text_of(working, "cele"),
        text_of(working, "zasady"),
        count_changes(),
    ) == before
    assert [v.revision for v in working.versions] == revisions
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "changes.applied"
            )
        )
        == 1
    )


def test_a_newly_decided_proposal_is_applied_on_demand(programme, coordinator) -> None:
    r1 = _published(programme)
    a = propose(r1, "zasady", "jawności", "otwartości", decision=None)
    working = open_copy(programme, coordinator)
    assert change_of(a, working) is None
    a.decision = Decision.ACCEPTED
    db.session.commit()
    report = apply_accepted_changes(coordinator, working)
    assert [c.annotation_id for c in report.applied] == [a.id]
    assert text_of(working, "zasady") == "Zasada pomocniczości.\nZasada otwartości."


def test_discarded_copy_does_not_block_the_next(programme, coordinator) -> None:
    r1 = _published(programme)
    a = propose(r1, "zasady", "jawności", "otwartości")
    first = open_copy(programme, coordinator)
    assert change_of(a, first).status is ChangeStatus.APPLIED
    services.discard_working_copy(coordinator, first)
    db.session.commit()
    second = open_copy(programme, coordinator)
    assert change_of(a, second).status is ChangeStatus.APPLIED
    assert text_of(second, "zasady") == "Zasada pomocniczości.\nZasada otwartości."


@pytest.mark.parametrize("role", OUTSIDERS)
def test_only_the_team_applies(programme, coordinator, users, role) -> None:
    working = open_copy(programme, coordinator)
    propose(_published(programme), "zasady", "jawności", "otwartości")
    with pytest.raises(NotAllowed):
        apply_accepted_changes(users[role], working)
    db.session.rollback()
    assert count_changes() == 0
    assert text_of(working, "zasady") == ZASADY


def test_anonymous_cannot_apply(programme, coordinator) -> None:
    working = open_copy(programme, coordinator)
    with pytest.raises(NotAllowed):
        apply_accepted_changes(None, working)


@pytest.mark.parametrize("role", TEAM)
def test_team_applies(programme, coordinator, users, role) -> None:
    working = open_copy(programme, coordinator)
    a = propose(_published(programme), "zasady", "jawności", "otwartości")
    apply_accepted_changes(users[role], working)
    assert change_of(a, working).actor == users[role]


def test_a_published_round_is_refused(programme, coordinator) -> None:
    with pytest.raises(InvalidTransition):
        apply_accepted_changes(coordinator, _published(programme))


# --- resolving a conflict ------------------------------------------------------------


@pytest.fixture
def conflict(programme, coordinator):
    r1 = _published(programme)
    propose(r1, "cele", "trudnej sytuacji", "kryzysowej sytuacji")
    b = propose(r1, "cele", "sytuacji życiowej", "sytuacji materialnej")
    working = open_copy(programme, coordinator)
    return change_of(b, working)


def test_resolve_conflict_with_a_note(conflict, coordinator) -> None:
    resolve_conflict(coordinator, conflict, "  Połączono obie propozycje.  ")
    db.session.commit()
    assert conflict.status is ChangeStatus.RESOLVED
    assert conflict.detail == "Połączono obie propozycje."
    audit = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "changes.resolved")
    )
    assert audit.details["note"] == "Połączono obie propozycje."
    assert audit.details["reason"].startswith("Dotyczy tego samego fragmentu")


def test_resolve_needs_a_note_and_a_conflict(programme, conflict, coordinator) -> None:
    with pytest.raises(Invalid):
        resolve_conflict(coordinator, conflict, "   ")
    assert conflict.status is ChangeStatus.CONFLICT
    resolve_conflict(coordinator, conflict, "Ręcznie.")
    with pytest.raises(InvalidTransition):
        resolve_conflict(coordinator, conflict, "Jeszcze raz.")


@pytest.mark.parametrize("role", OUTSIDERS)
def test_only_the_team_resolves(conflict, users, role) -> None:
    with pytest.raises(NotAllowed):
        resolve_conflict(users[role], conflict, "Ręcznie.")
    assert conflict.status is ChangeStatus.CONFLICT


def test_resolving_in_a_published_round_is_refused(conflict, coordinator) -> None:
    services.publish_round(coordinator, conflict.round, "runda 2")
    with pytest.raises(InvalidTransition):
        resolve_conflict(coordinator, conflict, "Ręcznie.")


# --- the changes page ----------------------------------------------------------------

URL = "/programmes/prog/working-copy/changes"


def test_anonymous_goes_to_login(client, programme, coordinator) -> None:
    open_copy(programme, coordinator)
    for response in (
        client.get(URL),
        client.post(URL + "/apply"),
        client.post(URL + "/1/resolve", data={"c1-note": "x"}),
    ):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_403(client, auth, programme, conflict, users, role) -> None:
    auth.login(users[role])
    assert client.get(URL).status_code == 403
    assert client.post(URL + "/apply").status_code == 403
    response = client.post(
        f"{URL}/{conflict.id}/resolve", data={f"c{conflict.id}-note": "Ręcznie."}
    )
    assert response.status_code == 403
    db.session.refresh(conflict)
    assert conflict.status is ChangeStatus.CONFLICT


@pytest.mark.parametrize("membership", list(MembershipRole))
def test_sub_team_members_and_leaders_get_403(
    client, auth, conflict, membership
) -> None:
    user = make_user(Role.NGO, organisation="Stowarzyszenie")
    sector = Sector(slug="pomoc", number=1, name="Pomoc społeczna", name_en="Welfare")
    db.session.add(SectorMembership(user=user, sector=sector, role=membership))
    db.session.commit()
    with pytest.raises(NotAllowed):
        apply_accepted_changes(user, conflict.round)
    with pytest.raises(NotAllowed):
        resolve_conflict(user, conflict, "Ręcznie.")
    auth.login(user)
    assert client.get(URL).status_code == 403
    assert client.post(URL + "/apply").status_code == 403


def test_no_working_copy_is_404(client, auth, programme, coordinator) -> None:
    auth.login(coordinator)
    assert client.get(URL).status_code == 404
    assert client.get("/programmes/nope/working-copy/changes").status_code == 404


@pytest.mark.parametrize("role", TEAM)
def test_team_sees_conflicts_side_by_side(client, auth, conflict, users, role) -> None:
    auth.login(users[role])
    response = client.get(URL)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Konflikty do rozstrzygnięcia (2)" in html
    assert "sytuacji materialnej" in html  # the proposed wording
    assert "trudnej sytuacji" in html  # the quote and the working copy's passage
    assert f"Uwaga nr {conflict.annotation_id}" in html
    assert "/programmes/prog/rounds/2/sections/cele/edit" in html
    assert f'name="c{conflict.id}-note"' in html
    assert "Wprowadź teraz przyjęte propozycje zmian" in html


def test_applied_changes_are_listed(client, auth, programme, coordinator) -> None:
    a = propose(_published(programme), "zasady", "jawności", "otwartości")
    open_copy(programme, coordinator)
    auth.login(coordinator)
    html = client.get(URL).get_data(as_text=True)
    assert "Wprowadzone zmiany (1)" in html
    assert f"nr {a.id}" in html and "otwartości" in html
    assert "Brak konfliktów." in html


def test_apply_now_button(client, auth, programme, coordinator) -> None:
    working = open_copy(programme, coordinator)
    a = propose(_published(programme), "zasady", "jawności", "otwartości")
    auth.login(coordinator)
    response = client.post(URL + "/apply", follow_redirects=True)
    assert response.status_code == 200
    assert (
        "Wprowadzono zmian: 1; konfliktów do rozstrzygnięcia: 0."
        in response.get_data(as_text=True)
    )
    assert change_of(a, working).status is ChangeStatus.APPLIED
    assert text_of(working, "zasady") == "Zasada pomocniczości.\nZasada otwartości."
    again = client.post(URL + "/apply", follow_redirects=True)
    assert "Nie ma nowych przyjętych propozycji zmian." in again.get_data(as_text=True)
    assert count_changes() == 1


def test_resolve_form(client, auth, conflict, coordinator) -> None:
    auth.login(coordinator)
    field = f"c{conflict.id}-note"
    empty = client.post(f"{URL}/{conflict.id}/resolve", data={field: "   "})
    assert empty.status_code == 422
    assert "Opisz, jak rozstrzygnięto konflikt." in empty.get_data(as_text=True)
    db.session.refresh(conflict)
    assert conflict.status is ChangeStatus.CONFLICT
    response = client.post(
        f"{URL}/{conflict.id}/resolve",
        data={field: "Połączono w jedno zdanie."},
        follow_redirects=True,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Konflikty rozstrzygnięte ręcznie (1)" in html
    assert "Połączono w jedno zdanie." in html
    db.session.refresh(conflict)
    assert conflict.status is ChangeStatus.RESOLVED
    again = client.post(f"{URL}/{conflict.id}/resolve", data={field: "Znowu."})
    assert again.status_code == 409


def test_resolve_unknown_change_is_404(client, auth, conflict, coordinator) -> None:
    auth.login(coordinator)
    assert (
        client.post(f"{URL}/9999/resolve", data={"c9999-note": "x"}).status_code == 404
    )


def test_round_log_links_to_the_changes_page(client, auth, programme, coordinator):
    open_copy(programme, coordinator)
    auth.login(coordinator)
    html = client.get("/programmes/prog/rounds/2/log").get_data(as_text=True)
    assert 'href="/programmes/prog/working-copy/changes"' in html
    auth.logout()
    html = client.get("/programmes/prog/rounds/1/log").get_data(as_text=True)
    assert "working-copy/changes" not in html


def test_page_structure_and_csrf_tokens(csrf_app) -> None:
    """With CSRF on, as in production: each conflict's form carries its own token;
    a post without one is refused; the page passes the structure checks."""
    from tests.auth.support import PageStructure, csrf_token, login_with_token

    coordinator = make_user(Role.COORDINATOR)
    programme = make_programme("prog", "Program")
    make_round(coordinator, programme, {"cele": CELE, "zasady": ZASADY})
    r1 = _published(programme)
    propose(r1, "cele", "trudnej sytuacji", "kryzysowej sytuacji")
    b = propose(r1, "cele", "sytuacji życiowej", "sytuacji materialnej")
    propose(r1, "zasady", "jawności", "otwartości")
    working = open_copy(programme, coordinator)
    change = change_of(b, working)
    client = csrf_app.test_client()
    login_with_token(client, coordinator.email)
    html = client.get(URL).get_data(as_text=True)
    assert PageStructure(html).problems() == []
    url, field = f"{URL}/{change.id}/resolve", f"c{change.id}-note"
    assert client.post(url, data={field: "Ręcznie."}).status_code == 400
    assert client.post(URL + "/apply").status_code == 400
    token = csrf_token(html, f"c{change.id}-csrf_token")
    response = client.post(
        url, data={field: "Ręcznie.", f"c{change.id}-csrf_token": token}
    )
    assert response.status_code == 302
    db.session.refresh(change)
    assert change.status is ChangeStatus.RESOLVED
    html = client.get(URL).get_data(as_text=True)
    assert PageStructure(html).problems() == []
    token = csrf_token(html)
    assert client.post(URL + "/apply", data={"csrf_token": token}).status_code == 302
