"""Rounds and section versions: who may change what, and frozen rounds stay frozen."""

import pytest

from tests.factories import make_programme, make_round
from wpw.auth.models import Role
from wpw.documents import services
from wpw.documents.models import RoundStatus, Section
from wpw.errors import InvalidTransition, NotAllowed
from wpw.extensions import db


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


def test_publish_freezes_round_and_closes_previous(app, coordinator) -> None:
    programme = make_programme()
    first = make_round(coordinator, programme, {"cele": "Cel 1\nCel 2"})
    assert first.status is RoundStatus.PUBLISHED and first.published_by == coordinator
    second = make_round(coordinator, programme, {"cele": "Cel 1\nCel 2 zmieniony"})
    assert (first.status, second.status) == (RoundStatus.CLOSED, RoundStatus.PUBLISHED)
    assert second.number == 2


def test_saving_into_published_round_is_refused(app, coordinator) -> None:
    programme = make_programme()
    round_ = make_round(coordinator, programme, {"cele": "Cel"})
    section = programme.sections[0]
    with pytest.raises(InvalidTransition):
        services.save_section_version(
            coordinator,
            round_,
            section,
            number="§ 1",
            title="Cele",
            position=1,
            text="Nowy tekst",
        )
    db.session.rollback()
    assert services.version_in_round(round_, "cele").text == "Cel"


def test_orm_guard_refuses_direct_edit_of_frozen_version(app, coordinator) -> None:
    programme = make_programme()
    round_ = make_round(coordinator, programme, {"cele": "Cel"})
    version = round_.versions[0]
    version.text = "podmieniony po cichu"
    with pytest.raises(services.FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.merge(round_.versions[0]))
    with pytest.raises(services.FrozenVersionError):
        db.session.flush()
    db.session.rollback()
    assert services.version_in_round(round_, "cele").text == "Cel"


@pytest.mark.parametrize(
    "role", [r for r in Role if r not in (Role.COORDINATOR, Role.ADMIN)]
)
def test_only_the_team_creates_edits_and_publishes(
    app, users, coordinator, role
) -> None:
    programme = make_programme()
    outsider = users[role]
    with pytest.raises(NotAllowed):
        services.create_round(outsider, programme, "Runda")
    working = make_round(coordinator, programme, {"cele": "Cel"}, publish=False)
    with pytest.raises(NotAllowed):
        services.save_section_version(
            outsider,
            working,
            programme.sections[0],
            number="§ 1",
            title="C",
            position=1,
            text="x",
        )
    with pytest.raises(NotAllowed):
        services.publish_round(outsider, working)


def test_identical_save_is_a_no_op(app, coordinator) -> None:
    programme = make_programme()
    working = make_round(coordinator, programme, {"cele": "Cel"}, publish=False)
    version = working.versions[0]
    before = (version.revision, version.updated_at)
    services.save_section_version(
        coordinator,
        working,
        version.section,
        number=version.number,
        title=version.title,
        position=1,
        text="Cel  \r\n",  # normalises to the same
    )
    assert (version.revision, version.updated_at) == before
    services.save_section_version(
        coordinator,
        working,
        version.section,
        number=version.number,
        title=version.title,
        position=1,
        text="Cel nowy",
    )
    assert version.revision == before[0] + 1


def test_only_one_working_round(app, coordinator) -> None:
    programme = make_programme()
    make_round(coordinator, programme, {"cele": "Cel"}, publish=False)
    with pytest.raises(InvalidTransition):
        services.create_round(coordinator, programme, "Druga")


def test_publishing_twice_or_empty_is_refused(app, coordinator) -> None:
    programme = make_programme()
    empty = services.create_round(coordinator, programme, "Pusta")
    with pytest.raises(InvalidTransition):
        services.publish_round(coordinator, empty)
    db.session.add(Section(programme=programme, key="x"))
    round_ = make_round(coordinator, make_programme("p2"), {"a": "b"})
    with pytest.raises(InvalidTransition):
        services.publish_round(coordinator, round_)
