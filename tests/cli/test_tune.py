"""``propwatch tune``: re-tune an exported model's decoding on labelled articles and store it in its
config.json (thresholds, per-technique decisions, nested channels, score calibration)."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app
from propwatch.inputs import read_corpus
from propwatch.model.decode import REPORT_FLOOR
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED

runner = CliRunner()


@pytest.fixture
def model_copy(tmp_path, analyzer):
    folder = tmp_path / "model"
    shutil.copytree(SHIPPED / DEFAULT_MODEL, folder)
    return folder


def test_tune_writes_a_complete_decoding_into_the_model(model_copy, ptc_dir, tmp_path):
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"][:24]  # enough for every map to help
    split_file = tmp_path / "splits.json"
    split_file.write_text(json.dumps({"validation": ids}))
    config = json.loads((model_copy / "config.json").read_text())
    config["decoding"] = {"any_low": 0.9, "any_peak": 0.95, "gap": 1, "channels": {}, "si_source": "any"}
    (model_copy / "config.json").write_text(json.dumps(config))

    result = runner.invoke(app, ["tune", "--model", str(model_copy), "--data", str(ptc_dir / "train"),
                                 "--split", "validation", "--split-file", str(split_file)])
    assert result.exit_code == 0, result.output
    tuned = json.loads((model_copy / "config.json").read_text())
    decoding = tuned["decoding"]
    assert (decoding["any_low"], decoding["any_peak"]) != (0.9, 0.95)  # moved off the absurd thresholds
    assert set(decoding["calibration"]) >= {"labelled", "sentence"}
    assert tuned["validation"]["figures"][tuned["precision"]]["articles"] == 24
    cue = tuned["validation"]["tuning"]["repetition_cue"]
    assert decoding["repetition_cue"] == cue["cue"] and len(cue["cue"]) == 2
    assert {"tc_micro_f1_without", "tc_micro_f1_with", "tc_micro_f1_crossfit"} <= set(cue)
    assert "report_floor" not in decoding  # a product rule (model.decode.REPORT_FLOOR), not a tuned figure
    assert "SI F1" in result.output and "written to" in result.output

    from propwatch import load_analyzer

    text = (ptc_dir / "train" / "articles" / f"article{ids[0]}.txt").read_text()
    analysis = load_analyzer(model_copy).analyze_text(text)
    assert all(REPORT_FLOOR <= s.score <= 1.0 for s in analysis.spans)


def test_tune_refuses_a_folder_that_is_not_a_model(tmp_path, ptc_dir):
    result = runner.invoke(app, ["tune", "--model", str(tmp_path), "--data", str(ptc_dir / "train")])
    assert result.exit_code != 0
    assert "not a model folder" in result.output


def test_tune_sets_the_inference_windows_before_tuning(model_copy, ptc_dir, tmp_path):
    """A model trained on 254-token windows ships with longer ones: --window/--stride store them, and the
    decoding is tuned on what the model reads through them."""
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"][:6]
    split_file = tmp_path / "splits.json"
    split_file.write_text(json.dumps({"validation": ids}))
    result = runner.invoke(app, ["tune", "--model", str(model_copy), "--data", str(ptc_dir / "train"),
                                 "--split-file", str(split_file), "--window", "254", "--stride", "200"])
    assert result.exit_code == 0, result.output
    tuned = json.loads((model_copy / "config.json").read_text())
    assert (tuned["window"], tuned["stride"]) == (254, 200)
    assert tuned["validation"]["figures"][tuned["precision"]]["articles"] == 6


@pytest.mark.parametrize("extra, message", [(["--window", "254"], "go together"),
                                            (["--window", "100", "--stride", "200"], "stride between")])
def test_tune_refuses_windows_that_do_not_fit(model_copy, ptc_dir, extra, message):
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    before = (model_copy / "config.json").read_text()
    result = runner.invoke(app, ["tune", "--model", str(model_copy), "--data", str(ptc_dir / "train"), *extra])
    assert result.exit_code != 0
    assert message in result.output
    assert (model_copy / "config.json").read_text() == before  # nothing written


def test_an_interrupted_tuning_leaves_the_windows_as_they_were(model_copy, ptc_dir, monkeypatch):
    """Ctrl-C after the new windows are written but before the tuning is stored puts the old config back."""
    pytest.importorskip("sklearn", reason="the calibration fit needs the [train] extra")
    from propwatch.evaluation import store

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "tune_and_score", interrupted)
    before = (model_copy / "config.json").read_text()
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"][:2]
    articles = [a for a in read_corpus(ptc_dir / "train", ids) if a.gold is not None]
    with pytest.raises(KeyboardInterrupt):
        store.tune_model_folder(model_copy, articles, window=(254, 200))
    assert (model_copy / "config.json").read_text() == before
