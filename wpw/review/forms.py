"""Forms of the review: decide, recommend, add a note, bulk decide, filter a queue.

The forms check only the shape of the input; the rules (a justification is
mandatory, ``noted`` is not for proposed changes, who may do what, a stale page)
live in :mod:`wpw.review.services`. The decision and sector selects do not
validate their choice: the service refuses an unknown decision with a Polish
message.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField, TextAreaField
from wtforms.validators import Optional

from wpw.annotations.models import Decision
from wpw.review.labels import DECISION_LABELS


def decision_choices(*, with_noted: bool = True) -> list[tuple[str, str]]:
    return [
        (d.value, DECISION_LABELS[d])
        for d in Decision
        if with_noted or d is not Decision.NOTED
    ]


def revision_of(field: HiddenField) -> int | None:
    """The review revision the page was loaded at, or ``None`` if tampered with."""
    try:
        return int(field.data)
    except (TypeError, ValueError):
        return None


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decyzja"), validate_choice=False)
    justification = TextAreaField(
        _l("Uzasadnienie"),
        description=_l("Obowiązkowe. Zobaczy je autor uwagi i wszyscy czytelnicy."),
    )
    adopted_wording = TextAreaField(
        _l("Przyjęte brzmienie"),
        description=_l("Tylko przy częściowym uwzględnieniu propozycji zmiany."),
    )
    #: The annotation's review revision when the page was loaded.
    revision = HiddenField()


class RecommendForm(DecisionForm):
    sector = SelectField(_l("Podzespół"), validate_choice=False)


class NoteForm(FlaskForm):
    body = TextAreaField(_l("Notatka wewnętrzna"))
    sector = SelectField(_l("Podzespół"), validate_choice=False)


class BulkForm(FlaskForm):
    """One decision for the checked identical comments (``pick`` = ``id:revision``)."""

    decision = SelectField(_l("Decyzja"), validate_choice=False)
    justification = TextAreaField(_l("Wspólne uzasadnienie"))


class QueueFilterForm(Form):
    """The GET filter above the Coordinating Team's queue (no CSRF: it only reads)."""

    programme = SelectField(_l("Program"), validators=[Optional()])
    round = SelectField(_l("Runda"), validators=[Optional()])
    section = SelectField(_l("Paragraf"), validators=[Optional()])
    sector = SelectField(_l("Podzespół"), validators=[Optional()])
    kind = SelectField(_l("Rodzaj"), validators=[Optional()])
    status = SelectField(_l("Stan"), validators=[Optional()])
    organisation = SelectField(_l("Organizacja"), validators=[Optional()])
