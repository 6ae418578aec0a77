"""The attribution and actor tables of a run (``attributions.parquet``, ``actors.parquet``) and the per-article
sourcing columns, over the pipeline's stand-in (``tests/render/fakes.py``: hand-made attributions and actors at
real offsets), since the attribution and actor models are not shipped yet. Resume checks their row counts too."""

from __future__ import annotations

import json
from pathlib import Path

import propwatch_test_fakes  # registered by tests/conftest.py
import pyarrow.parquet as pq
import pytest

from propwatch.batch import ACTORS, ARTICLES, ATTRIBUTIONS, BatchConfig, run_batch
from propwatch.schema import Analysis


@pytest.fixture(scope="module")
def fakes():
    return propwatch_test_fakes


@pytest.fixture
def corpus(tmp_path, corpora, fakes):
    rows = corpora.articles(6)
    rows.append({"id": "whole", "title": "The whole example", "text": fakes.EXAMPLE, "source": "delta.example",
                 "published": "2019-04-01"})
    rows.append({"id": "plain", "title": "Nothing", "text": "The council met on Monday. It agreed the budget."})
    return corpora.write_jsonl(tmp_path / "in.jsonl", rows, [b'{"id": "blank", "text": " "}'])


def read(run: Path, table: str) -> list[dict]:
    return pq.read_table(run / f"{table}.parquet").to_pylist()


def test_attribution_and_actor_tables_match_the_analyses(tmp_path, corpus, fakes):
    run = tmp_path / "run"
    run_batch(corpus, run, BatchConfig(part_size=3), analyzer=fakes.FakeAnalyzer())
    assert pq.read_table(run / "attributions.parquet").schema.equals(ATTRIBUTIONS, check_metadata=False)
    assert pq.read_table(run / "actors.parquet").schema.equals(ACTORS, check_metadata=False)
    assert pq.read_table(run / "articles.parquet").schema.equals(ARTICLES, check_metadata=False)
    analyses = {r["id"]: Analysis.model_validate_json(r["analysis"]) for r in read(run, "analyses")}
    attributions, actors = read(run, "attributions"), read(run, "actors")
    assert len(attributions) == sum(len(a.attributions) for a in analyses.values()) > 6
    assert len(actors) == sum(len(a.actors) for a in analyses.values()) > 5

    whole = analyses["whole"]
    rows = [r for r in attributions if r["article_id"] == "whole"]
    assert len(rows) == 6
    first = rows[0]
    assert first["source_type"] == "anonymous" and first["source_name"] is None
    assert first["source_text"] == "Our source in the military leadership of the Russian Federation"
    assert whole.article.text[first["source_start"]:first["source_end"]] == first["source_text"]
    assert (first["cue_text"], first["cue_start"]) == ("reports", whole.attributions[0].cue.start)
    assert first["content"] == [c.model_dump() for c in whole.attributions[0].content]
    assert first["content_text"].startswith("the withdrawal") and first["score"] == 0.91
    unsourced = next(r for r in rows if r["source_type"] == "none")
    assert unsourced["source_text"] is None and unsourced["source_start"] is None
    assert unsourced["cue_text"] == "reportedly"

    us = next(r for r in actors if r["article_id"] == "whole" and r["name"] == "United States")
    assert (us["kind"], us["main_role"], us["fine_roles"], us["mentions"]) == (
        "state", "Antagonist", ["Traitor", "Incompetent"], 14)
    assert us["mention_spans"][0] == {"start": 0, "end": 13, "text": "The Americans"} and us["evidence"] == [0, 27]
    turkey = next(r for r in actors if r["article_id"] == "whole" and r["name"] == "Turkey")
    assert turkey["main_role"] is None and turkey["fine_roles"] == []

    articles = {r["id"]: r for r in read(run, "articles")}
    w = articles["whole"]
    assert (w["n_attributions"], w["share_anonymous"], w["share_unsourced"], w["n_actors"]) == (6, 0.5, 0.1667, 5)
    p = articles["plain"]
    assert p["n_attributions"] == 0 and p["share_anonymous"] is None and p["share_unsourced"] is None
    assert p["n_actors"] == 0
    assert articles["blank"]["n_attributions"] is None  # failed: nothing counted
    for a_id, a in analyses.items():
        assert articles[a_id]["n_attributions"] == len(a.attributions)

    markers = [json.loads(p.read_text()) for p in sorted((run / "parts").glob("*.json"))]
    assert sum(m["attributions"] for m in markers) == len(attributions)
    assert sum(m["actors"] for m in markers) == len(actors)


def test_resume_redoes_a_part_whose_new_tables_are_damaged_or_missing(tmp_path, corpus, fakes):
    run = tmp_path / "run"
    run_batch(corpus, run, BatchConfig(part_size=3), analyzer=fakes.FakeAnalyzer())
    before = {t: sorted(map(str, read(run, t))) for t in ("articles", "attributions", "actors")}
    (run / "attributions.parquet" / "part-000002.parquet").write_bytes(b"not parquet")
    (run / "actors.parquet" / "part-000000.parquet").unlink()
    summary = run_batch(corpus, run, BatchConfig(), analyzer=fakes.FakeAnalyzer())
    assert summary.parts_resumed == summary.parts - 2
    assert {t: sorted(map(str, read(run, t))) for t in before} == before


def test_parts_of_a_run_from_before_these_tables_are_redone(tmp_path, corpus, fakes):
    run = tmp_path / "run"
    run_batch(corpus, run, BatchConfig(part_size=3), analyzer=fakes.FakeAnalyzer())
    for path in (run / "parts").glob("*.json"):  # a marker as an older propwatch wrote it
        marker = json.loads(path.read_text())
        del marker["attributions"], marker["actors"]
        path.write_text(json.dumps(marker))
    summary = run_batch(corpus, run, BatchConfig(), analyzer=fakes.FakeAnalyzer())
    assert summary.parts_resumed == 0 and summary.records_this_time == summary.records
    assert all("actors" in json.loads(p.read_text()) for p in (run / "parts").glob("*.json"))


def test_a_run_without_attributions_or_actors_has_empty_well_typed_tables(tmp_path, corpus, fakes):
    run = tmp_path / "run"
    run_batch(corpus, run, BatchConfig(part_size=4), analyzer=fakes.FakeAnalyzer(with_layers=False))
    assert read(run, "attributions") == [] and read(run, "actors") == []
    assert pq.read_table(run / "actors.parquet").schema.equals(ACTORS, check_metadata=False)
    assert all(r["share_anonymous"] is None for r in read(run, "articles"))
