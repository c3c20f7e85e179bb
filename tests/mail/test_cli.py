"""``flask wpw send-mail`` and ``flask wpw send-digests``."""

from __future__ import annotations

from sqlalchemy import select

from tests.mail.conftest import World
from wpw.extensions import db
from wpw.mail.models import MailCategory, OutboxMail


def _unsent() -> int:
    return len(
        db.session.scalars(select(OutboxMail).where(OutboxMail.sent_at.is_(None))).all()
    )


def test_send_mail_prints_counts(world: World, smtp, runner) -> None:
    world.annotate()  # queue mail for the member and the leader
    result = runner.invoke(args=["wpw", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 0" in result.output
    assert _unsent() == 0 and len(smtp.collector.envelopes) == 2


def test_send_mail_with_the_server_down_keeps_the_mail(
    world: World, smtp_down, runner
) -> None:
    world.annotate()
    result = runner.invoke(args=["wpw", "send-mail"])
    assert result.exit_code == 0, result.output
    assert "Sent 0, failed 2" in result.output
    db.session.expire_all()
    assert _unsent() == 2


def test_send_mail_loop_stops_when_interrupted(
    world: World, smtp, runner, monkeypatch
) -> None:
    world.annotate()

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("wpw.mail.cli.time.sleep", interrupt)
    result = runner.invoke(args=["wpw", "send-mail", "--loop", "--interval", "1"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 0" in result.output and "Stopped." in result.output


def test_send_digests_queues_and_send_mail_delivers(world: World, smtp, runner) -> None:
    world.annotate()
    result = runner.invoke(args=["wpw", "send-digests"])
    assert result.exit_code == 0, result.output
    assert "Queued 1 digest" in result.output
    digest = db.session.scalars(
        select(OutboxMail).where(OutboxMail.category == MailCategory.DIGEST)
    ).one()
    assert digest.to_address == world.daily.email
    runner.invoke(args=["wpw", "send-mail"])
    assert smtp.collector.to(world.daily.email)
    again = runner.invoke(args=["wpw", "send-digests"])
    assert "Queued 0 digest" in again.output
