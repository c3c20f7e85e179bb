"""The working copy: open from the latest round, edit with optimistic locking,
add, move, remove, discard, publish — services and the pages per role."""

import pytest
from sqlalchemy import func, select

from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.auth.models import Role
from wpw.documents import services
from wpw.documents.models import EventAction, RoundStatus, Section, SectionVersion
from wpw.errors import Conflict, Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db

TEAM = (Role.COORDINATOR, Role.ADMIN)
OUTSIDERS = [r for r in Role if r not in TEAM]


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def programme(app, coordinator):
    programme = make_programme("prog", "Program")
    make_round(coordinator, programme, {"cele": "Cel 1\nCel 2", "zasady": "Zasada"})
    return programme


@pytest.fixture
def working(programme, coordinator):
    round_ = services.open_working_copy(coordinator, programme, "Projekt")
    db.session.commit()
    return round_


def _version(round_, key):
    return services.version_in_round(round_, key)


def test_open_copies_the_latest_published_round(programme, working) -> None:
    assert working.number == 2 and working.status is RoundStatus.WORKING
    assert [(v.section.key, v.text) for v in working.versions] == [
        ("cele", "Cel 1\nCel 2"),
        ("zasady", "Zasada"),
    ]
    events = services.round_events(working)
    assert [e.action for e in events] == [EventAction.OPENED]


def test_save_records_author_message_and_bumps_revision(working, coordinator) -> None:
    version = _version(working, "cele")
    services.save_section(
        coordinator,
        version,
        number="§ 1",
        title="Cele programu",
        text="Cel 1\nCel 2 poprawiony",
        base_revision=1,
        message="doprecyzowanie",
    )
    db.session.commit()
    assert version.revision == 2 and version.author == coordinator
    edit = services.round_events(working)[-1]
    assert (edit.action, edit.message, edit.revision) == (
        EventAction.EDITED,
        "doprecyzowanie",
        2,
    )
    assert edit.text == "Cel 1\nCel 2 poprawiony"


def test_identical_save_is_a_no_op(working, coordinator) -> None:
    version = _version(working, "cele")
    services.save_section(
        coordinator,
        version,
        number=version.number,
        title=version.title,
        text="Cel 1\r\nCel 2  ",
        base_revision=1,
    )
    db.session.commit()
    assert version.revision == 1
    assert len(services.round_events(working)) == 1


def test_stale_save_is_a_conflict_and_overwrites_nothing(
    working, coordinator, users
) -> None:
    second = users[Role.ADMIN]
    version = _version(working, "cele")
    services.save_section(
        coordinator,
        version,
        number="§ 1",
        title="Cele",
        text="pierwsza",
        base_revision=1,
    )
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        services.save_section(
            second, version, number="§ 1", title="Cele", text="druga", base_revision=1
        )
    assert caught.value.current is version
    db.session.rollback()
    assert _version(working, "cele").text == "pierwsza"


def test_racing_update_is_caught_by_the_database(working, coordinator, app) -> None:
    """Two sessions load revision 1; the second UPDATE matches no row."""
    version = _version(working, "cele")
    with app.app_context():  # another request's session
        other = services.version_in_round(
            db.session.get(type(working), working.id), "cele"
        )
        actor = db.session.get(type(coordinator), coordinator.id)
        services.save_section(
            actor, other, number="§ 1", title="T", text="wygrywa", base_revision=1
        )
        db.session.commit()
    with pytest.raises(Conflict):
        services.save_section(
            coordinator,
            version,
            number="§ 1",
            title="T",
            text="przegrywa",
            base_revision=1,
        )
    db.session.rollback()
    assert _version(working, "cele").text == "wygrywa"


def test_add_move_remove(working, coordinator) -> None:
    services.add_section(
        coordinator,
        working,
        key="nowy",
        number="§ 2",
        title="Nowy",
        text="Tekst",
        position=2,
    )
    assert [v.section.key for v in working.versions] == ["cele", "nowy", "zasady"]
    assert [v.position for v in working.versions] == [1, 2, 3]
    services.move_section(coordinator, _version(working, "zasady"), 1)
    assert [v.section.key for v in working.versions] == ["zasady", "cele", "nowy"]
    services.remove_section(coordinator, _version(working, "cele"))
    db.session.commit()
    assert [(v.section.key, v.position) for v in working.versions] == [
        ("zasady", 1),
        ("nowy", 2),
    ]
    actions = [e.action for e in services.round_events(working)]
    assert actions[1:] == [EventAction.ADDED, EventAction.MOVED, EventAction.REMOVED]


@pytest.mark.parametrize("key", ["Nowy Klucz", "ą-ę", "", "-x", "cele"])
def test_add_refuses_bad_or_taken_keys(working, coordinator, key) -> None:
    with pytest.raises(Invalid):
        services.add_section(
            coordinator, working, key=key, number="§ 9", title="X", text=""
        )


def test_re_adding_a_removed_key_restores_its_identity(working, coordinator) -> None:
    section_id = _version(working, "zasady").section_id
    services.remove_section(coordinator, _version(working, "zasady"))
    services.add_section(
        coordinator, working, key="zasady", number="§ 2", title="Zasady", text="Nowe"
    )
    assert _version(working, "zasady").section_id == section_id


def test_discard_deletes_the_copy_and_sections_only_it_had(
    working, coordinator, programme
) -> None:
    services.add_section(
        coordinator, working, key="tylko-tu", number="§ 3", title="X", text=""
    )
    db.session.commit()
    services.discard_working_copy(coordinator, working)
    db.session.commit()
    assert [r.number for r in programme.rounds] == [1]
    keys = set(db.session.scalars(select(Section.key)))
    assert keys == {"cele", "zasady"}


