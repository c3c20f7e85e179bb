"""Who gets which mail, as delivered by a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.mail.conftest import TODAY, World, text
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, Decision
from wpw.core import utcnow
from wpw.extensions import db
from wpw.mail import notify
from wpw.mail.models import MailCategory, OutboxMail, QueueMail
from wpw.mail.services import send_pending
from wpw.signals import annotation_decided


def _outbox(category: MailCategory | None = None) -> list[OutboxMail]:
    query = select(OutboxMail).order_by(OutboxMail.id)
    if category is not None:
        query = query.where(OutboxMail.category == category)
    return list(db.session.scalars(query))


def _decide(
    note: Annotation,
    decision: Decision,
    justification: str,
    adopted_wording: str | None = None,
) -> None:
    """What the review service does (set the decision, send the signal)."""
    note.decision = decision
    note.justification = justification
    note.adopted_wording = adopted_wording
    note.decided_at = utcnow()
    db.session.flush()
    annotation_decided.send(note, event=None)
    db.session.commit()


def test_decision_mail_reaches_the_author(world: World, smtp) -> None:
    note = world.annotate()
    _decide(
        note,
        Decision.PARTIALLY_ACCEPTED,
        "Zakres doprecyzujemy w § 2, ale bez limitu kwotowego.",
        adopted_wording="Wiersz 2: zadanie publiczne dla młodzieży.",
    )
    assert send_pending() == (len(_outbox()), 0)
    [message] = smtp.collector.to(world.author.email)
    body = text(message)
    assert message["Subject"] == (
        "Decyzja w sprawie Twojej uwagi: uwzględniona częściowo"
    )
    assert "Zakres doprecyzujemy w § 2, ale bez limitu kwotowego." in body
    assert "Przyjęte brzmienie:\nWiersz 2: zadanie publiczne dla młodzieży." in body
    assert f"http://127.0.0.1:5000/annotations/{note.id}" in body
    assert "§ 1 Edukacja, wiersze 2–3" in body
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith("http://127.0.0.1:5000/mail/unsubscribe/")
    assert body.rstrip().endswith(unsubscribe)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("decision", [Decision.ACCEPTED, Decision.REJECTED])
def test_adopted_wording_only_for_partial(world: World, smtp, decision) -> None:
    note = world.annotate()
    _decide(note, decision, "Uzasadnienie decyzji.", adopted_wording="Inne brzmienie")
    [mail] = _outbox(MailCategory.DECISION)
    assert "Uzasadnienie decyzji." in mail.body
    assert "Przyjęte brzmienie" not in mail.body and "Inne brzmienie" not in mail.body


def test_no_decision_mail_when_the_author_opted_out(world: World) -> None:
    world.author.mail_decisions = False
    note = world.annotate()
    _decide(note, Decision.NOTED, "Przyjęto do wiadomości.")
    assert _outbox(MailCategory.DECISION) == []


def test_no_decision_mail_for_an_inactive_account(world: World) -> None:
    note = world.annotate()
    world.author.is_active_account = False
    _decide(note, Decision.REJECTED, "Poza zakresem programu.")
    assert _outbox(MailCategory.DECISION) == []


def test_reply_mail_to_the_thread_author_not_to_oneself(world: World, smtp) -> None:
    note = world.annotate()
    annotations.reply(world.author, note, "Dopowiadam sam.", today=TODAY)
    db.session.commit()
    assert _outbox(MailCategory.REPLY) == []
    answer = annotations.reply(world.member, note, "Popieramy tę uwagę.", today=TODAY)
    db.session.commit()
    send_pending()
    [message] = [
        m for m in smtp.collector.to(world.author.email) if "odpowied" in m["Subject"]
    ]
    body = text(message)
    assert "Popieramy tę uwagę." in body
    assert "Członek (Fundacja Członek)" in message["Subject"]
    assert f"/annotations/{note.id}#a{answer.id}" in body
    # The member who replied hears nothing of their own reply.
    assert not [
        m for m in smtp.collector.to(world.member.email) if "odpowied" in m["Subject"]
    ]


def test_reply_mail_respects_the_preference_and_hidden_names(world: World) -> None:
    note = world.annotate()
    world.member.show_name = False
    annotations.reply(world.member, note, "Anonimowo.", today=TODAY)
    db.session.commit()
    [mail] = _outbox(MailCategory.REPLY)
    assert "Fundacja Członek" in mail.subject and "Członek (" not in mail.subject
    world.author.mail_replies = False
    annotations.reply(world.member, note, "Jeszcze raz.", today=TODAY)
    db.session.commit()
    assert len(_outbox(MailCategory.REPLY)) == 1


def test_queue_mail_goes_to_the_sections_sub_team_only(world: World, smtp) -> None:
    world.annotate()
    recipients = {m.to_address for m in _outbox(MailCategory.QUEUE)}
    assert recipients == {world.member.email, world.leader.email}
    send_pending()
    [message] = smtp.collector.to(world.leader.email)
    assert message["Subject"] == "Nowa uwaga w kolejce podzespołu: § 1 Edukacja"
    assert "Proszę doprecyzować zakres zadania." in text(message)
    assert "Anna Autorka (Stowarzyszenie Ą)" in text(message)
    assert smtp.collector.to(world.outsider.email) == []
    assert smtp.collector.to(world.daily.email) == []
    assert smtp.collector.to(world.quiet.email) == []


def test_queue_mail_skips_the_author_and_other_sectors(world: World) -> None:
    world.annotate(author=world.member)
    assert {m.to_address for m in _outbox(MailCategory.QUEUE)} == {world.leader.email}
    world.annotate(version=world.other)
    assert _outbox(MailCategory.QUEUE)[-1].to_address == world.outsider.email


def test_daily_digest_lists_new_items_once(world: World, smtp) -> None:
    world.annotate(body="Pierwsza uwaga.")
    world.annotate(version=world.other, body="Uwaga w innym sektorze.")
    assert notify.queue_digests() == 1
    db.session.commit()
    [mail] = _outbox(MailCategory.DIGEST)
    assert mail.to_address == world.daily.email
    assert "1. Uwaga — § 1 Edukacja, wiersze 2–3" in mail.body
    assert "§ 2 Zdrowie" not in mail.body
    assert world.daily.digest_sent_at is not None
    # Nothing new: no second digest.
    assert notify.queue_digests() == 0
    db.session.commit()
    # New items since the last digest only.
    world.annotate(body="Druga uwaga.")
    assert notify.queue_digests(utcnow() + timedelta(seconds=1)) == 1
    db.session.commit()
    latest = _outbox(MailCategory.DIGEST)[-1]
    assert "1. Uwaga" in latest.body and "2. Uwaga" not in latest.body
    send_pending()
    assert len(smtp.collector.to(world.daily.email)) == 2


def test_digest_nothing_for_members_who_chose_otherwise(world: World) -> None:
    world.daily.mail_queue = QueueMail.OFF
    db.session.commit()
    world.annotate()
    assert notify.queue_digests() == 0
    assert _outbox(MailCategory.DIGEST) == []


def test_the_review_service_decision_and_revision_reach_the_author(
    world: World, smtp
) -> None:
    from wpw.review import services as review

    note = world.annotate()
    review.decide(
        world.coordinator,
        note,
        decision=Decision.REJECTED,
        justification="Zadanie jest już w programie.",
        expected_revision=note.review_revision,
    )
    db.session.commit()
    review.decide(
        world.coordinator,
        note,
        decision=Decision.ACCEPTED,
        justification="Po ponownej analizie: uwzględniamy.",
        expected_revision=note.review_revision,
    )
    db.session.commit()
    send_pending()
    first, second = smtp.collector.to(world.author.email)
    assert first["Subject"] == "Decyzja w sprawie Twojej uwagi: nieuwzględniona"
    assert "Zadanie jest już w programie." in text(first)
    assert second["Subject"] == (
        "Zmieniono decyzję w sprawie Twojej uwagi: uwzględniona"
    )
    assert "Zespół Koordynujący zmienił decyzję" in text(second)
    assert "Po ponownej analizie: uwzględniamy." in text(second)
