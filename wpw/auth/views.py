"""Registration, login, logout and the account page."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from wpw.annotations import tokens
from wpw.annotations.models import ApiToken
from wpw.auth import services as accounts
from wpw.auth.forms import LoginForm, RegistrationForm, add_problems
from wpw.errors import DomainError
from wpw.extensions import db
from wpw.urls import safe_next

bp = Blueprint("auth", __name__)

#: One message for an unknown e-mail and a wrong password alike, so the form
#: does not tell which addresses have accounts.
BAD_CREDENTIALS = _l("Nieprawidłowy e-mail lub hasło.")
THROTTLED = _l(
    "Zbyt wiele nieudanych prób logowania. Ze względów bezpieczeństwa logowanie "
    "jest na chwilę wstrzymane – spróbuj ponownie za kilkanaście minut."
)


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            user = accounts.register(**form.account_data())
        except accounts.InvalidFields as error:  # e.g. the e-mail taken meanwhile
            add_problems(form, error.problems)
        else:
            db.session.commit()
            login_user(user)
            flash(_("Witamy! Konto zostało założone, jesteś zalogowany/a."), "success")
            return redirect(url_for("main.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    next_path = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("main.home"))
    form = LoginForm()

    def again(error: str | None = None, status: int = 200) -> ResponseReturnValue:
        form.form_errors.extend([error] if error else [])
        page = render_template("auth/login.html", form=form, next_path=next_path)
        return page, status

    if not form.validate_on_submit():
        return again()
    remote_addr = request.remote_addr or ""
    if _throttled(form.email.data, remote_addr):
        return again(str(THROTTLED), 429)  # nothing recorded: no guess counts
    user = accounts.authenticate(form.email.data, form.password.data, remote_addr)
    db.session.commit()  # keeps the failure, or clears the earlier ones
    if user is None:
        return again(str(BAD_CREDENTIALS))
    login_user(user, remember=form.remember.data)
    flash(_("Zalogowano. Witaj, %(name)s!", name=user.name), "success")
    return redirect(next_path or url_for("main.home"))


def _throttled(email: str, remote_addr: str) -> bool:
    config = current_app.config
    return accounts.login_throttled(
        email,
        remote_addr,
        limit=config["WPW_LOGIN_MAX_FAILURES"],
        window=config["WPW_LOGIN_WINDOW_SECONDS"],
    )


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        logout_user()
        flash(_("Wylogowano. Do zobaczenia!"), "success")
    return redirect(url_for("main.home"))


@bp.get("/account")
@login_required
def account() -> ResponseReturnValue:
    return _account_page()


def _account_page(
    new_token: str | None = None, error: str | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "auth/account.html",
        user=current_user,
        tokens=tokens.tokens_of(current_user),
        new_token=new_token,
        token_error=error,
    )
    # The new token's plaintext is in this page only: no cache may keep it.
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/account/tokens")
@login_required
def create_token() -> ResponseReturnValue:
    """Create a personal API token and show its plaintext this once."""
    try:
        _token, plaintext = tokens.create_token(
            current_user, request.form.get("name", "")
        )
    except DomainError as error:
        db.session.rollback()
        return _account_page(error=error.message, status=error.status_code)
    db.session.commit()
    return _account_page(new_token=plaintext)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> ResponseReturnValue:
    token = db.get_or_404(ApiToken, token_id)
    tokens.revoke_token(current_user, token)  # someone else's: 403 page
    db.session.commit()
    flash(_("Token „%(name)s” został unieważniony.", name=token.name), "success")
    return redirect(url_for("auth.account"))
