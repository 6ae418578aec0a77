"""``propwatch batch --store``: a run's analysed articles in the web app's history, each under the id that
``articles.parquet`` records, with the analysis of the Parquet tables; a part redone after the history write
adds no row; a run keeps its database; and the web app serves what a batch stored."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from propwatch.batch import BatchConfig, run_batch
from propwatch.batch.history import stored_id
from propwatch.cli.app import app
from propwatch.errors import DataError
from propwatch.history import AnalysisStore
from propwatch.schema import Analysis
from propwatch.server import Settings, create_app


@pytest.fixture
def jsonl(tmp_path, corpora):
    return corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(5), [b'{"id": "blank", "text": " "}'])


def parquet(run) -> tuple[dict[str, dict], dict[str, Analysis]]:
    articles = {r["id"]: r for r in pq.read_table(run / "articles.parquet").to_pylist()}
    analyses = {r["id"]: Analysis.model_validate_json(r["analysis"])
                for r in pq.read_table(run / "analyses.parquet").to_pylist()}
    return articles, analyses


def key_of(run) -> bytes:
    return bytes.fromhex(json.loads((run / "run.json").read_text())["history_key"])


def test_a_stored_run_puts_every_analysed_article_in_the_history(tmp_path, corpora, jsonl, analyzer):
    db = tmp_path / "history.sqlite3"
    summary = run_batch(jsonl, tmp_path / "run", BatchConfig(part_size=2, store=db), analyzer=analyzer)
    assert (summary.analysed, summary.failed, summary.history) == (5, 1, str(db))
    articles, analyses = parquet(tmp_path / "run")
    history = corpora.history(db)
    assert sorted(history) == sorted(analyses) == ["a00", "a01", "a02", "a03", "a04"]
    assert articles["blank"]["error"] and articles["blank"]["stored_id"] is None
    key = key_of(tmp_path / "run")
    assert len(key) == 32
    for article_id, analysis in analyses.items():
        row = history[article_id]
        assert articles[article_id]["stored_id"] == row["id"] == stored_id(key, article_id)
        assert re.fullmatch(r"[A-Za-z0-9_-]{12}", row["id"])  # the server's own id form: 72 bits
        assert row["analysis"] == analysis  # the very analysis of analyses.parquet
        assert (row["title"], row["score"], row["spans"], row["words"]) == (
            articles[article_id]["title"], articles[article_id]["score"], articles[article_id]["spans"],
            articles[article_id]["words"])
    # Another run of the same input draws its own key: new rows under unrelated ids, nothing overwritten.
    run_batch(jsonl, tmp_path / "again", BatchConfig(part_size=2, store=db), analyzer=analyzer)
    again, _ = parquet(tmp_path / "again")
    ids = {a["stored_id"] for a in [*articles.values(), *again.values()] if a["stored_id"]}
    store = AnalysisStore(db)
    assert len(ids) == 10 and store.list()[1] == 10 and all(store.get(i) is not None for i in ids)
    store.close()


def test_a_part_redone_after_its_history_write_adds_no_row(tmp_path, corpora, jsonl, analyzer):
    """What a kill between a part's history write and its marker leaves: the part is in the history but not
    done. Running again redoes it onto the same rows."""
    db, run = tmp_path / "h.sqlite3", tmp_path / "run"
    run_batch(jsonl, run, BatchConfig(part_size=2, store=db), analyzer=analyzer)
    before, tables_before = corpora.history(db), parquet(run)
    (run / "parts" / "part-000001.json").unlink()
    (run / "articles.parquet" / "part-000002.parquet").unlink()
    again = run_batch(jsonl, run, BatchConfig(store=db), analyzer=analyzer)
    assert (again.parts_resumed, again.records_this_time) == (1, 4)
    assert corpora.history(db) == before  # same ids, same rows, same created_at: nothing added
    assert parquet(run) == tables_before


def test_a_run_refuses_to_resume_with_another_store_setting(tmp_path, jsonl, analyzer):
    db, run = tmp_path / "h.sqlite3", tmp_path / "run"
    run_batch(jsonl, run, BatchConfig(part_size=3, store=db), analyzer=analyzer)
    with pytest.raises(DataError, match=rf'history_db: "{re.escape(str(db))}" before, null now'):
        run_batch(jsonl, run, BatchConfig(part_size=3), analyzer=analyzer)
    with pytest.raises(DataError, match=r'history_db: .* before, ".*other.sqlite3" now'):
        run_batch(jsonl, run, BatchConfig(part_size=3, store=tmp_path / "other.sqlite3"), analyzer=analyzer)
    plain = tmp_path / "plain"
    run_batch(jsonl, plain, BatchConfig(part_size=3), analyzer=analyzer)
    with pytest.raises(DataError, match=r'history_db: null before, ".*late.sqlite3" now'):
        run_batch(jsonl, plain, BatchConfig(part_size=3, store=tmp_path / "late.sqlite3"), analyzer=analyzer)
    # Refused before the database is opened: no stray history file.
    assert not (tmp_path / "other.sqlite3").exists() and not (tmp_path / "late.sqlite3").exists()
    assert pq.read_table(plain / "articles.parquet").column("stored_id").null_count == 6


def test_no_analyses_still_stores_every_analysis(tmp_path, corpora, jsonl, analyzer):
    db, run = tmp_path / "h.sqlite3", tmp_path / "run"
    run_batch(jsonl, run, BatchConfig(part_size=2, store=db, keep_analyses=False), analyzer=analyzer)
    history = corpora.history(db)
    articles = {r["id"]: r for r in pq.read_table(run / "articles.parquet").to_pylist()}
    assert sorted(history) == ["a00", "a01", "a02", "a03", "a04"]
    assert all(history[i]["id"] == articles[i]["stored_id"] for i in history)
    assert not list((run / "analyses.parquet").glob("*.parquet"))


def test_the_web_app_serves_a_stored_batch_analysis(tmp_path, corpora, jsonl, analyzer):
    db, run = tmp_path / "h.sqlite3", tmp_path / "run"
    run_batch(jsonl, run, BatchConfig(part_size=2, store=db), analyzer=analyzer)
    articles, analyses = parquet(run)
    id = articles["a03"]["stored_id"]
    application = create_app(Settings(db_path=db, api_token=None, workers=1), analyzer=analyzer)
    with TestClient(application, base_url="http://127.0.0.1:8000") as client:
        page = client.get(f"/analyses/{id}")
        assert page.status_code == 200
        assert "Report 3 from the front" in page.text and analyses["a03"].spans
        for span in analyses["a03"].spans:
            assert f'class="hl t-{span.technique} ' in page.text
        api = client.get(f"/api/v1/analyses/{id}")
        assert api.status_code == 200 and Analysis.model_validate_json(api.text) == analyses["a03"]
        listed = client.get("/api/v1/analyses", params={"limit": 50}).json()
        assert listed["total"] == 5 and {item["id"] for item in listed["items"]} == {
            a["stored_id"] for a in articles.values() if a["stored_id"]}
        assert client.get("/analyses/not-an-id").status_code == 404


def test_batch_command_store_and_db(tmp_path, corpora, jsonl, monkeypatch):
    runner = CliRunner()
    db = tmp_path / "named.sqlite3"
    result = runner.invoke(app, ["batch", str(jsonl), "--out", str(tmp_path / "run"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"and in the web app's history {db}, each with a permalink" in result.stderr
    assert f"next: propwatch serve --db {db}, then propwatch report {tmp_path / 'run'} --out report.html " \
           "--server http://127.0.0.1:8000" in result.stderr
    assert len(corpora.history(db)) == 5
    # --store alone: the web app's database, here set by PROPWATCH_DB as for propwatch serve.
    monkeypatch.setenv("PROPWATCH_DB", str(tmp_path / "env.sqlite3"))
    result = runner.invoke(app, ["batch", str(jsonl), "--out", str(tmp_path / "run2"), "--store"])
    assert result.exit_code == 0, result.output
    assert len(corpora.history(tmp_path / "env.sqlite3")) == 5
    refused = runner.invoke(app, ["batch", str(jsonl), "--out", str(tmp_path / "run2")])
    assert refused.exit_code == 1 and refused.stderr.startswith("Error: ") and "history_db" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
