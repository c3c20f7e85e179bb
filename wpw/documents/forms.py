"""Forms of the working copy: open, edit, add, move, publish, discard.

Labels and messages are lazy Polish msgids; the rules themselves (who may edit,
valid numbers and keys, stale saves) live in :mod:`wpw.documents.services`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from wpw.auth.forms import strip


class OpenWorkingCopyForm(FlaskForm):
    title = StringField(
        _l("Tytuł nowej rundy"),
        validators=[
            InputRequired(message=_l("Podaj tytuł nowej rundy.")),
            Length(max=300),
        ],
        filters=[strip],
        description=_l("Np. „Projekt programu” albo „Tekst przyjęty”."),
    )


class SectionForm(FlaskForm):
    number = StringField(
        _l("Numer"),
        validators=[
            InputRequired(message=_l("Podaj numer paragrafu.")),
            Length(max=20),
        ],
        filters=[strip],
        description=_l("Np. „§ 4”."),
    )
    title = StringField(
        _l("Tytuł"),
        validators=[
            InputRequired(message=_l("Podaj tytuł paragrafu.")),
            Length(max=300),
        ],
        filters=[strip],
    )
    text = TextAreaField(
        _l("Tekst"),
        description=_l(
            "Każdy wiersz dostanie swój numer, do którego czytelnicy "
            "mogą się odnosić w uwagach."
        ),
    )
    message = StringField(
        _l("Opis zmiany"),
        validators=[Optional(), Length(max=500)],
        filters=[strip],
        description=_l("Krótko: co i dlaczego zmieniono. Widać to w historii."),
    )
    #: The revision the form started from: a stale one is a conflict.
    base_revision = HiddenField()


class NewSectionForm(SectionForm):
    key = StringField(
        _l("Identyfikator (w adresie strony)"),
        validators=[InputRequired(message=_l("Podaj identyfikator.")), Length(max=80)],
        filters=[strip],
        description=_l(
            "Małe litery bez polskich znaków, cyfry i łączniki, np. "
            "„komisje-konkursowe”. Nie zmienia się między rundami."
        ),
    )
    position = IntegerField(
        _l("Miejsce w spisie treści"),
        validators=[Optional(), NumberRange(min=1, message=_l("Od 1 wzwyż."))],
        description=_l("Puste: na końcu."),
    )


class MoveForm(FlaskForm):
    position = IntegerField(validators=[InputRequired(), NumberRange(min=1)])


class PublishForm(FlaskForm):
    message = TextAreaField(
        _l("Komunikat publikacji"),
        validators=[
            InputRequired(message=_l("Napisz, co zmieniło się w tej rundzie.")),
            Length(max=2000),
        ],
        filters=[strip],
        description=_l("Widoczny publicznie przy rundzie, np. co uwzględniono."),
    )


class ConfirmForm(FlaskForm):
    """A bare form: its CSRF token is the confirmation."""
