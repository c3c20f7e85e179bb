"""The audit log records publication, moderation, role and membership changes,
and reads back with filters — for the Coordinating Team and MOWIS only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories import make_round
from wpw.annotations import services as annotations
from wpw.audit.models import AuditEvent
from wpw.audit.services import AuditFilters, audit_query, readable_log, record
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, Sector


def events(action: str | None = None) -> list[AuditEvent]:
    return list(db.session.scalars(audit_query(AuditFilters(action=action))))


def test_publishing_a_round_is_recorded(first, coordinator) -> None:
    (event,) = events("round.published")
    assert event.actor == coordinator
    assert (event.subject_type, event.subject_id) == ("round", first.id)
    assert event.summary == "opublikowano"
    assert event.details == {
        "programme": "prog",
        "number": 1,
        "title": "Runda",
    }


def test_a_refused_publication_records_nothing(first, users) -> None:
    draft = make_round(
        users[Role.COORDINATOR], first.programme, {"cele": "Nowy."}, publish=False
    )
    from wpw.documents import services as documents

    with pytest.raises(NotAllowed):
        documents.publish_round(users[Role.NGO], draft, "")
    assert len(events("round.published")) == 1


def test_report_hide_and_restore_are_recorded(note, users, coordinator) -> None:
    annotations.report(users[Role.CITIZEN], note, "Obraźliwe.")
    annotations.hide(coordinator, note, "Narusza regulamin.")
    annotations.restore(coordinator, note, "Po wyjaśnieniu.")
    db.session.commit()
    rows = [
        (e.action, e.actor, e.subject_type, e.subject_id, e.summary)
        for e in reversed(events())
        if e.action.startswith("annotation.")
    ]
    assert rows == [
        (
            "annotation.reported",
            users[Role.CITIZEN],
            "annotation",
            note.id,
            "Obraźliwe.",
        ),
        ("annotation.hidden", coordinator, "annotation", note.id, "Narusza regulamin."),
        ("annotation.restored", coordinator, "annotation", note.id, "Po wyjaśnieniu."),
    ]


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.NGO, Role.EXPERT])
def test_refused_moderation_records_nothing(note, users, role) -> None:
    with pytest.raises(NotAllowed):
        annotations.hide(users[role], note, "Nie.")
    assert events("annotation.hidden") == []


def test_role_change_is_recorded_once_per_change(users) -> None:
    admin, user = users[Role.ADMIN], users[Role.NGO]
    accounts.set_role(admin, user, Role.EXPERT)
    accounts.set_role(admin, user, Role.EXPERT)  # no change, no record
    (event,) = events("user.role_changed")
    assert event.actor == admin
    assert (event.subject_type, event.subject_id) == ("user", user.id)
    assert event.details == {"old": "ngo", "new": "expert"}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.NGO])
def test_refused_role_change_records_nothing(users, role) -> None:
    with pytest.raises(NotAllowed):
        accounts.set_role(users[role], users[Role.CITIZEN], Role.ADMIN)
    assert events("user.role_changed") == []


def test_admin_demoting_themself_records_nothing(users) -> None:
    with pytest.raises(Invalid):
        accounts.set_role(users[Role.ADMIN], users[Role.ADMIN], Role.NGO)
    assert events("user.role_changed") == []


@pytest.fixture
def sector(app) -> Sector:
    sector = Sector(slug="edukacja", number=2, name="Edukacja", name_en="Education")
    db.session.add(sector)
    db.session.commit()
    return sector


def test_membership_changes_are_recorded(users, sector) -> None:
    admin, user = users[Role.ADMIN], users[Role.NGO]
    accounts.set_membership(admin, user, sector, MembershipRole.MEMBER)
    accounts.set_membership(admin, user, sector, MembershipRole.MEMBER)  # same
    accounts.set_membership(admin, user, sector, MembershipRole.LEADER)
    accounts.set_membership(admin, user, sector, None)
    accounts.set_membership(admin, user, sector, None)  # already out
    details = [e.details for e in reversed(events("user.membership_changed"))]
    assert details == [
        {"sector": sector.slug, "old": None, "new": "member"},
        {"sector": sector.slug, "old": "member", "new": "leader"},
        {"sector": sector.slug, "old": "leader", "new": None},
    ]


def test_refused_membership_change_records_nothing(users, sector) -> None:
    with pytest.raises(NotAllowed):
        accounts.set_membership(
            users[Role.COORDINATOR], users[Role.NGO], sector, MembershipRole.LEADER
        )
    assert events("user.membership_changed") == []


# --- reading -------------------------------------------------------------------


@pytest.fixture
def log(users: dict[Role, User]) -> dict[str, AuditEvent]:
    """Three events at known times (UTC) by two actors."""
    admin, coordinator = users[Role.ADMIN], users[Role.COORDINATOR]
    made = {
        "old": record(admin, "user.role_changed", users[Role.NGO]),
        # 23:30 UTC on 1 March is 00:30 on 2 March in Kraków.
        "late": record(coordinator, "round.published", users[Role.CITIZEN]),
        "new": record(coordinator, "annotation.hidden", users[Role.EXPERT]),
    }
    made["old"].created_at = datetime(2026, 2, 10, 12, 0, tzinfo=UTC)
    made["late"].created_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    made["new"].created_at = datetime(2026, 3, 5, 8, 0, tzinfo=UTC)
    db.session.commit()
    return made


def ids(filters: AuditFilters) -> list[int]:
    return [e.id for e in db.session.scalars(audit_query(filters))]


def test_newest_first(log) -> None:
    assert ids(AuditFilters()) == [log["new"].id, log["late"].id, log["old"].id]


def test_filters(log, users) -> None:
    assert ids(AuditFilters(action="round.published")) == [log["late"].id]
    assert ids(AuditFilters(actor_id=users[Role.ADMIN].id)) == [log["old"].id]
    assert ids(AuditFilters(subject_type="user", subject_id=users[Role.EXPERT].id)) == [
        log["new"].id
    ]
    assert ids(AuditFilters(subject_type="round")) == []


def test_date_range_is_in_the_city_time_zone(log) -> None:
    assert ids(AuditFilters(date_from=date(2026, 3, 2))) == [
        log["new"].id,
        log["late"].id,
    ]
    assert ids(AuditFilters(date_to=date(2026, 3, 1))) == [log["old"].id]
    assert ids(AuditFilters(date_from=date(2026, 3, 2), date_to=date(2026, 3, 2))) == [
        log["late"].id
    ]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (None, False),
        (Role.CITIZEN, False),
        (Role.NGO, False),
        (Role.OFFICIAL, False),
        (Role.COUNCILLOR, False),
        (Role.EXPERT, False),
        (Role.COORDINATOR, True),
        (Role.ADMIN, True),
    ],
)
def test_who_may_read_the_log(log, users, role, allowed) -> None:
    actor = users[role] if role else None
    if allowed:
        assert len(db.session.scalars(readable_log(actor, AuditFilters())).all()) == 3
    else:
        with pytest.raises(NotAllowed):
            readable_log(actor, AuditFilters())


def test_sub_team_leader_may_not_read_the_log(users, sector) -> None:
    leader = users[Role.NGO]
    accounts.set_membership(None, leader, sector, MembershipRole.LEADER)
    with pytest.raises(NotAllowed):
        readable_log(leader, AuditFilters())
