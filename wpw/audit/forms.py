"""The audit log's filter form: a GET form, so no CSRF token (it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from wpw.audit.services import AuditFilters

#: The "any" choice of each select.
ANY = ""


class AuditFilterForm(Form):
    action = SelectField(_l("Rodzaj zdarzenia"), validators=[Optional()])
    actor = SelectField(_l("Kto"), validators=[Optional()])
    date_from = DateField(_l("Od dnia"), validators=[Optional()])
    date_to = DateField(_l("Do dnia (włącznie)"), validators=[Optional()])
    subject_type = SelectField(_l("Czego dotyczy"), validators=[Optional()])
    subject_id = IntegerField(
        _l("Numer (identyfikator) obiektu"),
        validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
    )

    def validate_date_to(self, field: DateField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Koniec okresu nie może być przed początkiem."))

    def filters(self) -> AuditFilters:
        """The filters chosen (call after :meth:`validate`; an invalid field
        filters nothing)."""

        def good(name: str):
            field = self[name]
            return None if field.errors or field.data in (None, ANY) else field.data

        actor = good("actor")
        return AuditFilters(
            action=good("action"),
            actor_id=int(actor) if actor else None,
            date_from=good("date_from"),
            date_to=good("date_to"),
            subject_type=good("subject_type"),
            subject_id=good("subject_id"),
        )
