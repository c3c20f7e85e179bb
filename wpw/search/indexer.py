"""Keeping the index in step with the database: the outbox, draining, rebuilding.

Every flush of ``db.session`` that adds, changes or deletes an annotation, a
section version, a round or a section's sectors writes :class:`SearchOutbox`
rows **in the same transaction** (a ``after_flush`` listener; no other feature's
service knows about search). After the commit, the process that committed
drains the outbox into the index (:func:`drain`) if the writer lock is free;
otherwise whoever holds the lock picks the rows up before letting go, and
``flask wpw index-worker`` drains in a loop. The indexer reloads each document
from the database, so the rows say only *what* changed. Draining never fails a
request: errors are logged and the rows stay for the next drain.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import delete, event, func, inspect, select
from sqlalchemy.orm import Session, selectinload

from wpw.annotations.models import Annotation
from wpw.core import utcnow
from wpw.documents.models import Round, RoundStatus, Section, SectionVersion
from wpw.extensions import db
from wpw.search.index import (
    IndexMissing,
    add,
    bulk_writer,
    new_index,
    open_index,
    small_writer,
    swap_in,
    writer_lock,
)
from wpw.search.models import SearchOutbox

log = logging.getLogger(__name__)

#: Outbox rows applied per index commit.
BATCH = 500
PENDING = "wpw_search_pending"
#: A rebuild of at least this many rows uses several processes.
BULK_MIN = 20_000
#: Segments allowed before a drain's commit merges them.
MERGE_AT = 10

Progress = Callable[[int], None]


def index_root(app: Flask | None = None) -> Path:
    return Path((app or current_app).config["WPW_INDEX_DIR"])


# --- the outbox: written with the data -------------------------------------------


def _changed(session: Session, obj: object) -> bool:
    return obj in session.new or obj in session.deleted or session.is_modified(obj)


def _in_working_round(version: SectionVersion) -> bool:
    """Known (without a query) to belong to a working copy, which is never
    indexed: drafting saves then cost the index nothing. Publishing the round
    queues all its versions."""
    round_ = inspect(version).attrs.round.loaded_value
    return isinstance(round_, Round) and round_.status is RoundStatus.WORKING


def outbox_keys(session: Session) -> set[tuple[str, int]]:
    """What this flush changed, as (doc_type, id) pairs for the indexer."""
    keys: set[tuple[str, int]] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Annotation) and _changed(session, obj):
            keys.add(("annotation", obj.id))
        elif (
            isinstance(obj, SectionVersion)
            and _changed(session, obj)
            and not _in_working_round(obj)
        ):
            keys.add(("version", obj.id))
        elif isinstance(obj, Round) and obj not in session.deleted:
            # Publishing (or closing) a round makes its versions public.
            if inspect(obj).attrs.status.history.has_changes():
                keys.add(("round", obj.id))
        elif (
            isinstance(obj, Section)
            and obj in session.dirty
            and inspect(obj).attrs.sectors.history.has_changes()
        ):
            keys.add(("section", obj.id))
    return keys


def _after_flush(session: Session, flush_context: Any) -> None:
    keys = outbox_keys(session)
    if not keys:
        return
    now = utcnow()
    session.connection().execute(
        SearchOutbox.__table__.insert(),
        [{"doc_type": t, "doc_id": i, "created_at": now} for t, i in sorted(keys)],
    )
    session.info[PENDING] = True


def _after_commit(session: Session) -> None:
    if not session.info.pop(PENDING, False) or not has_app_context():
        return
    app = current_app._get_current_object()
    # Off by default under TESTING, so other features' tests pay no indexing.
    if not app.config.get("WPW_SEARCH_DRAIN_AFTER_COMMIT", not app.testing):
        return
    try:
        drain(app)
    except Exception:  # the data is committed; the rows wait for the next drain
        log.exception("search: draining the outbox failed")


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


_listening = False


def listen() -> None:
    """Register the outbox listeners on ``db.session`` (once per process)."""
    global _listening
    if _listening:
        return
    event.listen(db.session, "after_flush", _after_flush)
    event.listen(db.session, "after_commit", _after_commit)
    event.listen(db.session, "after_soft_rollback", lambda s, t: _after_rollback(s))
    _listening = True


# --- documents: reloaded from the database ---------------------------------------


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _sectors(section: Section) -> str:
    return ",".join(s.slug for s in section.sectors)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v != ""}


def annotation_document(annotation: Annotation) -> dict[str, Any] | None:
    """The index document of an annotation or reply; ``None`` if not public."""
    round_ = annotation.round
    if not round_.is_public:
        return None
    root = annotation.thread_root
    parts = (
        annotation.body,
        annotation.exact,
        annotation.replacement,
        annotation.justification,
        annotation.adopted_wording,
    )
    text = "\n".join(p for p in parts if p)
    return _clean(
        {
            "id": f"annotation:{annotation.id}",
            "doc_type": "annotation",
            "text": text,
            "phrase": text,
            "hidden": annotation.is_hidden or root.is_hidden,
            "programme": round_.programme.slug,
            "round": str(round_.number),
            "section": annotation.section.key,
            "sector": _sectors(annotation.section),
            "kind": annotation.kind.value,
            "decision": annotation.decision.value if annotation.decision else "none",
            "organisation": str(annotation.organisation_id or ""),
            "date": _naive_utc(annotation.created_at),
            "object_id": annotation.id,
            "root_id": root.id,
            "title": annotation.version.label,
            "body": annotation.body,
            "quote": annotation.exact,
            "replacement": annotation.replacement,
            "justification": annotation.justification,
            "first_line": root.first_line,
            "last_line": root.last_line,
            "state": annotation.state.value,
        }
    )


def version_document(version: SectionVersion) -> dict[str, Any] | None:
    """The index document of a section's text in a public round; ``None`` for
    the working copy, which is never searchable."""
    round_ = version.round
    if not round_.is_public:
        return None
    text = f"{version.label}\n{version.text}"
    return _clean(
        {
            "id": f"version:{version.id}",
            "doc_type": "version",
            "text": text,
            "phrase": text,
            "hidden": False,
            "programme": round_.programme.slug,
            "round": str(round_.number),
            "section": version.section.key,
            "sector": _sectors(version.section),
            "kind": "section",
            "date": _naive_utc(round_.published_at or version.created_at),
            "object_id": version.id,
            "title": version.label,
            "body": version.text,
        }
    )


def _documents_for(
    session: Session, doc_type: str, doc_id: int
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    """(index id, document or ``None`` = delete) for one outbox row."""
    if doc_type == "annotation":
        annotation = session.get(Annotation, doc_id)
        if annotation is None:
            yield f"annotation:{doc_id}", None
            return
        # A thread's replies follow its root's moderation.
        for item in (annotation, *annotation.replies):
            yield f"annotation:{item.id}", annotation_document(item)
    elif doc_type == "version":
        version = session.get(SectionVersion, doc_id)
        yield f"version:{doc_id}", version and version_document(version)
    elif doc_type == "round":
        round_ = session.get(Round, doc_id)
        for version in round_.versions if round_ else ():
            yield f"version:{version.id}", version_document(version)
    elif doc_type == "section":
        section = session.get(Section, doc_id)
        if section is None:
            return
        for version in section.versions:
            yield f"version:{version.id}", version_document(version)
        for annotation in session.scalars(
            select(Annotation).where(Annotation.section_id == section.id)
        ):
            yield f"annotation:{annotation.id}", annotation_document(annotation)


# --- draining -------------------------------------------------------------------


def _open_or_build(app: Flask, root: Path, session: Session):
    """The current index; built from the database when missing (lock held)."""
    try:
        return open_index(root)
    except IndexMissing:
        log.warning("search: no usable index in %s; rebuilding", root)
        _rebuild_locked(app, root, session)
        return open_index(root)


def _drain_locked(app: Flask, root: Path, batch: int) -> int:
    done = 0
    with Session(db.engine) as session:
        ix = _open_or_build(app, root, session)
        while True:
            rows = session.execute(
                select(SearchOutbox.id, SearchOutbox.doc_type, SearchOutbox.doc_id)
                .order_by(SearchOutbox.id)
                .limit(batch)
            ).all()
            if not rows:
                return done
            writer = small_writer(ix)
            try:
                for key, document in _unique_documents(session, rows):
                    if document is None:
                        writer.delete_by_term("id", key)
                    else:
                        add(writer, document, update=True)
            except BaseException:
                writer.cancel()
                raise
            # Merging rewrites the small segments: only once they pile up, so a
            # one-comment drain stays cheap.
            writer.commit(merge=len(getattr(writer, "segments", ())) >= MERGE_AT)
            # The index is committed first: a crash here re-applies, never loses.
            session.execute(
                delete(SearchOutbox).where(SearchOutbox.id.in_([r.id for r in rows]))
            )
            session.commit()
            session.expire_all()
            done += len(rows)


def _unique_documents(
    session: Session, rows: Iterable[Any]
) -> Iterator[tuple[str, dict[str, Any] | None]]:
    seen_rows: set[tuple[str, int]] = set()
    documents: dict[str, dict[str, Any] | None] = {}
    for row in rows:
        if (row.doc_type, row.doc_id) in seen_rows:
            continue
        seen_rows.add((row.doc_type, row.doc_id))
        for key, document in _documents_for(session, row.doc_type, row.doc_id):
            documents[key] = document
    yield from documents.items()


def pending(session: Session) -> bool:
    return session.scalar(select(SearchOutbox.id).limit(1)) is not None


def drain(app: Flask, *, batch: int = BATCH, wait: bool = False) -> int:
    """Apply the outbox to the index; the number of rows applied.

    Returns at once (0) when another process or thread holds the writer lock
    and *wait* is false: the holder re-reads the outbox before it lets go, so
    the rows are not stranded.
    """
    root = index_root(app)
    done = 0
    while True:
        with writer_lock(root, wait=wait) as locked:
            if not locked:
                return done
            done += _drain_locked(app, root, batch)
        # Rows committed while we held the lock were left to us by their
        # committers (their try failed): look again now that the lock is free.
        with Session(db.engine) as session:
            if not pending(session):
                return done


# --- rebuilding -----------------------------------------------------------------


def _public_versions(session: Session) -> Iterator[SectionVersion]:
    query = (
        select(SectionVersion)
        .join(SectionVersion.round)
        .where(Round.status != RoundStatus.WORKING)
        .options(
            selectinload(SectionVersion.round).selectinload(Round.programme),
            selectinload(SectionVersion.section).selectinload(Section.sectors),
        )
        .order_by(SectionVersion.id)
    )
    yield from session.scalars(query)


def _annotations(session: Session, chunk: int = 1000) -> Iterator[Annotation]:
    last = 0
    while True:
        items = session.scalars(
            select(Annotation)
            .where(Annotation.id > last)
            .order_by(Annotation.id)
            .limit(chunk)
            .options(
                selectinload(Annotation.round).selectinload(Round.programme),
                selectinload(Annotation.section).selectinload(Section.sectors),
                selectinload(Annotation.version),
                selectinload(Annotation.parent),
            )
        ).all()
        if not items:
            return
        yield from items
        last = items[-1].id
        session.expunge_all()


def document_count(session: Session) -> int:
    """How many database rows a rebuild reads (for a progress bar)."""
    versions = session.scalar(
        select(func.count(SectionVersion.id))
        .join(SectionVersion.round)
        .where(Round.status != RoundStatus.WORKING)
    )
    annotations = session.scalar(select(func.count(Annotation.id)))
    return (versions or 0) + (annotations or 0)


def _rebuild_locked(
    app: Flask, root: Path, session: Session, progress: Progress | None = None
) -> int:
    path, ix = new_index(root)
    big = document_count(session) >= BULK_MIN
    writer = bulk_writer(ix) if big else small_writer(ix)
    count = 0
    try:
        for item in chain(_public_versions(session), _annotations(session)):
            if isinstance(item, SectionVersion):
                document = version_document(item)
            else:
                document = annotation_document(item)
            if document is not None:
                add(writer, document)
                count += 1
            if progress is not None:
                progress(1)
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    swap_in(root, path)
    return count


def rebuild(app: Flask, progress: Progress | None = None) -> int:
    """Build a new index from the database, swap it in atomically, then apply
    what the outbox gathered meanwhile; the number of documents indexed.

    Waits for the writer lock, so no drain writes to the old index meanwhile.
    """
    root = index_root(app)
    with writer_lock(root, wait=True), Session(db.engine) as session:
        count = _rebuild_locked(app, root, session, progress)
        session.close()
        _drain_locked(app, root, BATCH)
    return count


def _tables_exist(app: Flask) -> bool:
    try:
        return inspect(db.engine).has_table(SearchOutbox.__tablename__)
    except Exception:
        return False


def ensure_index(app: Flask) -> str:
    """Check the index at start: ``"ok"``, ``"rebuilt"`` (it was missing or
    corrupt) or ``"empty"`` (missing, and the database has no tables yet)."""
    root = index_root(app)
    try:
        open_index(root, fresh=True)
        return "ok"
    except IndexMissing:
        pass
    with writer_lock(root, wait=True):
        try:
            open_index(root, fresh=True)  # another process rebuilt it meanwhile
            return "ok"
        except IndexMissing:
            pass
        if not _tables_exist(app):
            path, _ix = new_index(root)
            swap_in(root, path)
            return "empty"
        with Session(db.engine) as session:
            _rebuild_locked(app, root, session)
        return "rebuilt"
