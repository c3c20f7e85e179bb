"""Comparing two rounds of a programme, section by section.

Sections are matched by identity (:class:`~wpw.documents.models.Section`), never by
number or title, so a renamed or moved section is still the same section. Each
comparison gets a set of statuses (:class:`SectionStatus`); the word diffs come
from :mod:`wpw.text.diff` and are cached per pair of versions.

Services take the acting user explicitly and raise :class:`wpw.errors.NotAllowed`
for a round the user may not see; views turn "not visible" into 404 before they
call, so a working round's existence is never revealed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import select

from wpw.auth.models import User
from wpw.auth.permissions import can_view_round
from wpw.compare.order import moved_items, reading_order
from wpw.documents.models import Programme, Round, Section, SectionVersion
from wpw.errors import Invalid, NotAllowed
from wpw.extensions import db
from wpw.text.diff import SideBySideRow, TextDiff, diff_text, side_by_side

#: Seconds the word diff may take per section before it compares by paragraphs.
DIFF_TIMEOUT = 1.0
#: Pairs of versions whose diffs stay in memory (per process, per kind of diff).
CACHE_SIZE = 2048


class SectionStatus(enum.StrEnum):
    """What happened to a section between the two rounds; a section may have
    several (renamed and changed, moved and changed, …)."""

    ADDED = "added"  #: only in the newer ("to") round
    REMOVED = "removed"  #: only in the older ("from") round
    CHANGED = "changed"  #: its text differs
    RENAMED = "renamed"  #: its title differs
    MOVED = "moved"  #: its place among the other sections changed
    UNCHANGED = "unchanged"  #: none of the above (its number may differ)


#: The order in which statuses are shown and counted.
STATUS_ORDER: tuple[SectionStatus, ...] = tuple(SectionStatus)
#: The statuses of a section whose text differs (a missing side reads as "").
_TEXT_STATUSES = frozenset(
    {SectionStatus.ADDED, SectionStatus.REMOVED, SectionStatus.CHANGED}
)


@dataclass(frozen=True, slots=True)
class SectionComparison:
    """One section in both rounds.

    ``diff`` is the word diff from ``old`` to ``new`` (an empty text stands in for
    a missing side); it is ``None`` when the texts are equal and the comparison
    covers the whole programme (nothing to show). ``rows`` are the aligned lines
    for the side-by-side view, computed only when asked for.
    """

    key: str
    statuses: frozenset[SectionStatus]
    old: SectionVersion | None
    new: SectionVersion | None
    diff: TextDiff | None = None
    rows: tuple[SideBySideRow, ...] | None = None

    @property
    def ordered_statuses(self) -> tuple[SectionStatus, ...]:
        return tuple(s for s in STATUS_ORDER if s in self.statuses)

    @property
    def unchanged(self) -> bool:
        return SectionStatus.UNCHANGED in self.statuses

    @property
    def current(self) -> SectionVersion:
        """The version to name the section by: the newer one if there is one."""
        version = self.new or self.old
        assert version is not None  # a comparison has at least one side
        return version

    @property
    def words_added(self) -> int:
        return self.diff.words_added if self.diff else 0

    @property
    def words_removed(self) -> int:
        return self.diff.words_removed if self.diff else 0

    @property
    def fallback(self) -> bool:
        """The text was compared paragraph by paragraph, not word by word."""
        return bool(self.diff and self.diff.fallback)


@dataclass(frozen=True, slots=True)
class Totals:
    """How many sections have each status, and the words added and removed.

    A section with several statuses counts once under each of them.
    """

    added: int
    removed: int
    changed: int
    renamed: int
    moved: int
    unchanged: int
    words_added: int
    words_removed: int

    def count(self, status: SectionStatus) -> int:
        return getattr(self, status.value)


@dataclass(frozen=True, slots=True)
class RoundComparison:
    """Two rounds of one programme, compared from ``from_round`` to ``to_round``.

    ``sections`` follow the newer round's reading order; a removed section comes
    right after the section it followed in the older round. With ``section_key``
    set, only that section is listed (and counted in ``totals``).
    """

    from_round: Round
    to_round: Round
    sections: tuple[SectionComparison, ...]
    totals: Totals
    section_key: str | None = None

    @property
    def programme(self) -> Programme:
        return self.to_round.programme

    @property
    def identical(self) -> bool:
        """No section differs in any way ("Brak różnic")."""
        return all(s.unchanged for s in self.sections)

    @property
    def reverse(self) -> bool:
        """From a newer round to an older one."""
        return self.from_round.number > self.to_round.number


def parse_round_number(value: str | None) -> int | None:
    """A round number from a query string: ``None`` if absent or empty.

    Raises :class:`ValueError` for anything but a number from 1 (``"abc"``,
    ``"0"``, ``"-1"``, ``"1.5"``).
    """
    if value is None or not value.strip():
        return None
    value = value.strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        raise ValueError(value)
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def choose_rounds(
    actor: User | None,
    programme: Programme,
    from_number: int | None = None,
    to_number: int | None = None,
) -> tuple[Round, Round] | None:
    """The pair of rounds to compare, with the defaults filled in.

    ``to`` defaults to the latest public round; ``from`` to the latest public
    round before ``to`` (the base of a working copy), or ``to`` itself when there
    is none. Returns ``None`` if a named round does not exist or *actor* may not
    see it (the caller answers 404), or if the programme has no public round.
    """
    visible = {r.number: r for r in programme.rounds if can_view_round(actor, r)}
    public = [r for r in programme.rounds if r.is_public]
    if to_number is None:
        to_round = public[-1] if public else None
    else:
        to_round = visible.get(to_number)
    if to_round is None:
        return None
    if from_number is None:
        earlier = [r for r in public if r.number < to_round.number]
        from_round = earlier[-1] if earlier else to_round
    else:
        from_round = visible.get(from_number)
    if from_round is None:
        return None
    return from_round, to_round


def sections_of(programme_id: int) -> dict[int, Section]:
    """A programme's sections by id, in one query — after which a version's
    ``section`` comes from the session instead of a query of its own."""
    found = db.session.scalars(
        select(Section).where(Section.programme_id == programme_id)
    )
    return {section.id: section for section in found}


def compare_rounds(
    actor: User | None,
    from_round: Round,
    to_round: Round,
    *,
    section_key: str | None = None,
    side_by_side: bool = False,
) -> RoundComparison:
    """Compare *from_round* with *to_round* (either order; the same round is
    allowed and has no differences).

    With *section_key*, only that section is compared (its statuses still
    consider every section, so "moved" means the same); if neither round has it,
    ``sections`` is empty. Word diffs are computed for every section whose text
    differs, or for the one section asked for; aligned rows only with
    *side_by_side*.

    Raises :class:`NotAllowed` if *actor* may not see one of the rounds and
    :class:`Invalid` if they belong to different programmes.
    """
    for round_ in (from_round, to_round):
        if not can_view_round(actor, round_):
            raise NotAllowed(_("Ta runda nie jest publiczna."))
    if from_round.programme_id != to_round.programme_id:
        raise Invalid(_("Porównać można tylko rundy tego samego programu."))
    old = {v.section_id: v for v in from_round.versions}
    new = {v.section_id: v for v in to_round.versions}
    old_order = [v.section_id for v in from_round.versions]
    new_order = [v.section_id for v in to_round.versions]
    moved = moved_items(old_order, new_order)
    sections_by_id = sections_of(from_round.programme_id)
    sections = []
    for section_id in reading_order(old_order, new_order):
        old_version, new_version = old.get(section_id), new.get(section_id)
        key = sections_by_id[section_id].key
        if section_key is not None and key != section_key:
            continue
        sections.append(
            _compare_section(
                key,
                old_version,
                new_version,
                moved=section_id in moved,
                with_text=section_key is not None,
                with_rows=side_by_side,
            )
        )
    return RoundComparison(
        from_round, to_round, tuple(sections), count_totals(sections), section_key
    )


def _compare_section(
    key: str,
    old: SectionVersion | None,
    new: SectionVersion | None,
    *,
    moved: bool,
    with_text: bool,
    with_rows: bool,
) -> SectionComparison:
    statuses = section_statuses(old, new, moved=moved)
    text_differs = not statuses.isdisjoint(_TEXT_STATUSES)
    if not (text_differs or with_text):
        return SectionComparison(key, statuses, old, new)
    return SectionComparison(
        key,
        statuses,
        old,
        new,
        diff=diff_versions(old, new),
        rows=aligned_rows(old, new) if with_rows else None,
    )


def section_statuses(
    old: SectionVersion | None, new: SectionVersion | None, *, moved: bool = False
) -> frozenset[SectionStatus]:
    """The statuses of a section whose versions are *old* and *new* (either may
    be missing, not both); *moved* as found by
    :func:`wpw.compare.order.moved_items`."""
    if old is None:
        return frozenset({SectionStatus.ADDED})
    if new is None:
        return frozenset({SectionStatus.REMOVED})
    statuses = set()
    if old.text != new.text:
        statuses.add(SectionStatus.CHANGED)
    if old.title.strip() != new.title.strip():
        statuses.add(SectionStatus.RENAMED)
    if moved:
        statuses.add(SectionStatus.MOVED)
    return frozenset(statuses or {SectionStatus.UNCHANGED})


def count_totals(sections: Iterable[SectionComparison]) -> Totals:
    """Count the statuses of *sections* and add up their words."""
    sections = list(sections)
    counts = {
        status: sum(status in s.statuses for s in sections) for status in STATUS_ORDER
    }
    return Totals(
        **{status.value: n for status, n in counts.items()},
        words_added=sum(s.words_added for s in sections),
        words_removed=sum(s.words_removed for s in sections),
    )


def _version_key(version: SectionVersion | None) -> tuple[int, int] | None:
    # The revision changes on every save of a working copy, so its diffs are
    # never served stale; a frozen version keeps revision and text forever.
    return None if version is None else (version.id, version.revision)


def _text(version: SectionVersion | None) -> str:
    return "" if version is None else version.text


def diff_versions(old: SectionVersion | None, new: SectionVersion | None) -> TextDiff:
    """The word diff from *old* to *new* (``None`` reads as an empty text).

    Cached per pair of versions and revisions: asking again for the same frozen
    versions returns the very same object.
    """
    return _cached_diff(_version_key(old), _version_key(new), _text(old), _text(new))


def aligned_rows(
    old: SectionVersion | None, new: SectionVersion | None
) -> tuple[SideBySideRow, ...]:
    """The lines of *old* and *new* aligned for the side-by-side view; cached
    like :func:`diff_versions`."""
    return _cached_rows(_version_key(old), _version_key(new), _text(old), _text(new))


# The texts are part of the cache key along with the ids and revisions: ids are
# reused when a database is recreated (tests, a fresh demo), texts are not.
@lru_cache(maxsize=CACHE_SIZE)
def _cached_diff(
    old_key: tuple[int, int] | None,
    new_key: tuple[int, int] | None,
    old_text: str,
    new_text: str,
) -> TextDiff:
    return diff_text(old_text, new_text, timeout=DIFF_TIMEOUT)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_rows(
    old_key: tuple[int, int] | None,
    new_key: tuple[int, int] | None,
    old_text: str,
    new_text: str,
) -> tuple[SideBySideRow, ...]:
    return side_by_side(old_text, new_text, timeout=DIFF_TIMEOUT)


def clear_cache() -> None:
    """Forget every cached diff (tests; never needed for correctness)."""
    _cached_diff.cache_clear()
    _cached_rows.cache_clear()


def section_choices(actor: User | None, programme: Programme) -> list[tuple[str, str]]:
    """(key, label) per section found in the rounds *actor* may see, to name it
    in a menu: sections of the latest such round in its order, then sections it
    no longer has, as they were last seen."""
    rounds = [r for r in programme.rounds if can_view_round(actor, r)]
    if not rounds:
        return []
    latest = {v.section_id: v for v in rounds[-1].versions}
    last_seen: dict[int, SectionVersion] = {}
    for round_ in rounds:
        for version in round_.versions:
            last_seen[version.section_id] = version
    sections = sections_of(programme.id)
    return [
        (sections[v.section_id].key, v.label)
        for v in [
            *latest.values(),
            *(v for k, v in last_seen.items() if k not in latest),
        ]
    ]
