"""Organisations, users and their global roles, and the login-attempt log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from wpw.core import UTCDateTime, str_enum, utcnow
from wpw.extensions import db
from wpw.mail.models import QueueMail

if TYPE_CHECKING:
    from wpw.sectors.models import SectorMembership


class Role(enum.StrEnum):
    """A user's global role. Order matters only for display."""

    CITIZEN = "citizen"
    NGO = "ngo"
    OFFICIAL = "official"
    COUNCILLOR = "councillor"
    EXPERT = "expert"
    COORDINATOR = "coordinator"  #: the Coordinating Team (Zespół Koordynujący)
    ADMIN = "admin"  #: MOWIS, the city's NGO support office


class Organisation(db.Model):
    """A non-governmental organisation, optionally with its KRS number."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    #: National Court Register number: exactly 10 digits, unique when given.
    krs: Mapped[str | None] = mapped_column(String(10), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    """Someone with an account. The e-mail is stored lower-cased, unique."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased on the way in, so uniqueness ignores case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.CITIZEN)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    is_active_account: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    #: Show the name on public pages and the report (else only the organisation).
    show_name: Mapped[bool] = mapped_column(default=True)
    # Which mail the user wants (each mail also carries a one-click unsubscribe).
    mail_decisions: Mapped[bool] = mapped_column(default=True)
    mail_replies: Mapped[bool] = mapped_column(default=True)
    mail_queue: Mapped[QueueMail] = mapped_column(
        str_enum(QueueMail), default=QueueMail.IMMEDIATE
    )
    #: When the last daily digest of the sub-team queue was queued for this user.
    digest_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    memberships: Mapped[list[SectorMembership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.is_active_account

    def set_password(self, password: str) -> None:
        # Werkzeug's default is scrypt, a current memory-hard algorithm; the test
        # configuration may name a cheaper one to keep the suite fast.
        method = current_app.config.get("WPW_PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_coordinator(self) -> bool:
        """Coordinators and MOWIS admins run the drafting."""
        return self.role in (Role.COORDINATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class LoginAttempt(db.Model):
    """A failed login, kept for throttling across processes."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, index=True
    )

    def __repr__(self) -> str:
        return f"<LoginAttempt {self.email} {self.created_at:%Y-%m-%d %H:%M}>"
