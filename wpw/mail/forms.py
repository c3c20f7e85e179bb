"""The mail preferences form. Labels are lazy Polish msgids."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired

from wpw.mail.models import QueueMail

QUEUE_LABELS = {
    QueueMail.OFF: _l("nie wysyłaj"),
    QueueMail.IMMEDIATE: _l("od razu, o każdej nowej uwadze"),
    QueueMail.DAILY: _l("raz dziennie, w zestawieniu"),
}


class PreferencesForm(FlaskForm):
    decisions = BooleanField(
        _l("Decyzje Zespołu Koordynującego w sprawie moich uwag (z uzasadnieniem)")
    )
    replies = BooleanField(_l("Odpowiedzi na moje uwagi"))
    #: Shown to sub-team members only; the view removes it for everyone else.
    queue = RadioField(
        _l("Nowe uwagi w kolejce mojego podzespołu"),
        choices=[(q.value, label) for q, label in QUEUE_LABELS.items()],
        validators=[InputRequired(message=_l("Wybierz, jak często pisać."))],
    )
    show_name = BooleanField(
        _l("Pokazuj publicznie moje imię i nazwisko (inaczej tylko organizację)")
    )
