"""``propwatch train --task attribution``: the errors a person can meet, each a clear line and a non-zero exit
before any model loads, and the options of one task refused by the others instead of ignored. Training itself is
tested in tests/training/test_attribution_training.py."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()


def _train(*args: str):
    return runner.invoke(app, ["train", *args])


def _one_line(output: str) -> str:
    """The output without line breaks and the frame click's usage errors are drawn in."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", output).split())


def test_missing_data_folder(tmp_path):
    result = _train("--task", "attribution", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "run"))
    assert result.exit_code == 1
    assert "nowhere does not exist" in _one_line(result.output) and "Traceback" not in result.output
    assert not (tmp_path / "run").exists()


def test_a_folder_that_is_not_polnear(tmp_path):
    (tmp_path / "ptc" / "articles").mkdir(parents=True)
    result = _train("--task", "attribution", "--data", str(tmp_path / "ptc"), "--out", str(tmp_path / "run"))
    assert result.exit_code == 1
    assert "is not a PolNeAR folder" in _one_line(result.output) and "train/text does not exist" in _one_line(
        result.output)


def test_dev_compartment_is_needed(tmp_path):
    (tmp_path / "polnear" / "train" / "text").mkdir(parents=True)
    result = _train("--task", "attribution", "--data", str(tmp_path / "polnear"), "--out", str(tmp_path / "run"))
    assert result.exit_code == 1 and "dev/text does not exist" in _one_line(result.output)


def test_options_of_other_tasks_are_refused(tmp_path: Path):
    data, out = str(tmp_path), str(tmp_path / "run")
    refused = [
        (["--task", "attribution", "--teacher", "fast", "--teacher", "accurate"],
         "--task attribution distils from one teacher"),
        (["--task", "attribution", "--unlabeled", "articles"], "--unlabeled does not apply to --task attribution"),
        (["--task", "attribution", "--distill-alpha", "0.3"], "needs --teacher"),
        (["--task", "attribution", "--no-quantize", "--split", "s.json"],
         "--split, --no-quantize do not apply to --task attribution"),
        (["--task", "attribution", "--encoder", "fast"], "--encoder does not apply"),
        (["--task", "attribution", "--int8"], "--int8 does not apply to --task attribution"),
        (["--int8", "--no-quantize"], "--int8 and --no-quantize contradict each other"),
        (["--head-lr", "1e-3"], "--head-lr does not apply to --task techniques"),
        (["--task", "techniques", "--no-bf16"], "--bf16/--no-bf16 does not apply to --task techniques"),
        (["--task", "roles", "--max-steps", "3", "--epochs", "2"],
         "--max-steps, --epochs do not apply to --task roles"),
    ]
    for args, message in refused:
        result = _train("--data", data, "--out", out, *args)
        assert result.exit_code == 2, (args, result.output)
        assert message in _one_line(result.output), (args, result.output)
