"""The mail pages: one-click unsubscribe (without CSRF), the preferences page per
role, and requests that never fail because of mail."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.conftest import TEST_PASSWORD, make_user
from tests.mail.conftest import World
from wpw.auth.models import Role, User
from wpw.extensions import db
from wpw.mail import notify, services
from wpw.mail.models import MailCategory, OutboxMail, QueueMail
from wpw.sectors.models import MembershipRole


def _fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


# --- one-click unsubscribe -------------------------------------------------------


@pytest.fixture
def csrf_client(csrf_app: Flask):
    return csrf_app.test_client()


def test_unsubscribe_page_explains_and_changes_nothing(csrf_app, csrf_client) -> None:
    user = make_user(Role.NGO, email="ola@test.example")
    token = services.unsubscribe_token(user, MailCategory.REPLY)
    page = csrf_client.get(f"/mail/unsubscribe/{token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "powiadomienia o odpowiedziach na Twoje uwagi" in html
    assert "ola@test.example" in html
    assert f'action="/mail/unsubscribe/{token}"' in html and 'method="post"' in html
    assert _fresh(user).mail_replies


@pytest.mark.parametrize(
    ("category", "off"),
    [
        (MailCategory.DECISION, lambda u: not u.mail_decisions),
        (MailCategory.REPLY, lambda u: not u.mail_replies),
        (MailCategory.QUEUE, lambda u: u.mail_queue is QueueMail.OFF),
        (MailCategory.DIGEST, lambda u: u.mail_queue is QueueMail.OFF),
    ],
)
def test_one_click_post_works_without_csrf(
    csrf_app, csrf_client, category, off
) -> None:
    user = make_user(Role.NGO)
    user.mail_queue = QueueMail.DAILY
    db.session.commit()
    token = services.unsubscribe_token(user, category)
    # What a mail client sends (RFC 8058): no session, no CSRF token.
    response = csrf_client.post(
        f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert str(services.CATEGORY_LABELS[category]) in response.get_data(as_text=True)
    assert off(_fresh(user))


@pytest.mark.parametrize("method", ["get", "post"])
def test_forged_token_is_refused_with_a_message(csrf_app, csrf_client, method) -> None:
    user = make_user(Role.NGO)
    token = services.unsubscribe_token(user, MailCategory.DECISION)
    forged = token.replace(token[-4:], "AAAA" if token[-4:] != "AAAA" else "BBBB")
    response = getattr(csrf_client, method)(f"/mail/unsubscribe/{forged}")
    assert response.status_code == 400
    assert "Ten link rezygnacji jest nieprawidłowy" in response.get_data(as_text=True)
    assert _fresh(user).mail_decisions


def test_other_forms_still_need_csrf(csrf_app, csrf_client) -> None:
    user = make_user(Role.NGO)
    login_page = csrf_client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page)
    signed_in = csrf_client.post(
        "/login",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token[1]},
    )
    assert signed_in.status_code == 302
    response = csrf_client.post("/mail/preferences", data={"replies": "y"})
    assert response.status_code == 400  # CSRFProtect refuses it
    assert _fresh(user).mail_decisions


# --- preferences -----------------------------------------------------------------


def test_preferences_need_signing_in(client) -> None:
    response = client.get("/mail/preferences")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.post("/mail/preferences", data={"decisions": "y"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", list(Role))
def test_preferences_per_role(client, auth, users, role) -> None:
    user = users[role]
    auth.login(user)
    page = client.get("/mail/preferences")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'name="decisions"' in html and 'name="replies"' in html
    assert 'name="show_name"' in html
    assert 'name="queue"' not in html  # not in any sub-team
    response = client.post("/mail/preferences", data={"replies": "y"})
    assert response.status_code == 302
    fresh = _fresh(user)
    assert not fresh.mail_decisions and fresh.mail_replies and not fresh.show_name
    assert fresh.mail_queue is QueueMail.IMMEDIATE  # untouched
    assert "Zapisano ustawienia powiadomień." in client.get(
        "/mail/preferences"
    ).get_data(as_text=True)


@pytest.mark.parametrize("membership", list(MembershipRole))
def test_sub_team_members_choose_queue_mail(
    client, auth, world: World, membership
) -> None:
    user = world.leader if membership is MembershipRole.LEADER else world.member
    auth.login(user)
    html = client.get("/mail/preferences").get_data(as_text=True)
    assert html.count('name="queue"') == 3
    assert re.search(r'<input checked[^>]* value="immediate"', html)
    response = client.post(
        "/mail/preferences",
        data={"decisions": "y", "replies": "y", "show_name": "y", "queue": "daily"},
    )
    assert response.status_code == 302
    assert _fresh(user).mail_queue is QueueMail.DAILY
    bad = client.post("/mail/preferences", data={"queue": "hourly"})
    assert bad.status_code == 422
    assert _fresh(user).mail_queue is QueueMail.DAILY


def test_account_page_links_to_preferences(client, auth, users) -> None:
    auth.login(users[Role.NGO])
    html = client.get("/account").get_data(as_text=True)
    assert 'href="/mail/preferences"' in html


# --- no request fails because of mail ---------------------------------------------


def _count() -> int:
    return db.session.scalar(select(func.count(OutboxMail.id)))


def test_reply_request_only_queues_mail_even_with_smtp_down(
    client, auth, world: World, smtp_down
) -> None:
    note = world.annotate()
    before = _count()
    auth.login(world.member)
    response = client.post(
        f"/annotations/{note.id}/replies",
        data={f"r{note.id}-body": "Odpowiedź podczas awarii poczty."},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    assert _count() == before + 1
    db.session.expire_all()
    mail = db.session.scalars(select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    assert mail.category is MailCategory.REPLY and mail.sent_at is None
    assert mail.attempts == 0
    # Written in Polish although the request was in English.
    assert mail.body.startswith("Dzień dobry, Anna Autorka,")


def test_a_broken_receiver_does_not_fail_the_request(
    client, auth, world: World, monkeypatch
) -> None:
    note = world.annotate()

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(notify, "render_template", broken)
    auth.login(world.member)
    response = client.post(
        f"/annotations/{note.id}/replies", data={f"r{note.id}-body": "Mimo to."}
    )
    assert response.status_code == 302  # the reply is saved, without mail
    db.session.expire_all()
    assert [r.body for r in db.session.get(type(note), note.id).replies] == ["Mimo to."]
