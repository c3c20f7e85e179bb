"""Forms for annotating: a new annotation, a reply, an edit, a reason, a filter.

Labels and messages are lazy Polish msgids. The forms check only the shape of
the input (a kind chosen, whole line numbers); the rules — the range fits the
section, the body is not empty or too long, a change differs from the text, the
consultation is open — live in :mod:`wpw.annotations.services`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Form,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import InputRequired, NumberRange, Optional

from wpw.annotations.models import AnnotationKind

KIND_CHOICES = [
    (AnnotationKind.COMMENT.value, _l("uwaga")),
    (AnnotationKind.QUESTION.value, _l("pytanie")),
    (AnnotationKind.CHANGE.value, _l("propozycja zmiany")),
]


def optional_int(value: str | None) -> int | None:
    """A hidden offset filled by the script: a whole number, or nothing."""
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


class AnnotationForm(FlaskForm):
    kind = RadioField(
        _l("Rodzaj"),
        choices=KIND_CHOICES,
        default=AnnotationKind.COMMENT.value,
        validators=[InputRequired(message=_l("Wybierz rodzaj uwagi."))],
    )
    first_line = IntegerField(
        _l("Od wiersza"),
        validators=[
            InputRequired(message=_l("Podaj numer pierwszego wiersza.")),
            NumberRange(min=1, message=_l("Wiersze są numerowane od 1.")),
        ],
    )
    last_line = IntegerField(
        _l("Do wiersza"),
        validators=[
            InputRequired(message=_l("Podaj numer ostatniego wiersza.")),
            NumberRange(min=1, message=_l("Wiersze są numerowane od 1.")),
        ],
    )
    #: The version the page showed: a form for another section is refused.
    version_id = HiddenField()
    #: Character offsets of a passage selected with the mouse (filled by script).
    start = HiddenField()
    end = HiddenField()
    body = TextAreaField(_l("Treść"))
    replacement = TextAreaField(
        _l("Proponowany tekst"),
        description=_l("Nowe brzmienie zaznaczonego fragmentu."),
    )

    def offsets(self) -> tuple[int | None, int | None]:
        start, end = optional_int(self.start.data), optional_int(self.end.data)
        if start is None or end is None:
            return None, None
        return start, end


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Twoja odpowiedź"))


class EditForm(FlaskForm):
    body = TextAreaField(_l("Treść"))
    replacement = TextAreaField(_l("Proponowany tekst"))


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Powód"), validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A button with a CSRF token (withdrawing)."""


class FilterForm(Form):
    """The GET filter above a section's annotations (no CSRF: it only reads)."""

    filter_kind = SelectField(_l("Rodzaj"), validators=[Optional()])
    filter_sector = SelectField(_l("Podzespół"), validators=[Optional()])
    filter_decision = SelectField(_l("Rozstrzygnięcie"), validators=[Optional()])
    filter_org = SelectField(_l("Organizacja"), validators=[Optional()])
