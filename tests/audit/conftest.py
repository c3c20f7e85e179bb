"""Fixtures for the audit log: a published round with one annotation."""

from __future__ import annotations

import pytest

from tests.factories import make_programme, make_round
from wpw.annotations.models import Annotation, AnnotationKind
from wpw.auth.models import Role, User
from wpw.documents.models import Round
from wpw.extensions import db


@pytest.fixture
def coordinator(users: dict[Role, User]) -> User:
    return users[Role.COORDINATOR]


@pytest.fixture
def first(app, coordinator: User) -> Round:
    programme = make_programme("prog", "Program testowy")
    return make_round(coordinator, programme, {"cele": "Pierwszy wiersz."})


@pytest.fixture
def note(first: Round, users: dict[Role, User]) -> Annotation:
    version = first.versions[0]
    annotation = Annotation(
        version=version,
        section_id=version.section_id,
        round_id=first.id,
        kind=AnnotationKind.COMMENT,
        author=users[Role.NGO],
        body="Uwaga.",
        first_line=1,
        last_line=1,
        start=0,
        end=8,
        exact="Pierwszy",
        prefix="",
        suffix=" wiersz.",
    )
    db.session.add(annotation)
    db.session.commit()
    return annotation
