"""The outbox: queueing by preference, sending over real SMTP, retrying with
backoff when the server is down, unsubscribe tokens and preferences."""

from __future__ import annotations

import email.utils
from datetime import timedelta

import pytest
from flask import Flask
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from tests.conftest import make_user
from tests.mail.conftest import Smtp, text
from wpw.auth.models import Role
from wpw.core import utcnow
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.mail import services
from wpw.mail.models import MailCategory, OutboxMail, QueueMail


def _unsent() -> list[OutboxMail]:
    return list(
        db.session.scalars(
            select(OutboxMail)
            .where(OutboxMail.sent_at.is_(None))
            .order_by(OutboxMail.id)
        )
    )


def _queue(user, category=MailCategory.DECISION, subject="Temat ż", body="Treść ą"):
    mail = services.queue_mail(user, category, subject, body)
    db.session.commit()
    return mail


# --- queueing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "setting", "value"),
    [
        (MailCategory.DECISION, "mail_decisions", False),
        (MailCategory.REPLY, "mail_replies", False),
        (MailCategory.QUEUE, "mail_queue", QueueMail.OFF),
        (MailCategory.QUEUE, "mail_queue", QueueMail.DAILY),
        (MailCategory.DIGEST, "mail_queue", QueueMail.OFF),
        (MailCategory.DIGEST, "mail_queue", QueueMail.IMMEDIATE),
    ],
)
def test_queue_mail_respects_preferences(app: Flask, category, setting, value) -> None:
    user = make_user(Role.NGO)
    user.mail_queue = (
        QueueMail.DAILY if category is MailCategory.DIGEST else (user.mail_queue)
    )
    assert _queue(user, category) is not None
    setattr(user, setting, value)
    assert _queue(user, category) is None
    assert len(_unsent()) == 1


def test_queue_mail_skips_inactive_accounts_and_never_sends(app: Flask) -> None:
    user = make_user(Role.CITIZEN)
    mail = _queue(user)
    assert mail.sent_at is None and mail.attempts == 0 and mail.to_address == user.email
    user.is_active_account = False
    assert _queue(user) is None


def test_queue_mail_is_part_of_the_transaction(app: Flask) -> None:
    user = make_user(Role.CITIZEN)
    services.queue_mail(user, MailCategory.REPLY, "Temat", "Treść")
    db.session.rollback()
    assert _unsent() == []


# --- sending ---------------------------------------------------------------------


def test_send_pending_delivers_utf8_with_headers(app: Flask, smtp: Smtp) -> None:
    user = make_user(Role.NGO, email="autor@test.example")
    mail = _queue(user, subject="Decyzja: uwzględniona", body="Zażółć gęślą jaźń.")
    assert services.send_pending() == (1, 0)
    assert mail.sent_at is not None and mail.last_error is None
    [envelope] = smtp.collector.envelopes
    assert envelope.rcpt_tos == ["autor@test.example"]
    assert envelope.mail_from == "wpw@localhost"
    [message] = smtp.collector.messages
    assert message["From"] == "WPW Kraków <wpw@localhost>"
    assert message["To"] == "autor@test.example"
    assert message["Subject"] == "Decyzja: uwzględniona"
    assert email.utils.parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Message-ID"].startswith(f"<wpw-outbox-{mail.id}-")
    assert message.get_content_charset() == "utf-8"
    token = services.unsubscribe_token(user, MailCategory.DECISION)
    link = f"http://127.0.0.1:5000/mail/unsubscribe/{token}"
    # The raw header holds the plain URL, not encoded words.
    assert f"List-Unsubscribe: <{link}>".encode() in envelope.content
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = text(message)
    assert body.startswith("Zażółć gęślą jaźń.")
    assert body.rstrip().endswith(link)
    # Sent mail is not sent again.
    assert services.send_pending() == (0, 0)
    assert len(smtp.collector.envelopes) == 1


def test_links_use_the_base_url(app: Flask, smtp: Smtp) -> None:
    app.config["WPW_BASE_URL"] = "https://wpw.krakow.example/konsultacje/"
    user = make_user(Role.NGO)
    _queue(user)
    with app.test_request_context("/", base_url="http://other.example"):
        url = services.absolute_url("annotations.thread", annotation_id=7)
    assert url == "https://wpw.krakow.example/konsultacje/annotations/7"
    assert services.absolute_url("annotations.thread", annotation_id=7) == url
    services.send_pending()
    [message] = smtp.collector.messages
    assert message["List-Unsubscribe"].startswith(
        "<https://wpw.krakow.example/konsultacje/mail/unsubscribe/"
    )


def test_smtp_down_keeps_mail_and_retries_with_backoff(app: Flask, smtp_down) -> None:
    users = [make_user(Role.NGO) for _ in range(3)]
    for user in users:
        _queue(user)
    now = utcnow()
    assert services.send_pending(now=now) == (0, 3)
    mails = _unsent()
    assert len(mails) == 3
    for mail in mails:
        assert mail.attempts == 1 and mail.sent_at is None
        assert mail.next_attempt_at == now + timedelta(minutes=1)
        assert "ConnectionRefusedError" in mail.last_error
    # Not due yet: nothing is tried.
    assert services.send_pending(now=now + timedelta(seconds=30)) == (0, 0)
    # Still down a minute later: the second attempt waits two minutes.
    later = now + timedelta(minutes=1)
    assert services.send_pending(now=later) == (0, 3)
    assert {m.attempts for m in _unsent()} == {2}
    assert {m.next_attempt_at for m in _unsent()} == {later + timedelta(minutes=2)}


