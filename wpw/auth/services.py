"""Account rules: creating users and organisations, roles, sector memberships, logins.

Plain functions: they validate, raise :class:`wpw.errors.Invalid` or
:class:`wpw.errors.NotAllowed`, flush and never commit.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from datetime import timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from wpw.audit.services import record
from wpw.auth.models import LoginAttempt, Organisation, Role, User
from wpw.auth.permissions import can_administer
from wpw.core import utcnow
from wpw.errors import Invalid, InvalidFields, NotAllowed
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, Sector, SectorMembership

MIN_PASSWORD_LENGTH = 10
_KRS = re.compile(r"^\d{10}$")
#: Passwords too common to allow whatever their length (a short, honest list;
#: the length rule does most of the work).
_COMMON = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "qwertyuiop",
        "password12",
        "password123",
        "haslo12345",
        "haslo123456",
        "zaq12wsxcde",
        "qwerty1234",
        "1q2w3e4r5t",
        "administrator",
        "krakow2011",
        "krakow2012",
        "polska1234",
    }
)


def normalise_email(email: str) -> str:
    """Validate *email*'s syntax and return it lower-cased.

    Raises :class:`Invalid` with a reason. Deliverability is not checked here
    (no DNS at registration time).
    """
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise Invalid(_("Podaj poprawny adres e-mail.")) from None
    return checked.normalized.lower()


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Reasons why *password* is too weak; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            _("Hasło musi mieć co najmniej %(n)d znaków.", n=MIN_PASSWORD_LENGTH)
        )
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4:
        problems.append(_("To hasło jest zbyt łatwe do odgadnięcia."))
    local = email.split("@")[0].lower()
    if (local and len(local) >= 4 and local in lowered) or (
        name and len(name) >= 4 and name.lower().replace(" ", "") in lowered
    ):
        problems.append(_("Hasło nie może zawierać adresu e-mail ani imienia."))
    return problems


def krs_problem(krs: str) -> str | None:
    if krs and not _KRS.match(krs):
        return _("Numer KRS to dokładnie 10 cyfr, np. 0000123456.")
    return None


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def find_or_create_organisation(name: str, krs: str | None) -> Organisation:
    """The organisation with this KRS number if there is one, else a new one."""
    if krs:
        found = db.session.scalar(select(Organisation).where(Organisation.krs == krs))
        if found is not None:
            return found
    else:
        found = db.session.scalar(
            select(Organisation).where(
                func.lower(Organisation.name) == name.strip().lower(),
                Organisation.krs.is_(None),
            )
        )
        if found is not None:
            return found
    organisation = Organisation(name=name.strip(), krs=krs or None)
    db.session.add(organisation)
    return organisation


def account_problems(
    *, email: str, name: str, password: str, organisation_name: str = "", krs: str = ""
) -> dict[str, list[str]]:
    """Every reason, per field, why an account cannot have these details.

    Empty when :func:`create_user` would accept them. Reads the database (to
    find a taken e-mail) and writes nothing.
    """
    problems: dict[str, list[str]] = {}
    try:
        email = normalise_email(email)
    except Invalid as error:
        problems["email"] = [error.message]
    else:
        if user_by_email(email) is not None:
            problems["email"] = [_("Konto z tym adresem e-mail już istnieje.")]
    name = name.strip()
    if not name:
        problems["name"] = [_("Podaj imię i nazwisko.")]
    if weak := password_problems(password, email=email, name=name):
        problems["password"] = weak
    krs = krs.strip()
    if problem := krs_problem(krs):
        problems["krs"] = [problem]
    if krs and not organisation_name.strip():
        problems["organisation_name"] = [
            _("Podaj nazwę organizacji, do której należy numer KRS.")
        ]
    return problems


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: Role = Role.CITIZEN,
    organisation_name: str = "",
    krs: str = "",
) -> User:
    """Create an account, joining or creating its organisation.

    Raises :class:`InvalidFields` (an :class:`Invalid`) listing every problem
    (taken or malformed e-mail, weak password, malformed KRS, KRS without a
    name); nothing is written then.
    """
    if problems := account_problems(
        email=email,
        name=name,
        password=password,
        organisation_name=organisation_name,
        krs=krs,
    ):
        raise InvalidFields(problems)
    user = User(email=normalise_email(email), name=name.strip(), role=role)
    user.set_password(password)
    if organisation_name.strip():
        user.organisation = find_or_create_organisation(
            organisation_name, krs.strip() or None
        )
    db.session.add(user)
    db.session.flush()
    return user


def register(
    *, email: str, name: str, password: str, organisation_name: str = "", krs: str = ""
) -> User:
    """Self-registration: role ``ngo`` for someone naming an organisation, else
    ``citizen``; other roles are MOWIS's to give.

    Raises :class:`InvalidFields` as :func:`create_user` does.
    """
    role = Role.NGO if organisation_name.strip() else Role.CITIZEN
    return create_user(
        email=email,
        name=name,
        password=password,
        role=role,
        organisation_name=organisation_name,
        krs=krs,
    )


def users_query(search: str = "") -> Select[tuple[User]]:
    """Users by name, optionally those whose name or e-mail contains *search*
    (case-insensitive), with organisation and sectors loaded for a listing."""
    query = select(User).options(
        selectinload(User.organisation),
        selectinload(User.memberships).selectinload(SectorMembership.sector),
    )
    if search := search.strip().lower():
        query = query.where(
            or_(
                func.lower(User.name).contains(search, autoescape=True),
                User.email.contains(search, autoescape=True),
            )
        )
    return query.order_by(func.lower(User.name), User.id)


def set_role(actor: User, user: User, role: Role) -> None:
    """MOWIS changes a user's global role. An admin cannot demote themself,
    so the site never loses its last administrator by accident."""
    if not can_administer(actor):
        raise NotAllowed(_("Tylko administrator zmienia role."))
    if user.id == actor.id and role is not Role.ADMIN:
        raise Invalid(_("Nie możesz odebrać sobie roli administratora."))
    if user.role is not role:
        record(actor, "user.role_changed", user, old=user.role.value, new=role.value)
    user.role = role
    db.session.flush()


def set_membership(
    actor: User | None, user: User, sector: Sector, role: MembershipRole | None
) -> None:
    """Put *user* in *sector* as member or leader, or remove them (``role=None``).

    *actor* ``None`` means the command line, which runs with the operator's
    authority. Raises :class:`NotAllowed` unless *actor* administers.
    """
    if actor is not None and not can_administer(actor):
        raise NotAllowed(_("Tylko administrator zmienia skład podzespołów."))
    membership = db.session.scalar(
        select(SectorMembership).where(
            SectorMembership.user_id == user.id, SectorMembership.sector_id == sector.id
        )
    )
    old = membership.role if membership is not None else None
    if role is None:
        if membership is not None:
            db.session.delete(membership)
    elif membership is None:
        db.session.add(SectorMembership(user=user, sector=sector, role=role))
    else:
        membership.role = role
    if old is not role:
        record(
            actor,
            "user.membership_changed",
            user,
            sector=sector.slug,
            old=old.value if old else None,
            new=role.value if role else None,
        )
    db.session.flush()


def set_memberships(
    actor: User, user: User, roles: Mapping[Sector, MembershipRole | None]
) -> None:
    """Set *user*'s place in each given sector at once (``None`` = not a member).

    Raises :class:`NotAllowed` unless *actor* administers; nothing changes then.
    """
    if not can_administer(actor):
        raise NotAllowed(_("Tylko administrator zmienia skład podzespołów."))
    for sector, role in roles.items():
        set_membership(actor, user, sector, role)


def login_throttled(email: str, remote_addr: str, *, limit: int, window: int) -> bool:
    """True when this e-mail or this address had *limit* failures within *window* s."""
    since = utcnow() - timedelta(seconds=window)
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.created_at >= since,
            or_(
                LoginAttempt.email == email.strip().lower(),
                LoginAttempt.remote_addr == remote_addr,
            ),
        )
    )
    return (count or 0) >= limit


def authenticate(email: str, password: str, remote_addr: str) -> User | None:
    """The active user with these credentials, or ``None`` after recording a failure.

    A password check runs even for unknown e-mails, so timing does not reveal
    which addresses have accounts.
    """
    user = user_by_email(email)
    if user is not None and user.is_active and user.check_password(password):
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == user.email))
        return user
    if user is None:
        check_password_hash(_dummy_hash(), password)
    db.session.add(
        LoginAttempt(email=email.strip().lower()[:254], remote_addr=remote_addr[:64])
    )
    db.session.flush()
    return None


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))
