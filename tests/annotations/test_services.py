"""Annotating: the rules of the services, per role and per phase."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import DEMO_TODAY, make_user
from wpw.annotations import services
from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    ModerationAction,
)
from wpw.auth.models import Role
from wpw.documents import services as documents
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db
from wpw.sectors.models import MembershipRole


@pytest.fixture
def version(demo):
    return documents.version_in_round(demo.rounds[1], "zadania-edukacja")


def _count() -> int:
    return db.session.scalar(select(func.count(Annotation.id)))


def _create(actor, version, **overrides):
    values = dict(
        kind=AnnotationKind.COMMENT,
        body="Uwaga do wierszy.",
        first_line=3,
        last_line=5,
        today=DEMO_TODAY,
    )
    values.update(overrides)
    return services.create_annotation(actor, version, **values)


def test_comment_on_lines_stores_the_anchor(version) -> None:
    author = make_user(Role.NGO, organisation="Fundacja X")
    note = _create(author, version)
    lines = version.lines
    assert (note.first_line, note.last_line) == (3, 5)
    assert note.exact == "\n".join(lines[2:5])
    assert version.text[note.start : note.end] == note.exact
    assert len(note.prefix) <= 32 and version.text[: note.start].endswith(note.prefix)
    assert version.text[note.end :].startswith(note.suffix)
    assert note.organisation_id == author.organisation_id and not note.is_expert


def test_passage_inside_a_line_and_expert_flag(version) -> None:
    expert = make_user(Role.EXPERT)
    line = version.lines[2]
    start = version.text.index(line) + 3
    note = _create(
        expert,
        version,
        kind=AnnotationKind.QUESTION,
        start=start,
        end=start + 10,
        first_line=3,
        last_line=3,
    )
    assert note.exact == line[3:13] and note.is_expert


def test_proposed_change_needs_new_wording(version) -> None:
    author = make_user(Role.NGO)
    line = version.lines[0]
    with pytest.raises(Invalid):
        _create(
            author,
            version,
            kind=AnnotationKind.CHANGE,
            first_line=1,
            last_line=1,
            replacement=line,
        )
    change = _create(
        author,
        version,
        kind=AnnotationKind.CHANGE,
        first_line=1,
        last_line=1,
        replacement=line + " (zmienione)",
        body="Bo tak lepiej.",
    )
    assert change.replacement.endswith("(zmienione)")


@pytest.mark.parametrize(
    "overrides",
    [
        {"first_line": 0, "last_line": 1},
        {"first_line": 5, "last_line": 3},
        {"first_line": 1, "last_line": 999},
        {"body": "   "},
        {"body": "x" * 20_001},
        {"start": 5, "end": 5},
        {"start": -1, "end": 4},
        {"start": 0, "end": 10**6},
    ],
)
def test_bad_input_saves_nothing(version, overrides) -> None:
    author = make_user(Role.NGO)
    before = _count()
    with pytest.raises(Invalid):
        _create(author, version, **overrides)
    db.session.rollback()
    assert _count() == before


def test_closed_and_working_rounds_refuse(demo) -> None:
    author = make_user(Role.NGO)
    closed = documents.version_in_round(demo.rounds[0], "zadania-edukacja")
    with pytest.raises(InvalidTransition):
        _create(author, closed)
    coordinator = make_user(Role.COORDINATOR)
    working = documents.open_working_copy(coordinator, demo, "Tekst przyjęty")
    with pytest.raises(InvalidTransition):
        _create(author, working.versions[0])


def test_phase_dates_open_and_close_commenting(demo, version) -> None:
    phase = next(
        p
        for p in demo.phases
        if p.kind.value == "consultation" and p.round_id == demo.rounds[1].id
    )
    author = make_user(Role.NGO)
    with pytest.raises(InvalidTransition):
        _create(author, version, today=phase.ends_on + timedelta(days=1))
    with pytest.raises(InvalidTransition):
        _create(author, version, today=phase.starts_on - timedelta(days=1))
    assert _create(author, version, today=phase.ends_on).id
    assert not services.consultation_open(demo.rounds[1], date(2011, 1, 1))


def test_anonymous_cannot_annotate(version) -> None:
    from flask_login import AnonymousUserMixin

    with pytest.raises(NotAllowed):
        _create(AnonymousUserMixin(), version)


def test_only_the_author_edits_and_withdraws(version) -> None:
    author, other = make_user(Role.NGO), make_user(Role.COORDINATOR)
    note = _create(author, version)
    with pytest.raises(NotAllowed):
        services.edit_annotation(other, note, body="cudza zmiana", today=DEMO_TODAY)
    with pytest.raises(NotAllowed):
        services.withdraw_annotation(other, note)
    services.edit_annotation(author, note, body="Poprawiona treść", today=DEMO_TODAY)
    services.withdraw_annotation(author, note)
    assert note.body == "Poprawiona treść" and note.state is AnnotationState.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.edit_annotation(author, note, body="jeszcze raz", today=DEMO_TODAY)


def test_replies_thread_under_the_root(version) -> None:
    author, answerer = make_user(Role.NGO), make_user(Role.OFFICIAL)
    note = _create(author, version)
    first = services.reply(answerer, note, "Odpowiedź", today=DEMO_TODAY)
    second = services.reply(author, first, "Dziękuję", today=DEMO_TODAY)
    assert [r.body for r in note.replies] == ["Odpowiedź", "Dziękuję"]
    assert second.parent is note and second.first_line is None


def test_moderation_by_team_and_sector_leader_only(demo, version) -> None:
    author = make_user(Role.NGO)
    note = _create(author, version, body="<script>alert(1)</script>")
    services.report(make_user(Role.CITIZEN), note, "Obraźliwe")
    for role in (Role.CITIZEN, Role.NGO, Role.EXPERT, Role.OFFICIAL, Role.COUNCILLOR):
        with pytest.raises(NotAllowed):
            services.hide(make_user(role), note, "spam")
    from wpw.auth.services import user_by_email

    leader = user_by_email("lider.edukacja@wpw.example")  # leads "edukacja"
    assert any(m.role is MembershipRole.LEADER for m in leader.memberships)
    services.hide(leader, note, "Naruszenie regulaminu")
    assert note.is_hidden and note.hidden_reason == "Naruszenie regulaminu"
    other_leader = user_by_email("fundacja@wpw.example")  # leads "ekologia"
    with pytest.raises(NotAllowed):
        services.restore(other_leader, note)
    services.restore(make_user(Role.COORDINATOR), note)
    actions = [e.action for e in services.moderation_history(note)]
    assert actions == [
        ModerationAction.REPORTED,
        ModerationAction.HIDDEN,
        ModerationAction.RESTORED,
    ]
