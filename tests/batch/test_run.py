"""``run_batch`` end to end with the real model on tiny corpora: the tables, the errors file, the manifest,
resuming, refusing to mix runs, and local parallelism."""

from __future__ import annotations

import json
import os

import pyarrow.parquet as pq
import pytest

from propwatch.batch import ARTICLES, SPANS, TECHNIQUE_COLUMNS, BatchConfig, run_batch
from propwatch.batch.fs import Location, write_atomic
from propwatch.errors import DataError
from propwatch.schema import Analysis

BAD_LINES = [
    b'{"id": "broken", "text": ',
    b'{"id": "a01", "text": "Duplicate of an earlier id."}',
    b'{"id": "blank", "text": "   "}',
    b'{"id": "latin", "text": "caf\xe9"}',
]


def tables(run) -> dict[str, list[dict]]:
    out = {}
    for name, keys in (("articles", ("id",)), ("spans", ("article_id", "start", "end", "technique")),
                       ("analyses", ("id",))):
        rows = pq.read_table(run / f"{name}.parquet").to_pylist()
        out[name] = sorted(rows, key=lambda r: tuple(str(r[k]).zfill(8) for k in keys))
    return out


@pytest.fixture
def jsonl(tmp_path, corpora):
    return corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6), BAD_LINES)


def test_jsonl_run_writes_articles_spans_analyses_and_errors(tmp_path, jsonl, analyzer):
    run = tmp_path / "run"
    summary = run_batch(jsonl, run, BatchConfig(part_size=4), analyzer=analyzer)
    assert (summary.records, summary.parts, summary.analysed, summary.failed) == (10, 3, 6, 4)

    articles = pq.read_table(run / "articles.parquet")
    assert articles.schema.names[0] == "id" and articles.schema.equals(ARTICLES, check_metadata=False)
    rows = {r["id"]: r for r in articles.to_pylist()}
    assert sorted(rows) == ["a00", "a01", "a02", "a03", "a04", "a05", "blank"]  # failed-with-an-id keeps a row
    assert rows["blank"]["error"].startswith("the 'text' value is empty") and rows["blank"]["score"] is None
    a0 = rows["a00"]
    assert a0["title"] == "Report 0 from the front" and a0["source"] == "alpha.example"
    assert a0["published"].isoformat() == "2019-01-05T00:00:00+00:00" and a0["location"] == "in.jsonl:1"
    assert a0["model_name"] == analyzer.model_info.name and a0["model_version"] == analyzer.model_info.version

    spans = pq.read_table(run / "spans.parquet")
    assert spans.schema.equals(SPANS, check_metadata=False)
    analyses = {r["id"]: Analysis.model_validate_json(r["analysis"])
                for r in pq.read_table(run / "analyses.parquet").to_pylist()}
    assert sorted(analyses) == ["a00", "a01", "a02", "a03", "a04", "a05"]
    by_article: dict[str, list[dict]] = {}
    for s in spans.to_pylist():
        by_article.setdefault(s["article_id"], []).append(s)
        assert analyses[s["article_id"]].article.text[s["start"] : s["end"]] == s["text"]
    assert spans.num_rows > 0
    for article_id, analysis in analyses.items():
        row = rows[article_id]
        assert row["spans"] == len(by_article.get(article_id, [])) == len(analysis.spans)
        assert sum(row[c] for c in TECHNIQUE_COLUMNS) == row["spans"]
        assert row["score"] == analysis.score and row["sentences"] == len(analysis.sentences)
        assert row["sentences_flagged"] == len(analysis.flagged_sentences)
        assert row["spans_per_1k_words"] == pytest.approx(1000 * row["spans"] / row["words"], abs=1e-4)

    errors = [json.loads(line) for line in (run / "errors.jsonl").read_text().splitlines()]
    assert [(e["line"], e["id"]) for e in errors] == [(7, None), (8, "a01"), (9, "blank"), (10, None)]
    assert all(e["file"] == str(jsonl) for e in errors)
    reasons = [e["reason"] for e in errors]
    assert "malformed JSON" in reasons[0] and "duplicate id 'a01'" in reasons[1]
    assert "empty" in reasons[2] and "not valid UTF-8" in reasons[3]

    settings = json.loads((run / "run.json").read_text())
    assert settings["part_size"] == 4 and settings["finished"] and settings["totals"]["failed"] == 4
    assert sorted(os.listdir(run / "parts")) == ["part-000000.json", "part-000001.json", "part-000002.json"]


