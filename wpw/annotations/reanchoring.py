"""Re-anchoring on publish: carry the annotations standing on the previous public
round onto the round being published.

:func:`reanchor_round` runs at the end of
:func:`wpw.documents.services.rounds.publish_round`, inside the publishing
transaction: if the publication fails and rolls back, no placement remains.

What stands on the previous public round *P*: every top-level annotation made on
*P*, and every annotation an earlier publication carried onto *P* (a placement on
*P* that is ``exact`` or ``changed``) — so an annotation made on round 1 keeps
following the text into rounds 3, 4, … Its source anchor is where it stands on
*P*: its own anchor, or its placement there. Replies are not placed: they follow
their thread. Hidden and withdrawn annotations are placed like any other
(moderation and placement are independent).

The text work is the pure :mod:`wpw.text.anchoring`: each section is diffed once
(P's version → the new version) and every anchor on it is mapped through that
diff. A section missing from the new round orphans all its annotations. Outcomes
are judged against the wording the annotation was *made on*: an annotation whose
passage changed in round 2 and stayed so in round 3 is still ``changed`` on
round 3 (with the round-3 wording), and one whose passage was edited back to its
original words is ``exact`` again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select

from wpw.annotations.models import Annotation, Outcome, Placement
from wpw.core import utcnow
from wpw.documents.models import Round, RoundStatus, SectionVersion
from wpw.extensions import db
from wpw.text import anchoring
from wpw.text.anchoring import Anchor, TextPosition, TextQuote


@dataclass(frozen=True, slots=True)
class _Standing:
    """One annotation as it stands on the previous round."""

    annotation_id: int
    section_id: int
    #: The wording the annotation was made on (its own TextQuote.exact).
    original: str
    anchor: Anchor


def previous_public_round(new_round: Round) -> Round | None:
    """The public round published before *new_round* (now closed), if any."""
    earlier = [
        r
        for r in new_round.programme.rounds
        if r.number < new_round.number
        and r.status in (RoundStatus.PUBLISHED, RoundStatus.CLOSED)
    ]
    return max(earlier, key=lambda r: r.number, default=None)


def reanchor_round(new_round: Round) -> int:
    """Place every annotation standing on the previous public round onto
    *new_round*'s versions; return how many placements were created.

    Does nothing for a programme's first public round. Flushes, never commits.
    Raises :class:`sqlalchemy.exc.IntegrityError` if *new_round* already has
    placements for those annotations (it is published once).
    """
    previous = previous_public_round(new_round)
    if previous is None:
        return 0
    standing = _standing_on(previous)
    if not standing:
        return 0
    old_versions = {v.section_id: v for v in previous.versions}
    new_versions = {v.section_id: v for v in new_round.versions}
    by_section: dict[int, list[_Standing]] = defaultdict(list)
    for item in standing:
        by_section[item.section_id].append(item)
    now = utcnow()
    rows: list[dict] = []
    for section_id, items in by_section.items():
        rows.extend(
            _place_section(
                items,
                old_versions[section_id],
                new_versions.get(section_id),
                new_round.id,
                now,
            )
        )
    db.session.flush()  # the round's new versions must have ids before the insert
    db.session.execute(insert(Placement), rows)
    return len(rows)


def _standing_on(previous: Round) -> list[_Standing]:
    """Annotations made on *previous* and those carried onto it — two queries."""
    made = db.session.execute(
        select(
            Annotation.id,
            Annotation.section_id,
            Annotation.first_line,
            Annotation.last_line,
            Annotation.start,
            Annotation.end,
            Annotation.exact,
            Annotation.prefix,
            Annotation.suffix,
        )
        .where(Annotation.round_id == previous.id, Annotation.parent_id.is_(None))
        .order_by(Annotation.id)
    ).all()
    standing = [
        _Standing(
            row.id,
            row.section_id,
            row.exact or "",
            Anchor(
                first_line=row.first_line,
                last_line=row.last_line,
                position=TextPosition(row.start, row.end),
                quote=TextQuote(row.exact or "", row.prefix or "", row.suffix or ""),
            ),
        )
        for row in made
    ]
    carried = db.session.execute(
        select(
            Placement.annotation_id,
            Annotation.section_id,
            Annotation.exact,
            Placement.start,
            Placement.end,
        )
        .join(Annotation, Placement.annotation_id == Annotation.id)
        .where(
            Placement.round_id == previous.id,
            Placement.outcome.in_((Outcome.EXACT, Outcome.CHANGED)),
        )
        .order_by(Placement.annotation_id)
    ).all()
    # The anchor on P is rebuilt from P's text: the passage, prefix and suffix
    # as they read there (for ``changed``, P's new wording).
    texts = {v.section_id: v.text for v in previous.versions}
    standing.extend(
        _Standing(
            row.annotation_id,
            row.section_id,
            row.exact or "",
            anchoring.anchor_for_offsets(texts[row.section_id], row.start, row.end),
        )
        for row in carried
    )
    return standing


def _place_section(
    items: list[_Standing],
    old: SectionVersion,
    new: SectionVersion | None,
    round_id: int,
    now: datetime,
) -> list[dict]:
    if new is None:  # the section was removed: everything on it is orphaned
        return [
            _row(item.annotation_id, round_id, None, Outcome.ORPHANED, now=now)
            for item in items
        ]
    results = anchoring.reanchor_many(
        old.text, new.text, [item.anchor for item in items]
    )
    rows = []
    for item, result in zip(items, results, strict=True):
        outcome = Outcome(result.outcome.value)
        if outcome is Outcome.ORPHANED or result.anchor is None:
            rows.append(
                _row(
                    item.annotation_id,
                    round_id,
                    new.id,
                    Outcome.ORPHANED,
                    method=result.method,
                    now=now,
                )
            )
            continue
        anchor = result.anchor
        now_reads = anchor.quote.exact
        # Judge against the wording the annotation was made on, not against P.
        if now_reads == item.original:
            outcome, new_exact = Outcome.EXACT, None
        else:
            outcome, new_exact = Outcome.CHANGED, now_reads
        rows.append(
            _row(
                item.annotation_id,
                round_id,
                new.id,
                outcome,
                anchor=anchor,
                new_exact=new_exact,
                method=result.method,
                now=now,
            )
        )
    return rows


def _row(
    annotation_id: int,
    round_id: int,
    version_id: int | None,
    outcome: Outcome,
    *,
    anchor: Anchor | None = None,
    new_exact: str | None = None,
    method: str = "none",
    now: datetime,
) -> dict:
    return {
        "annotation_id": annotation_id,
        "round_id": round_id,
        "version_id": version_id,
        "outcome": outcome,
        "first_line": anchor.first_line if anchor else None,
        "last_line": anchor.last_line if anchor else None,
        "start": anchor.position.start if anchor else None,
        "end": anchor.position.end if anchor else None,
        "new_exact": new_exact,
        "method": method,
        "created_at": now,
    }
