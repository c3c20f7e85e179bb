"""Personal API tokens: create one (shown once), revoke it, find its user.

A token is ``secrets.token_urlsafe(32)``; only its SHA-256 hex digest is stored,
so a leaked database does not leak usable tokens. Services flush, never commit.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import select

from wpw.annotations.models import ApiToken
from wpw.auth.models import User
from wpw.core import utcnow
from wpw.errors import Invalid, InvalidTransition, NotAllowed
from wpw.extensions import db

MAX_NAME = 100


def hash_token(plaintext: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(actor: User, name: str) -> tuple[ApiToken, str]:
    """A new token for *actor* named *name*, and its plaintext (never stored).

    Raises :class:`NotAllowed` for an anonymous actor and :class:`Invalid` for
    an empty or overlong name.
    """
    if actor is None or not actor.is_authenticated:
        raise NotAllowed(_("Zaloguj się, aby utworzyć token."))
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Nazwij token, np. nazwą programu, który go użyje."))
    if len(name) > MAX_NAME:
        raise Invalid(_("Nazwa tokenu może mieć najwyżej %(n)d znaków.", n=MAX_NAME))
    plaintext = secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.id, name=name, token_hash=hash_token(plaintext))
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """*actor* revokes their own *token*; it stops working at once.

    Raises :class:`NotAllowed` if *token* is someone else's and
    :class:`InvalidTransition` if it is already revoked.
    """
    if actor is None or not actor.is_authenticated or token.user_id != actor.id:
        raise NotAllowed(_("Token może unieważnić tylko jego właściciel."))
    if not token.is_active:
        raise InvalidTransition(_("Ten token jest już unieważniony."))
    token.revoked_at = utcnow()
    db.session.flush()
    return token


def user_for_token(plaintext: str) -> User | None:
    """The active owner of the active token *plaintext*, or ``None``.

    Records the use in :attr:`ApiToken.last_used_at`.
    """
    if not plaintext:
        return None
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext))
    )
    if token is None or not token.is_active or not token.user.is_active:
        return None
    token.last_used_at = utcnow()
    db.session.flush()
    return token.user


def tokens_of(user: User) -> Sequence[ApiToken]:
    """*user*'s tokens, newest first, revoked ones included."""
    return db.session.scalars(
        select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
