"""Annotations as W3C Web Annotations: one annotation, a round's collection and
its pages, an author (see :mod:`wpw.api.presenters`)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from wpw.annotations.models import (
    Annotation,
    AnnotationKind,
    AnnotationState,
    Decision,
)
from wpw.api.presenters.common import JSON, external_url, iso_datetime
from wpw.auth.models import User
from wpw.documents.models import Round, SectionVersion
from wpw.review.labels import DECISION_LABELS, WITHDRAWN_LABEL

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
    return external_url("api.show_version", version_id=version.id)


def annotation_url(annotation: Annotation) -> str:
    return external_url("api.show_annotation", annotation_id=annotation.id)


def user_url(user: User) -> str:
    return external_url("api.show_user", user_id=user.id)


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
    """The text, or the moderation notice when hidden (never the hidden text),
    then its outcome (:func:`outcome_bodies`).

    A proposed change has two bodies: its reason (``commenting``) and its new
    wording (``editing``).
    """
    motivation = MOTIVATIONS[annotation.kind]
    if annotation.is_hidden:
        text = [textual_body(hidden_notice(annotation), "moderating")]
    elif annotation.kind is AnnotationKind.CHANGE:
        text = [
            textual_body(annotation.body, "commenting"),
            textual_body(annotation.replacement or "", "editing"),
        ]
    else:
        text = [textual_body(annotation.body, motivation)]
    return text + outcome_bodies(annotation)


def outcome_bodies(annotation: Annotation) -> list[JSON]:
    """What became of the annotation, in the model's own purposes.

    Withdrawn by its author: a ``tagging`` body "wycofana przez autora" (it stays
    in the collection). Decided by the Coordinating Team: a ``tagging`` body with
    the decision's name (e.g. "uwzględniona częściowo") and an ``assessing`` body
    with the justification — for a partial acceptance followed by the wording
    adopted. Open and undecided: nothing.
    """
    if annotation.state is AnnotationState.WITHDRAWN:
        return [textual_body(str(WITHDRAWN_LABEL), "tagging")]
    if annotation.decision is None:
        return []
    assessment = annotation.justification or ""
    wording = annotation.adopted_wording
    if annotation.decision is Decision.PARTIALLY_ACCEPTED and wording:
        adopted = _("Przyjęte brzmienie: %(text)s", text=wording)
        assessment = f"{assessment}\n\n{adopted}" if assessment else adopted
    return [
        textual_body(str(DECISION_LABELS[annotation.decision]), "tagging"),
        textual_body(assessment, "assessing"),
    ]


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
    """The author; one who chose not to show their name is named by organisation."""
    if user.show_name:
        name = user.name
    else:
        name = user.organisation.name if user.organisation else "—"
    return {"id": user_url(user), "type": "Person", "name": name}


def annotation(annotation_: Annotation) -> JSON:
    """One annotation in the W3C Web Annotation Data Model.

    ``creator`` is ``null`` when the author's account was deleted. A hidden
    annotation keeps its motivation and target, but its text is replaced by the
    moderation notice (purpose ``moderating``). A withdrawn or decided one says
    so in further bodies (:func:`outcome_bodies`).
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
    return external_url("api.list_annotations", slug=round_.programme.slug, **query)


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