def test_same_articles_give_the_same_tables_from_jsonl_and_csv(tmp_path, corpora, analyzer):
    rows = corpora.articles(3)
    a = run_batch(corpora.write_jsonl(tmp_path / "in.jsonl", rows), tmp_path / "r1", analyzer=analyzer)
    b = run_batch(corpora.write_csv(tmp_path / "in.csv", rows), tmp_path / "r2", analyzer=analyzer)
    assert a.analysed == b.analysed == 3
    ta, tb = tables(tmp_path / "r1"), tables(tmp_path / "r2")
    assert ta["spans"] == tb["spans"]
    # Only where each record came from differs (in.jsonl:1 or in.csv:2).
    strip = lambda rs: [{k: v for k, v in r.items() if k != "location"} for r in rs]  # noqa: E731
    assert strip(ta["articles"]) == strip(tb["articles"])
    def unsourced(rows):
        return [Analysis.model_validate_json(r["analysis"]).model_dump(exclude={"article": {"source"}}) for r in rows]

    assert unsourced(ta["analyses"]) == unsourced(tb["analyses"])


def test_folder_and_ptc_runs(tmp_path, corpora, analyzer):
    rows = corpora.articles(3)
    folder = run_batch(corpora.write_folder(tmp_path / "corpus", rows), tmp_path / "r1", analyzer=analyzer)
    ptc = run_batch(corpora.write_ptc(tmp_path / "ptc", rows), tmp_path / "r2", analyzer=analyzer)
    assert folder.analysed == ptc.analysed == 3
    t1, t2 = tables(tmp_path / "r1"), tables(tmp_path / "r2")
    assert [r["id"] for r in t1["articles"]] == ["alpha.example/a00", "alpha.example/a02", "beta.example/a01"]
    assert [r["source"] for r in t1["articles"]] == ["alpha.example", "alpha.example", "beta.example"]
    assert [r["id"] for r in t2["articles"]] == ["700", "701", "702"]
    # The same .txt file gives the same spans whichever folder layout it sits in.
    def spans_of(t, article_id):
        return [(s["start"], s["end"], s["technique"], s["score"]) for s in t["spans"] if s["article_id"] == article_id]

    assert spans_of(t1, "alpha.example/a00") == spans_of(t2, "700")


def test_resume_redoes_only_missing_parts_and_ends_equal(tmp_path, jsonl, analyzer):
    whole = tmp_path / "whole"
    run_batch(jsonl, whole, BatchConfig(part_size=2), analyzer=analyzer)
    broken = tmp_path / "broken"
    run_batch(jsonl, broken, BatchConfig(part_size=2), analyzer=analyzer)
    # What a kill leaves: a part without its marker, a leftover temporary file, an errors file not yet rebuilt.
    (broken / "parts" / "part-000001.json").unlink()
    (broken / "spans.parquet" / "part-000003.parquet").unlink()
    (broken / "articles.parquet" / ".part-000004.parquet.123.tmp").write_bytes(b"half a file")
    (broken / "errors.jsonl").write_text("")
    again = run_batch(jsonl, broken, BatchConfig(), analyzer=analyzer)  # part size taken from the run
    assert (again.parts, again.parts_resumed, again.records_this_time) == (5, 3, 4)
    assert tables(broken) == tables(whole)
    assert (broken / "errors.jsonl").read_bytes() == (whole / "errors.jsonl").read_bytes()
    finished = run_batch(jsonl, broken, BatchConfig(), analyzer=analyzer)
    assert finished.records_this_time == 0 and finished.parts_resumed == 5


def test_a_run_refuses_other_settings_and_a_changed_input(tmp_path, corpora, jsonl, analyzer):
    run = tmp_path / "run"
    run_batch(jsonl, run, BatchConfig(part_size=4), analyzer=analyzer)
    with pytest.raises(DataError, match=r"other settings \(part_size: 4 before, 3 now\)"):
        run_batch(jsonl, run, BatchConfig(part_size=3), analyzer=analyzer)
    rows = corpora.articles(6)
    rows[1]["text"] += " One more sentence."
    corpora.write_jsonl(jsonl, rows, BAD_LINES)
    with pytest.raises(DataError, match="the input has changed since this run started"):
        run_batch(jsonl, run, BatchConfig(part_size=4), analyzer=analyzer)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(DataError, match="not a propwatch run folder"):
        run_batch(jsonl, other, analyzer=analyzer)


