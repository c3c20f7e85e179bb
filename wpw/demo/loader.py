"""The demo: WPW Kraków 2012–2014 with its sub-teams, schedule, accounts, two rounds
and the annotations made on them.

Idempotent: every piece is found by its natural key before it is created, so a
second run changes nothing. The programme text lives in ``data/round*.toml``, the
annotations in ``data/annotations.toml``. Everything is written through the
services, in the order it happened: round 1 is published, annotated during its
consultation (the services are given a day inside that phase) and reviewed (the
sub-teams recommend, the Coordinating Team decides), then round 2 is published —
which re-anchors round 1's annotations onto it — and annotated.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from wpw.annotations import services as annotations
from wpw.annotations.models import Annotation, AnnotationKind, Decision
from wpw.auth import services as accounts
from wpw.auth.models import Role, User
from wpw.documents import services as documents
from wpw.documents.models import Programme, Round, Section
from wpw.extensions import db
from wpw.mail.models import OutboxMail
from wpw.process.models import Phase, PhaseKind
from wpw.process.services import CITY_TIMEZONE
from wpw.review import services as review
from wpw.sectors.models import MembershipRole, Sector

DATA = Path(__file__).with_name("data")
PROGRAMME_SLUG = "wpw-2012-2014"
PROGRAMME_TITLE = (
    "Wieloletni Program Współpracy Gminy Miejskiej Kraków "
    "z organizacjami pozarządowymi na lata 2012–2014"
)
#: Demo-only password for every demo account (listed in the README).
DEMO_PASSWORD = "wpw-demo-2011"

#: The seed's eight sub-teams: slug, Polish name, English name.
SECTORS = [
    (
        "zdrowie",
        "Zdrowie i wsparcie dla osób niepełnosprawnych",
        "Health and support for people with disabilities",
    ),
    ("edukacja", "Edukacja", "Education"),
    (
        "wykluczenie",
        "Aktywizacja grup zagrożonych wykluczeniem społecznym",
        "Activation of groups at risk of social exclusion",
    ),
    ("kultura", "Kultura", "Culture"),
    ("ekologia", "Ekologia", "Ecology"),
    ("sport", "Sport i rekreacja", "Sport and recreation"),
    ("spoleczenstwo-obywatelskie", "Społeczeństwo obywatelskie", "Civil society"),
    ("rozwoj-gospodarczy", "Rozwój gospodarczy", "Economic development"),
]


@dataclass(frozen=True)
class SeedPhase:
    kind: PhaseKind
    start: date
    end: date
    name: str
    name_en: str
    participants: str
    round_number: int | None = None


#: The seed's schedule, 13 June – 30 September 2011, in the seed's order.
SEED_PHASES = [
    SeedPhase(
        PhaseKind.MEETING,
        date(2011, 6, 13),
        date(2011, 6, 13),
        "Pierwsze spotkanie Zespołu Koordynującego – tryb pracy, podzespoły branżowe",
        "First Coordinating Team meeting – mode of work, sector sub-teams",
        "organizacje pozarządowe, UMK, eksperci",
    ),
    SeedPhase(
        PhaseKind.SECTOR_MEETINGS,
        date(2011, 6, 15),
        date(2011, 7, 31),
        "Pierwsza tura spotkań branżowych – diagnoza potrzeb, propozycje zadań publicznych",
        "First round of sector meetings – needs, proposals of public tasks",
        "podzespoły branżowe z MOWIS; organizacje, urzędnicy wydziałów, radni",
    ),
    SeedPhase(
        PhaseKind.DRAFTING,
        date(2011, 7, 10),
        date(2011, 8, 31),
        "Zespół Koordynujący podsumowuje uwagi i tworzy założenia programu",
        "The Coordinating Team sums up the comments and writes the assumptions",
        "Zespół Koordynujący z ekspertami i urzędnikami UMK",
        1,
    ),
    SeedPhase(
        PhaseKind.CONSULTATION,
        date(2011, 9, 1),
        date(2011, 9, 10),
        "Druga tura spotkań branżowych – konsultacja założeń programu",
        "Second round of sector meetings – consultation of the assumptions",
        "podzespoły branżowe z MOWIS; organizacje, urzędnicy, radni",
        1,
    ),
    SeedPhase(
        PhaseKind.DRAFTING,
        date(2011, 9, 10),
        date(2011, 9, 20),
        "Zespół Koordynujący podsumowuje uwagi i przygotowuje projekt programu",
        "The Coordinating Team sums up the comments and prepares the draft",
        "Zespół Koordynujący z ekspertami i urzędnikami UMK",
        2,
    ),
    SeedPhase(
        PhaseKind.CONSULTATION,
        date(2011, 9, 20),
        date(2011, 9, 30),
        "Ostateczna konsultacja projektu programu – spotkanie plenarne lub branżowe",
        "Final consultation of the draft programme – plenary or sector meetings",
        "podzespoły branżowe z MOWIS; organizacje, urzędnicy, radni",
        2,
    ),
    SeedPhase(
        PhaseKind.INFORMATION,
        date(2011, 6, 15),
        date(2011, 9, 30),
        "Polityka informacyjna i konsultacje internetowe",
        "Information policy and online consultations",
        "Zespół Koordynujący, MOWIS, fundacja partnerska",
    ),
]
#: The phase that contains "today" in the shifted demo schedule.
FINAL_CONSULTATION = 5

#: Demo accounts: e-mail, name, role, organisation (name, KRS), sector membership.
ACCOUNTS = [
    ("mowis@wpw.example", "Anna Mowisowa", Role.ADMIN, None, None),
    ("koordynator@wpw.example", "Jan Koordynator", Role.COORDINATOR, None, None),
    (
        "koordynatorka@wpw.example",
        "Ewa Koordynatorka",
        Role.COORDINATOR,
        ("Fundacja Wspierania Inicjatyw Obywatelskich", "0000100001"),
        None,
    ),
    (
        "lider.edukacja@wpw.example",
        "Maria Liderka",
        Role.NGO,
        ("Stowarzyszenie Edukacja Razem", "0000123456"),
        ("edukacja", MembershipRole.LEADER),
    ),
    (
        "ngo@wpw.example",
        "Piotr Społecznik",
        Role.NGO,
        ("Stowarzyszenie Edukacja Razem", "0000123456"),
        ("edukacja", MembershipRole.MEMBER),
    ),
    (
        "fundacja@wpw.example",
        "Katarzyna Zielińska",
        Role.NGO,
        ("Fundacja Zielony Kraków", "0000234567"),
        ("ekologia", MembershipRole.LEADER),
    ),
    ("ekspert@wpw.example", "Tomasz Ekspert", Role.EXPERT, None, None),
    (
        "urzednik@wpw.example",
        "Barbara Urzędniczka",
        Role.OFFICIAL,
        None,
        ("edukacja", MembershipRole.MEMBER),
    ),
    ("radny@wpw.example", "Adam Radny", Role.COUNCILLOR, None, None),
    ("mieszkanka@wpw.example", "Zofia Mieszkanka", Role.CITIZEN, None, None),
]

ROUNDS = [
    (
        1,
        "Założenia programu",
        "round1.toml",
        "Założenia programu po pierwszej turze spotkań branżowych.",
    ),
    (
        2,
        "Projekt programu",
        "round2.toml",
        "Projekt programu po konsultacji założeń w drugiej turze spotkań branżowych.",
    ),
]


def phase_dates(today: date, *, historical: bool) -> list[tuple[date, date]]:
    """The seed's phase dates, or shifted so *today* falls in the final
    consultation of round 2 (five days in), keeping order and durations."""
    if historical:
        return [(p.start, p.end) for p in SEED_PHASES]
    final = SEED_PHASES[FINAL_CONSULTATION]
    shift = (today - timedelta(days=5)) - final.start
    return [(p.start + shift, p.end + shift) for p in SEED_PHASES]


def load_demo(today: date, *, historical: bool = False) -> list[str]:
    """Load whatever part of the demo is missing; return what was created."""
    created: list[str] = []
    sectors = _sectors(created)
    users = _accounts(sectors, created)
    programme = db.session.scalar(
        select(Programme).where(Programme.slug == PROGRAMME_SLUG)
    )
    if programme is None:
        programme = Programme(
            slug=PROGRAMME_SLUG,
            title=PROGRAMME_TITLE,
            description=(
                "Program określa cele, zasady, formy i zakres współpracy Gminy Miejskiej "
                "Kraków z organizacjami pozarządowymi oraz priorytetowe zadania publiczne."
            ),
        )
        db.session.add(programme)
        db.session.flush()
        created.append(f"programme {PROGRAMME_SLUG}")
        dates = phase_dates(today, historical=historical)
        coordinator = users["koordynator@wpw.example"]
        notes = _annotation_data()
        phases = _phases(programme, dates)
        created.append(f"{len(SEED_PHASES)} phases")
        rounds: dict[int, Round] = {}
        for number, title, filename, message in ROUNDS:
            # Each round's annotations are written while its consultation runs, so
            # round 1's exist when round 2 is published and re-anchored onto it.
            rounds[number] = _round(
                programme, coordinator, sectors, number, title, filename, message
            )
            _link_phases(phases, rounds[number])
            created.append(f"round {number}")
            written = _annotate(
                rounds[number], users, notes, _consultation_day(phases, number, today)
            )
            count = len(written) + sum(len(a.replies) for _, a in written)
            created.append(f"{count} annotations on round {number}")
            if decided := _review(written, users):
                created.append(f"{decided} decisions on round {number}")
        # The demo's past notifications were never sent; do not send them now.
        db.session.execute(delete(OutboxMail))
    db.session.flush()
    return created


def _phases(programme: Programme, dates: list[tuple[date, date]]) -> list[Phase]:
    """The schedule; phases are linked to their rounds as the rounds appear."""
    phases = []
    for position, (seed, (start, end)) in enumerate(
        zip(SEED_PHASES, dates, strict=True), 1
    ):
        phases.append(
            Phase(
                programme=programme,
                kind=seed.kind,
                name=seed.name,
                name_en=seed.name_en,
                participants=seed.participants,
                starts_on=start,
                ends_on=end,
                position=position,
            )
        )
        db.session.add(phases[-1])
    db.session.flush()
    return phases


def _link_phases(phases: list[Phase], round_: Round) -> None:
    for seed, phase in zip(SEED_PHASES, phases, strict=True):
        if seed.round_number != round_.number:
            continue
        phase.round = round_
        # A round is published the day its drafting phase ends.
        if seed.kind is PhaseKind.DRAFTING:
            round_.published_at = datetime.combine(
                phase.ends_on, time(12, 0), CITY_TIMEZONE
            ).astimezone(UTC)
    db.session.flush()


def _consultation_day(phases: list[Phase], number: int, today: date) -> date:
    """*today* if the round's consultation runs then, else the phase's first day
    (round 1's consultation, and every phase of the historical schedule, are past)."""
    phase = next(
        p
        for seed, p in zip(SEED_PHASES, phases, strict=True)
        if seed.kind is PhaseKind.CONSULTATION and seed.round_number == number
    )
    return today if phase.starts_on <= today <= phase.ends_on else phase.starts_on


def _annotation_data() -> list[dict]:
    with (DATA / "annotations.toml").open("rb") as f:
        return tomllib.load(f)["annotation"]


def _annotate(
    round_: Round, users: dict[str, User], notes: list[dict], today: date
) -> list[tuple[dict, Annotation]]:
    """Write *round_*'s demo annotations and replies through the services, as
    their authors would on *today*; return each annotation with its data."""
    versions = {v.section.key: v for v in round_.versions}
    written = []
    for note in notes:
        if note["round"] != round_.number:
            continue
        version = versions[note["section"]]
        first, last = note.get("lines") or (note["line"], note["line"])
        start = end = None
        if quote := note.get("quote"):
            start, end = _quote_offsets(version.text, first, last, quote)
        annotation = annotations.create_annotation(
            users[note["author"]],
            version,
            kind=AnnotationKind(note["kind"]),
            body=note["body"],
            first_line=first,
            last_line=last,
            start=start,
            end=end,
            replacement=note.get("replacement"),
            today=today,
        )
        written.append((note, annotation))
        for answer in note.get("reply", []):
            annotations.reply(
                users[answer["author"]], annotation, answer["body"], today=today
            )
    return written


def _review(written: list[tuple[dict, Annotation]], users: dict[str, User]) -> int:
    """The review of a round's annotations, as it happened before the next round
    was written: withdrawals, sub-team notes and recommendations, then the
    Coordinating Team's decisions (the two coordinators taking turns). Returns
    how many annotations were decided."""
    coordinators = [
        users["koordynator@wpw.example"],
        users["koordynatorka@wpw.example"],
    ]
    decided = 0
    for note, annotation in written:
        if note.get("withdrawn"):
            annotations.withdraw_annotation(annotation.author, annotation)
            continue
        if internal := note.get("note"):
            review.add_note(users[internal["by"]], annotation, internal["body"])
        if advice := note.get("recommendation"):
            leader = users[advice["by"]]
            sector = next(
                m.sector
                for m in leader.memberships
                if m.sector in annotation.section.sectors
            )
            review.recommend(
                leader,
                annotation,
                sector=sector,
                decision=Decision(advice["decision"]),
                justification=advice["justification"],
                expected_revision=annotation.review_revision,
            )
        if "decision" in note:
            review.decide(
                coordinators[decided % 2],
                annotation,
                decision=Decision(note["decision"]),
                justification=note["justification"],
                adopted_wording=note.get("adopted_wording"),
                expected_revision=annotation.review_revision,
            )
            decided += 1
    return decided


def _quote_offsets(text: str, first: int, last: int, quote: str) -> tuple[int, int]:
    """Character offsets of *quote* within lines *first*–*last* of *text*."""
    lines = text.split("\n")
    begin = sum(len(line) + 1 for line in lines[: first - 1])
    passage = "\n".join(lines[first - 1 : last])
    at = passage.index(quote)  # a typo in the data file fails loudly here
    return begin + at, begin + at + len(quote)


def _sectors(created: list[str]) -> dict[str, Sector]:
    existing = {s.slug: s for s in db.session.scalars(select(Sector))}
    for number, (slug, name, name_en) in enumerate(SECTORS, 1):
        if slug not in existing:
            existing[slug] = Sector(
                slug=slug, number=number, name=name, name_en=name_en
            )
            db.session.add(existing[slug])
            created.append(f"sector {slug}")
    db.session.flush()
    return existing


def _accounts(sectors: dict[str, Sector], created: list[str]) -> dict[str, User]:
    users = {}
    for email, name, role, organisation, membership in ACCOUNTS:
        user = accounts.user_by_email(email)
        if user is None:
            org_name, krs = organisation or ("", "")
            user = accounts.create_user(
                email=email,
                name=name,
                password=DEMO_PASSWORD,
                role=role,
                organisation_name=org_name,
                krs=krs,
            )
            if membership:
                slug, member_role = membership
                accounts.set_membership(None, user, sectors[slug], member_role)
            created.append(f"user {email}")
        users[email] = user
    return users


def _round(
    programme: Programme,
    coordinator: User,
    sectors: dict[str, Sector],
    number: int,
    title: str,
    filename: str,
    message: str,
) -> Round:
    with (DATA / filename).open("rb") as f:
        data = tomllib.load(f)
    round_ = documents.create_round(coordinator, programme, title)
    by_key = {s.key: s for s in programme.sections}
    for position, entry in enumerate(data["section"], 1):
        section = by_key.get(entry["key"])
        if section is None:
            section = Section(programme=programme, key=entry["key"])
            db.session.add(section)
            by_key[entry["key"]] = section
        for slug in entry.get("sectors", []):
            if sectors[slug] not in section.sectors:
                section.sectors.append(sectors[slug])
        documents.save_section_version(
            coordinator,
            round_,
            section,
            number=entry["number"],
            title=entry["title"],
            position=position,
            text=entry["text"],
            message=message,
        )
    return documents.publish_round(coordinator, round_, message)
