"""The Polish analyzer: stem first, then fold, so inflected forms and text typed
without Polish letters meet; and its query side (phrases, prefixes)."""

from __future__ import annotations

import pickle

import pytest

from wpw.search.analysis import fold, normalise, polish_analyzer


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("organizacji pozarządowych", "organizacje pozarządowe"),
        ("zrodla", "źródła"),
        ("uchwały", "uchwała"),
        ("Źródło", "źródłach"),
        ("LODZ", "Łódź"),
    ],
)
def test_query_forms_meet_text_forms(query: str, text: str) -> None:
    assert normalise(query) == normalise(text)


def test_stemming_comes_before_folding() -> None:
    # Folded first, "pozarzadowych" would not be recognised as an inflection.
    assert normalise("pozarządowych") == ["pozarzadow"]


def test_different_words_stay_different() -> None:
    assert normalise("sport") != normalise("kultura")
    assert normalise("rada") != normalise("radio")


def test_fold_handles_every_polish_letter() -> None:
    assert fold("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ") == "acelnoszz ACELNOSZZ"


def test_analyzer_survives_pickling_without_the_c_stemmer() -> None:
    analyzer = polish_analyzer()
    assert [t.text for t in analyzer("uchwały")] == ["uchw"]  # builds the stemmer
    copy = pickle.loads(pickle.dumps(analyzer))  # noqa: S301  (our own bytes)
    assert [t.text for t in copy("uchwały")] == ["uchw"]
    assert copy == analyzer
