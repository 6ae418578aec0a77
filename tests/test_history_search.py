"""The history that researchers can use (newsroom issue, feature 6), in the store: search by title, outlet or
source, filter by outlet, technique, score range and batch run, sort, page, all in SQL; bad values refused
with a message that names the field; an older file upgraded with its search columns filled from its JSON."""

from __future__ import annotations

import sqlite3

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.history import AnalysisStore, HistoryQuery, Run

SPANS = fakes.EXAMPLE_SPANS
DOUBT = [s for s in SPANS if s[1] == "doubt"]
LOADED = [s for s in SPANS if s[1] == "loaded_language"]


def analysis(title: str, *, score: float, spans=(), outlet: str | None = None, source: str | None = None,
             author: str | None = None, published: str | None = None):
    a = fakes.make_analysis(spans=list(spans), title=title, source=source)
    article = a.article.model_copy(update={"outlet": outlet, "author": author, "published": published})
    return a.model_copy(update={"article": article, "score": score})


@pytest.fixture
def store(tmp_path):
    store = AnalysisStore(tmp_path / "h.db")
    store.save(analysis("Bridge approved", score=0.10, outlet="The Riverside Courier", author="Maria Lopez",
                        published="2021-06-14", source="https://courier.example/bridge"))
    store.save(analysis("Minister lies again", score=0.62, spans=LOADED, outlet="Daily Shout"))
    store.save(analysis("Doubts about the 100% plan", score=0.35, spans=DOUBT, source="notes/plan_b.txt"))
    store.save(analysis("Courier column", score=0.48, spans=DOUBT + LOADED, outlet="the riverside courier"))
    yield store
    store.close()


def titles(store, **query) -> list[str]:
    items, _ = store.search(HistoryQuery(**query))
    return [i.title for i in items]


def test_newest_first_and_the_other_orders(store):
    assert titles(store) == ["Courier column", "Doubts about the 100% plan", "Minister lies again", "Bridge approved"]
    assert titles(store, sort="oldest") == ["Bridge approved", "Minister lies again", "Doubts about the 100% plan",
                                            "Courier column"]
    assert titles(store, sort="highest")[0] == "Minister lies again"
    assert titles(store, sort="lowest") == ["Bridge approved", "Doubts about the 100% plan", "Courier column",
                                            "Minister lies again"]


def test_search_matches_title_outlet_or_source_as_typed(store):
    assert titles(store, text="BRIDGE") == ["Bridge approved"]  # title, any case
    assert titles(store, text="riverside") == ["Courier column", "Bridge approved"]  # outlet
    assert titles(store, text="plan_b") == ["Doubts about the 100% plan"]  # source
    assert titles(store, text="100%") == ["Doubts about the 100% plan"]  # % is a character, not a wildcard
    assert titles(store, text="plan_") == ["Doubts about the 100% plan"]
    assert titles(store, text="_") == ["Doubts about the 100% plan"]  # only the title and source with one
    assert titles(store, text="'; DROP TABLE analyses; --") == []
    assert store.search(HistoryQuery())[1] == 4


def test_filters_by_outlet_technique_score_and_combined(store):
    assert titles(store, outlet="The Riverside Courier") == ["Courier column", "Bridge approved"]  # any case
    assert titles(store, technique="doubt") == ["Courier column", "Doubts about the 100% plan"]
    assert titles(store, technique="loaded_language") == ["Courier column", "Minister lies again"]
    assert titles(store, technique="flag_waving") == []
    assert titles(store, min_score=0.35, max_score=0.5) == ["Courier column", "Doubts about the 100% plan"]
    assert titles(store, min_score=0.62) == ["Minister lies again"]  # inclusive
    assert titles(store, technique="doubt", outlet="the riverside courier", min_score=0.4) == ["Courier column"]


def test_pages_and_totals(store):
    items, total = store.search(HistoryQuery(limit=2, offset=2, sort="oldest"))
    assert [i.title for i in items] == ["Doubts about the 100% plan", "Courier column"] and total == 4
    items, total = store.search(HistoryQuery(technique="doubt", limit=1))
    assert len(items) == 1 and total == 2


