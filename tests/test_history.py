"""The history database: what is saved comes back equal, newest first, survives a restart, and a delete
removes exactly one analysis."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.errors import PropwatchError
from propwatch.history import AnalysisStore, StorageError


@pytest.fixture
def analysis():
    return fakes.make_analysis()


def test_save_and_get_round_trip(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    stored = store.save(analysis)
    assert len(stored.id) == 12
    again = store.get(stored.id)
    assert again.analysis == analysis and again.created_at == stored.created_at
    assert store.get("missing") is None


def test_list_is_newest_first_with_a_total(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    ids = [store.save(analysis.model_copy(update={"score": i / 10})).id for i in range(5)]
    page, total = store.list(limit=3, offset=0)
    assert total == 5 and [s.id for s in page] == ids[::-1][:3]
    first = page[0]
    assert first.title == analysis.article.title and first.source == analysis.article.source
    assert first.spans == len(analysis.spans) and first.words == len(analysis.article.text.split())
    assert [s.id for s in store.list(limit=3, offset=3)[0]] == ids[1::-1]


def test_delete_removes_one(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    a, b = store.save(analysis).id, store.save(analysis).id
    assert store.delete(a) is True and store.delete(a) is False and store.delete("missing") is False
    assert store.get(a) is None and store.get(b) is not None


def test_a_delete_can_be_undone_for_some_minutes_then_is_erased(tmp_path, analysis, monkeypatch):
    """Newsroom issue, defect 5: a delete had no undo. It is now a mark that ``restore`` removes within
    ``UNDO_MINUTES``; after that the row is erased from the file."""
    import datetime

    from propwatch import history

    store = AnalysisStore(tmp_path / "h.db")
    a, b = store.save(analysis), store.save(analysis)
    assert store.delete(a.id) is True
    assert store.get(a.id) is None and store.list()[1] == 1
    assert store.deleted(a.id).title == analysis.article.title and store.deleted(b.id) is None
    restored = store.restore(a.id)
    assert restored is not None and restored.created_at == a.created_at
    assert [s.id for s in store.list()[0]] == [b.id, a.id]  # back in its place
    assert store.restore(a.id) is None and store.restore(b.id) is None  # nothing to undo

    store.delete(a.id)
    later = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=history.UNDO_MINUTES + 1)

    class Later(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return later

    monkeypatch.setattr(history.datetime, "datetime", Later)
    assert store.restore(a.id) is None and store.deleted(a.id) is None
    assert store.purge() == 1
    with sqlite3.connect(tmp_path / "h.db") as db:
        assert db.execute("SELECT COUNT(*) FROM analyses WHERE id = ?", (a.id,)).fetchone()[0] == 0


def test_a_version_1_history_is_upgraded_and_keeps_its_analyses(tmp_path, analysis):
    path = tmp_path / "h.db"
    id = AnalysisStore(path).save(analysis).id
    with sqlite3.connect(path) as db:  # make it a file written before undoable deletes
        db.execute("ALTER TABLE analyses DROP COLUMN deleted_at")
        db.execute("PRAGMA user_version=1")
    store = AnalysisStore(path)
    assert store.get(id).analysis == analysis
    assert store.delete(id) and store.restore(id) is not None


def test_history_survives_a_restart_and_keeps_its_secret(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    id = store.save(analysis).id
    secret = store.secret("csrf")
    store.close()
    reopened = AnalysisStore(tmp_path / "h.db")
    assert reopened.get(id).analysis == analysis
    assert reopened.secret("csrf") == secret and len(secret) == 32
    assert reopened.secret("other") != secret


def test_a_database_from_a_newer_propwatch_is_refused(tmp_path):
    path = tmp_path / "h.db"
    AnalysisStore(path).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(PropwatchError, match="newer propwatch"):
        AnalysisStore(path)


def test_an_unusable_path_is_a_clear_error(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    with pytest.raises(PropwatchError, match="cannot open the history database"):
        AnalysisStore(tmp_path / "file" / "h.db")


def test_a_corrupt_row_is_a_storage_error_not_a_crash(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    id = store.save(analysis).id
    with sqlite3.connect(tmp_path / "h.db") as db:
        db.execute("UPDATE analyses SET analysis = '{\"broken\": true}' WHERE id = ?", (id,))
    with pytest.raises(StorageError, match="cannot be read"):
        store.get(id)


def _other_article(analysis, article_id: str):
    return analysis.model_copy(update={"article": analysis.article.model_copy(update={"id": article_id})})


def test_put_many_keeps_analyses_under_given_ids_and_a_repeat_replaces_them(tmp_path, analysis):
    """What ``propwatch batch --store`` relies on: writing a part again is one row per article, not two."""
    store = AnalysisStore(tmp_path / "h.db")
    a, b = _other_article(analysis, "a"), _other_article(analysis, "b")
    assert store.put_many([("id-of-a00000", a), ("id-of-b00000", b)]) == 2
    first = store.get("id-of-a00000")
    assert first.analysis == a and store.get("id-of-b00000").analysis == b
    rescored = a.model_copy(update={"score": 0.125})
    store.put_many([("id-of-a00000", rescored)])
    page, total = store.list(limit=10)
    assert total == 2 and sorted(s.id for s in page) == ["id-of-a00000", "id-of-b00000"]
    again = store.get("id-of-a00000")
    assert again.analysis == rescored and again.created_at == first.created_at  # keeps its place in the history
    assert next(s for s in page if s.id == "id-of-a00000").score == 0.125


def test_put_many_never_overwrites_another_article_and_then_writes_nothing(tmp_path, analysis):
    store = AnalysisStore(tmp_path / "h.db")
    mine = store.save(analysis)  # an analysis made in the web app
    with pytest.raises(StorageError, match=f"already uses the id {mine.id} for another article"):
        store.put_many([("fresh-id-000", _other_article(analysis, "x")), (mine.id, _other_article(analysis, "y"))])
    assert store.get(mine.id).analysis == analysis
    assert store.get("fresh-id-000") is None and store.list()[1] == 1  # the whole call was rolled back
    assert store.put_many([("fresh-id-000", _other_article(analysis, "x"))]) == 1  # the connection still works


@pytest.mark.parametrize("how", ["deleted", "replaced"])
def test_a_database_file_deleted_or_replaced_underneath_fails_loudly(tmp_path, analysis, how):
    path = tmp_path / "h.sqlite3"
    store = AnalysisStore(path)
    kept = store.save(analysis)
    assert store.ping() and store.problem is None
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if how == "replaced":
        AnalysisStore(path).close()  # a new, empty file under the same name
    with pytest.raises(StorageError, match="deleted or replaced while propwatch was using it"):
        store.save(analysis)
    with pytest.raises(StorageError):
        store.get(kept.id)
    assert not store.ping() and "restart propwatch" in store.problem
    store.close()
