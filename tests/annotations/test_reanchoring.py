"""Re-anchoring on publish: the annotations of the previous round follow the text."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_programme, make_round
from wpw.annotations import reanchoring
from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind, Outcome, Placement
from wpw.auth.models import Role
from wpw.documents.models import RoundStatus
from wpw.extensions import db
from wpw.process.models import Phase, PhaseKind

TODAY = date(2026, 11, 26)

RULES_1 = "\n".join(
    [
        "1. Program określa cele współpracy Gminy z organizacjami.",
        "2. Harmonogram konkursów ogłasza się do dnia 31 stycznia.",
        "3. Małe granty nie mogą przekraczać 10 000 zł.",
        "4. Sprawozdanie z realizacji publikuje się w serwisie.",
    ]
)
RULES_2 = "\n".join(
    [
        "1. Program określa cele współpracy Gminy z organizacjami.",
        "2. Oferty opiniuje komisja konkursowa.",
        "3. W komisji zasiadają przedstawiciele organizacji.",
        "4. Harmonogram konkursów ogłasza się do dnia 15 stycznia.",
        "5. Sprawozdanie z realizacji publikuje się w serwisie.",
    ]
)
RULES_3 = "0. Preambuła.\n" + RULES_2
GRANTS = "1. Małe granty przyznaje Prezydent.\n2. Tryb jest uproszczony."


@pytest.fixture
def coordinator(users):
    return users[Role.COORDINATOR]


@pytest.fixture
def author(users):
    return users[Role.NGO]


@pytest.fixture
def programme():
    return make_programme()


@pytest.fixture
def first(coordinator, programme):
    """Round 1, published and open for comments today."""
    round_ = make_round(
        coordinator, programme, {"zasady": RULES_1, "granty": GRANTS}, title="Założenia"
    )
    _open_consultation(round_)
    return round_


def _open_consultation(round_) -> None:
    db.session.add(
        Phase(
            programme=round_.programme,
            kind=PhaseKind.CONSULTATION,
            name=f"Konsultacje rundy {round_.number}",
            starts_on=TODAY - timedelta(days=3),
            ends_on=TODAY + timedelta(days=3),
            position=len(round_.programme.phases) + 1,
            round=round_,
        )
    )
    db.session.commit()


def _version(round_, key):
    return next(v for v in round_.versions if v.section.key == key)


def _quote(actor, version, quote, **extra):
    """Annotate *quote* (found once in *version*) with a comment."""
    start = version.text.index(quote)
    line = version.text.count("\n", 0, start) + 1
    values = dict(kind=AnnotationKind.COMMENT, body="Uwaga.", today=TODAY)
    values.update(extra)
    return annotations.create_annotation(
        actor,
        version,
        first_line=line,
        last_line=line,
        start=start,
        end=start + len(quote),
        **values,
    )


def _placement(annotation, round_) -> Placement | None:
    return db.session.scalar(
        select(Placement).where(
            Placement.annotation_id == annotation.id, Placement.round_id == round_.id
        )
    )


def _placements() -> int:
    return db.session.scalar(select(func.count(Placement.id)))


@pytest.fixture
def notes(first, author):
    """One annotation of each fate on round 1, committed."""
    rules = _version(first, "zasady")
    made = {
        "exact": _quote(author, rules, "Sprawozdanie z realizacji publikuje się"),
        "changed": _quote(
            author,
            rules,
            "do dnia 31 stycznia",
            kind=AnnotationKind.CHANGE,
            replacement="do dnia 15 stycznia",
        ),
        "deleted": _quote(author, rules, "Małe granty nie mogą przekraczać 10 000 zł."),
        "unmoved": _quote(author, rules, "cele współpracy"),
        "removed": annotations.create_annotation(
            author,
            _version(first, "granty"),
            kind=AnnotationKind.QUESTION,
            body="Kto ocenia oferty?",
            first_line=1,
            last_line=2,
            today=TODAY,
        ),
    }
    db.session.commit()
    return made


def test_first_round_places_nothing(first) -> None:
    assert reanchoring.previous_public_round(first) is None
    assert reanchoring.reanchor_round(first) == 0
    assert _placements() == 0


def test_publishing_places_every_annotation_of_the_previous_round(
    coordinator, programme, notes
) -> None:
    second = make_round(coordinator, programme, {"zasady": RULES_2}, title="Projekt")
    rules = _version(second, "zasady")

    exact = _placement(notes["exact"], second)
    assert exact.outcome is Outcome.EXACT and exact.version_id == rules.id
    assert (exact.first_line, exact.last_line) == (5, 5)  # was line 4
    assert rules.text[exact.start : exact.end] == notes["exact"].exact
    assert exact.new_exact is None

    unmoved = _placement(notes["unmoved"], second)
    assert unmoved.outcome is Outcome.EXACT and unmoved.first_line == 1

    changed = _placement(notes["changed"], second)
    assert changed.outcome is Outcome.CHANGED and changed.first_line == 4
    assert "15 stycznia" in changed.new_exact and "31" not in changed.new_exact
    assert rules.text[changed.start : changed.end] == changed.new_exact
    assert notes["changed"].exact == "do dnia 31 stycznia"  # the old wording stays

    deleted = _placement(notes["deleted"], second)
    assert deleted.outcome is Outcome.ORPHANED and deleted.version_id == rules.id
    assert deleted.first_line is None and deleted.start is None

    removed = _placement(notes["removed"], second)
    assert removed.outcome is Outcome.ORPHANED and removed.version_id is None
    assert removed.method == "none"
    assert _placements() == 5


def test_annotations_keep_following_over_two_rounds(
    coordinator, programme, notes, author
) -> None:
    second = make_round(coordinator, programme, {"zasady": RULES_2}, title="Projekt")
    _open_consultation(second)
    on_second = _quote(author, _version(second, "zasady"), "komisja konkursowa")
    db.session.commit()
    third = make_round(coordinator, programme, {"zasady": RULES_3}, title="Uchwała")
    rules = _version(third, "zasady")

    exact = _placement(notes["exact"], third)
    assert exact.outcome is Outcome.EXACT and exact.first_line == 6
    assert rules.text[exact.start : exact.end] == notes["exact"].exact
    # Still "changed": judged against the words the annotation was made on.
    changed = _placement(notes["changed"], third)
    assert changed.outcome is Outcome.CHANGED and changed.first_line == 5
    assert rules.text[changed.start : changed.end] == changed.new_exact
    assert "15 stycznia" in changed.new_exact
    made_on_second = _placement(on_second, third)
    assert made_on_second.outcome is Outcome.EXACT and made_on_second.first_line == 3
    # Orphans stay orphans on the round where they were lost; not carried further.
    assert _placement(notes["deleted"], third) is None
    assert _placement(notes["removed"], third) is None


def test_replies_are_not_placed_and_hidden_annotations_are(
    coordinator, programme, notes, users
) -> None:
    answer = annotations.reply(
        users[Role.OFFICIAL], notes["exact"], "Odpowiedź.", today=TODAY
    )
    annotations.hide(coordinator, notes["changed"], "Obraźliwy język.")
    db.session.commit()
    second = make_round(coordinator, programme, {"zasady": RULES_2}, title="Projekt")
    assert _placement(answer, second) is None
    hidden = _placement(notes["changed"], second)
    assert hidden is not None and hidden.outcome is Outcome.CHANGED


def test_reanchoring_runs_in_the_publishing_transaction(
    coordinator, programme, notes, monkeypatch
) -> None:
    second = make_round(
        coordinator, programme, {"zasady": RULES_2}, title="Projekt", publish=False
    )
    real = reanchoring.reanchor_round
    placed: list[int] = []

    def reanchor_then_fail(round_):
        placed.append(real(round_))
        assert _placements() == 5  # flushed, visible inside the transaction
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reanchoring, "reanchor_round", reanchor_then_fail)
    from wpw.documents import services as documents

    with pytest.raises(RuntimeError):
        documents.publish_round(coordinator, second, "Projekt")
    db.session.rollback()
    assert placed == [5]
    assert _placements() == 0
    assert second.status is RoundStatus.WORKING
    assert db.session.scalar(select(func.count(Annotation.id))) == 5
