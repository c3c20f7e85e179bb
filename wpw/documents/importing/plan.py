"""What an import will do to a working copy, and doing exactly that.

:func:`build_plan` compares a file's sections with the working copy and returns
an :class:`ImportPlan`: one :class:`PlanRow` per section in the resulting order,
then the sections the import removes. The preview shows the plan;
:func:`apply_plan` carries it out with the working-copy services, all in the
caller's transaction, and only if the working copy has not changed since.

Two modes:

- ``replace``: the working copy becomes the file — its sections, in its order;
  sections the file lacks are removed;
- ``update``: the file's sections are updated or added (a new one right after
  the section that precedes it in the file); the others stay where they are.

A section that is not in the working copy but was in an earlier round with the
same title is brought back (same identity and history) instead of created anew.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from wpw.auth.models import User
from wpw.documents import services
from wpw.documents.models import Round, SectionVersion
from wpw.errors import Conflict
from wpw.text.sections import ParsedSection, match_sections, section_key, word_changes


class ImportMode(enum.StrEnum):
    REPLACE = "replace"  #: the working copy becomes the file
    UPDATE = "update"  #: update and add; remove nothing


class RowStatus(enum.StrEnum):
    NEW = "new"  #: added (or brought back from an earlier round)
    CHANGED = "changed"  #: number, title or text differs
    UNCHANGED = "unchanged"  #: the file has it exactly as it is
    REMOVED = "removed"  #: in the working copy, not in the file (replace mode)
    KEPT = "kept"  #: in the working copy, not in the file (update mode)


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One section: what it is now (``old_*``) and what the import makes it."""

    status: RowStatus
    key: str
    number: str
    title: str
    text: str
    version_id: int | None = None
    old_number: str = ""
    old_title: str = ""
    old_text: str = ""
    #: The round a section brought back was last in.
    restored_from: int | None = None

    @property
    def renumbered(self) -> bool:
        return self.status is RowStatus.CHANGED and self.number != self.old_number

    @property
    def renamed(self) -> bool:
        return self.status is RowStatus.CHANGED and self.title != self.old_title

    @property
    def text_changed(self) -> bool:
        return self.status is RowStatus.CHANGED and self.text != self.old_text

    @property
    def lines(self) -> int:
        return len(self.text.split("\n")) if self.text else 0

    @property
    def old_lines(self) -> int:
        return len(self.old_text.split("\n")) if self.old_text else 0

    @property
    def words(self) -> tuple[int, int]:
        """Words added and removed by the import."""
        if self.status is RowStatus.NEW:
            return word_changes("", self.text)
        if self.status is RowStatus.REMOVED:
            return word_changes(self.text, "")
        return word_changes(self.old_text, self.text)

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """The rows in the order the working copy will have, removed ones last,
    and the state of the working copy the plan was made from."""

    mode: ImportMode
    rows: tuple[PlanRow, ...]
    #: ``(version id, revision)`` of every section of the working copy.
    snapshot: tuple[tuple[int, int], ...]

    def count(self, status: RowStatus) -> int:
        return sum(row.status is status for row in self.rows)

    @property
    def has_changes(self) -> bool:
        ordered = [r.version_id for r in self.rows if r.status is not RowStatus.REMOVED]
        kept = [v for v, _revision in self.snapshot]
        return ordered != kept or any(
            r.status in (RowStatus.NEW, RowStatus.CHANGED, RowStatus.REMOVED)
            for r in self.rows
        )


def build_plan(
    round_: Round, sections: Sequence[ParsedSection], mode: ImportMode
) -> ImportPlan:
    """Compare *sections* (a file's, in order) with the working copy *round_*."""
    current = list(round_.versions)
    matches = match_sections(sections, current)
    restored = _restorable(round_, sections, matches)
    taken = {s.key for s in round_.programme.sections}
    rows: list[PlanRow] = []
    for i, (section, index) in enumerate(zip(sections, matches, strict=True)):
        if index is not None:
            rows.append(_row_for(section, current[index]))
        elif i in restored:
            old = restored[i]
            rows.append(_new_row(section, old.section.key, old.round.number))
        else:
            key = section_key(section.title, taken)
            taken.add(key)
            rows.append(_new_row(section, key))
    matched = {current[j].id for j in matches if j is not None}
    rest = [v for v in current if v.id not in matched]
    if mode is ImportMode.REPLACE:
        rows += [_existing_row(v, RowStatus.REMOVED) for v in rest]
    else:
        rows = _interleave(rows, current)
    snapshot = tuple((v.id, v.revision) for v in current)
    return ImportPlan(mode, tuple(rows), snapshot)


