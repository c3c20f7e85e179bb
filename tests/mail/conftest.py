"""Fixtures for mail: a real local SMTP server, a closed port, and a small world
(a programme open for comments, two sub-teams, an author and the sub-teams)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.documents.models import Round, Section, SectionVersion
from wpw.extensions import db
from wpw.mail.models import QueueMail
from wpw.process.models import Phase, PhaseKind
from wpw.process.services import city_today
from wpw.sectors.models import MembershipRole, Sector


def free_port() -> int:
    """A TCP port nothing listens on (right now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An aiosmtpd handler keeping every delivered message; it refuses
    recipients listed in :attr:`refuse`."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default)
            for e in self.envelopes
        ]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@dataclass
class Smtp:
    host: str
    port: int
    collector: Collector

    def use(self, app: Flask) -> None:
        app.config.update(MAIL_SERVER=self.host, MAIL_PORT=self.port)


@pytest.fixture
def smtp(app: Flask) -> Iterator[Smtp]:
    """A real SMTP server on a free local port; the app sends to it."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    server = Smtp("127.0.0.1", controller.port, collector)
    server.use(app)
    yield server
    controller.stop()


@pytest.fixture
def smtp_down(app: Flask) -> int:
    """Point the app at a local port where no SMTP server listens."""
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return port


TODAY = date(2026, 11, 26)
TEXT = "\n".join(f"Wiersz {n}: zadanie publiczne nr {n}." for n in range(1, 9))


@dataclass
class World:
    round: Round
    version: SectionVersion  # § 1, in the sector "edukacja"
    other: SectionVersion  # § 2, in the sector "zdrowie"
    author: User  # an NGO that annotates
    coordinator: User
    member: User  # edukacja, immediate queue mail
    leader: User  # edukacja leader, immediate
    daily: User  # edukacja, daily digest
    quiet: User  # edukacja, queue mail off
    outsider: User  # zdrowie member, immediate

    def annotate(
        self, author: User | None = None, version: SectionVersion | None = None, **kw
    ) -> Annotation:
        values = dict(
            kind=AnnotationKind.COMMENT,
            body="Proszę doprecyzować zakres zadania.",
            first_line=2,
            last_line=3,
            today=TODAY,
        )
        values.update(kw)
        note = annotations.create_annotation(
            author or self.author, version or self.version, **values
        )
        db.session.commit()
        return note


def _sector(slug: str, number: int, name: str) -> Sector:
    sector = Sector(slug=slug, number=number, name=name, name_en=slug)
    db.session.add(sector)
    return sector


@pytest.fixture
def world(app: Flask) -> World:
    coordinator = make_user(Role.COORDINATOR, name="Koordynatorka")
    programme = make_programme(title="Program współpracy")
    education = _sector("edukacja", 1, "Edukacja")
    health = _sector("zdrowie", 2, "Zdrowie")
    round_ = make_round(
        coordinator, programme, {"edukacja": TEXT, "zdrowie": TEXT}, publish=True
    )
    versions = {v.section.key: v for v in round_.versions}
    sections = {s.key: s for s in db.session.query(Section)}
    sections["edukacja"].sectors = [education]
    sections["zdrowie"].sectors = [health]
    # Open for comments on the fixed test day and on the real one (views use it).
    first, last = sorted([TODAY, city_today()])
    db.session.add(
        Phase(
            programme=programme,
            round=round_,
            kind=PhaseKind.CONSULTATION,
            name="Konsultacje",
            starts_on=first.replace(day=1),
            ends_on=last.replace(year=last.year + 1),
            position=1,
        )
    )
    db.session.commit()

    def sub_team(name: str, sector: Sector, queue: QueueMail, leader=False) -> User:
        user = make_user(Role.NGO, name=name, organisation=f"Fundacja {name}")
        role = MembershipRole.LEADER if leader else MembershipRole.MEMBER
        accounts.set_membership(None, user, sector, role)
        user.mail_queue = queue
        db.session.commit()
        return user

    return World(
        round=round_,
        version=versions["edukacja"],
        other=versions["zdrowie"],
        author=make_user(
            Role.NGO, name="Anna Autorka", organisation="Stowarzyszenie Ą"
        ),
        coordinator=coordinator,
        member=sub_team("Członek", education, QueueMail.IMMEDIATE),
        leader=sub_team("Liderka", education, QueueMail.IMMEDIATE, leader=True),
        daily=sub_team("Codzienny", education, QueueMail.DAILY),
        quiet=sub_team("Cichy", education, QueueMail.OFF),
        outsider=sub_team("Zdrowotny", health, QueueMail.IMMEDIATE),
    )


def text(message: EmailMessage) -> str:
    """The decoded body with plain newlines (SMTP delivers CRLF)."""
    return message.get_content().replace("\r\n", "\n")
