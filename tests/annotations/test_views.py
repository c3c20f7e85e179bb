"""Annotating through the plain forms (no JavaScript): write, read, filter, reply,
edit, withdraw, report and moderate — and what each role may not do."""

from __future__ import annotations

import sys
import types
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.conftest import DEMO_TODAY, make_user
from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    ModerationAction,
    ModerationEvent,
)
from wpw.annotations.views import section as section_views
from wpw.annotations.views import threads as thread_views
from wpw.auth.models import Role, User
from wpw.core import utcnow
from wpw.documents import services as documents
from wpw.extensions import db
from wpw.process.models import Phase, PhaseKind

PASSWORD = "wpw-demo-2011"
SECTION = "/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja"
POST = SECTION + "/annotations"
ROUND1 = "/programmes/wpw-2012-2014/rounds/1/sections/zadania-edukacja"


@pytest.fixture(autouse=True)
def demo_today(monkeypatch) -> None:
    for module in (section_views, thread_views):
        monkeypatch.setattr(module, "city_today", lambda: DEMO_TODAY)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Annotation))


def version(demo, number: int = 2, key: str = "zadania-edukacja"):
    return documents.version_in_round(documents.round_by_number(demo, number), key)


def login(auth, email: str = "ngo@wpw.example") -> None:
    response = auth.login(email, PASSWORD)
    assert response.status_code == 302


def post(client, demo, **fields):
    data = {
        "kind": "comment",
        "first_line": "3",
        "last_line": "3",
        "body": "Treść uwagi",
        "version_id": str(version(demo).id),
        **fields,
    }
    return client.post(POST, data=data)


def latest() -> Annotation:
    return db.session.scalars(select(Annotation).order_by(Annotation.id.desc())).first()


def make_annotation(client, auth, demo, email="ngo@wpw.example", **fields):
    login(auth, email)
    response = post(client, demo, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return latest()


# --- the form on the section page ------------------------------------------------


def test_signed_in_user_sees_the_form_prefilled_from_lines(client, auth, demo) -> None:
    login(auth)
    html = client.get(SECTION + "?lines=3-5").get_data(as_text=True)
    assert 'id="annotate"' in html and 'action="' + POST + '"' in html
    assert "<legend>Rodzaj uwagi</legend>" in html
    assert 'id="first_line"' in html and 'value="3"' in html and 'value="5"' in html
    assert 'max="16"' in html
    assert 'aria-live="polite"' in html


def test_anonymous_sees_login_link_and_cannot_post(client, demo) -> None:
    html = client.get(SECTION).get_data(as_text=True)
    assert "Zaloguj się, aby zgłosić uwagę" in html and 'id="annotate"' not in html
    assert "next=/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja" in html
    before = count()
    response = post(client, demo)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count() == before


def test_closed_round_shows_a_note_and_no_form(client, auth, demo) -> None:
    login(auth)
    html = client.get(ROUND1).get_data(as_text=True)
    assert "Konsultacje tej rundy są zamknięte" in html
    assert 'id="annotate"' not in html


@pytest.mark.parametrize(
    ("kind", "extra", "label"),
    [
        ("comment", {}, "Uwaga"),
        ("question", {}, "Pytanie"),
        ("change", {"replacement": "nowe brzmienie wiersza"}, "Propozycja zmiany"),
    ],
)
def test_posting_each_kind_without_javascript(
    client, auth, demo, kind, extra, label
) -> None:
    login(auth)
    before = count()
    response = post(
        client, demo, kind=kind, first_line="3", last_line="5", body="Ważne", **extra
    )
    assert response.status_code == 302
    annotation = latest()
    assert count() == before + 1
    assert annotation.kind is AnnotationKind(kind)
    assert (annotation.first_line, annotation.last_line) == (3, 5)
    assert annotation.organisation.name == "Stowarzyszenie Edukacja Razem"
    assert response.headers["Location"].endswith(f"#a{annotation.id}")
    html = client.get(SECTION).get_data(as_text=True)
    assert f'id="a{annotation.id}"' in html and f"{label} wiersze 3–5" in html
    assert 'apage=1#notes-L3"' in html
    if kind == "change":
        assert annotation.replacement == "nowe brzmienie wiersza"
        assert "Uzasadnienie:" in html
        edit = client.get(f"/annotations/{annotation.id}/edit").get_data(as_text=True)
        assert '<label for="body">Uzasadnienie</label>' in edit
        assert "nowe brzmienie wiersza</textarea>" in edit


def test_passage_by_offsets_quotes_exactly_that_passage(client, auth, demo) -> None:
    login(auth)
    text = version(demo).text
    start = text.index("zajęć pozalekcyjnych")
    end = start + len("zajęć pozalekcyjnych")
    response = post(client, demo, start=str(start), end=str(end), first_line="1")
    assert response.status_code == 302
    annotation = latest()
    assert annotation.exact == "zajęć pozalekcyjnych"
    assert (annotation.first_line, annotation.last_line) == (3, 3)


def test_expert_annotation_is_marked(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo, "ekspert@wpw.example")
    assert annotation.is_expert
    html = client.get(SECTION).get_data(as_text=True)
    assert "Opinia eksperta" in html


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_line": "15", "last_line": "17"}, "Wybierz wiersze od 1 do 16"),
        ({"first_line": "5", "last_line": "3"}, "Wybierz wiersze od 1 do 16"),
        ({"first_line": "0", "last_line": "3"}, "Wiersze są numerowane od 1"),
        ({"first_line": "x", "last_line": "3"}, "Formularz zawiera błędy"),
        ({"body": "   "}, "Napisz treść uwagi"),
        ({"body": "a" * 20_001}, "najwyżej 20000 znaków"),
        ({"kind": "reply"}, "Formularz zawiera błędy"),
        ({"kind": "change", "body": ""}, "Uzasadnij proponowaną zmianę"),
    ],
)
def test_bad_input_saves_nothing(client, auth, demo, fields, message) -> None:
    login(auth)
    before = count()
    response = post(client, demo, **fields)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html.replace("\xa0", "").replace(" 000", "000")
    assert 'id="annotate"' in html
    assert count() == before


