"""Fixtures for the review: fresh annotations on the demo's round 2 (whose
consultation runs on DEMO_TODAY) and the demo's accounts by role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import DEMO_TODAY, make_user
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.auth.models import Role, User
from wpw.documents import services as documents
from wpw.extensions import db
from wpw.sectors.models import Sector

PASSWORD = "wpw-demo-2011"
#: The demo accounts used here (see wpw/demo/loader.py ACCOUNTS).
ACCOUNTS = {
    "coordinator": "koordynator@wpw.example",
    "coordinator2": "koordynatorka@wpw.example",
    "admin": "mowis@wpw.example",
    "leader": "lider.edukacja@wpw.example",  # leads "edukacja"
    "member": "ngo@wpw.example",  # member of "edukacja"
    "official": "urzednik@wpw.example",  # official, member of "edukacja"
    "other_leader": "fundacja@wpw.example",  # leads "ekologia"
    "expert": "ekspert@wpw.example",
    "councillor": "radny@wpw.example",
    "citizen": "mieszkanka@wpw.example",
}


@pytest.fixture
def people(demo) -> dict[str, User]:
    found = {
        key: db.session.scalar(select(User).where(User.email == email))
        for key, email in ACCOUNTS.items()
    }
    # An NGO account outside every sub-team.
    found["ngo"] = make_user(
        Role.NGO, name="Inna Organizacja", organisation="Fundacja Q"
    )
    return found


@pytest.fixture
def sectors(demo) -> dict[str, Sector]:
    return {s.slug: s for s in db.session.scalars(select(Sector))}


@pytest.fixture
def version(demo):
    """§ 11 in round 2, routed to the "edukacja" sub-team."""
    return documents.version_in_round(
        documents.round_by_number(demo, 2), "zadania-edukacja"
    )


@pytest.fixture
def annotate(version, people):
    """Write an annotation on § 11 of round 2 (commit it, as a request would)."""

    def make(
        kind: AnnotationKind = AnnotationKind.COMMENT,
        body: str = "Uwaga do rozstrzygnięcia.",
        author: User | None = None,
        **extra,
    ) -> Annotation:
        if kind is AnnotationKind.CHANGE:
            extra.setdefault("replacement", "Nowe brzmienie wiersza.")
        annotation = annotations.create_annotation(
            author or people["ngo"],
            version,
            kind=kind,
            body=body,
            first_line=extra.pop("first_line", 2),
            last_line=extra.pop("last_line", 2),
            today=DEMO_TODAY,
            **extra,
        )
        db.session.commit()
        return annotation

    return make
