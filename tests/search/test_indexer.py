"""The index lifecycle: outbox rows in the data's transaction, draining after
commit, a busy lock, the worker, reindex with an atomic swap, and a missing or
corrupt index rebuilt at start."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from tests.api.conftest import Annotated, build_small
from tests.conftest import make_app
from tests.search.helpers import annotate, find, ids, version_of
from wpw.extensions import db
from wpw.search import indexer
from wpw.search.index import current_dir, writer_lock
from wpw.search.models import SearchOutbox


def _outbox() -> list[tuple[str, int]]:
    return [
        (r.doc_type, r.doc_id)
        for r in db.session.scalars(select(SearchOutbox).order_by(SearchOutbox.id))
    ]


def test_outbox_row_is_written_in_the_same_transaction(app, annotated) -> None:
    app.config["WPW_SEARCH_DRAIN_AFTER_COMMIT"] = False
    cele = version_of(annotated.small.rounds[2], "cele")
    note = annotate(annotated.author, cele, "Wycofana transakcja.", commit=False)
    assert ("annotation", note.id) in _outbox()
    db.session.rollback()
    assert _outbox() == []
    note = annotate(annotated.author, cele, "Zatwierdzona transakcja.")
    assert _outbox() == [("annotation", note.id)]
    assert find("zatwierdzona").total == 0  # not drained yet
    assert indexer.drain(app) == 1
    assert _outbox() == []
    assert ids(find("zatwierdzona")) == {note.id}


def test_outbox_is_drained_after_commit(annotated: Annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    note = annotate(annotated.author, cele, "Natychmiast widoczna.")
    assert _outbox() == []
    assert ids(find("natychmiast")) == {note.id}


def test_deleting_removes_from_the_index(annotated: Annotated) -> None:
    assert find("jednak").total == 1
    db.session.delete(annotated.withdrawn)
    db.session.commit()
    assert find("jednak").total == 0


def test_busy_lock_leaves_rows_for_the_next_drain(app, annotated) -> None:
    cele = version_of(annotated.small.rounds[2], "cele")
    root = indexer.index_root(app)
    with writer_lock(root, wait=False) as locked:
        assert locked
        note = annotate(annotated.author, cele, "Czeka na indeks.")  # commit works
        assert _outbox() == [("annotation", note.id)]
        with writer_lock(root, wait=False) as again:
            assert not again
    assert find("czeka").total == 0
    indexer.drain(app)
    assert ids(find("czeka")) == {note.id}


def test_a_failing_drain_never_fails_the_commit(app, annotated, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(indexer, "_drain_locked", broken)
    cele = version_of(annotated.small.rounds[2], "cele")
    note = annotate(annotated.author, cele, "Mimo awarii zapisana.")
    assert _outbox() == [("annotation", note.id)]
    monkeypatch.undo()
    indexer.drain(app)
    assert ids(find("awarii")) == {note.id}


def test_index_worker_drains_once(app, annotated, runner) -> None:
    app.config["WPW_SEARCH_DRAIN_AFTER_COMMIT"] = False
    cele = version_of(annotated.small.rounds[2], "cele")
    annotate(annotated.author, cele, "Dla pracownika indeksu.")
    result = runner.invoke(args=["wpw", "index-worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 change" in result.output
    assert find("pracownika").total == 1


def test_reindex_swaps_a_new_index_in(app, annotated, runner) -> None:
    root = indexer.index_root(app)
    before = current_dir(root)
    expected = {h.object_id for h in find(page=1).hits}
    result = runner.invoke(args=["wpw", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 13 documents" in result.output  # 7 versions, 6 notes
    after = current_dir(root)
    assert after != before and after.exists() and not before.exists()
    assert {h.object_id for h in find(page=1).hits} == expected
    assert find("tajna-obraza").total == 0


def test_reindex_keeps_changes_made_meanwhile(app, annotated) -> None:
    app.config["WPW_SEARCH_DRAIN_AFTER_COMMIT"] = False
    cele = version_of(annotated.small.rounds[2], "cele")
    seen = []

    def progress(step: int) -> None:
        if not seen:  # a change committed while the rebuild runs
            seen.append(annotate(annotated.author, cele, "W trakcie przebudowy."))

    indexer.rebuild(app, progress=progress)
    assert ids(find("przebudowy")) == {seen[0].id}
    assert _outbox() == []


def _file_app(tmp_path):
    url = f"sqlite:///{tmp_path / 'wpw.sqlite'}"
    return make_app(
        tmp_path,
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS={},
        WPW_SEARCH_DRAIN_AFTER_COMMIT=True,
    )


@pytest.mark.parametrize("damage", ["missing", "corrupt", "pointer", "old-schema"])
def test_damaged_index_is_rebuilt_at_start(tmp_path, damage: str) -> None:
    first = _file_app(tmp_path)
    with first.app_context():
        db.create_all()
        build_small()
        root = indexer.index_root(first)
        assert find("poprawiony").total == 1
        db.engine.dispose()
    path = current_dir(root)
    if damage == "missing":
        shutil.rmtree(root)
    elif damage == "corrupt":
        for toc in path.glob("*.toc"):
            toc.write_bytes(b"\x00garbage")
    elif damage == "old-schema":  # written by an older version of the app
        (path / "SCHEMA").write_text("1")
    else:
        (root / "CURRENT").write_text("ix-nothing-here")
    second = _file_app(tmp_path)  # the check runs in create_app
    assert current_dir(root) != path or damage == "missing"
    with second.app_context():
        assert find("poprawiony").total == 1
        db.drop_all()
        db.engine.dispose()


def test_fresh_database_gets_an_empty_index(app) -> None:
    assert current_dir(indexer.index_root(app)) is not None
    assert find().total == 0


def test_section_sectors_change_reindexes_its_documents(annotated) -> None:
    from wpw.sectors.models import Sector

    culture = db.session.scalar(select(Sector).where(Sector.slug == "kultura"))
    cele = version_of(annotated.small.rounds[2], "cele").section
    cele.sectors = [culture]
    db.session.commit()
    result = find(filters={"sector": "kultura"})
    total = db.session.scalar(select(func.count()).select_from(SearchOutbox))
    assert total == 0
    # formy: 2 versions + 2 notes; cele: 2 versions + 3 public notes
    assert result.total == 9


def test_drafting_the_working_copy_queues_nothing(app, small) -> None:
    from wpw.documents import services as documents

    app.config["WPW_SEARCH_DRAIN_AFTER_COMMIT"] = False
    three = small.rounds[3]
    cele = version_of(three, "cele")
    documents.save_section_version(
        small.coordinator,
        three,
        cele.section,
        number="§ 1",
        title="Cele",
        position=1,
        text="Nowy szkic celów.",
    )
    db.session.commit()
    assert _outbox() == []
    documents.publish_round(small.coordinator, three, "Trzecia.")
    db.session.commit()
    # round 3 published, round 2 closed: their versions are re-read
    assert _outbox() == [("round", small.rounds[2].id), ("round", three.id)]
    indexer.drain(app)
    assert find("nowy szkic").total == 1


def test_large_rebuild_uses_several_processes(app, annotated, monkeypatch) -> None:
    from wpw.search.index import open_index

    monkeypatch.setattr(indexer, "BULK_MIN", 1)  # as for a large database
    expected = {h.object_id for h in find("dobry OR jaśniej OR poprawiony").hits}
    assert indexer.rebuild(app) == 13
    ix = open_index(indexer.index_root(app), fresh=True)
    assert {h.object_id for h in find("dobry OR jaśniej OR poprawiony").hits} == (
        expected
    )
    assert ix.doc_count() == 13