def test_two_worker_processes_give_the_same_tables(tmp_path, jsonl, analyzer):
    run_batch(jsonl, tmp_path / "one", BatchConfig(part_size=2), analyzer=analyzer)
    two = run_batch(jsonl, tmp_path / "two", BatchConfig(part_size=2, workers=2))
    assert two.analysed == 6
    assert tables(tmp_path / "two") == tables(tmp_path / "one")
    assert (tmp_path / "two" / "errors.jsonl").read_bytes() == (tmp_path / "one" / "errors.jsonl").read_bytes()


def test_write_atomic_on_a_non_local_filesystem(tmp_path):
    import pyarrow.fs as pafs

    fs = pafs.SubTreeFileSystem(str(tmp_path), pafs.LocalFileSystem())
    write_atomic(Location(fs, "x.json", "mock://x.json"), b"{}")
    write_atomic(Location(pafs.LocalFileSystem(), str(tmp_path / "y.json"), "y.json"), b"[]")
    assert (tmp_path / "x.json").read_bytes() == b"{}" and (tmp_path / "y.json").read_bytes() == b"[]"
    assert sorted(os.listdir(tmp_path)) == ["x.json", "y.json"]  # no temporary file left behind


def test_an_ensemble_runs_and_its_identity_covers_its_members(tmp_path, jsonl, analyzer):
    """A resumed run must use the very same model: for an ensemble, that includes every member's files."""
    from propwatch.batch.run import model_identity
    from propwatch.training.ensemble import build_ensemble

    folder = build_ensemble(["fast", "fast"], tmp_path / "twin", name="twin", version="0.1")
    first = model_identity(str(folder))
    assert first["name"] == "twin" and first == model_identity(str(folder))
    run_batch(jsonl, tmp_path / "run", BatchConfig(model=str(folder)))
    assert {r["model_name"] for r in pq.read_table(tmp_path / "run" / "articles.parquet").to_pylist()} == {"twin"}
    with open(folder / "members" / "1-minilm-v1" / "span_head.npz", "ab") as f:
        f.write(b"\0")
    assert model_identity(str(folder))["sha256"] != first["sha256"]


def test_the_identity_covers_the_span_examples(tmp_path):
    """Stored analyses carry each span's examples, so a changed examples file must stop a resume."""
    import shutil

    from propwatch.batch.run import model_identity
    from propwatch.model.registry import resolve_model

    folder = tmp_path / "m"
    shutil.copytree(resolve_model("fast"), folder)
    (folder / "examples.npz").unlink(missing_ok=True)
    without = model_identity(str(folder))
    shutil.copy(resolve_model("fast") / "config.json", folder / "examples.npz")  # any bytes will do
    with_examples = model_identity(str(folder))
    assert with_examples["sha256"] != without["sha256"]
    with open(folder / "examples.npz", "ab") as f:
        f.write(b"\0")
    assert model_identity(str(folder))["sha256"] != with_examples["sha256"]


def test_the_identity_covers_every_member_of_the_attribution_ensemble(tmp_path, monkeypatch):
    """``accurate`` answers with two attribution taggers: a change to either must stop a resume."""
    import json
    import shutil

    from propwatch.batch import run as batch_run
    from propwatch.model.registry import SHIPPED

    for name in ("attributions-v1", "attributions-full-v1"):
        (tmp_path / name).mkdir()
        for f in ("model.onnx", "tokenizer.json"):
            (tmp_path / name / f).symlink_to(SHIPPED / name / f)
        shutil.copy(SHIPPED / name / "config.json", tmp_path / name / "config.json")
    shutil.copytree(SHIPPED / "attributions-accurate-v1", tmp_path / "ensemble")
    monkeypatch.setattr(batch_run, "find_attribution_model", lambda name: tmp_path / "ensemble")
    first = batch_run.model_identity("accurate")
    config = tmp_path / "attributions-full-v1" / "config.json"
    config.write_text(json.dumps(json.loads(config.read_text())))  # same settings, other bytes
    assert batch_run.model_identity("accurate")["sha256"] != first["sha256"]
