"""Fixtures for the comparison: a coordinator, rounds built from small tables,
and an empty diff cache for every test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.factories import make_programme
from wpw.auth.models import Role, User
from wpw.compare import services
from wpw.documents import services as documents
from wpw.documents.models import Programme, Round, Section
from wpw.extensions import db

#: A round as (key, title, text) per section, in reading order.
Layout = list[tuple[str, str, str]]


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    services.clear_cache()
    yield
    services.clear_cache()


@pytest.fixture
def coordinator(users: dict[Role, User]) -> User:
    return users[Role.COORDINATOR]


@pytest.fixture
def programme(app) -> Programme:
    return make_programme("prog", "Program testowy")


def build_round(
    actor: User,
    programme: Programme,
    layout: Layout,
    *,
    publish: bool = True,
    title: str = "Projekt",
) -> Round:
    """A round with the sections of *layout*, numbered § 1, § 2, … in order."""
    round_ = documents.create_round(actor, programme, title)
    existing = {s.key: s for s in programme.sections}
    for position, (key, title, text) in enumerate(layout, 1):
        section = existing.get(key) or Section(programme=programme, key=key)
        db.session.add(section)
        documents.save_section_version(
            actor,
            round_,
            section,
            number=f"§ {position}",
            title=title,
            position=position,
            text=text,
        )
    if publish:
        documents.publish_round(actor, round_, "opublikowano")
    db.session.commit()
    return round_


def layout(*keys: str, text: str = "Tekst paragrafu {key}.") -> Layout:
    """Sections titled and worded after their keys."""
    return [(key, key.title(), text.format(key=key)) for key in keys]
