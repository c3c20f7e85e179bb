"""Programmes, rounds, sections, phases and comparisons as the JSON API's dicts
(see :mod:`wpw.api.presenters`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wpw.api.presenters.annotations import annotations_url
from wpw.api.presenters.common import (
    JSON,
    external_url,
    iso_date,
    iso_datetime,
    public_rounds,
)
from wpw.compare.services import STATUS_ORDER, RoundComparison, SectionComparison
from wpw.documents.models import Programme, Round, SectionVersion
from wpw.process.models import Phase
from wpw.sectors.models import Sector


def programme_ref(programme: Programme) -> JSON:
    """The few fields that name a programme inside another resource."""
    return {
        "slug": programme.slug,
        "title": programme.title,
        "url": external_url("api.show_programme", slug=programme.slug),
    }


def programme_list(programmes: Iterable[Programme]) -> JSON:
    return {"programmes": [programme_summary(p) for p in programmes]}


def programme_summary(programme: Programme) -> JSON:
    """A programme as listed: what it is, its latest public round, where to go."""
    public = public_rounds(programme.rounds)
    return {
        **programme_ref(programme),
        "description": programme.description,
        "latest_round": public[-1].number if public else None,
        "html_url": external_url("documents.programme", slug=programme.slug),
        "rounds_url": external_url("api.list_rounds", slug=programme.slug),
        "search_url": external_url("api.search", programme=programme.slug),
    }


def programme_detail(programme: Programme) -> JSON:
    """A programme with its public rounds, its sections and its schedule."""
    public = public_rounds(programme.rounds)
    return {
        **programme_summary(programme),
        "rounds": [round_summary(r) for r in public],
        "sections": programme_sections(public),
        "phases": [phase(p) for p in programme.phases],
    }


def programme_sections(rounds: Sequence[Round]) -> list[JSON]:
    """Every section found in *rounds* (public, oldest first), as of the latest.

    Sections of the latest round come first, in its reading order, with its
    number, title and position; sections dropped earlier follow, in the order
    they first appeared, with those three fields ``null``. ``url`` is the
    section in the latest of *rounds* that has it.
    """
    latest = {v.section_id: v for v in rounds[-1].versions} if rounds else {}
    last_seen: dict[int, SectionVersion] = {}
    in_rounds: dict[int, list[int]] = {}
    for round_ in rounds:
        for version in round_.versions:
            last_seen[version.section_id] = version
            in_rounds.setdefault(version.section_id, []).append(round_.number)
    dropped = [v for section_id, v in last_seen.items() if section_id not in latest]
    return [
        _programme_section(v, latest.get(v.section_id), in_rounds[v.section_id])
        for v in [*latest.values(), *dropped]
    ]


def _programme_section(
    last: SectionVersion, current: SectionVersion | None, rounds: list[int]
) -> JSON:
    return {
        "key": last.section.key,
        "number": current.number if current else None,
        "title": current.title if current else None,
        "position": current.position if current else None,
        "sectors": [s.slug for s in last.section.sectors],
        "rounds": rounds,
        "url": section_url(last),
    }


def phase(phase_: Phase) -> JSON:
    """A dated stage; its round only if that round is public."""
    round_ = phase_.round
    return {
        "kind": phase_.kind.value,
        "name": phase_.name,
        "name_en": phase_.name_en,
        "description": phase_.description,
        "participants": phase_.participants,
        "starts_on": iso_date(phase_.starts_on),
        "ends_on": iso_date(phase_.ends_on),
        "round": round_.number if round_ is not None and round_.is_public else None,
    }


def round_list(programme: Programme) -> JSON:
    """The programme's public rounds, oldest first."""
    return {"rounds": [round_summary(r) for r in public_rounds(programme.rounds)]}


def round_summary(round_: Round) -> JSON:
    return {
        "number": round_.number,
        "title": round_.title,
        "status": round_.status.value,
        "published_at": iso_datetime(round_.published_at),
        "url": round_url(round_),
        "html_url": external_url(
            "documents.round_", slug=round_.programme.slug, number=round_.number
        ),
    }


def round_url(round_: Round) -> str:
    return external_url(
        "api.show_round", slug=round_.programme.slug, number=round_.number
    )


