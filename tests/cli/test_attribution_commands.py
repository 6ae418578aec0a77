"""propwatch predict / evaluate --task attribution: PolNeAR-layout folders in, JSON Lines and figures out."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app

POLNEAR = Path(__file__).parents[2].parent / "shared" / "polnear"
TEXT = ("Officials in Moscow said on Tuesday that the talks had failed. According to a source familiar with the "
        "matter, the delegation left early. The minister, reportedly, was furious.")


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def test_predict_writes_one_attribution_a_line_with_character_offsets(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "talks.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "text" / "empty.txt").write_text("The sky was blue.", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = run("predict", "--task", "attribution", "--data", tmp_path, "--out", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows and {r["article"] for r in rows} == {"talks"}
    for r in rows:
        assert set(r) == {"article", "source", "cue", "content", "source_type"}
        assert r["source_type"] in ("named", "anonymous", "none")
        start, end = r["cue"]
        assert 0 <= start < end <= len(TEXT)
    assert any(TEXT[r["cue"][0]:r["cue"][1]] == "said" for r in rows)


def test_predict_with_accurate_runs_the_ensemble(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "talks.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    result = run("predict", "--task", "attribution", "--model", "accurate", "--data", tmp_path, "--out", out)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert any(TEXT[r["cue"][0]:r["cue"][1]] == "said" for r in rows)
    wrong = run("predict", "--task", "attribution", "--model", "minilm-v1", "--data", tmp_path, "--out", out)
    assert wrong.exit_code == 1 and "is not a model of kind 'attribution'" in wrong.output


def test_bad_folders_get_a_clear_error(tmp_path):
    missing = run("predict", "--task", "attribution", "--data", tmp_path, "--out", tmp_path / "p.jsonl")
    assert missing.exit_code == 1 and "no text/ folder" in missing.output
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    unlabelled = run("evaluate", "--task", "attribution", "--data", tmp_path)
    assert unlabelled.exit_code == 1 and "no attributions/ folder" in unlabelled.output
    mixed = run("predict", "--task", "attribution", "--data", tmp_path, "--out", tmp_path / "p", "--split", "x")
    assert mixed.exit_code == 2


def test_evaluate_scores_a_slice_of_polnear_dev(tmp_path):
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR is not at {POLNEAR}")
    names = sorted(p.stem for p in (POLNEAR / "dev" / "text").glob("*.txt"))[:3]
    for sub in ("text", "attributions"):
        (tmp_path / "dev" / sub).mkdir(parents=True)
    for name in names:
        shutil.copy(POLNEAR / "dev" / "text" / f"{name}.txt", tmp_path / "dev" / "text")
        for ann in (POLNEAR / "dev" / "attributions").glob(f"{name}_*.ann"):
            shutil.copy(ann, tmp_path / "dev" / "attributions")
    result = run("evaluate", "--task", "attribution", "--data", tmp_path, "--split", "dev", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output[result.output.index("{"):])
    assert set(figures["exact"]) == {"source", "cue", "content"}
    assert figures["exact"]["cue"]["gold"] > 0 and 0 < figures["exact"]["cue"]["f1"] <= 1
