"""The search form: a GET form, so it has no CSRF token (it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SearchField, SelectField
from wtforms.validators import Optional

from wpw.search.services import SORTS


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = SearchField(_l("Szukaj"))
    date_from = DateField(_l("Od dnia"), validators=[Optional()], name="from")
    date_to = DateField(_l("Do dnia"), validators=[Optional()], name="to")
    sort = SelectField(
        _l("Kolejność"), choices=list(SORTS.items()), default="relevance"
    )
    hidden = BooleanField(_l("Także ukryte przez moderację"))