def _row_for(section: ParsedSection, version: SectionVersion) -> PlanRow:
    same = (section.number, section.title, section.text) == (
        version.number,
        version.title,
        version.text,
    )
    return PlanRow(
        status=RowStatus.UNCHANGED if same else RowStatus.CHANGED,
        key=version.section.key,
        number=section.number,
        title=section.title,
        text=section.text,
        version_id=version.id,
        old_number=version.number,
        old_title=version.title,
        old_text=version.text,
    )


def _new_row(section: ParsedSection, key: str, restored: int | None = None) -> PlanRow:
    return PlanRow(
        RowStatus.NEW,
        key,
        section.number,
        section.title,
        section.text,
        restored_from=restored,
    )


def _existing_row(version: SectionVersion, status: RowStatus) -> PlanRow:
    return PlanRow(
        status,
        version.section.key,
        version.number,
        version.title,
        version.text,
        version_id=version.id,
        old_number=version.number,
        old_title=version.title,
        old_text=version.text,
    )


def _restorable(
    round_: Round, sections: Sequence[ParsedSection], matches: Sequence[int | None]
) -> dict[int, SectionVersion]:
    """Unmatched file sections (by index) that an earlier round had by title."""
    present = {v.section_id for v in round_.versions}
    latest: list[SectionVersion] = []
    for section in round_.programme.sections:
        if section.id in present:
            continue
        versions = [v for v in section.versions if v.round.number < round_.number]
        if versions:
            latest.append(max(versions, key=lambda v: v.round.number))
    unmatched = [i for i, m in enumerate(matches) if m is None]
    found = match_sections([sections[i] for i in unmatched], latest, by_number=False)
    return {unmatched[k]: latest[j] for k, j in enumerate(found) if j is not None}


def _interleave(
    file_rows: list[PlanRow], current: list[SectionVersion]
) -> list[PlanRow]:
    """Update mode: the working copy's order, each new section placed right
    after the file section before it (or before the one after it)."""
    by_id = {r.version_id: r for r in file_rows if r.version_id is not None}
    result = [by_id.get(v.id) or _existing_row(v, RowStatus.KEPT) for v in current]
    last: PlanRow | None = None
    for i, row in enumerate(file_rows):
        if row.status is not RowStatus.NEW:
            last = row
            continue
        if last is not None:
            at = _index(result, last) + 1
        else:
            following = next((r for r in file_rows[i:] if r.version_id), None)
            at = _index(result, following) if following else len(result)
        result.insert(at, row)
        last = row
    return result


def _index(rows: list[PlanRow], row: PlanRow) -> int:
    return next(i for i, r in enumerate(rows) if r is row)


def apply_plan(actor: User, round_: Round, plan: ImportPlan, message: str) -> None:
    """Make the working copy what *plan* says, through the working-copy services.

    Flushes, never commits: the caller commits once or rolls everything back.
    Raises :class:`Conflict` if the working copy changed since the plan was
    made (or changes while this runs), and whatever the services raise.
    """
    current = {v.id: v for v in round_.versions}
    if {v.id: v.revision for v in current.values()} != dict(plan.snapshot):
        raise Conflict(
            _(
                "Ktoś zmienił wersję roboczą po przygotowaniu podglądu. Nic nie "
                "zapisano."
            )
        )
    try:
        _apply(actor, round_, plan, current, message)
    except StaleDataError:  # a concurrent save won the race for a row
        raise Conflict(
            _("Ktoś zmienił wersję roboczą w trakcie importu. Nic nie zapisano.")
        ) from None


def _apply(
    actor: User,
    round_: Round,
    plan: ImportPlan,
    current: dict[int, SectionVersion],
    message: str,
) -> None:
    for row in plan.rows:
        if row.status is RowStatus.REMOVED:
            services.remove_section(actor, current[row.version_id], message=message)
    for row in plan.rows:
        if row.status is RowStatus.CHANGED:
            version = current[row.version_id]
            services.save_section(
                actor,
                version,
                number=row.number,
                title=row.title,
                text=row.text,
                base_revision=version.revision,
                message=message,
            )
    order: list[SectionVersion] = []
    for position, row in enumerate(
        (r for r in plan.rows if r.status is not RowStatus.REMOVED), 1
    ):
        if row.status is RowStatus.NEW:
            version = services.add_section(
                actor,
                round_,
                key=row.key,
                number=row.number,
                title=row.title,
                text=row.text,
                position=position,
                message=message,
            )
        else:
            version = current[row.version_id]
        order.append(version)
    for position, version in enumerate(order, 1):
        if version.position != position:
            services.move_section(actor, version, position)
