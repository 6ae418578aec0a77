"""What a batch run refuses: articles over ``--max-words`` (a failed record, like any other bad one)."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
from typer.testing import CliRunner

from propwatch.batch import BatchConfig, ReadOptions, run_batch
from propwatch.cli.app import app

runner = CliRunner()
LONG = "They lie to you again and again. " * 60  # 420 words and 60 full stops; the others have under 200


def test_a_too_long_record_goes_to_the_errors_file(tmp_path, corpora):
    rows = corpora.articles(2) + [{"id": "long", "text": LONG}]
    path = corpora.write_jsonl(tmp_path / "in.jsonl", rows)
    result = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run"), "--max-words", "300"])
    assert result.exit_code == 0, result.output
    assert "1 of 3 records failed" in result.stderr
    errors = [json.loads(line) for line in (tmp_path / "run" / "errors.jsonl").read_text().splitlines()]
    assert [e["id"] for e in errors] == ["long"]
    assert "more than 300 words and symbols" in errors[0]["reason"] and "split it" in errors[0]["reason"]
    articles = {r["id"]: r for r in pq.read_table(tmp_path / "run" / "articles.parquet").to_pylist()}
    assert articles["long"]["error"] == errors[0]["reason"] and articles["long"]["score"] is None
    assert articles["a00"]["error"] is None

    again = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run"), "--max-words", "1000"])
    assert again.exit_code == 1 and "max_words: 300 before, 1000 now" in again.stderr


def test_folders_refuse_long_files_and_a_higher_bound_lets_them_through(tmp_path, corpora, analyzer):
    long = {"id": "long", "source": "beta", "title": "Long", "text": LONG}
    folder = corpora.write_folder(tmp_path / "in", corpora.articles(2) + [long])  # the third file: a .txt
    short = run_batch(folder, tmp_path / "short", BatchConfig(read=ReadOptions(max_words=300)), analyzer=analyzer)
    assert (short.analysed, short.failed) == (2, 1)
    wide = run_batch(folder, tmp_path / "wide", BatchConfig(read=ReadOptions(max_words=1000)), analyzer=analyzer)
    assert (wide.analysed, wide.failed) == (3, 0)


def test_symbolic_links_never_lead_the_scan_astray(tmp_path, corpora, analyzer):
    folder = corpora.write_folder(tmp_path / "in", corpora.articles(3))
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "loop").symlink_to("..")  # back into the tree: the scan would repeat it
    (folder / "alpha.example" / "again").symlink_to("../..")  # a second loop: the scan would never end
    (folder / "passwd.txt").symlink_to(outside)  # a file outside the tree
    (folder / "out").symlink_to(tmp_path)  # a folder outside the tree
    (folder / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "alias.txt").symlink_to(folder / "alpha.example" / "a00.txt")  # inside the tree: read

    summary = run_batch(folder, tmp_path / "run", BatchConfig(), analyzer=analyzer)
    assert (summary.analysed, summary.failed) == (4, 5)
    articles = sorted(r["id"] for r in pq.read_table(tmp_path / "run" / "articles.parquet").to_pylist())
    assert articles == ["alias", "alpha.example/a00", "alpha.example/a02", "beta.example/a01"]
    errors = {json.loads(line)["file"].rsplit("/in/", 1)[1]: json.loads(line)["reason"]
              for line in (tmp_path / "run" / "errors.jsonl").read_text().splitlines()}
    assert sorted(errors) == ["alpha.example/again", "broken.txt", "loop", "out", "passwd.txt"]
    assert "links to folders are not followed" in errors["loop"] and "outside the folder" in errors["passwd.txt"]


def test_a_damaged_part_is_redone_on_resume_not_reported_as_done(tmp_path, corpora, analyzer):
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6))
    whole = tmp_path / "whole"
    run_batch(path, whole, BatchConfig(part_size=2), analyzer=analyzer)
    run = tmp_path / "run"
    run_batch(path, run, BatchConfig(part_size=2), analyzer=analyzer)
    articles = run / "articles.parquet" / "part-000000.parquet"
    articles.write_bytes(articles.read_bytes()[:100])  # cut short: its marker still says done
    spans = run / "spans.parquet" / "part-000001.parquet"
    other = pq.read_table(whole / "spans.parquet" / "part-000002.parquet")
    pq.write_table(other, spans)  # readable, but not the rows its marker counts
    again = run_batch(path, run, BatchConfig(), analyzer=analyzer)
    assert (again.parts_resumed, again.records_this_time) == (1, 4)
    for table in ("articles", "spans", "analyses"):
        rows = [json.dumps(r, sort_keys=True, default=str) for r in pq.read_table(run / f"{table}.parquet").to_pylist()]
        expected = [json.dumps(r, sort_keys=True, default=str)
                    for r in pq.read_table(whole / f"{table}.parquet").to_pylist()]
        assert sorted(rows) == sorted(expected), table
