"""``flask wpw …`` commands of this feature; :mod:`wpw.cli` adds ``commands``.

``send-mail`` sends the outbox (run it from cron, or with ``--loop`` as a
worker); ``send-digests`` queues the daily digests (run it once a day, then
``send-mail``).
"""

from __future__ import annotations

import time

import click

from wpw.extensions import db

commands: list[click.Command] = []

#: Mails per call of :func:`~wpw.mail.services.send_pending`.
BATCH = 100


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep sending until interrupted.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    help="Seconds between rounds with --loop.",
)
def send_mail(loop: bool, interval: float) -> None:
    """Send the pending mail in the outbox over SMTP (MAIL_SERVER, …)."""
    from wpw.mail.services import send_pending

    try:
        while True:
            sent = failed = 0
            while True:  # a full batch may mean more is due
                batch_sent, batch_failed = send_pending(limit=BATCH)
                sent, failed = sent + batch_sent, failed + batch_failed
                if batch_sent + batch_failed < BATCH or batch_sent == 0:
                    break
            if sent or failed or not loop:
                click.echo(f"Sent {sent}, failed {failed} (will be retried).")
            if not loop:
                return
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


@click.command("send-digests")
def send_digests() -> None:
    """Queue the daily digest of new queue items for members who chose it."""
    from wpw.mail.notify import queue_digests

    queued = queue_digests()
    db.session.commit()
    click.echo(f"Queued {queued} digest(s); `flask wpw send-mail` sends them.")


commands.extend([send_mail, send_digests])
