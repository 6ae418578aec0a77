"""``propwatch ensemble``: combine models into one folder, choose the token weights and tune the decoding on
labelled articles, then analyse with it like any model."""

import json

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app

runner = CliRunner()


@pytest.fixture
def split_file(ptc_dir, tmp_path):
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"][:8]
    path = tmp_path / "splits.json"
    path.write_text(json.dumps({"validation": ids}))
    return path


def test_ensemble_builds_tunes_and_analyses(ptc_dir, split_file, tmp_path, analyzer):
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    out = tmp_path / "ens"
    result = runner.invoke(app, ["ensemble", "fast", "fast", "--data", str(ptc_dir / "train"), "--split-file",
                                 str(split_file), "--out", str(out), "--name", "twin", "--version-tag", "0.2"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    weighting = config["validation"]["weighting"]
    assert weighting["chosen"] and len(weighting["token_weights"]) == 2
    # identical members: every weight gives the same spans, and the tie goes to the even mix
    assert len(set(weighting["si_f1_by_first_member_weight"].values())) == 1
    assert [m["token_weight"] for m in config["members"]] == [0.5, 0.5]
    assert 0.0 < weighting["si_f1_crossfit"] <= 1.0  # thresholds chosen on 4/5, scored on the rest
    assert config["decoding"]["calibration"] and config["validation"]["figures"]["ensemble"]["articles"] == 8
    assert "token weights" in result.output and "written to" in result.output

    from propwatch import load_analyzer

    first = json.loads(split_file.read_text())["validation"][0]
    text = (ptc_dir / "train" / "articles" / f"article{first}.txt").read_text()
    analysis = load_analyzer(out).analyze_text(text)
    assert analysis.model.name == "twin" and analysis.model.version == "0.2"
    assert all(0.0 <= s.score <= 1.0 for s in analysis.spans)


def test_ensemble_with_given_weights_keeps_them(ptc_dir, split_file, tmp_path):
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    out = tmp_path / "ens"
    result = runner.invoke(app, ["ensemble", "fast", "fast", "--data", str(ptc_dir / "train"), "--split-file",
                                 str(split_file), "--out", str(out), "--token-weights", "3,1"])
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    assert [m["token_weight"] for m in config["members"]] == [0.75, 0.25]
    assert config["validation"]["weighting"] == {"token_weights": [3.0, 1.0], "chosen": False}

    # propwatch tune re-tunes an ensemble's decoding in place and keeps its members and weights
    config["decoding"] = {"any_low": 0.9, "any_peak": 0.95, "gap": 1}
    (out / "config.json").write_text(json.dumps(config))
    result = runner.invoke(app, ["tune", "--model", str(out), "--data", str(ptc_dir / "train"), "--split-file",
                                 str(split_file)])
    assert result.exit_code == 0, result.output
    tuned = json.loads((out / "config.json").read_text())
    assert tuned["decoding"]["any_low"] != 0.9 and tuned["members"] == config["members"]
    assert set(tuned["validation"]["figures"]) == {"ensemble"}


@pytest.mark.parametrize("args, message", [
    (["fast", "--token-weights", "1"], "at least two"),
    (["fast", "fast", "--token-weights", "1,x"], "not a comma-separated list"),
    (["fast", "fast", "--token-weights", "1,-1"], "none negative"),
    (["fast", "no-such-model"], "no model at no-such-model"),
])
def test_bad_ensembles_are_refused(args, message, ptc_dir, tmp_path):
    result = runner.invoke(app, ["ensemble", *args, "--data", str(ptc_dir / "train"), "--out", str(tmp_path / "e")])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "e").exists()
