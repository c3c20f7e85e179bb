"""Turn programmes, rounds and section versions into the JSON API's dicts.

Each presenter is a function of the models it is given: it runs no query of its
own (it may lazily load their relationships), writes nothing and reads nothing
from the request; it builds absolute URLs with ``url_for``, so it needs a request
context (or ``SERVER_NAME``). The views load public rounds only, and a presenter
that walks from a model to other rounds (a programme's rounds, a section's
history, a phase's round) keeps only the public ones (:attr:`Round.is_public`),
so no field leads to a working copy. The shapes are the schemas in
:mod:`wpw.api.openapi`.

The presenters live in :mod:`~wpw.api.presenters.documents` (programmes, rounds,
sections, comparisons) and :mod:`~wpw.api.presenters.annotations` (W3C Web
Annotations); import them from this package.
"""

from wpw.api.presenters.annotations import (
    ANNO_CONTEXT,
    ANNO_MEDIA_TYPE,
    MOTIVATIONS,
    PAGE_SIZE,
    agent,
    annotation,
    annotation_bodies,
    annotation_collection,
    annotation_page,
    annotation_target,
    annotation_url,
    annotations_url,
    hidden_notice,
    outcome_bodies,
    page_count,
    person,
    textual_body,
    user_url,
    version_url,
)
from wpw.api.presenters.common import JSON, iso_date, iso_datetime
from wpw.api.presenters.documents import (
    compare_url,
    compared_section,
    comparison,
    phase,
    programme_detail,
    programme_list,
    programme_ref,
    programme_sections,
    programme_summary,
    round_detail,
    round_list,
    round_section,
    round_summary,
    round_url,
    section_detail,
    section_html_url,
    section_link,
    section_url,
    sector,
)

__all__ = [
    "ANNO_CONTEXT",
    "ANNO_MEDIA_TYPE",
    "JSON",
    "MOTIVATIONS",
    "PAGE_SIZE",
    "agent",
    "annotation",
    "annotation_bodies",
    "annotation_collection",
    "annotation_page",
    "annotation_target",
    "annotation_url",
    "annotations_url",
    "compare_url",
    "compared_section",
    "comparison",
    "hidden_notice",
    "iso_date",
    "iso_datetime",
    "outcome_bodies",
    "page_count",
    "person",
    "phase",
    "programme_detail",
    "programme_list",
    "programme_ref",
    "programme_sections",
    "programme_summary",
    "round_detail",
    "round_list",
    "round_section",
    "round_summary",
    "round_url",
    "section_detail",
    "section_html_url",
    "section_link",
    "section_url",
    "sector",
    "textual_body",
    "user_url",
    "version_url",
]
