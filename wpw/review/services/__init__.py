"""The review of annotations: sub-team recommendations and notes, the Coordinating
Team's decisions, the queues.

:mod:`~wpw.review.services.steps` holds the transitions table and every step
(decide, revise, bulk decide, recommend, withdraw); :mod:`~.notes` the internal
notes and what is read about a review; :mod:`~.queues` the queues and the
identical comments. Import their public names from here.

Services take the acting user explicitly, raise :mod:`wpw.errors`, flush and
never commit.
"""

from wpw.review.services.notes import (
    add_note,
    history,
    notes_for,
    recommendations,
    recommendations_by_annotation,
)
from wpw.review.services.queues import (
    PER_PAGE,
    IdenticalGroup,
    count,
    identical_groups,
    normalise,
    queue_query,
    sector_counts,
    sector_queue_query,
)
from wpw.review.services.steps import (
    TRANSITIONS,
    Verdict,
    allows,
    bulk_decide,
    decide,
    recommend,
    review_status,
    withdraw_review,
)

__all__ = [
    "PER_PAGE",
    "TRANSITIONS",
    "IdenticalGroup",
    "Verdict",
    "add_note",
    "allows",
    "bulk_decide",
    "count",
    "decide",
    "history",
    "identical_groups",
    "normalise",
    "notes_for",
    "queue_query",
    "recommend",
    "recommendations",
    "recommendations_by_annotation",
    "review_status",
    "sector_counts",
    "sector_queue_query",
    "withdraw_review",
]