def test_mail_queued_while_down_is_delivered_when_the_server_is_up(
    app: Flask, smtp_down
) -> None:
    from aiosmtpd.controller import Controller

    from tests.mail.conftest import Collector, free_port

    user = make_user(Role.NGO)
    _queue(user, body="Poczekam.")
    now = utcnow()
    assert services.send_pending(now=now) == (0, 1)
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        app.config["MAIL_PORT"] = controller.port
        assert services.send_pending(now=now + timedelta(seconds=61)) == (1, 0)
    finally:
        controller.stop()
    [message] = collector.messages
    assert text(message).startswith("Poczekam.")
    [mail] = db.session.scalars(select(OutboxMail))
    assert mail.sent_at is not None and mail.attempts == 1


def test_a_refused_recipient_does_not_stop_the_others(app: Flask, smtp: Smtp) -> None:
    bad = make_user(Role.NGO, email="nieznany@test.example")
    good = make_user(Role.NGO, email="znany@test.example")
    smtp.collector.refuse.add(bad.email)
    _queue(bad)
    _queue(good)
    assert services.send_pending() == (1, 1)
    [left] = _unsent()
    assert left.to_address == bad.email and left.attempts == 1
    assert "550" in left.last_error
    assert [m["To"] for m in smtp.collector.messages] == [good.email]


def test_send_pending_limit(app: Flask, smtp: Smtp) -> None:
    user = make_user(Role.NGO)
    for _ in range(3):
        _queue(user)
    assert services.send_pending(limit=2) == (2, 0)
    assert services.send_pending(limit=2) == (1, 0)


@pytest.mark.parametrize(
    ("attempts", "minutes"),
    [(1, 1), (2, 2), (3, 4), (5, 16), (9, 256), (10, 360), (50, 360)],
)
def test_backoff_doubles_up_to_six_hours(attempts: int, minutes: int) -> None:
    assert services.retry_delay(attempts) == timedelta(minutes=minutes)


# --- unsubscribe tokens and preferences ------------------------------------------


def test_unsubscribe_token_round_trip_and_effect(app: Flask) -> None:
    user = make_user(Role.NGO)
    for category, check in [
        (MailCategory.DECISION, lambda: not user.mail_decisions),
        (MailCategory.REPLY, lambda: not user.mail_replies),
        (MailCategory.QUEUE, lambda: user.mail_queue is QueueMail.OFF),
    ]:
        token = services.unsubscribe_token(user, category)
        assert services.read_unsubscribe_token(token) == (user, category)
        assert services.unsubscribe(token) == (user, category)
        assert check()
    user.mail_queue = QueueMail.DAILY
    services.unsubscribe(services.unsubscribe_token(user, MailCategory.DIGEST))
    assert user.mail_queue is QueueMail.OFF


def test_forged_tokens_are_refused(app: Flask) -> None:
    user = make_user(Role.NGO)
    token = services.unsubscribe_token(user, MailCategory.DECISION)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        URLSafeSerializer("another-secret", salt=services.TOKEN_SALT).dumps(
            {"u": user.id, "c": "decision"}
        ),
        URLSafeSerializer(app.config["SECRET_KEY"], salt="other").dumps(
            {"u": user.id, "c": "decision"}
        ),
        URLSafeSerializer(app.config["SECRET_KEY"], salt=services.TOKEN_SALT).dumps(
            {"u": user.id, "c": "everything"}
        ),
        URLSafeSerializer(app.config["SECRET_KEY"], salt=services.TOKEN_SALT).dumps(
            {"u": 999_999, "c": "decision"}
        ),
        "nonsense",
    ]
    for bad in forged:
        with pytest.raises(Invalid):
            services.unsubscribe(bad)
    assert user.mail_decisions


def test_update_preferences_only_by_the_owner(app: Flask) -> None:
    owner = make_user(Role.NGO)
    values = dict(decisions=False, replies=False, show_name=False)
    for actor in (None, make_user(Role.ADMIN), make_user(Role.COORDINATOR)):
        with pytest.raises(NotAllowed):
            services.update_preferences(actor, owner, **values)
    assert owner.mail_decisions and owner.mail_replies and owner.show_name
    services.update_preferences(owner, owner, **values, queue=QueueMail.DAILY)
    assert not (owner.mail_decisions or owner.mail_replies or owner.show_name)
    assert owner.mail_queue is QueueMail.DAILY
    services.update_preferences(owner, owner, **values)  # queue kept as it is
    assert owner.mail_queue is QueueMail.DAILY


def test_mail_settings_come_from_the_environment(monkeypatch) -> None:
    from wpw.config import Config

    monkeypatch.setenv("SECRET_KEY", "x")
    for name in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    defaults = Config()
    assert (defaults.MAIL_SERVER, defaults.MAIL_PORT) == ("localhost", 25)
    assert not defaults.MAIL_USE_TLS and not defaults.MAIL_USE_SSL
    assert defaults.MAIL_USERNAME is None
    assert defaults.MAIL_FROM == "WPW Kraków <wpw@localhost>"
    assert defaults.WPW_BASE_URL == "http://127.0.0.1:5000"
    monkeypatch.setenv("MAIL_SERVER", "smtp.krakow.example")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "True")
    monkeypatch.setenv("MAIL_USE_SSL", "0")
    monkeypatch.setenv("MAIL_USERNAME", "wpw")
    config = Config()
    assert (config.MAIL_SERVER, config.MAIL_PORT) == ("smtp.krakow.example", 587)
    assert config.MAIL_USE_TLS and not config.MAIL_USE_SSL
    assert config.MAIL_USERNAME == "wpw"
