"""``propwatch reliability --confusions-only``: what each technique is mistaken for, measured on a few PTC
validation articles and written into a copy of the shipped model's config.json, the rest of the file as it was.
Skips where the PTC corpus is absent."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app
from propwatch.model.config import ModelConfig

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"
PTC = Path(__file__).parents[3] / "shared" / "ptc"


@pytest.mark.skipif(not (PTC / "splits.json").is_file(), reason="needs the PTC corpus in ../shared/ptc")
def test_confusions_only_writes_the_confusions_and_nothing_else(tmp_path):
    pytest.importorskip("sklearn", reason="tuning the Repetition cue needs the [train] extra")
    model = tmp_path / "model"
    shutil.copytree(SHIPPED, model)
    before = ModelConfig.read(model)
    splits = tmp_path / "splits.json"
    ids = json.loads((PTC / "splits.json").read_text())["validation"][:4]
    splits.write_text(json.dumps({"validation": ids}))
    result = CliRunner().invoke(app, ["reliability", "--model", str(model), "--data", str(PTC / "train"),
                                      "--split-file", str(splits), "--folds", "2", "--confusions-only"])
    assert result.exit_code == 0, result.output
    after = ModelConfig.read(model)
    assert after.validation["confusions"]["articles"] == 4 and after.validation["confusions"]["folds"] == 2
    assert after.confusions and after.confusions != before.confusions  # measured anew, on 4 articles
    support = sum(c["support"] for c in after.confusions.values())
    assert support == after.validation["confusions"]["annotated_spans"]
    # everything else is as it was
    assert after.reliability == before.reliability and after.strength_thresholds == before.strength_thresholds
    assert after.decoding == before.decoding
    assert {k: v for k, v in after.validation.items() if k != "confusions"} == {
        k: v for k, v in before.validation.items() if k != "confusions"}


def test_too_few_articles_for_the_folds_is_a_clear_error(tmp_path):
    if not (PTC / "splits.json").is_file():
        pytest.skip("needs the PTC corpus in ../shared/ptc")
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"validation": json.loads((PTC / "splits.json").read_text())["validation"][:3]}))
    result = CliRunner().invoke(app, ["reliability", "--model", str(SHIPPED), "--data", str(PTC / "train"),
                                      "--split-file", str(splits), "--confusions-only"])
    assert result.exit_code != 0 and "too few" in result.output
    assert ModelConfig.read(SHIPPED).confusions  # the shipped file untouched


@pytest.mark.skipif(not (PTC / "splits.json").is_file(), reason="needs the PTC corpus in ../shared/ptc")
def test_judged_on_the_folds_of_a_cross_validation(tmp_path):
    """``--cv``: the thresholds and reliability come from the folds of a finished ``propwatch crossval``, each
    fold read by its own model; the confusions (measured on the split) are left as they were."""
    pytest.importorskip("sklearn", reason="the threshold fit needs the [train] extra")
    model = tmp_path / "model"
    shutil.copytree(SHIPPED, model)
    before = ModelConfig.read(model)
    ids = json.loads((PTC / "splits.json").read_text())["train"][:4]
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"train": ids}))
    cv = tmp_path / "cv"
    for k in (1, 2):  # stand-ins for the fold models: the shipped one, twice
        shutil.copytree(SHIPPED, cv / f"fold-{k}" / "model")
    (cv / "folds.json").write_text(json.dumps({"k": 2, "seed": 13, "split": "train", "folds": [ids[:2], ids[2:]]}))
    (cv / "crossval.json").write_text(json.dumps({"window": 382, "stride": 320}))
    result = CliRunner().invoke(app, ["reliability", "--model", str(model), "--data", str(PTC / "train"),
                                      "--split-file", str(splits), "--cv", str(cv)])
    assert result.exit_code == 0, result.output
    after = ModelConfig.read(model)
    record = after.validation["reliability"]
    assert record["articles"] == 4 and record["folds"] == 2 and "propwatch crossval" in record["method"]
    assert after.reliability != before.reliability  # measured anew, on 4 articles
    assert after.confusions == before.confusions and after.decoding == before.decoding

    (cv / "folds.json").unlink()
    missing = CliRunner().invoke(app, ["reliability", "--model", str(model), "--data", str(PTC / "train"),
                                       "--split-file", str(splits), "--cv", str(cv)])
    assert missing.exit_code != 0 and "not a finished cross-validation" in missing.output
    both = CliRunner().invoke(app, ["reliability", "--model", str(model), "--data", str(PTC / "train"),
                                    "--cv", str(cv), "--confusions-only"])
    assert both.exit_code != 0 and "leave out --cv" in both.output
