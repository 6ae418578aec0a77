"""``propwatch evaluate`` and ``propwatch predict`` on real PTC validation articles with the shipped model,
and their submission files checked by the independent scorer ``../shared/tools/ptc_score.py``."""

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()
IDS = 6


@pytest.fixture(scope="module")
def ids_file(ptc_dir, tmp_path_factory):
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"][:IDS]
    path = tmp_path_factory.mktemp("ids") / "ids.txt"
    path.write_text("\n".join(ids) + "\n")
    return path


@pytest.fixture(scope="module")
def gold_file(ptc_dir, ids_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "gold.labels"
    path.write_text("".join((ptc_dir / "train" / "labels" / f"article{i}.task2-TC.labels").read_text()
                            for i in ids_file.read_text().split()))
    return path


def test_evaluate_json_has_the_documented_shape(ptc_dir, ids_file, analyzer):
    result = runner.invoke(app, ["evaluate", "--data", str(ptc_dir / "train"), "--ids", str(ids_file), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["articles"] == IDS
    assert set(report["si"]) >= {"precision", "recall", "f1"}
    assert set(report["tc"]) >= {"micro_f1", "macro_f1", "per_technique"}
    assert set(report["end_to_end"]) >= {"precision", "recall", "f1"}
    assert 0 < report["si"]["f1"] < 1 and 0 < report["tc"]["micro_f1"] <= 1


def test_evaluate_tables_and_split_option(ptc_dir, analyzer):
    result = runner.invoke(app, ["evaluate", "--data", str(ptc_dir / "train"), "--split", "validation"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "span identification" in result.stdout and "Loaded language" in result.stdout


@pytest.mark.parametrize("task", ["si", "tc"])
def test_predict_files_score_the_same_with_the_independent_scorer(ptc_dir, ids_file, gold_file, tmp_path, task,
                                                                   analyzer):
    scorer = ptc_dir.parent / "tools" / "ptc_score.py"
    if not scorer.exists():
        pytest.skip(f"independent scorer not found at {scorer}")
    out = tmp_path / f"{task}.txt"
    result = runner.invoke(app, ["predict", "--data", str(ptc_dir / "train"), "--ids", str(ids_file),
                                 "--task", task, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines and all(len(line.split("\t")) == (3 if task == "si" else 4) for line in lines)
    theirs = json.loads(subprocess.run([sys.executable, str(scorer), task, str(gold_file), str(out)],
                                       capture_output=True, text=True, check=True).stdout)
    ours = json.loads(runner.invoke(app, ["evaluate", "--data", str(ptc_dir / "train"), "--ids", str(ids_file),
                                          "--json"]).stdout)
    if task == "si":
        assert theirs["f1"] == pytest.approx(ours["si"]["f1"], abs=1e-9)
    else:
        assert theirs["micro_f1"] == pytest.approx(ours["tc"]["micro_f1"], abs=1e-9)


def test_predict_tc_needs_labels(tmp_path, analyzer):
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article1.txt").write_text("Title\n\nThe corrupt elite lied.\n")
    result = runner.invoke(app, ["predict", "--data", str(tmp_path), "--task", "tc", "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "label" in result.output.lower() + (result.stderr or "").lower()


def test_corpus_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["evaluate", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    result = runner.invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "o"), "--window", "16",
                                 "--stride", "32"])
    assert result.exit_code == 2
