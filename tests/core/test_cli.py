"""The ``flask wpw`` commands: init, demo, user create and list."""

from sqlalchemy import func, select

from wpw.auth.models import Role, User
from wpw.documents.models import Round, SectionVersion
from wpw.extensions import db
from wpw.sectors.models import MembershipRole


def _counts() -> tuple[int, int, int]:
    return (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Round.id))),
        db.session.scalar(select(func.count(SectionVersion.id))),
    )


def test_demo_twice_changes_nothing(runner) -> None:
    first = runner.invoke(args=["wpw", "demo"])
    assert first.exit_code == 0, first.output
    assert "Created:" in first.output
    before = _counts()
    assert before[1] == 2 and before[2] >= 24
    second = runner.invoke(args=["wpw", "demo"])
    assert "nothing changed" in second.output
    assert _counts() == before


def test_user_create_reads_password_from_stdin(runner, demo) -> None:
    result = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "Nowa@Example.org",
            "--name",
            "Nowa",
            "--role",
            "ngo",
            "--organisation",
            "Fundacja Test",
            "--krs",
            "0000999999",
            "--sector",
            "kultura",
            "--leader",
        ],
        input="bardzo-tajne-haslo\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "nowa@example.org"))
    assert user.role is Role.NGO and user.check_password("bardzo-tajne-haslo")
    assert user.organisation.krs == "0000999999"
    assert [(m.sector.slug, m.role) for m in user.memberships] == [
        ("kultura", MembershipRole.LEADER)
    ]
    listing = runner.invoke(args=["wpw", "user", "list"])
    assert "nowa@example.org\tngo\tFundacja Test\tkultura*" in listing.output


def test_user_create_refuses_bad_input_and_writes_nothing(runner, demo) -> None:
    before = _counts()
    weak = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--role",
            "citizen",
        ],
        input="krotkie\n",
    )
    assert weak.exit_code != 0 and "10" in weak.output
    taken = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "KOORDYNATOR@wpw.example",
            "--name",
            "X",
            "--role",
            "citizen",
        ],
        input="dlugie-dobre-haslo\n",
    )
    assert taken.exit_code != 0
    bad_sector = runner.invoke(
        args=[
            "wpw",
            "user",
            "create",
            "--email",
            "y@example.org",
            "--name",
            "Y",
            "--role",
            "citizen",
            "--sector",
            "nope",
        ],
        input="dlugie-dobre-haslo\n",
    )
    assert bad_sector.exit_code != 0 and "edukacja" in bad_sector.output
    assert _counts() == before
