"""Small factories for documents: a programme with rounds and sections."""

from __future__ import annotations

from wpw.auth.models import User
from wpw.documents import services
from wpw.documents.models import Programme, Round, Section
from wpw.extensions import db


def make_programme(slug: str = "prog", title: str = "Program testowy") -> Programme:
    programme = Programme(slug=slug, title=title)
    db.session.add(programme)
    db.session.flush()
    return programme


def make_round(
    actor: User,
    programme: Programme,
    sections: dict[str, str],
    *,
    title: str = "Runda",
    publish: bool = True,
) -> Round:
    """A round whose sections (key → text) are numbered § 1, § 2, … in order."""
    round_ = services.create_round(actor, programme, title)
    existing = {s.key: s for s in programme.sections}
    for position, (key, text) in enumerate(sections.items(), 1):
        section = existing.get(key) or Section(programme=programme, key=key)
        db.session.add(section)
        services.save_section_version(
            actor,
            round_,
            section,
            number=f"§ {position}",
            title=key.title(),
            position=position,
            text=text,
        )
    if publish:
        services.publish_round(actor, round_, "opublikowano")
    db.session.commit()
    return round_