def round_detail(round_: Round) -> JSON:
    """A public round with the publisher's message and its sections in order."""
    return {
        **round_summary(round_),
        "message": round_.publish_message,
        "programme": programme_ref(round_.programme),
        "sections": [round_section(v) for v in round_.versions],
        "compare_url": compare_url(round_),
        "annotations_url": annotations_url(round_),
        "report_url": external_url(
            "api.show_report", slug=round_.programme.slug, round=round_.number
        ),
    }


def compare_url(round_: Round) -> str | None:
    """*round_* compared with the public round before it; ``None`` for the first."""
    earlier = [
        r for r in public_rounds(round_.programme.rounds) if r.number < round_.number
    ]
    if not earlier:
        return None
    pair = {"from": earlier[-1].number, "to": round_.number}
    return external_url("api.compare_rounds", slug=round_.programme.slug, **pair)


def round_section(version: SectionVersion) -> JSON:
    """A section as listed in its round's table of contents."""
    return {
        "key": version.section.key,
        "number": version.number,
        "title": version.title,
        "position": version.position,
        "line_count": len(version.lines),
        "url": section_url(version),
        "html_url": section_html_url(version),
    }


def section_url(version: SectionVersion) -> str:
    return _version_url("api.show_section", version)


def section_html_url(version: SectionVersion) -> str:
    return _version_url("documents.section", version)


def _version_url(endpoint: str, version: SectionVersion) -> str:
    round_ = version.round
    return external_url(
        endpoint,
        slug=round_.programme.slug,
        number=round_.number,
        key=version.section.key,
    )


def section_detail(version: SectionVersion, history: Sequence[SectionVersion]) -> JSON:
    """One section version with its numbered lines.

    *history* is the section's versions across rounds, oldest first (as from
    :func:`wpw.documents.services.section_history`); the public ones other than
    *version* become ``other_rounds``.
    """
    round_ = version.round
    lines = version.lines
    return {
        **round_section(version),
        "round": round_.number,
        "round_url": round_url(round_),
        "programme": programme_ref(round_.programme),
        "text": version.text,
        "lines": [{"number": n, "text": text} for n, text in enumerate(lines, 1)],
        "sectors": [sector(s) for s in version.section.sectors],
        "other_rounds": [
            section_link(other)
            for other in history
            if other.round is not round_ and other.round.is_public
        ],
    }


def section_link(version: SectionVersion) -> JSON:
    """The same section in another round: where it is and what it was called."""
    return {
        "round": version.round.number,
        "number": version.number,
        "title": version.title,
        "url": section_url(version),
        "html_url": section_html_url(version),
    }


def sector(sector_: Sector) -> JSON:
    return {"slug": sector_.slug, "name": sector_.name, "name_en": sector_.name_en}


def comparison(comparison_: RoundComparison) -> JSON:
    """Two public rounds compared: every section (or the one asked for) with its
    statuses and word diff, and the totals.

    ``diff`` lists the operations that turn the ``from`` text into the ``to``
    text whenever the two differ (an added or removed section counts as an empty
    text on the other side); it is ``[]`` when the texts are the same.
    """
    from_round, to_round = comparison_.from_round, comparison_.to_round
    query = {"from": from_round.number, "to": to_round.number}
    if comparison_.section_key:
        query["section"] = comparison_.section_key
    totals = comparison_.totals
    return {
        "programme": comparison_.programme.slug,
        "from": from_round.number,
        "to": to_round.number,
        "section": comparison_.section_key,
        "html_url": external_url(
            "compare.rounds", slug=comparison_.programme.slug, **query
        ),
        "sections": [compared_section(s) for s in comparison_.sections],
        "totals": {
            **{status.value: totals.count(status) for status in STATUS_ORDER},
            "words_added": totals.words_added,
            "words_removed": totals.words_removed,
        },
    }


def compared_section(section: SectionComparison) -> JSON:
    diff = section.diff
    return {
        "key": section.key,
        "statuses": [s.value for s in section.ordered_statuses],
        "from": _compared_version(section.old),
        "to": _compared_version(section.new),
        "diff": (
            [{"op": op.kind, "text": op.text} for op in diff.ops]
            if diff is not None and diff.changed
            else []
        ),
        "words_added": section.words_added,
        "words_removed": section.words_removed,
        "fallback": section.fallback,
    }


def _compared_version(version: SectionVersion | None) -> JSON | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "title": version.title,
        "position": version.position,
    }
