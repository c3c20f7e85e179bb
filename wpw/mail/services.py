"""Mail: queue in the outbox with the data, send after commit, unsubscribe.

:func:`queue_mail` only adds a row to the current transaction (signal receivers
in :mod:`wpw.mail.notify` call it while a request runs), so a request never
waits for, or fails because of, an SMTP server. :func:`send_pending` runs from
the command line (``flask wpw send-mail``): it sends what is due over SMTP and
commits after every mail, so a crash or a server that is down loses nothing;
failed mails are retried later with a growing delay.

Every mail ends with a one-click unsubscribe link for its category (RFC 8058);
the signed token in the link is its own authorisation.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update

from wpw.auth.models import User
from wpw.core import utcnow
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.mail.models import MailCategory, OutboxMail, QueueMail

#: Salt of the unsubscribe tokens: a token signed for anything else is refused.
TOKEN_SALT = "wpw-mail-unsubscribe"  # noqa: S105  (a salt, not a secret)
#: Backoff after a failure: 1 min × 2^(attempts − 1), at most 6 hours.
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=6)
#: A mail being sent is not picked by another sender for this long; a sender
#: that crashed mid-send leaves the mail to be retried after it.
SENDING_LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 30

#: What an unsubscribe link stops, in the words of the pages and the mails.
CATEGORY_LABELS = {
    MailCategory.DECISION: _l("powiadomienia o decyzjach w sprawie Twoich uwag"),
    MailCategory.REPLY: _l("powiadomienia o odpowiedziach na Twoje uwagi"),
    MailCategory.QUEUE: _l("powiadomienia o nowych uwagach w kolejce podzespołu"),
    MailCategory.DIGEST: _l("dzienne zestawienie nowych uwag w kolejce podzespołu"),
}


# --- language and links ----------------------------------------------------------


@contextmanager
def mail_language() -> Iterator[None]:
    """Write mails in the site's default language (Polish), whatever the language
    of the request that caused them."""
    with force_locale(current_app.config["WPW_LANGUAGES"][0]):
        yield


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute URL to *endpoint* on ``WPW_BASE_URL``.

    Built from the app's URL map, so it works with or without a request context
    and ignores the host of the request that happens to run.
    """
    base = urlsplit(current_app.config["WPW_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=True)


# --- preferences and unsubscribing ----------------------------------------------


def wants(user: User, category: MailCategory) -> bool:
    """Whether *user*'s preferences (and an active account) allow *category*."""
    if not user.is_active_account or not user.email:
        return False
    match category:
        case MailCategory.DECISION:
            return user.mail_decisions
        case MailCategory.REPLY:
            return user.mail_replies
        case MailCategory.QUEUE:
            return user.mail_queue is QueueMail.IMMEDIATE
        case MailCategory.DIGEST:
            return user.mail_queue is QueueMail.DAILY
    return False


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=TOKEN_SALT)


def unsubscribe_token(user: User, category: MailCategory) -> str:
    """A signed token naming *user* and *category*, for the unsubscribe link."""
    return str(_serializer().dumps({"u": user.id, "c": category.value}))


def read_unsubscribe_token(token: str) -> tuple[User, MailCategory]:
    """The user and category a token names.

    Raises :class:`Invalid` for a forged or damaged token, or one naming an
    account that no longer exists.
    """
    refused = Invalid(
        _(
            "Ten link rezygnacji jest nieprawidłowy (być może został skopiowany "
            "tylko w części). Nic nie zostało zmienione. Powiadomienia możesz "
            "wyłączyć po zalogowaniu, w ustawieniach powiadomień."
        )
    )
    try:
        data = _serializer().loads(token)
        user_id, category = int(data["u"]), MailCategory(data["c"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise refused from None
    user = db.session.get(User, user_id)
    if user is None:
        raise refused
    return user, category


def unsubscribe(token: str) -> tuple[User, MailCategory]:
    """Turn off the mail a token names (queue and digest: all queue mail).

    The signed token is the authorisation, so no one needs to sign in. Raises
    :class:`Invalid` for a bad token; nothing changes then.
    """
    user, category = read_unsubscribe_token(token)
    match category:
        case MailCategory.DECISION:
            user.mail_decisions = False
        case MailCategory.REPLY:
            user.mail_replies = False
        case MailCategory.QUEUE | MailCategory.DIGEST:
            user.mail_queue = QueueMail.OFF
    db.session.flush()
    return user, category


def update_preferences(
    actor: User | None,
    user: User,
    *,
    decisions: bool,
    replies: bool,
    show_name: bool,
    queue: QueueMail | None = None,
) -> None:
    """Save which mail *user* gets and whether their name is shown publicly.

    *queue* (sub-team queue mail) is kept as it is when ``None``. Raises
    :class:`NotAllowed` unless *actor* is *user*.
    """
    if actor is None or not actor.is_authenticated or actor.id != user.id:
        raise NotAllowed(_("Ustawienia powiadomień może zmienić tylko ich właściciel."))
    user.mail_decisions = decisions
    user.mail_replies = replies
    user.show_name = show_name
    if queue is not None:
        user.mail_queue = queue
    db.session.flush()


# --- queueing --------------------------------------------------------------------


def queue_mail(
    user: User, category: MailCategory, subject: str, body: str
) -> OutboxMail | None:
    """Add a mail to *user* to the outbox, in the current transaction.

    Returns ``None`` (and adds nothing) when the user's preferences refuse
    *category* or the account is inactive. Never sends and never commits.
    """
    if not wants(user, category):
        return None
    mail = OutboxMail(
        user=user,
        to_address=user.email,
        category=category,
        subject=subject.replace("\n", " ").strip()[:300],
        body=body,
    )
    db.session.add(mail)
    return mail


# --- sending ---------------------------------------------------------------------


def _domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "localhost"


def build_message(mail: OutboxMail, now: datetime) -> EmailMessage:
    """The message for *mail*: UTF-8 text ending with its unsubscribe link, and
    the ``List-Unsubscribe`` headers of RFC 2369 and RFC 8058."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now)
    # The same id on every attempt: a mail sent twice after a crash is one mail.
    created = int(mail.created_at.timestamp()) if mail.created_at else 0
    message["Message-ID"] = f"<wpw-outbox-{mail.id}-{created}@{_domain()}>"
    body = mail.body.rstrip()
    if mail.user is not None:
        link = absolute_url(
            "mail.unsubscribe_confirm",
            token=unsubscribe_token(mail.user, mail.category),
        )
        message["List-Unsubscribe"] = f"<{link}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        with mail_language():
            footer = _(
                "Nie chcesz dostawać takich wiadomości (%(what)s)? "
                "Zrezygnuj jednym kliknięciem: %(link)s",
                what=CATEGORY_LABELS[mail.category],
                link=link,
            )
        body += "\n\n-- \n" + footer
    message.set_content(body + "\n", charset="utf-8", cte="quoted-printable")
    # Fold headers only past SMTP's hard limit: Python would otherwise turn the long
    # List-Unsubscribe URL into encoded words no mail client reads as a URL. The
    # body was encoded above, with the default policy's 76-character lines.
    message.policy = message.policy.clone(max_line_length=998)
    return message


def _connect() -> smtplib.SMTP:
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
    smtp: smtplib.SMTP
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(
            host, port, timeout=SMTP_TIMEOUT, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        _close(smtp)
        raise
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the *attempts*-th failure."""
    doublings = min(max(attempts - 1, 0), 20)  # 2^20 minutes is far past the cap
    return min(FIRST_RETRY * 2**doublings, MAX_RETRY)


def _claim(mail_id: int, now: datetime) -> bool:
    """Take a due mail for sending (no other sender picks it meanwhile)."""
    claimed = db.session.execute(
        update(OutboxMail)
        .where(OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), _due(now))
        .values(next_attempt_at=now + SENDING_LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


def _due(now: datetime):
    return or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now)


def _failed(mail: OutboxMail, error: BaseException, now: datetime) -> None:
    mail.attempts += 1
    mail.last_error = f"{type(error).__name__}: {error}"[:2000]
    mail.next_attempt_at = now + retry_delay(mail.attempts)
    db.session.commit()


def send_pending(now: datetime | None = None, limit: int = 100) -> tuple[int, int]:
    """Send up to *limit* due mails over SMTP; return (sent, failed).

    A mail is due when unsent and its ``next_attempt_at`` is empty or past. Each
    success sets ``sent_at``; each failure (an SMTP or network error) counts an
    attempt, keeps the error and sets the next attempt after the backoff. When
    the server cannot be reached, every remaining mail of the batch stays queued
    that way. Commits after every mail; never raises an SMTP error.
    """
    now = now or utcnow()
    ids = db.session.scalars(
        select(OutboxMail.id)
        .where(OutboxMail.sent_at.is_(None), _due(now))
        .order_by(OutboxMail.created_at, OutboxMail.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    smtp: smtplib.SMTP | None = None
    unreachable: BaseException | None = None
    try:
        for mail_id in ids:
            if not _claim(mail_id, now):
                continue  # another sender took it
            mail = db.session.get(OutboxMail, mail_id)
            assert mail is not None
            if unreachable is not None:
                _failed(mail, unreachable, now)
                failed += 1
                continue
            try:
                message = build_message(mail, utcnow())
                if smtp is None:
                    try:
                        smtp = _connect()
                    except (smtplib.SMTPException, OSError) as error:
                        unreachable = error
                        raise
                smtp.send_message(message, to_addrs=[mail.to_address])
            except Exception as error:  # no mail may stop the rest
                if isinstance(error, smtplib.SMTPException | OSError):
                    current_app.logger.warning("Mail %s not sent: %s", mail_id, error)
                else:
                    current_app.logger.exception("Mail %s could not be built", mail_id)
                    db.session.rollback()
                    mail = db.session.get(OutboxMail, mail_id)
                    assert mail is not None
                _failed(mail, error, now)
                failed += 1
                _close(smtp)  # start afresh: the connection may be unusable
                smtp = None
                continue
            mail.sent_at = utcnow()
            mail.next_attempt_at = mail.last_error = None
            db.session.commit()
            sent += 1
    finally:
        _close(smtp)
    db.session.commit()  # end the reading transaction: the next call sees new mail
    return sent, failed
