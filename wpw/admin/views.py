"""MOWIS's pages: the list of users, and per user the role and sector memberships.

Only administrators get in (see :func:`only_mowis`); the services check again.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from wpw.admin.forms import (
    MembershipsForm,
    RoleForm,
    UserSearchForm,
    memberships_form,
)
from wpw.auth import services as accounts
from wpw.auth.labels import ROLE_LABELS
from wpw.auth.models import User
from wpw.auth.permissions import can_administer
from wpw.errors import Invalid
from wpw.extensions import db, login_manager
from wpw.sectors.models import Sector

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50


@bp.before_request
def only_mowis() -> ResponseReturnValue | None:
    """Anonymous visitors go to the login page; other roles get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can_administer(current_user):
        abort(403)
    return None


@bp.get("/users")
def users() -> ResponseReturnValue:
    form = UserSearchForm(request.args)
    search = (form.q.data or "") if form.validate() else ""
    page = db.paginate(
        accounts.users_query(search),
        page=request.args.get("page", 1, type=int),
        per_page=USERS_PER_PAGE,
        max_per_page=USERS_PER_PAGE,
    )
    return render_template("admin/users.html", form=form, search=search, page=page)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    sectors = db.session.scalars(select(Sector).order_by(Sector.number)).all()
    role_form = RoleForm(prefix="role", data={"role": user.role.value})
    sector_form = memberships_form(sectors, user, prefix="sectors")
    if message := _save(user, sectors, role_form, sector_form):
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("admin.user", user_id=user.id))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "admin/user.html",
        user=user,
        sectors=sectors,
        role_form=role_form,
        sector_form=sector_form,
    ), status


def _save(
    user: User,
    sectors: Sequence[Sector],
    role_form: RoleForm,
    sector_form: MembershipsForm,
) -> str | None:
    """Carry out whichever form was sent; a message saying what changed, or
    ``None`` when nothing did (the forms then hold the reasons)."""
    if role_form.submit.data and role_form.validate_on_submit():
        try:
            accounts.set_role(current_user, user, role_form.chosen)
        except Invalid as error:  # e.g. an administrator demoting themself
            role_form.role.errors.append(error.message)
            return None
        role = ROLE_LABELS[user.role]
        return _("Zmieniono rolę: %(name)s – %(role)s.", name=user.name, role=role)
    if sector_form.submit.data and sector_form.validate_on_submit():
        accounts.set_memberships(current_user, user, sector_form.chosen(sectors))
        return _("Zapisano przynależność do podzespołów: %(name)s.", name=user.name)
    return None
