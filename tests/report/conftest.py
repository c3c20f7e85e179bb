"""A small consulted programme for the report tests.

Round 1 (closed) has three sections; "cele" is in no sector, "formy" in
Edukacja, "usuniety" in Kultura. Six annotations are made on it, each with a
different decision, plus a reply (never reported). Round 2 (published) edits
line 2 of "cele" and drops "usuniety"; publishing it places the round-1
annotations on it (exact, changed, orphaned). Round 3 is a working copy whose
text carries :data:`DRAFT_MARKER`, which no report may show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask

from tests.api.conftest import api, validate  # noqa: F401  (fixtures for test_api)
from tests.conftest import make_user
from tests.factories import make_programme, make_round
from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
    Placement,
)
from wpw.auth.models import Role, User
from wpw.documents.models import Programme, Round, Section
from wpw.extensions import db
from wpw.sectors.models import Sector

SLUG = "raport-testowy"
DRAFT_MARKER = "TAJNY-SZKIC"
HIDDEN_BODY = "TREŚĆ-UKRYTEJ-UWAGI"
HIDDEN_WORDING = "BRZMIENIE-UKRYTEJ-UWAGI"
CELE_1 = "Pierwszy wiersz celów.\nDrugi wiersz o współpracy.\nTrzeci wiersz zostaje."
CELE_2 = (
    "Pierwszy wiersz celów.\nDrugi wiersz o partnerskiej współpracy.\n"
    "Trzeci wiersz zostaje."
)
FORMY = "Formy finansowe.\nFormy pozafinansowe."


@dataclass
class Consulted:
    programme: Programme
    rounds: dict[int, Round]
    coordinator: User
    ngo: User
    shy: User  #: show_name off
    expert: User
    #: name → annotation: change, comment, question, partial, hidden,
    #: withdrawn, reply, later (made on round 2)
    notes: dict[str, Annotation]

    def placement(self, name: str) -> Placement:
        (placement,) = self.notes[name].placements
        return placement


def annotate(
    round_: Round,
    key: str,
    line: int,
    author: User,
    kind: AnnotationKind = AnnotationKind.COMMENT,
    **fields,
) -> Annotation:
    """An annotation quoting the whole *line* of section *key*, added directly."""
    version = next(v for v in round_.versions if v.section.key == key)
    lines = version.text.split("\n")
    start = sum(len(x) + 1 for x in lines[: line - 1])
    exact = lines[line - 1]
    annotation = Annotation(
        version=version,
        section=version.section,
        round=round_,
        kind=kind,
        author=author,
        organisation=author.organisation,
        is_expert=author.role is Role.EXPERT,
        body=fields.pop("body", f"Uwaga do wiersza {line}: „{exact}”."),
        first_line=line,
        last_line=line,
        start=start,
        end=start + len(exact),
        exact=exact,
        prefix=version.text[max(0, start - 32) : start],
        suffix=version.text[start + len(exact) : start + len(exact) + 32],
        **fields,
    )
    db.session.add(annotation)
    db.session.flush()
    return annotation


def decide(annotation: Annotation, decision: Decision, justification: str, **more):
    """Set a decision directly (the review service is tested elsewhere)."""
    annotation.decision = decision
    annotation.justification = justification
    annotation.decided_at = datetime(2011, 8, 1, tzinfo=UTC)
    for name, value in more.items():
        setattr(annotation, name, value)


def build_consulted() -> Consulted:
    coordinator = make_user(Role.COORDINATOR, name="Koordynatorka")
    ngo = make_user(Role.NGO, name="Zofia Łęcka", organisation="Fundacja Źródło")
    shy = make_user(Role.NGO, name="Ukryty Autor", organisation="Stowarzyszenie Ślęża")
    shy.show_name = False
    expert = make_user(Role.EXPERT, name="Ewa Ekspertka")
    education = Sector(slug="edukacja", number=2, name="Edukacja", name_en="Education")
    culture = Sector(slug="kultura", number=4, name="Kultura", name_en="Culture")
    programme = make_programme(SLUG, "Program konsultowany")
    db.session.add_all([education, culture])
    one = make_round(
        coordinator,
        programme,
        {"cele": CELE_1, "formy": FORMY, "usuniety": "Ten paragraf zniknie."},
        title="Założenia",
    )
    sections = {s.key: s for s in db.session.query(Section).all()}
    sections["formy"].sectors = [education]
    sections["usuniety"].sectors = [culture]

    notes = {}
    notes["change"] = annotate(
        one,
        "cele",
        2,
        ngo,
        AnnotationKind.CHANGE,
        body="Współpraca powinna być partnerska.",
        replacement="Drugi wiersz o partnerskiej współpracy.",
    )
    decide(notes["change"], Decision.ACCEPTED, "Zmiana wzmacnia zasadę partnerstwa.")
    notes["comment"] = annotate(one, "cele", 3, shy, body="Ten wiersz jest dobry.")
    decide(notes["comment"], Decision.NOTED, "Dziękujemy; zapis pozostaje.")
    notes["question"] = annotate(
        one, "usuniety", 1, expert, AnnotationKind.QUESTION, body="Po co ten paragraf?"
    )
    decide(notes["question"], Decision.REJECTED, "Paragraf usunięto w całości.")
    notes["partial"] = annotate(
        one,
        "formy",
        1,
        ngo,
        AnnotationKind.CHANGE,
        body="Trzeba dopisać granty; zażółć gęślą jaźń.",
        replacement="=Formy finansowe, w tym granty.",
    )
    decide(
        notes["partial"],
        Decision.PARTIALLY_ACCEPTED,
        'Uwzględniono "granty"; reszta; zbędna.',
        adopted_wording="Formy finansowe i granty.",
    )
    notes["hidden"] = annotate(
        one,
        "formy",
        2,
        ngo,
        AnnotationKind.CHANGE,
        body=HIDDEN_BODY,
        replacement=HIDDEN_WORDING,
        hidden_reason="Narusza regulamin.",
    )
    notes["withdrawn"] = annotate(
        one, "cele", 1, ngo, body="Wycofuję.", state=AnnotationState.WITHDRAWN
    )
    notes["reply"] = Annotation(
        version=notes["change"].version,
        section=notes["change"].section,
        round=one,
        kind=AnnotationKind.REPLY,
        author=coordinator,
        parent=notes["change"],
        body="ODPOWIEDŹ-W-WĄTKU",
    )
    db.session.add(notes["reply"])
    db.session.commit()

    two = make_round(
        coordinator, programme, {"cele": CELE_2, "formy": FORMY}, title="Projekt"
    )
    notes["later"] = annotate(two, "formy", 2, ngo, body="Uwaga do rundy 2.")
    db.session.commit()
    three = make_round(
        coordinator,
        programme,
        {"cele": DRAFT_MARKER, "formy": DRAFT_MARKER},
        title="Robocza",
        publish=False,
    )
    annotate(three, "cele", 1, ngo, body=DRAFT_MARKER)  # impossible, but must not leak
    db.session.commit()
    return Consulted(
        programme,
        {1: one, 2: two, 3: three},
        coordinator,
        ngo,
        shy,
        expert,
        notes,
    )


@pytest.fixture
def consulted(app: Flask) -> Consulted:
    return build_consulted()