def test_change_identical_to_the_text_is_refused(client, auth, demo) -> None:
    login(auth)
    before = count()
    line = version(demo).lines[2]
    response = post(client, demo, kind="change", replacement=line, body="Bez zmian")
    assert response.status_code == 422
    assert "taki sam jak obecny" in response.get_data(as_text=True)
    assert count() == before


def test_version_of_another_section_is_refused(client, auth, demo) -> None:
    login(auth)
    before = count()
    other = version(demo, 2, "zadania-sport")
    response = post(client, demo, version_id=str(other.id))
    assert response.status_code == 422
    assert "innego paragrafu" in response.get_data(as_text=True)
    assert count() == before


def test_closed_round_refuses_a_post(client, auth, demo) -> None:
    login(auth)
    before = count()
    response = client.post(
        ROUND1 + "/annotations",
        data={"kind": "comment", "first_line": 1, "last_line": 1, "body": "Za późno"},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "tylko do opublikowanej rundy" in html  # round 1 is closed
    assert 'id="annotate"' not in html
    assert count() == before


def test_working_round_refuses_a_post(client, auth, demo) -> None:
    login(auth, "koordynator@wpw.example")
    team = db.session.scalar(
        select(User).where(User.email == "koordynator@wpw.example")
    )
    working = documents.open_working_copy(team, demo, "Tekst przyjęty")
    db.session.commit()
    before = count()
    response = client.post(
        f"/programmes/wpw-2012-2014/rounds/{working.number}/sections/"
        "zadania-edukacja/annotations",
        data={"kind": "comment", "first_line": 1, "last_line": 1, "body": "Szkic"},
    )
    assert response.status_code == 409
    assert "opublikowanej rundy" in response.get_data(as_text=True)
    assert count() == before
    auth.logout()
    login(auth)  # an NGO may not even see the working round
    response = client.post(
        f"/programmes/wpw-2012-2014/rounds/{working.number}/sections/"
        "zadania-edukacja/annotations",
        data={"kind": "comment", "first_line": 1, "last_line": 1, "body": "Szkic"},
    )
    assert response.status_code == 404


def test_phase_closed_between_get_and_post(client, auth, demo) -> None:
    login(auth)
    assert 'id="annotate"' in client.get(SECTION).get_data(as_text=True)
    round2 = documents.round_by_number(demo, 2)
    phase = db.session.scalar(
        select(Phase).where(
            Phase.round_id == round2.id, Phase.kind == PhaseKind.CONSULTATION
        )
    )
    phase.starts_on = DEMO_TODAY - timedelta(days=20)
    phase.ends_on = DEMO_TODAY - timedelta(days=1)
    db.session.commit()
    before = count()
    response = post(client, demo)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Konsultacje tej rundy są zamknięte. Nic nie zostało zapisane." in html
    assert count() == before


def test_bodies_are_escaped(client, auth, demo) -> None:
    annotation = make_annotation(
        client, auth, demo, body='<script>alert("x")</script> & <b>bold</b>'
    )
    for url in (SECTION, f"/annotations/{annotation.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "&lt;script&gt;alert(" in html
        assert '<script>alert("x")' not in html and "<b>bold</b>" not in html


def test_missing_csrf_token_is_refused(csrf_app, demo) -> None:
    client = csrf_app.test_client()
    client.post("/login", data={"email": "ngo@wpw.example", "password": PASSWORD})
    before = count()
    response = client.post(
        POST, data={"kind": "comment", "first_line": 3, "last_line": 3, "body": "x"}
    )
    assert response.status_code in (400, 422)
    assert count() == before


# --- grouping and filters --------------------------------------------------------


def test_lines_with_many_annotations_stand_out(client, auth, demo) -> None:
    for body in ("a", "b", "c"):
        make_annotation(client, auth, demo, first_line="7", last_line="7", body=body)
    make_annotation(client, auth, demo, first_line="8", last_line="8")
    html = client.get(SECTION).get_data(as_text=True)
    assert '<li id="L7" class="has-notes many-notes">' in html
    assert '<li id="L8" class="has-notes">' in html
    assert "3 uwag" in html and 'id="notes-L7"' in html


def test_carried_over_annotation_shows_old_and_new_wording(client, demo) -> None:
    html = client.get(SECTION).get_data(as_text=True)
    assert "z rundy 1" in html
    assert "W rundzie 1 fragment brzmiał:" in html and "Teraz brzmi:" in html


def test_filters_by_kind_state_organisation_and_sector(client, auth, demo) -> None:
    question = make_annotation(client, auth, demo, kind="question", body="Pytam")
    comment = make_annotation(
        client, auth, demo, "fundacja@wpw.example", kind="comment", body="Uwagi"
    )

    def shown(**args) -> tuple[bool, bool]:
        html = client.get(SECTION, query_string=args).get_data(as_text=True)
        return f'id="a{question.id}"' in html, f'id="a{comment.id}"' in html

    assert shown() == (True, True)
    assert shown(filter_kind="question") == (True, False)
    assert shown(filter_org=str(comment.organisation_id)) == (False, True)
    assert shown(filter_decision="withdrawn") == (False, False)
    assert shown(filter_decision="undecided") == (True, True)
    assert shown(filter_sector="edukacja") == (True, True)
    assert shown(filter_kind="bogus") == (True, True)  # an unknown value is ignored
    html = client.get(SECTION).get_data(as_text=True)
    assert "Fundacja Zielony Kraków</option>" in html


def decide(annotation, decision, justification="", wording=None) -> None:
    annotation.decision = decision
    annotation.justification = justification
    annotation.adopted_wording = wording
    annotation.decided_at = utcnow()
    db.session.commit()


def test_filters_by_decision_including_undecided_and_withdrawn(
    client, auth, demo
) -> None:
    open_ = make_annotation(client, auth, demo, body="Otwarta")
    accepted = make_annotation(client, auth, demo, body="Przyjęta")
    withdrawn = make_annotation(client, auth, demo, body="Wycofana")
    decide(accepted, Decision.ACCEPTED, "Słusznie.")
    withdrawn.state = AnnotationState.WITHDRAWN
    db.session.commit()
    mine = (open_, accepted, withdrawn)

    def shown(decision: str) -> tuple[bool, ...]:
        html = client.get(SECTION, query_string={"filter_decision": decision})
        return tuple(f'id="a{a.id}"' in html.get_data(as_text=True) for a in mine)

    assert shown("") == (True, True, True)
    assert shown("undecided") == (True, False, False)
    assert shown("accepted") == (False, True, False)
    assert shown("withdrawn") == (False, False, True)
    assert shown("rejected") == (False, False, False)
    html = client.get(SECTION).get_data(as_text=True)
    for label in (
        "bez rozstrzygnięcia",
        "uwzględniona częściowo",
        "przyjęta do wiadomości",
        "wycofana przez autora",
    ):
        assert f"{label}</option>" in html


def test_line_counts_follow_the_filter(client, auth, demo) -> None:
    make_annotation(client, auth, demo, first_line="9", last_line="9", kind="question")
    html = client.get(SECTION, query_string={"filter_kind": "change"})
    html = html.get_data(as_text=True)
    assert 'id="L9" class="has-notes' not in html
    html = client.get(SECTION, query_string={"filter_kind": "question"})
    assert '<li id="L9" class="has-notes' in html.get_data(as_text=True)


def test_decisions_are_shown_publicly(client, auth, demo) -> None:
    partial = make_annotation(
        client, auth, demo, kind="change", replacement="Nowe słowa", body="Bo tak"
    )
    rejected = make_annotation(client, auth, demo, body="Inna")
    withdrawn = make_annotation(client, auth, demo, body="Jednak nie")
    decide(partial, Decision.PARTIALLY_ACCEPTED, "Po części <b>tak</b>.", "Kompromis")
    decide(rejected, Decision.REJECTED, "Nie dotyczy.")
    withdrawn.state = AnnotationState.WITHDRAWN
    db.session.commit()

    html = client.get(SECTION).get_data(as_text=True)  # anonymous
    assert "uwzględniona częściowo" in html and "Kompromis" in html
    assert "Po części &lt;b&gt;tak&lt;/b&gt;." in html  # escaped
    assert "nieuwzględniona" in html and "Nie dotyczy." in html
    thread = client.get(f"/annotations/{partial.id}").get_data(as_text=True)
    assert "Rozstrzygnięcie Zespołu Koordynującego:" in thread
    assert "Przyjęte brzmienie:" in thread and "Kompromis" in thread
    thread = client.get(f"/annotations/{rejected.id}").get_data(as_text=True)
    assert "nieuwzględniona" in thread and "Przyjęte brzmienie:" not in thread
    thread = client.get(f"/annotations/{withdrawn.id}").get_data(as_text=True)
    assert "wycofana przez autora" in thread
    # The author can no longer edit or withdraw a decided annotation.
    login(auth)
    thread = client.get(f"/annotations/{rejected.id}").get_data(as_text=True)
    assert "Wycofaj uwagę" not in thread and "/edit" not in thread
    thread = client.get(f"/annotations/{withdrawn.id}").get_data(as_text=True)
    assert "Wycofaj uwagę" not in thread


@pytest.mark.parametrize("offered", [True, False])
def test_thread_links_to_the_resulting_wording(
    client, auth, demo, monkeypatch, offered
) -> None:
    import wpw.compare

    annotation = make_annotation(client, auth, demo)
    decide(annotation, Decision.ACCEPTED, "Tak.")
    tracing = types.ModuleType("wpw.compare.tracing")
    if offered:
        tracing.trace_url = lambda a: f"/trace/{a.id}"
    monkeypatch.setitem(sys.modules, "wpw.compare.tracing", tracing)
    monkeypatch.setattr(wpw.compare, "tracing", tracing, raising=False)
    html = client.get(f"/annotations/{annotation.id}").get_data(as_text=True)
    link = f'<a href="/trace/{annotation.id}">Zobacz wynikowe brzmienie</a>'
    assert (link in html) is offered


# --- threads ---------------------------------------------------------------------


def test_thread_page_is_public_and_404_for_unknown(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo, body="Publiczne")
    response = client.get(f"/annotations/{annotation.id}")
    assert response.status_code == 200
    assert "Publiczne" in response.get_data(as_text=True)
    assert client.get("/annotations/99999").status_code == 404


def test_replies_are_threaded(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo)
    login(auth, "fundacja@wpw.example")
    response = client.post(
        f"/annotations/{annotation.id}/replies",
        data={f"r{annotation.id}-body": "Zgadzam się"},
    )
    assert response.status_code == 302
    answer = latest()
    assert answer.parent_id == annotation.id and answer.kind is AnnotationKind.REPLY
    assert response.headers["Location"].endswith(
        f"/annotations/{annotation.id}#a{answer.id}"
    )
    assert "Zgadzam się" in client.get(f"/annotations/{annotation.id}").get_data(
        as_text=True
    )
    assert "Zgadzam się" in client.get(SECTION).get_data(as_text=True)
    # a reply's own address leads to its thread
    response = client.get(f"/annotations/{answer.id}")
    assert response.status_code == 302
    before = count()
    response = client.post(
        f"/annotations/{annotation.id}/replies", data={f"r{annotation.id}-body": " "}
    )
    assert response.status_code == 422 and count() == before


def test_anonymous_cannot_reply_edit_withdraw_report_or_hide(
    client, auth, demo
) -> None:
    annotation = make_annotation(client, auth, demo)
    before = count()
    for action, data in [
        ("replies", {f"r{annotation.id}-body": "x"}),
        ("edit", {"body": "x"}),
        ("withdraw", {}),
        ("report", {"report-reason": "x"}),
        ("hide", {"hide-reason": "x"}),
        ("restore", {"restore-reason": "x"}),
    ]:
        response = client.post(f"/annotations/{annotation.id}/{action}", data=data)
        assert response.status_code == 302, action
        assert "/login" in response.headers["Location"]
    assert count() == before
    db.session.refresh(annotation)
    assert annotation.body == "Treść uwagi" and not annotation.is_hidden


def test_only_the_author_edits_and_withdraws(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo)
    login(auth, "fundacja@wpw.example")
    assert client.get(f"/annotations/{annotation.id}/edit").status_code == 403
    response = client.post(f"/annotations/{annotation.id}/edit", data={"body": "x"})
    assert response.status_code == 403
    response = client.post(f"/annotations/{annotation.id}/withdraw")
    assert response.status_code == 403
    db.session.refresh(annotation)
    assert annotation.state is AnnotationState.OPEN
    auth.logout()

    login(auth)
    page = client.get(f"/annotations/{annotation.id}/edit")
    assert page.status_code == 200 and "Treść uwagi" in page.get_data(as_text=True)
    response = client.post(f"/annotations/{annotation.id}/edit", data={"body": ""})
    assert response.status_code == 422
    response = client.post(
        f"/annotations/{annotation.id}/edit", data={"body": "Poprawiona"}
    )
    assert response.status_code == 302
    db.session.refresh(annotation)
    assert annotation.body == "Poprawiona"
    response = client.post(f"/annotations/{annotation.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(annotation)
    assert annotation.state is AnnotationState.WITHDRAWN
    assert "wycofana" in client.get(SECTION).get_data(as_text=True)
    response = client.post(f"/annotations/{annotation.id}/withdraw")
    assert response.status_code == 409


def test_report_is_recorded_for_any_signed_in_user(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo)
    login(auth, "mieszkanka@wpw.example")
    response = client.post(
        f"/annotations/{annotation.id}/report", data={"report-reason": "Spam"}
    )
    assert response.status_code == 302
    event = db.session.scalar(
        select(ModerationEvent).where(ModerationEvent.annotation_id == annotation.id)
    )
    assert event.action is ModerationAction.REPORTED and event.reason == "Spam"
    response = client.post(
        f"/annotations/{annotation.id}/report", data={"report-reason": ""}
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("koordynator@wpw.example", True),
        ("lider.edukacja@wpw.example", True),  # leads the section's sector
        ("fundacja@wpw.example", False),  # leads another sector
        ("ngo@wpw.example", False),  # a member, and the author
        ("mowis@wpw.example", True),
    ],
)
def test_only_moderators_hide_and_restore(client, auth, demo, email, allowed) -> None:
    annotation = make_annotation(client, auth, demo, body="Obraźliwy tekst")
    login(auth, email)
    response = client.post(
        f"/annotations/{annotation.id}/hide", data={"hide-reason": "Obraża innych"}
    )
    db.session.refresh(annotation)
    if not allowed:
        assert response.status_code == 403
        assert not annotation.is_hidden
        return
    assert response.status_code == 302
    assert annotation.hidden_reason == "Obraża innych"
    assert "ukrycie" in client.get(f"/annotations/{annotation.id}").get_data(
        as_text=True
    )
    response = client.post(f"/annotations/{annotation.id}/restore", data={})
    assert response.status_code == 302
    db.session.refresh(annotation)
    assert not annotation.is_hidden


def test_hidden_annotation_shows_the_reason_to_others(client, auth, demo) -> None:
    annotation = make_annotation(client, auth, demo, body="Obraźliwy tekst")
    login(auth, "koordynator@wpw.example")
    client.post(
        f"/annotations/{annotation.id}/hide", data={"hide-reason": "Obraża innych"}
    )
    html = client.get(f"/annotations/{annotation.id}").get_data(as_text=True)
    assert "Ukryta przez moderatora: Obraża innych" in html
    assert "Obraźliwy tekst" in html  # a moderator still reads it, marked
    assert "Historia moderacji" in html
    auth.logout()
    for url in (SECTION, f"/annotations/{annotation.id}"):
        html = client.get(url).get_data(as_text=True)
        assert "Ukryta przez moderatora: Obraża innych" in html
        assert "Obraźliwy tekst" not in html
    login(auth)  # the author
    html = client.get(f"/annotations/{annotation.id}").get_data(as_text=True)
    assert "Obraźliwy tekst" in html and "widzą go tylko autor" in html
    before = count()
    response = client.post(
        f"/annotations/{annotation.id}/replies",
        data={f"r{annotation.id}-body": "Ale dlaczego?"},
    )
    assert response.status_code == 409 and count() == before


def test_new_user_without_organisation_can_annotate(client, auth, demo) -> None:
    user = make_user(Role.CITIZEN, name="Nowa Mieszkanka")
    auth.login(user)
    response = post(client, demo, body="Moja uwaga")
    assert response.status_code == 302
    assert latest().organisation_id is None


def test_long_lists_come_a_page_at_a_time_with_full_line_counts(client, demo) -> None:
    from wpw.annotations import services
    from wpw.annotations.models import AnnotationKind
    from wpw.annotations.views import NOTES_PER_PAGE
    from wpw.documents import services as documents

    version = documents.version_in_round(demo.rounds[1], "zadania-zdrowie")
    author = make_user(Role.NGO)
    total = NOTES_PER_PAGE + 7
    for i in range(total):
        services.create_annotation(
            author,
            version,
            kind=AnnotationKind.COMMENT,
            body=f"Uwaga {i}",
            first_line=1 + i % 2,
            last_line=1 + i % 2,
            today=DEMO_TODAY,
        )
    db.session.commit()
    url = "/programmes/wpw-2012-2014/rounds/2/sections/zadania-zdrowie"
    first = client.get(url).get_data(as_text=True)
    assert first.count('class="note-title"') == NOTES_PER_PAGE
    assert f"({total})" in first and "apage=2" in first
    second = client.get(url + "?apage=2").get_data(as_text=True)
    assert second.count('class="note-title"') == 7
    # Line counts are whole on every page: lines 1 and 2 share the notes.
    assert f"{(total + 1) // 2} uwag" in second and f"{total // 2} uwag" in second
    assert client.get(url + "?apage=99").status_code == 200


def test_an_author_hiding_their_name_is_shown_by_organisation(
    app, client, demo
) -> None:
    from sqlalchemy import select

    from wpw.auth.models import User
    from wpw.extensions import db

    author = db.session.scalar(select(User).where(User.email == "ngo@wpw.example"))
    page = "/programmes/wpw-2012-2014/rounds/2/sections/zadania-edukacja"
    assert author.name in client.get(page).get_data(as_text=True)
    author.show_name = False
    db.session.commit()
    html = client.get(page).get_data(as_text=True)
    assert author.name not in html
    assert author.organisation.name in html
    person = client.get(f"/api/v1/users/{author.id}").get_json()
    assert person["name"] == author.organisation.name


def test_cards_link_their_threads(app, client, demo) -> None:
    """Cards join the annotation's id to one prefix instead of calling url_for."""
    from flask import url_for

    from wpw.annotations.views.common import thread_url_prefix

    with app.test_request_context():
        assert thread_url_prefix() + "123" == url_for(
            "annotations.thread", annotation_id=123
        )
    html = client.get(SECTION).get_data(as_text=True)
    ids = [a.id for a in db.session.scalars(select(Annotation))]
    assert any(f'href="/annotations/{i}"' in html for i in ids)
