"""``propwatch batch`` as a person runs it: the summary lines, the failed count, and one-line errors."""

from __future__ import annotations

import pyarrow.parquet as pq
from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()


def test_batch_reports_what_it_did_and_what_failed(tmp_path, corpora):
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(3), [b"not json"])
    result = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    assert "analysed 4 records" in result.stderr
    assert "Warning: 1 of 4 records failed: see" in result.stderr and "errors.jsonl" in result.stderr
    assert f"next: propwatch report {tmp_path / 'run'}" in result.stderr
    assert pq.read_table(tmp_path / "run" / "articles.parquet").num_rows == 3

    again = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run")])
    assert again.exit_code == 0 and "resuming: 4 of 4 records already done" in again.stderr


def test_batch_fails_in_one_line_when_nothing_could_be_analysed(tmp_path, corpora):
    path = corpora.write_jsonl(tmp_path / "in.jsonl", [{"doc": "x", "body": "Some text."}])
    result = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no record could be analysed (1 failed")
    assert "every record needs an id" in result.stderr and "Traceback" not in result.stderr
    fixed = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run2"), "--columns", "id=doc,text=body"])
    assert fixed.exit_code == 0, fixed.stderr


def test_batch_usage_and_input_errors(tmp_path, corpora):
    result = runner.invoke(app, ["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "run")])
    assert result.exit_code == 1 and result.stderr.strip().startswith("Error: No such file or folder")
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(1))
    bad = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "run"), "--columns", "body"])
    assert bad.exit_code == 2 and "KEY=COLUMN" in bad.stderr
    (tmp_path / "file").write_text("x")
    clash = runner.invoke(app, ["batch", str(path), "--out", str(tmp_path / "file")])
    assert clash.exit_code == 1 and "is a file; --out needs a folder" in clash.stderr
