"""Public pages of the sector sub-teams: members, leader, sections they concern."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from wpw.documents.models import Round, Section, SectionVersion, section_sectors
from wpw.extensions import db
from wpw.sectors.models import MembershipRole, Sector

bp = Blueprint("sectors", __name__, url_prefix="/sectors")


@bp.get("/")
def index():
    sectors = db.session.scalars(select(Sector).order_by(Sector.number)).all()
    return render_template("sectors/index.html", sectors=sectors)


@bp.get("/<slug>")
def detail(slug: str):
    sector = db.session.scalar(select(Sector).where(Sector.slug == slug))
    if sector is None:
        abort(404)
    leaders = [m.user for m in sector.memberships if m.role is MembershipRole.LEADER]
    members = [m.user for m in sector.memberships if m.role is MembershipRole.MEMBER]
    # Each concerned section, as it reads in the latest public round that has it.
    rows = db.session.execute(
        select(SectionVersion, Round)
        .join(Round, SectionVersion.round_id == Round.id)
        .join(Section, SectionVersion.section_id == Section.id)
        .join(section_sectors, section_sectors.c.section_id == Section.id)
        .where(section_sectors.c.sector_id == sector.id, Round.status != "working")
        .order_by(Round.number.desc(), SectionVersion.position)
    ).all()
    latest: dict[int, tuple[SectionVersion, Round]] = {}
    for version, round_ in rows:
        latest.setdefault(version.section_id, (version, round_))
    return render_template(
        "sectors/detail.html",
        sector=sector,
        leaders=sorted(leaders, key=lambda u: u.name),
        members=sorted(members, key=lambda u: u.name),
        sections=sorted(
            latest.values(), key=lambda vr: (vr[0].section.programme_id, vr[0].position)
        ),
    )