def test_summaries_carry_the_metadata(store):
    (bridge,) = store.search(HistoryQuery(text="Bridge"))[0]
    assert (bridge.outlet, bridge.author, bridge.published) == ("The Riverside Courier", "Maria Lopez", "2021-06-14")
    assert bridge.run_id is None and bridge.run_name is None
    outlets = store.outlets()
    assert [n for _, n in outlets] == [2, 1] and outlets[0][0].lower() == "the riverside courier"


def test_batch_runs_group_the_history(store):
    a = analysis("Run article one", score=0.2, spans=DOUBT, outlet="Daily Shout")
    b = analysis("Run article two", score=0.3)
    b = b.model_copy(update={"article": b.article.model_copy(update={"id": "other"})})
    store.put_many([("AAAAAAAAAAAA", a), ("BBBBBBBBBBBB", b)], run=Run(id="run-1", name="outlets-2019"))
    (run,) = store.runs()
    assert (run.id, run.name, run.analyses) == ("run-1", "outlets-2019", 2)
    assert titles(store, run="run-1") == ["Run article two", "Run article one"]
    assert titles(store, run="run-1", technique="doubt") == ["Run article one"]
    # written again on resume: the same rows, still in the run
    store.put_many([("AAAAAAAAAAAA", a)], run=Run(id="run-1", name="outlets-2019"))
    assert store.runs()[0].analyses == 2
    store.delete("AAAAAAAAAAAA")
    assert titles(store, run="run-1") == ["Run article two"]  # deleted ones are never listed


@pytest.mark.parametrize("query, message", [
    ({"min_score": 1.5}, r"^min_score: a score between 0 and 1"),
    ({"max_score": -0.1}, r"^max_score: a score between 0 and 1"),
    ({"min_score": float("nan")}, r"^min_score:"),
    ({"min_score": 0.8, "max_score": 0.2}, r"^min_score: the lowest score \(0\.8\) is above the highest \(0\.2\)"),
    ({"technique": "propaganda"}, r"^technique: unknown technique 'propaganda'; the techniques are .*doubt"),
    ({"sort": "random"}, r"^sort: 'random' is no order; use one of newest, oldest, highest, lowest"),
    ({"limit": 0}, r"^limit:"),
    ({"offset": -1}, r"^offset:"),
    ({"text": "x" * 201}, r"^text: at most 200 characters"),
    ({"text": "\x00zzzz"}, r"^text: no NUL characters"),  # SQLite's LIKE would stop at it and match all
])
def test_bad_values_are_refused_naming_the_field(query, message):
    with pytest.raises(ValueError, match=message):
        HistoryQuery(**query)


def test_an_older_file_gets_its_search_columns_from_the_json(tmp_path):
    path = tmp_path / "old.db"
    old = analysis("Old doubts", score=0.4, spans=DOUBT)
    json_text = old.model_dump_json(exclude={"article": {"outlet", "author", "published"}})  # as stored before
    db = sqlite3.connect(path)
    db.executescript("""
        CREATE TABLE analyses (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, title TEXT NOT NULL, source TEXT,
            score REAL NOT NULL, spans INTEGER NOT NULL, words INTEGER NOT NULL, model TEXT NOT NULL,
            analysis TEXT NOT NULL, deleted_at TEXT);
        PRAGMA user_version=2;
    """)
    db.execute("INSERT INTO analyses VALUES ('oldoldoldold', '2020-01-01T00:00:00.000+00:00', 'Old doubts', NULL,"
               " 0.4, 2, 100, 'm 1', ?, NULL)", (json_text,))
    db.commit()
    db.close()
    store = AnalysisStore(path)
    assert titles(store, technique="doubt") == ["Old doubts"] and titles(store, technique="loaded_language") == []
    assert store.get("oldoldoldold").analysis.article.outlet is None
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == 3
    store.close()
    assert titles(AnalysisStore(path), text="old") == ["Old doubts"]  # opened again: nothing more to do
