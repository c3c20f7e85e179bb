"""search(): Polish matching, phrases, prefixes, visibility, facets, dates,
sorting, pages and malformed queries."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.api.conftest import DRAFT_MARKER, HIDDEN_TEXT, Annotated, SmallProgramme
from tests.conftest import make_user
from tests.search.helpers import annotate, find, ids, version_of
from wpw.annotations.models import AnnotationKind, Decision
from wpw.auth.models import Role
from wpw.errors import NotAllowed
from wpw.extensions import db
from wpw.search.services import PER_PAGE


@pytest.fixture
def polish(annotated: Annotated):
    """Three comments in Polish on round 2."""
    cele = version_of(annotated.small.rounds[2], "cele")
    author = annotated.author
    return {
        "ngo": annotate(author, cele, "Organizacje pozarządowe potrzebują wsparcia."),
        "source": annotate(author, cele, "Trzeba wskazać źródła finansowania.", line=2),
        "resolution": annotate(author, cele, "Potrzebna jest uchwała Rady Miasta."),
    }


@pytest.mark.parametrize(
    ("query", "which"),
    [
        ("organizacji pozarządowych", "ngo"),
        ("zrodla", "source"),
        ("uchwały", "resolution"),
        ("UCHWAŁ", "resolution"),
        ("pozarz*", "ngo"),
        ("Pozarzą*", "ngo"),
        ('"organizacje pozarządowe"', "ngo"),
        ("finansowanie OR nieistniejące", "source"),
        ("źródłami NOT rady", "source"),
        ("(uchwała OR zupełnie) rada", "resolution"),
    ],
)
def test_polish_queries_find_their_comment(polish, query: str, which: str) -> None:
    assert ids(find(query)) == {polish[which].id}


def test_quoted_phrase_matches_exactly(polish) -> None:
    assert ids(find('"organizacji pozarządowych"')) == set()
    assert ids(find('"pozarządowe organizacje"')) == set()
    assert ids(find("organizacji pozarządowych")) == {polish["ngo"].id}


def test_every_part_is_searchable(annotated: Annotated) -> None:
    # body, quoted passage, proposed wording; section text of public rounds
    assert annotated.comment.id in ids(find("dobry cel"))
    assert annotated.change.id in ids(find("jaśniej"))  # body and replacement
    assert annotated.question.id in ids(find('"Formy finansowe"'))  # its quote
    assert annotated.reply.id in ids(find("zgadzam"))
    versions = ids(find("poprawiony"), "version")
    assert len(versions) == 1


def test_decision_and_justification_are_indexed_when_decided(annotated) -> None:
    comment = annotated.comment
    comment.decision = Decision.ACCEPTED
    comment.justification = "Zespół przychylił się do wniosków mieszkańców."
    comment.decided_at = datetime.now(UTC)
    db.session.commit()
    result = find("wnioski mieszkańca")
    assert ids(result) == {comment.id}
    (hit,) = result.hits
    assert hit.decision == "accepted"
    assert [s.label for s in hit.snippets] == ["Uzasadnienie decyzji"]
    assert ids(find(filters={"decision": "accepted"})) == {comment.id}


def test_hidden_item_is_not_found_by_the_public(annotated: Annotated) -> None:
    assert find(HIDDEN_TEXT).total == 0
    coordinator = annotated.small.coordinator
    assert find(HIDDEN_TEXT, coordinator).total == 0  # only when asked
    result = find(HIDDEN_TEXT, coordinator, include_hidden=True)
    assert ids(result) == {annotated.hidden.id}
    assert result.hits[0].hidden


def test_hiding_and_restoring_update_the_index(annotated: Annotated) -> None:
    from wpw.annotations import services as annotations

    coordinator = annotated.small.coordinator
    annotations.hide(coordinator, annotated.comment, "Spam.")
    db.session.commit()
    assert annotated.comment.id not in ids(find("dobry"))
    # Its thread's reply is hidden with it.
    assert annotated.reply.id not in ids(find("zgadzam"))
    annotations.restore(coordinator, annotated.comment)
    db.session.commit()
    assert annotated.comment.id in ids(find("dobry"))
    assert annotated.reply.id in ids(find("zgadzam"))


@pytest.mark.parametrize(
    "role", [None, Role.CITIZEN, Role.NGO, Role.OFFICIAL, Role.EXPERT]
)
def test_only_the_team_may_include_hidden(annotated, role) -> None:
    actor = make_user(role) if role else None
    with pytest.raises(NotAllowed):
        find(HIDDEN_TEXT, actor, include_hidden=True)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_team_includes_hidden(annotated, role) -> None:
    assert find(HIDDEN_TEXT, make_user(role), include_hidden=True).total == 1


def test_working_copy_is_never_found(annotated: Annotated) -> None:
    coordinator = annotated.small.coordinator
    assert find(DRAFT_MARKER).total == 0
    assert find(DRAFT_MARKER, coordinator, include_hidden=True).total == 0
    assert find("szkic", coordinator, include_hidden=True).total == 0


def test_publishing_a_round_makes_its_text_searchable(small: SmallProgramme) -> None:
    from wpw.documents import services as documents

    assert find(DRAFT_MARKER).total == 0
    documents.publish_round(small.coordinator, small.rounds[3], "Trzecia.")
    db.session.commit()
    assert find(DRAFT_MARKER).total == 2  # "cele" and "szkic" in round 3


@pytest.mark.parametrize(
    "query",
    [
        "AND OR (",
        '"',
        "x" * 2000,
        "dobry\x00\x07 cel\u200b",
        '"dobry cel',
        "((dobry",
        "dobry AND",
        "NOT",
        "*",
        "?",
        ")",
        "cel~",
        "^3",
        "field:value",
        "a" * 600 + " b",
    ],
)
def test_malformed_queries_never_fail(annotated, query: str) -> None:
    result = find(query)
    assert result.total >= 0
    if query in ("AND OR (", '"', "NOT", ")"):
        assert result.messages and result.total == 0


def test_malformed_query_falls_back_to_its_words(annotated: Annotated) -> None:
    result = find('"dobry cel')
    assert annotated.comment.id in ids(result)
    assert "błąd składni" in result.messages[0]
    assert result.searched == "dobry cel"


def test_overlong_query_is_cut_with_a_message(annotated) -> None:
    result = find("dobry " * 400)
    assert "za długie" in result.messages[0]
    assert len(result.searched) <= 500


def test_facet_counts(annotated: Annotated) -> None:
    result = find()
    facets = {f.name: {v.value: v.count for v in f.values} for f in result.facets}
    # Public: comment, withdrawn (the hidden one is not counted), change,
    # question, reply; 3 versions in round 1, 4 in round 2.
    assert facets["kind"] == {
        "comment": 2,
        "change": 1,
        "question": 1,
        "reply": 1,
        "section": 7,
    }
    assert facets["round"] == {"1": 3, "2": 9}
    assert facets["sector"] == {"edukacja": 4, "kultura": 4}  # formy ×2, 2 notes
    assert facets["decision"] == {"none": 5}
    organisation = str(annotated.author.organisation_id)
    assert facets["organisation"] == {organisation: 5}
    labels = {v.value: v.label for f in result.facets for v in f.values}
    assert labels[organisation] == "Fundacja Testowa"
    assert labels["edukacja"] == "Edukacja"
    assert labels["2"] == "Runda 2"
    assert result.total == 12


def test_facet_filters_combine(annotated: Annotated) -> None:
    assert find(filters={"kind": "comment"}).total == 2
    assert find(filters={"kind": ["comment", "question"]}).total == 3
    assert find(filters={"kind": "comment", "section": "formy"}).total == 1
    assert find(filters={"round": "1"}).total == 3
    chosen = find(filters={"kind": "comment"}).facets
    (kind,) = [f for f in chosen if f.name == "kind"]
    assert [(v.value, v.selected) for v in kind.values] == [("comment", True)]


def _set_date(annotation, day: date) -> None:
    annotation.created_at = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    db.session.commit()


def test_date_range_is_inclusive(annotated: Annotated) -> None:
    _set_date(annotated.comment, date(2011, 6, 10))
    _set_date(annotated.question, date(2011, 6, 20))
    june = {"date_from": date(2011, 6, 10), "date_to": date(2011, 6, 20)}
    assert ids(find(**june)) == {annotated.comment.id, annotated.question.id}
    assert ids(find(date_from=date(2011, 6, 11), date_to=date(2011, 6, 20))) == {
        annotated.question.id
    }
    assert ids(find(date_to=date(2011, 6, 10))) == {annotated.comment.id}


def test_sort_by_date(annotated: Annotated) -> None:
    _set_date(annotated.comment, date(2011, 6, 10))
    _set_date(annotated.question, date(2011, 6, 20))
    kinds = {"filters": {"kind": ["comment", "question"]}}
    newest = [h.object_id for h in find(sort="newest", **kinds).hits]
    oldest = [h.object_id for h in find(sort="oldest", **kinds).hits]
    assert oldest[0] == annotated.comment.id
    assert newest == oldest[::-1]
    assert newest[-1] == annotated.comment.id


def test_relevance_ranks_the_better_match_first(annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    weak = annotate(annotated.author, cele, "Budżet na kulturę i sport.")
    strong = annotate(annotated.author, cele, "Kultura, kultura i jeszcze kultura.")
    hits = find("kultura").hits
    assert [h.object_id for h in hits[:2]] == [strong.id, weak.id]


def test_pages(annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    for n in range(PER_PAGE + 5):
        annotate(annotated.author, cele, f"Uwaga seryjna numer {n}.", commit=False)
    db.session.commit()
    first, second = find("seryjna"), find("seryjna", page=2)
    assert (first.total, first.pages, len(first.hits)) == (25, 2, PER_PAGE)
    assert len(second.hits) == 5
    assert not ids(first) & ids(second)
    beyond = find("seryjna", page=99)
    assert beyond.page == 2 and ids(beyond) == ids(second)


def test_snippets_are_escaped_and_marked(annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    annotate(annotated.author, cele, "<script>alert(1)</script> & uchwała <b>")
    (hit,) = find("uchwała").hits
    html = str(hit.snippets[0].html)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert "<mark>uchwała</mark>" in html


def test_hits_point_at_their_lines(annotated: Annotated) -> None:
    (hit,) = [h for h in find("jaśniej").hits if h.object_id == annotated.change.id]
    assert (hit.first_line, hit.last_line, hit.round) == (2, 2, 2)
    reply = next(h for h in find("zgadzam").hits)
    assert reply.root_id == annotated.comment.id and reply.first_line == 1
    text = next(h for h in find("czwarty").hits if h.doc_type == "version")
    assert text.first_line == 4  # the matching line of "cele"
    assert "<mark>Czwarty</mark>" in str(text.snippets[0].html)


def test_withdrawn_and_change_kinds_are_labelled(annotated: Annotated) -> None:
    (hit,) = [h for h in find("jednak").hits if h.object_id == annotated.withdrawn.id]
    assert hit.state == "withdrawn"
    assert find("jaśniej", filters={"kind": AnnotationKind.CHANGE.value}).total == 1
