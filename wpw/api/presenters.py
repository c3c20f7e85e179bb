"""Turn programmes, rounds and section versions into the JSON API's dicts.

Each presenter is a function of the models it is given: it runs no query of its
own (it may lazily load their relationships), writes nothing and reads nothing
from the request; it builds absolute URLs with ``url_for``, so it needs a request
context (or ``SERVER_NAME``). The views load public rounds only, and a presenter
that walks from a model to other rounds (a programme's rounds, a section's
history, a phase's round) keeps only the public ones (:attr:`Round.is_public`),
so no field leads to a working copy. The shapes are the schemas in
:mod:`wpw.api.openapi`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import url_for
from flask_babel import gettext as _

from wpw.annotations.models import Annotation, AnnotationKind
from wpw.auth.models import User
from wpw.compare.services import STATUS_ORDER, RoundComparison, SectionComparison
from wpw.documents.models import Programme, Round, SectionVersion
from wpw.process.models import Phase
from wpw.sectors.models import Sector

JSON = dict[str, Any]


def iso_datetime(value: datetime | None) -> str | None:
    """*value* in UTC as ISO 8601 to the second, e.g. ``2011-09-20T10:00:00Z``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def iso_date(value: date) -> str:
    return value.isoformat()


def _url(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def _public(rounds: Sequence[Round]) -> list[Round]:
    return [r for r in rounds if r.is_public]


def programme_ref(programme: Programme) -> JSON:
    """The few fields that name a programme inside another resource."""
    return {
        "slug": programme.slug,
        "title": programme.title,
        "url": _url("api.show_programme", slug=programme.slug),
    }


def programme_list(programmes: Iterable[Programme]) -> JSON:
    return {"programmes": [programme_summary(p) for p in programmes]}


def programme_summary(programme: Programme) -> JSON:
    """A programme as listed: what it is, its latest public round, where to go."""
    public = _public(programme.rounds)
    return {
        **programme_ref(programme),
        "description": programme.description,
        "latest_round": public[-1].number if public else None,
        "html_url": _url("documents.programme", slug=programme.slug),
        "rounds_url": _url("api.list_rounds", slug=programme.slug),
    }


def programme_detail(programme: Programme) -> JSON:
    """A programme with its public rounds, its sections and its schedule."""
    public = _public(programme.rounds)
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
    return {"rounds": [round_summary(r) for r in _public(programme.rounds)]}


def round_summary(round_: Round) -> JSON:
    return {
        "number": round_.number,
        "title": round_.title,
        "status": round_.status.value,
        "published_at": iso_datetime(round_.published_at),
        "url": round_url(round_),
        "html_url": _url(
            "documents.round_", slug=round_.programme.slug, number=round_.number
        ),
    }


def round_url(round_: Round) -> str:
    return _url("api.show_round", slug=round_.programme.slug, number=round_.number)


def round_detail(round_: Round) -> JSON:
    """A public round with the publisher's message and its sections in order."""
    return {
        **round_summary(round_),
        "message": round_.publish_message,
        "programme": programme_ref(round_.programme),
        "sections": [round_section(v) for v in round_.versions],
        "compare_url": compare_url(round_),
        "annotations_url": annotations_url(round_),
    }


def compare_url(round_: Round) -> str | None:
    """*round_* compared with the public round before it; ``None`` for the first."""
    earlier = [r for r in _public(round_.programme.rounds) if r.number < round_.number]
    if not earlier:
        return None
    pair = {"from": earlier[-1].number, "to": round_.number}
    return _url("api.compare_rounds", slug=round_.programme.slug, **pair)


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
    return _url(
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
        "html_url": _url("compare.rounds", slug=comparison_.programme.slug, **query),
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


# W3C Web Annotations -------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: The media type of every Web Annotation resource (W3C Web Annotation Protocol).
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'
#: Annotations per AnnotationPage.
PAGE_SIZE = 100

MOTIVATIONS = {
    AnnotationKind.COMMENT: "commenting",
    AnnotationKind.QUESTION: "questioning",
    AnnotationKind.CHANGE: "editing",
    AnnotationKind.REPLY: "replying",
}


def version_url(version: SectionVersion) -> str:
    """The exact section version: the ``source`` of every annotation made on it."""
    return _url("api.show_version", version_id=version.id)


def annotation_url(annotation: Annotation) -> str:
    return _url("api.show_annotation", annotation_id=annotation.id)


def user_url(user: User) -> str:
    return _url("api.show_user", user_id=user.id)


def textual_body(value: str, purpose: str) -> JSON:
    return {
        "type": "TextualBody",
        "value": value,
        "format": "text/plain",
        "language": "pl",
        "purpose": purpose,
    }


def hidden_notice(annotation: Annotation) -> str:
    """What the public reads instead of a hidden annotation's text."""
    return _(
        "Uwaga ukryta przez moderatora. Powód: %(reason)s",
        reason=annotation.hidden_reason,
    )


def annotation_bodies(annotation: Annotation) -> list[JSON]:
    """The text, or the moderation notice when hidden (never the hidden text).

    A proposed change has two bodies: its reason (``commenting``) and its new
    wording (``editing``).
    """
    motivation = MOTIVATIONS[annotation.kind]
    if annotation.is_hidden:
        return [textual_body(hidden_notice(annotation), "moderating")]
    if annotation.kind is AnnotationKind.CHANGE:
        return [
            textual_body(annotation.body, "commenting"),
            textual_body(annotation.replacement or "", "editing"),
        ]
    return [textual_body(annotation.body, motivation)]


def annotation_target(annotation: Annotation) -> JSON | str:
    """The parent annotation for a reply, else the passage of the version."""
    if annotation.parent is not None:
        return annotation_url(annotation.parent)
    return {
        "type": "SpecificResource",
        "source": version_url(annotation.version),
        "selector": [
            {
                "type": "TextQuoteSelector",
                "exact": annotation.exact or "",
                "prefix": annotation.prefix or "",
                "suffix": annotation.suffix or "",
            },
            {
                "type": "TextPositionSelector",
                "start": annotation.start,
                "end": annotation.end,
            },
        ],
    }


def agent(user: User) -> JSON:
    return {"id": user_url(user), "type": "Person", "name": user.name}


def annotation(annotation_: Annotation) -> JSON:
    """One annotation in the W3C Web Annotation Data Model.

    ``creator`` is ``null`` when the author's account was deleted. A hidden
    annotation keeps its motivation and target, but its only body is the
    moderation notice (purpose ``moderating``).
    """
    author = annotation_.author
    return {
        "@context": ANNO_CONTEXT,
        "id": annotation_url(annotation_),
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation_.kind],
        "created": iso_datetime(annotation_.created_at),
        "modified": iso_datetime(annotation_.updated_at),
        "creator": agent(author) if author is not None else None,
        "body": annotation_bodies(annotation_),
        "target": annotation_target(annotation_),
    }


def annotations_url(round_: Round, page: int | None = None) -> str:
    query = {"round": round_.number} | ({"page": page} if page else {})
    return _url("api.list_annotations", slug=round_.programme.slug, **query)


def page_count(total: int) -> int:
    """Pages of :data:`PAGE_SIZE`; an empty collection still has one (empty) page."""
    return max(1, -(-total // PAGE_SIZE))


def annotation_collection(round_: Round, total: int) -> JSON:
    """The round's annotations as a W3C AnnotationCollection of pages."""
    return {
        "@context": ANNO_CONTEXT,
        "id": annotations_url(round_),
        "type": "AnnotationCollection",
        "label": _(
            "Uwagi do rundy %(number)d programu „%(title)s”",
            number=round_.number,
            title=round_.programme.title,
        ),
        "total": total,
        "first": annotations_url(round_, 1),
        "last": annotations_url(round_, page_count(total)),
    }


def annotation_page(
    round_: Round, page: int, total: int, items: Sequence[Annotation]
) -> JSON:
    """Page *page* (from 1) of the round's collection, with *items* on it."""
    body: JSON = {
        "@context": ANNO_CONTEXT,
        "id": annotations_url(round_, page),
        "type": "AnnotationPage",
        "partOf": annotations_url(round_),
        "startIndex": (page - 1) * PAGE_SIZE,
        "items": [annotation(a) for a in items],
        "prev": annotations_url(round_, page - 1) if page > 1 else None,
        "next": annotations_url(round_, page + 1) if page < page_count(total) else None,
    }
    return body


def person(user: User) -> JSON:
    """Public facts about an annotation's author (never the e-mail)."""
    return {
        **agent(user),
        "organisation": user.organisation.name if user.organisation else None,
    }