def test_publish_closes_previous_and_records(working, coordinator, programme) -> None:
    services.publish_round(coordinator, working, "Projekt po konsultacjach")
    db.session.commit()
    assert [r.status for r in programme.rounds] == [
        RoundStatus.CLOSED,
        RoundStatus.PUBLISHED,
    ]
    assert services.round_events(working)[-1].action is EventAction.PUBLISHED
    with pytest.raises(InvalidTransition):
        services.save_section(
            coordinator,
            _version(working, "cele"),
            number="§ 1",
            title="X",
            text="zmiana",
            base_revision=1,
        )


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_change_the_working_copy(working, role) -> None:
    outsider = make_user(role)
    version = _version(working, "cele")
    calls = [
        lambda: services.save_section(
            outsider, version, number="§ 1", title="X", text="x", base_revision=1
        ),
        lambda: services.add_section(
            outsider, working, key="x", number="§ 9", title="X", text=""
        ),
        lambda: services.move_section(outsider, version, 2),
        lambda: services.remove_section(outsider, version),
        lambda: services.discard_working_copy(outsider, working),
        lambda: services.publish_round(outsider, working),
        lambda: services.open_working_copy(outsider, working.programme, "X"),
    ]
    for call in calls:
        with pytest.raises(NotAllowed):
            call()
        db.session.rollback()
    assert _version(working, "cele").text == "Cel 1\nCel 2"


# --- pages ------------------------------------------------------------------

EDIT = "/programmes/prog/rounds/2/sections/cele/edit"


def _form(text="Cel 1\nCel 2 nowy", base=1, **extra):
    return {
        "number": "§ 1",
        "title": "Cele",
        "text": text,
        "message": "m",
        "base_revision": str(base),
        **extra,
    }


def test_coordinator_edits_in_the_browser_flow(client, auth, working, coordinator):
    auth.login(coordinator)
    page = client.get(EDIT)
    assert (
        page.status_code == 200
        and 'name="base_revision" type="hidden" value="1"'
        in page.get_data(as_text=True)
    )
    saved = client.post(EDIT, data=_form())
    assert saved.status_code == 302
    assert _version(working, "cele").text == "Cel 1\nCel 2 nowy"


def test_stale_form_gets_the_conflict_page(client, auth, working, coordinator):
    auth.login(coordinator)
    client.post(EDIT, data=_form("pierwsza wersja"))
    conflict = client.post(EDIT, data=_form("druga wersja", base=1))
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "druga wersja" in html and "pierwsza wersja" in html
    assert _version(working, "cele").text == "pierwsza wersja"
    assert 'name="base_revision" value="2"' in html  # she can merge and save again


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_get_404_for_the_working_copy_pages(client, auth, working, role):
    auth.login(make_user(role))
    assert client.get(EDIT).status_code == 404
    assert client.post(EDIT, data=_form()).status_code == 404
    assert (
        client.post(
            "/programmes/prog/rounds/2/publish", data={"message": "x"}
        ).status_code
        == 404
    )
    assert _version(working, "cele").text == "Cel 1\nCel 2"
    assert working.status is RoundStatus.WORKING


def test_anonymous_is_sent_to_login(client, working):
    response = client.get(EDIT)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_published_round_refused_by_every_route(client, auth, programme, role):
    auth.login(make_user(role))
    before = db.session.scalar(select(func.count(SectionVersion.id)))
    url = "/programmes/prog/rounds/1"
    responses = [
        client.post(url + "/sections/cele/edit", data=_form()),
        client.post(url + "/sections/new", data=_form(key="x")),
        client.post(url + "/sections/cele/move", data={"position": "2"}),
        client.post(url + "/sections/cele/remove"),
        client.post(url + "/publish", data={"message": "x"}),
        client.post(url + "/discard"),
    ]
    expected = 409 if role in TEAM else 403
    assert [r.status_code for r in responses] == [expected] * len(responses)
    assert db.session.scalar(select(func.count(SectionVersion.id))) == before
    assert services.version_in_round(programme.rounds[0], "cele").text == "Cel 1\nCel 2"


def test_open_publish_and_discard_pages(client, auth, programme, coordinator):
    auth.login(coordinator)
    opened = client.post("/programmes/prog/working-copy", data={"title": "Projekt"})
    assert opened.status_code == 302
    assert client.get("/programmes/prog/rounds/2").status_code == 200
    assert (
        client.post(
            "/programmes/prog/rounds/2/publish", data={"message": ""}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/programmes/prog/rounds/2/publish", data={"message": "Gotowe"}
        ).status_code
        == 302
    )
    assert programme.rounds[1].status is RoundStatus.PUBLISHED
    client.post("/programmes/prog/working-copy", data={"title": "Trzecia"})
    assert client.get("/programmes/prog/rounds/3/discard").status_code == 200
    assert client.post("/programmes/prog/rounds/3/discard").status_code == 302
    assert [r.number for r in programme.rounds] == [1, 2]


def test_history_lists_visible_versions_only(client, auth, working, coordinator):
    public = client.get("/programmes/prog/sections/cele/history").get_data(as_text=True)
    assert "Runda 1" in public and "Runda 2" not in public
    auth.login(coordinator)
    team = client.get("/programmes/prog/sections/cele/history").get_data(as_text=True)
    assert "Runda 2" in team
    assert client.get("/programmes/prog/sections/nope/history").status_code == 404
