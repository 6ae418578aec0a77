"""The history database: what is saved comes back equal, newest first, survives a restart, and a delete
removes exactly one analysis."""

from __future__ import annotations

import sqlite3

import pytest

from propwatch.errors import PropwatchError
from propwatch.server.storage import AnalysisStore, StorageError

from .conftest import load_fakes


@pytest.fixture
def analysis():
    return load_fakes().make_analysis()


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
    assert store.delete(a) is True and store.delete(a) is False
    assert store.get(a) is None and store.get(b) is not None


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
