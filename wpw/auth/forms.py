"""Registration and login forms. Labels, hints and messages are lazy Polish msgids.

The forms check presence and length; the account rules (a taken e-mail, a weak
password, a malformed KRS number) live in :mod:`wpw.auth.services`, and
:meth:`RegistrationForm.validate` asks them, so every reason shows at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, Form, PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from wpw.auth import services as accounts


def strip(value: str | None) -> str | None:
    """A WTForms filter: surrounding spaces never belong to an e-mail or a name."""
    return value.strip() if isinstance(value, str) else value


def add_problems(form: Form, problems: Mapping[str, list[str]]) -> None:
    """Show a service's reasons (field name → messages) next to their fields.

    A field that already shows the form's own reason (e.g. "Podaj hasło.") keeps
    only that one, so nothing is said twice; reasons about a field the form
    lacks go to ``form.form_errors``.
    """
    for name, messages in problems.items():
        field = form._fields.get(name)
        if field is None:
            form.form_errors.extend(messages)
        elif not field.errors:
            field.errors = list(messages)


class RegistrationForm(FlaskForm):
    email = EmailField(
        _l("Adres e-mail"),
        validators=[
            InputRequired(message=_l("Podaj adres e-mail.")),
            Length(max=254, message=_l("Adres e-mail może mieć najwyżej 254 znaki.")),
        ],
        filters=[strip],
    )
    name = StringField(
        _l("Imię i nazwisko"),
        validators=[
            InputRequired(message=_l("Podaj imię i nazwisko.")),
            Length(max=200, message=_l("Najwyżej 200 znaków.")),
        ],
        filters=[strip],
    )
    password = PasswordField(
        _l("Hasło"),
        description=_l(
            "Co najmniej %(n)d znaków. Najłatwiej zapamiętać kilka zwykłych słów.",
            n=accounts.MIN_PASSWORD_LENGTH,
        ),
        validators=[InputRequired(message=_l("Podaj hasło."))],
    )
    confirm = PasswordField(
        _l("Powtórz hasło"),
        validators=[
            InputRequired(message=_l("Powtórz hasło.")),
            EqualTo("password", message=_l("Hasła nie są takie same.")),
        ],
    )
    organisation_name = StringField(
        _l("Nazwa organizacji (nieobowiązkowo)"),
        description=_l(
            "Jeśli działasz w organizacji pozarządowej. Konto otrzyma wtedy rolę "
            "„organizacja pozarządowa”."
        ),
        validators=[Optional(), Length(max=300, message=_l("Najwyżej 300 znaków."))],
        filters=[strip],
    )
    krs = StringField(
        _l("Numer KRS (nieobowiązkowo)"),
        description=_l(
            "Dokładnie 10 cyfr, np. 0000123456. Konta z tym samym numerem KRS "
            "należą do jednej organizacji."
        ),
        validators=[Optional()],
        filters=[strip],
        render_kw={"inputmode": "numeric"},
    )

    def account_data(self) -> dict[str, str]:
        """The details :func:`wpw.auth.services.register` takes."""
        return {
            "email": self.email.data or "",
            "name": self.name.data or "",
            "password": self.password.data or "",
            "organisation_name": self.organisation_name.data or "",
            "krs": self.krs.data or "",
        }

    def validate(self, extra_validators: Any = None) -> bool:
        """The form's own checks, then the account rules, every reason at once."""
        valid = super().validate(extra_validators)
        problems = accounts.account_problems(**self.account_data())
        add_problems(self, problems)
        return valid and not problems


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Adres e-mail"),
        validators=[InputRequired(message=_l("Podaj adres e-mail."))],
        filters=[strip],
    )
    password = PasswordField(
        _l("Hasło"), validators=[InputRequired(message=_l("Podaj hasło."))]
    )
    remember = BooleanField(_l("Zapamiętaj mnie na tym komputerze"))
