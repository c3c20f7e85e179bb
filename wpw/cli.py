"""``flask --app app wpw …``: set up the database, load the demo, manage users."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import select

from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.errors import Invalid
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, Sector

wpw_cli = AppGroup("wpw", help="WPW: database, demo data and accounts.")
user_cli = AppGroup("user", help="Create and list accounts.")
wpw_cli.add_command(user_cli)


@wpw_cli.command("init")
def init() -> None:
    """Migrate the database to the newest schema (safe to run again)."""
    upgrade()
    click.echo("Database is at the newest migration.")


@wpw_cli.command("demo")
@click.option(
    "--historical",
    is_flag=True,
    help="Keep the seed's 2011 dates instead of shifting them to today.",
)
def demo(historical: bool) -> None:
    """Load the demo programme, sub-teams, schedule and accounts (idempotent)."""
    from wpw.demo.loader import load_demo
    from wpw.process.services import city_today

    created = load_demo(city_today(), historical=historical)
    db.session.commit()
    if created:
        click.echo("Created: " + ", ".join(created))
    else:
        click.echo("The demo is already loaded; nothing changed.")


@wpw_cli.command("is-empty", hidden=True)
def is_empty() -> None:
    """Exit 0 when no programme exists yet (used by ``make run``)."""
    from wpw.documents.models import Programme

    sys.exit(0 if db.session.scalar(select(Programme.id).limit(1)) is None else 1)


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@user_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--organisation", default="", help="Organisation's name.")
@click.option("--krs", default="", help="The organisation's 10-digit KRS number.")
@click.option("--sector", "sector_slug", default=None, help="Sector slug to join.")
@click.option("--leader", is_flag=True, help="Join the sector as its leader.")
def create_user(
    email: str,
    name: str,
    role: str,
    organisation: str,
    krs: str,
    sector_slug: str | None,
    leader: bool,
) -> None:
    """Create an account; the password is read from a prompt or standard input."""
    if leader and not sector_slug:
        raise click.UsageError("--leader needs --sector.")
    sector = None
    if sector_slug:
        sector = db.session.scalar(select(Sector).where(Sector.slug == sector_slug))
        if sector is None:
            slugs = ", ".join(
                db.session.scalars(select(Sector.slug).order_by(Sector.number))
            )
            raise click.BadParameter(
                f"no sector {sector_slug!r}; known: {slugs or 'none'}",
                param_hint="--sector",
            )
    password = _read_password()
    try:
        user = accounts.create_user(
            email=email,
            name=name,
            password=password,
            role=Role(role),
            organisation_name=organisation,
            krs=krs,
        )
        if sector is not None:
            role_in = MembershipRole.LEADER if leader else MembershipRole.MEMBER
            accounts.set_membership(None, user, sector, role_in)
    except Invalid as error:
        db.session.rollback()
        raise click.ClickException(error.message) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@user_cli.command("list")
def list_users() -> None:
    """List accounts: e-mail, role, organisation, sectors."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        sectors = ", ".join(
            f"{m.sector.slug}{'*' if m.role is MembershipRole.LEADER else ''}"
            for m in user.memberships
        )
        org = user.organisation.name if user.organisation else "-"
        click.echo(f"{user.email}\t{user.role.value}\t{org}\t{sectors or '-'}")


def register(app: Flask) -> None:
    from wpw.mail.cli import commands as mail_commands
    from wpw.search.cli import commands as search_commands

    for command in (*mail_commands, *search_commands):
        wpw_cli.add_command(command)
    app.cli.add_command(wpw_cli)
