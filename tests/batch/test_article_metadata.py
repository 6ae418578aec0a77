"""A batch run takes the outlet, author and publication date from each article's own page when the input has
no such columns (newsroom issue, feature 4), so a corpus of saved pages can be grouped by outlet and month in
the dashboard; columns in the input, and a folder's subfolders, still come first. A run begun with the older
table layout is not resumed."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pyarrow.parquet as pq
import pytest

from propwatch.batch import ARTICLES, BatchConfig, run_batch
from propwatch.dashboard.data import analyses_for, group_keys, load_run
from propwatch.errors import DataError

PAGE = (Path(__file__).parents[1] / "inputs" / "news_page_with_metadata.html").read_text(encoding="utf-8")
JUNE_14 = datetime.datetime(2021, 6, 14, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def fake():
    return fakes.FakeAnalyzer()


def rows_by_id(run: Path) -> dict[str, dict]:
    return {r["id"]: r for r in pq.read_table(run / "articles.parquet").to_pylist()}


def test_jsonl_without_metadata_columns_takes_the_pages_own(tmp_path, fake):
    lines = [
        {"id": "page", "html": PAGE},
        {"id": "columns", "html": PAGE, "source": "Courier (as listed)", "published": "2021-07-01"},
        {"id": "text", "text": "A title\n\nA body of plain text.", "url": "https://www.example.org/story"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    run = tmp_path / "run"
    run_batch(source, run, BatchConfig(), analyzer=fake)
    rows = rows_by_id(run)
    assert pq.read_schema(next((run / "articles.parquet").iterdir())).field("author").type == ARTICLES.field(
        "author").type
    page = rows["page"]
    assert (page["source"], page["author"], page["published"]) == ("The Riverside Courier", "Maria Lopez", JUNE_14)
    listed = rows["columns"]
    assert listed["source"] == "Courier (as listed)" and listed["published"].date() == datetime.date(2021, 7, 1)
    assert listed["author"] == "Maria Lopez"
    text = rows["text"]
    assert (text["source"], text["author"], text["published"]) == ("example.org", None, None)
    # ... and the dashboard groups by them.
    data = load_run(run)
    assert set(group_keys(data, "source").to_pylist()) == {"The Riverside Courier", "Courier (as listed)",
                                                           "example.org"}
    assert "2021-06" in group_keys(data, "month").to_pylist()
    # The stored analyses say the same as the tables (their pages in the report show it): the columns win.
    stored = {id: json.loads(a)["article"] for id, a in analyses_for(data, list(rows)).items()}
    assert (stored["columns"]["outlet"], stored["columns"]["published"]) == ("Courier (as listed)", "2021-07-01")
    assert (stored["page"]["outlet"], stored["page"]["published"]) == ("The Riverside Courier", "2021-06-14")


def test_a_published_column_keeps_its_own_calendar_date_in_the_analysis(tmp_path, fake):
    """Just after midnight in Berlin is still the day before in UTC: the table holds the instant (UTC), the
    article its date as written."""
    line = {"id": "late", "text": "A title\n\nA body.", "source": "Zeitung", "published": "2024-06-01T00:30+02:00"}
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    run_batch(source, run, BatchConfig(), analyzer=fake)
    assert rows_by_id(run)["late"]["published"] == datetime.datetime(2024, 5, 31, 22, 30, tzinfo=datetime.timezone.utc)
    article = json.loads(analyses_for(load_run(run), ["late"])["late"])["article"]
    assert (article["outlet"], article["published"]) == ("Zeitung", "2024-06-01")


def test_a_folders_subfolder_names_the_source_before_the_page(tmp_path, fake):
    root = tmp_path / "pages"
    (root / "courier").mkdir(parents=True)
    (root / "courier" / "bridge.html").write_text(PAGE, encoding="utf-8")
    (root / "loose.html").write_text(PAGE, encoding="utf-8")
    run = tmp_path / "run"
    run_batch(root, run, BatchConfig(), analyzer=fake)
    rows = rows_by_id(run)
    assert rows["courier/bridge"]["source"] == "courier"
    assert rows["loose"]["source"] == "The Riverside Courier"
    assert all(r["published"] == JUNE_14 and r["author"] == "Maria Lopez" for r in rows.values())


def test_a_run_begun_with_the_older_tables_is_not_resumed(tmp_path, fake):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "page", "html": PAGE}) + "\n", encoding="utf-8")
    run = tmp_path / "run"
    run_batch(source, run, BatchConfig(), analyzer=fake)
    settings = json.loads((run / "run.json").read_text(encoding="utf-8"))
    assert settings["tables"] == 2
    del settings["tables"]  # as propwatch wrote it before the author column
    (run / "run.json").write_text(json.dumps(settings), encoding="utf-8")
    with pytest.raises(DataError, match=r"tables: 1 before, 2 now"):
        run_batch(source, run, BatchConfig(), analyzer=fake)


def test_a_stored_run_is_one_group_of_the_history(tmp_path, fake):
    from propwatch.batch.history import run_id
    from propwatch.history import AnalysisStore, HistoryQuery

    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"p{i}", "html": PAGE}) + "\n" for i in range(3)), encoding="utf-8")
    db = tmp_path / "h.sqlite3"
    run_batch(source, tmp_path / "outlets-2021", BatchConfig(store=db), analyzer=fake)
    run_batch(source, tmp_path / "outlets-2021", BatchConfig(store=db), analyzer=fake)  # finished: nothing new
    run_batch(source, tmp_path / "again", BatchConfig(store=db), analyzer=fake)
    store = AnalysisStore(db)
    runs = {r.name: r for r in store.runs()}
    assert set(runs) == {"outlets-2021", "again"} and runs["outlets-2021"].analyses == 3
    key = json.loads((tmp_path / "outlets-2021" / "run.json").read_text(encoding="utf-8"))["history_key"]
    assert runs["outlets-2021"].id == run_id(bytes.fromhex(key)) and key not in runs["outlets-2021"].id
    items, total = store.search(HistoryQuery(run=runs["again"].id))
    assert total == 3 and {i.outlet for i in items} == {"The Riverside Courier"}
    assert {i.run_name for i in items} == {"again"}
