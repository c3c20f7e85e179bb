"""The review pages through plain forms: who sees which queue and form, deciding,
recommending and notes, a stale page (two logged-in clients), bulk decisions,
filters and pagination."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from tests.conftest import DEMO_TODAY, AuthActions
from tests.review.conftest import ACCOUNTS, PASSWORD
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind, Decision
from wpw.extensions import db
from wpw.review import services
from wpw.review.models import Recommendation, ReviewNote
from wpw.sectors.models import MembershipRole, SectorMembership


def login(client, who: str, people=None) -> AuthActions:
    auth = AuthActions(client)
    if who == "ngo":
        response = auth.login(people["ngo"])
    else:
        response = auth.login(ACCOUNTS[who], PASSWORD)
    assert response.status_code == 302
    return auth


def page(a: Annotation) -> str:
    return f"/review/annotations/{a.id}"


def decide(client, a: Annotation, revision: int | None = None, **fields):
    data = {
        "decide-decision": "rejected",
        "decide-justification": "Nie mieści się w programie.",
        "decide-revision": str(a.review_revision if revision is None else revision),
        **fields,
    }
    return client.post(page(a) + "/decide", data=data)


def reload(a: Annotation) -> Annotation:
    db.session.expire_all()
    return db.session.get(Annotation, a.id)


# --- anonymous and per-role access ----------------------------------------------


def test_anonymous_is_sent_to_login(client, annotate) -> None:
    a = annotate()
    for url in ("/review/", "/review/sectors/edukacja", page(a)):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location
    for url in ("/decide", "/recommend", "/notes"):
        response = client.post(page(a) + url, data={})
        assert response.status_code == 302 and "/login" in response.location
    response = client.post("/review/bulk", data={})
    assert response.status_code == 302 and "/login" in response.location
    assert reload(a).decision is None


@pytest.mark.parametrize(
    ("who", "queue", "sector", "review_page"),
    [
        ("coordinator", 200, 200, 200),
        ("admin", 200, 200, 200),
        ("leader", 302, 200, 200),
        ("member", 302, 200, 200),
        ("official", 302, 200, 200),
        ("other_leader", 302, 403, 403),
        ("expert", 403, 403, 403),
        ("councillor", 403, 403, 403),
        ("citizen", 403, 403, 403),
        ("ngo", 403, 403, 403),
    ],
)
def test_who_sees_which_page(
    client, annotate, people, who, queue, sector, review_page
) -> None:
    a = annotate()
    login(client, who, people)
    response = client.get("/review/")
    assert response.status_code == queue
    if queue == 302:  # a sub-team member goes to their own sector's queue
        assert "/review/sectors/" in response.location
    assert client.get("/review/sectors/edukacja").status_code == sector
    assert client.get(page(a)).status_code == review_page
    nav = client.get("/").get_data(as_text=True)
    assert ('href="/review/"' in nav) == (queue != 403)


def test_unknown_sector_and_annotation_are_404(client, annotate, people) -> None:
    a = annotate()
    login(client, "coordinator")
    assert client.get("/review/sectors/nie-ma").status_code == 404
    assert client.get("/review/annotations/999999").status_code == 404
    answer = annotations.reply(people["leader"], a, "Odpowiedź", today=DEMO_TODAY)
    db.session.commit()
    assert client.get(page(answer)).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 302),
        ("admin", 302),
        ("leader", 403),
        ("member", 403),
        ("official", 403),
        ("other_leader", 403),
        ("expert", 403),
        ("councillor", 403),
        ("citizen", 403),
        ("ngo", 403),
    ],
)
def test_only_coordinators_decide(client, annotate, people, who, status) -> None:
    a = annotate()
    login(client, who, people)
    assert decide(client, a).status_code == status
    assert (reload(a).decision is not None) == (status == 302)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("leader", 302),
        ("member", 403),
        ("official", 403),
        ("other_leader", 403),
        ("coordinator", 403),
        ("citizen", 403),
    ],
)
def test_only_the_leader_recommends(client, annotate, people, who, status) -> None:
    a = annotate()
    login(client, who, people)
    response = client.post(
        page(a) + "/recommend",
        data={
            "recommend-decision": "accepted",
            "recommend-justification": "Warto.",
            "recommend-revision": "0",
            "recommend-sector": "edukacja",
        },
    )
    assert response.status_code == status
    saved = db.session.scalars(
        select(Recommendation).where(Recommendation.annotation_id == a.id)
    ).all()
    assert len(saved) == (1 if status == 302 else 0)


def test_forms_shown_per_role(client, annotate, people) -> None:
    a = annotate()
    auth = login(client, "coordinator")
    html = client.get(page(a)).get_data(as_text=True)
    assert "/decide" in html and "/recommend" not in html and "/notes" in html
    assert 'name="decide-revision" type="hidden" value="0"' in html
    auth.logout()
    auth = login(client, "leader")
    html = client.get(page(a)).get_data(as_text=True)
    assert "/decide" not in html and "/recommend" in html and "/notes" in html
    auth.logout()
    login(client, "member")
    html = client.get(page(a)).get_data(as_text=True)
    assert "/decide" not in html and "/recommend" not in html and "/notes" in html


# --- deciding through the form --------------------------------------------------


def test_decision_without_justification_is_refused(client, annotate) -> None:
    a = annotate()
    login(client, "coordinator")
    response = decide(client, a, **{"decide-justification": "  "})
    assert response.status_code == 422
    assert "Uzasadnienie jest obowiązkowe" in response.get_data(as_text=True)
    assert reload(a).decision is None


def test_noted_change_and_partial_without_wording_are_refused(client, annotate) -> None:
    change = annotate(AnnotationKind.CHANGE)
    login(client, "coordinator")
    html = client.get(page(change)).get_data(as_text=True)
    assert 'value="noted"' not in html  # not offered for a proposed change
    response = decide(client, change, **{"decide-decision": "noted"})
    assert response.status_code == 422
    response = decide(client, change, **{"decide-decision": "partial"})
    assert response.status_code == 422
    assert "przyjęte brzmienie" in response.get_data(as_text=True)
    response = decide(
        client,
        change,
        **{"decide-decision": "partial", "decide-adopted_wording": "Tak brzmi."},
    )
    assert response.status_code == 302
    assert reload(change).adopted_wording == "Tak brzmi."


def test_withdrawn_annotation_cannot_be_decided(client, annotate, people) -> None:
    a = annotate()
    annotations.withdraw_annotation(people["ngo"], a)
    db.session.commit()
    login(client, "coordinator")
    html = client.get(page(a)).get_data(as_text=True)
    assert "/decide" not in html and "wycofanie przez autora" in html
    assert decide(client, a).status_code == 409
    assert reload(a).decision is None


def test_revision_shows_the_whole_history(client, annotate) -> None:
    a = annotate()
    login(client, "coordinator")
    assert decide(client, a).status_code == 302
    a = reload(a)
    response = decide(
        client,
        a,
        **{"decide-decision": "accepted", "decide-justification": "Po namyśle tak."},
    )
    assert response.status_code == 302
    html = client.get(page(a)).get_data(as_text=True)
    assert "Nie mieści się w programie." in html and "Po namyśle tak." in html
    assert "zmiana decyzji" in html and "Jan Koordynator" in html


def test_two_coordinators_from_the_same_page(app, annotate) -> None:
    """Both load the page at revision 0; the second gets 409 and the first
    decision stays."""
    a = annotate()
    first, second = app.test_client(), app.test_client()
    login(first, "coordinator")
    login(second, "coordinator2")
    for c in (first, second):
        html = c.get(page(a)).get_data(as_text=True)
        assert 'name="decide-revision" type="hidden" value="0"' in html
    assert decide(first, a, 0, **{"decide-decision": "accepted"}).status_code == 302
    response = decide(
        second,
        a,
        0,
        **{"decide-decision": "rejected", "decide-justification": "Moje zdanie."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nic nie zostało nadpisane" in html and "uwzględniona" in html
    assert "Jan Koordynator" in html
    assert "Moje zdanie." in html  # what they typed is kept in the form
    a = reload(a)
    assert (a.decision, a.decided_by.email, a.review_revision) == (
        Decision.ACCEPTED,
        ACCOUNTS["coordinator"],
        1,
    )
    assert len(services.history(a)) == 1


def test_missing_csrf_token_is_refused(app, client, annotate) -> None:
    a = annotate()
    login(client, "coordinator")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert decide(client, a).status_code == 400
        assert reload(a).decision is None
        html = client.get(page(a)).get_data(as_text=True)
        token = re.search(r'name="decide-csrf_token"[^>]*value="([^"]+)"', html)
        response = decide(client, a, **{"decide-csrf_token": token.group(1)})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- recommendations and notes --------------------------------------------------


def test_leader_of_two_sectors_chooses_one(client, annotate, people, sectors) -> None:
    a = annotate()
    a.section.sectors.append(sectors["ekologia"])
    db.session.add(
        SectorMembership(
            user=people["leader"],
            sector=sectors["ekologia"],
            role=MembershipRole.LEADER,
        )
    )
    db.session.commit()
    login(client, "leader")
    html = client.get(page(a)).get_data(as_text=True)
    assert '<select id="recommend-sector"' in html
    response = client.post(
        page(a) + "/recommend",
        data={
            "recommend-decision": "rejected",
            "recommend-justification": "Ekologia przeciw.",
            "recommend-revision": "0",
            "recommend-sector": "ekologia",
        },
    )
    assert response.status_code == 302
    rec = db.session.scalar(
        select(Recommendation).where(Recommendation.annotation_id == a.id)
    )
    assert rec.sector.slug == "ekologia"
    html = client.get(page(a)).get_data(as_text=True)
    assert "Ekologia przeciw." in html and "rekomendacja podzespołu" in html


def test_notes_are_visible_to_their_sub_team_only(
    client, annotate, people, sectors
) -> None:
    a = annotate()
    auth = login(client, "member")
    response = client.post(page(a) + "/notes", data={"note-body": "Tajna notatka."})
    assert response.status_code == 302
    assert "Tajna notatka." in client.get(page(a)).get_data(as_text=True)
    assert client.post(page(a) + "/notes", data={"note-body": " "}).status_code == 422
    auth.logout()
    auth = login(client, "coordinator")
    assert "Tajna notatka." in client.get(page(a)).get_data(as_text=True)
    auth.logout()
    auth = login(client, "citizen")
    assert client.post(page(a) + "/notes", data={"note-body": "x"}).status_code == 403
    auth.logout()
    assert "Tajna notatka." not in client.get(f"/annotations/{a.id}").get_data(
        as_text=True
    )
    assert (
        db.session.scalar(
            select(ReviewNote.body).where(ReviewNote.annotation_id == a.id)
        )
        == "Tajna notatka."
    )


# --- queues: filters, pagination, bulk ------------------------------------------


def test_queue_filters_and_pagination(client, annotate, demo) -> None:
    made = [annotate(body=f"Uwaga numer {i}.") for i in range(52)]
    question = annotate(AnnotationKind.QUESTION, body="Jedyne pytanie testowe.")
    login(client, "coordinator")
    html = client.get("/review/?kind=question").get_data(as_text=True)
    assert f">#{question.id}<" in html and f">#{made[0].id}<" not in html
    all_count = services.count(services.queue_query(programme=demo))
    first = client.get("/review/").get_data(as_text=True)
    assert first.count('<th scope="row">') == 50
    assert f"Uwagi spełniające filtry: {all_count}" in first
    assert 'rel="next"' in first
    last_page = -(-all_count // 50)
    last = client.get(f"/review/?page={last_page}").get_data(as_text=True)
    assert f">#{question.id}<" in last and 'rel="prev"' in last
    # Unknown filter values are ignored rather than failing.
    assert client.get("/review/?status=bogus&round=99").status_code == 200
    html = client.get("/review/?status=decided&kind=question").get_data(as_text=True)
    assert f">#{question.id}<" not in html


def test_sector_queue_tabs(client, annotate, people, sectors) -> None:
    a = annotate(body="Nowa w edukacji.")
    b = annotate(body="Z rekomendacją w edukacji.")
    services.recommend(
        people["leader"],
        b,
        sector=sectors["edukacja"],
        decision=Decision.ACCEPTED,
        justification="Tak.",
        expected_revision=0,
    )
    db.session.commit()
    login(client, "member")
    new = client.get("/review/sectors/edukacja").get_data(as_text=True)
    assert f">#{a.id}<" in new and f">#{b.id}<" not in new
    assert 'aria-current="page">nowa (' in new
    rec = client.get("/review/sectors/edukacja?status=recommended").get_data(
        as_text=True
    )
    assert f">#{b.id}<" in rec and f">#{a.id}<" not in rec


def test_bulk_decision_for_identical_comments(client, annotate) -> None:
    same = [
        annotate(body="Więcej  pieniędzy na\nsport."),
        annotate(body="więcej pieniędzy na sport."),
    ]
    login(client, "coordinator")
    assert "/review/identical" in client.get("/review/").get_data(as_text=True)
    html = client.get("/review/identical").get_data(as_text=True)
    for a in same:
        assert f'value="{a.id}:0"' in html
    response = client.post(
        "/review/bulk",
        data={
            "pick": [f"{a.id}:0" for a in same],
            "decision": "noted",
            "justification": "Jedno uzasadnienie dla wszystkich.",
        },
    )
    assert response.status_code == 302
    for a in same:
        a = reload(a)
        assert (a.decision, a.justification) == (
            Decision.NOTED,
            "Jedno uzasadnienie dla wszystkich.",
        )


def test_bulk_decision_is_all_or_nothing(client, annotate) -> None:
    same = [annotate(body="Ta sama uwaga."), annotate(body="Ta sama uwaga.")]
    login(client, "coordinator")
    assert decide(client, same[1]).status_code == 302
    response = client.post(
        "/review/bulk",
        data={
            "pick": [f"{a.id}:0" for a in same],
            "decision": "accepted",
            "justification": "Hurtem.",
        },
    )
    assert response.status_code == 409
    assert reload(same[0]).decision is None
    assert reload(same[1]).decision is Decision.REJECTED
    response = client.post(
        "/review/bulk",
        data={"pick": [f"{same[0].id}:0"], "decision": "accepted", "justification": ""},
    )
    assert response.status_code == 422 and reload(same[0]).decision is None


def test_bulk_is_for_coordinators_only(client, annotate) -> None:
    a = annotate()
    login(client, "leader")
    assert client.get("/review/identical").status_code == 403
    response = client.post(
        "/review/bulk",
        data={"pick": [f"{a.id}:0"], "decision": "accepted", "justification": "x"},
    )
    assert response.status_code == 403 and reload(a).decision is None


def test_queue_page_runs_a_fixed_number_of_queries(client, annotate, people) -> None:
    """No query per row: the page with 60 more rows runs no more statements."""
    login(client, "coordinator")

    def statements(url: str) -> int:
        seen = []

        def count(*_args) -> None:
            seen.append(1)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    few = statements("/review/")
    for i in range(60):
        annotate(body=f"Kolejna uwaga {i}.", author=people["member"])
    many = statements("/review/")
    assert many <= few + 2
