"""Cross-validation end to end on a tiny random BERT: folds by article, one model a fold trained with nothing
chosen on its held-out articles, every fold scored with the decoding tuned on the others, the decoding tuned on
all of them stored into a model folder. The real figures are in BENCHMARKS.md (``benchmarks/crossval.py``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="training tests need the [train] extra")
pytest.importorskip("transformers")

from typer.testing import CliRunner  # noqa: E402

from propwatch.cli.app import app  # noqa: E402
from propwatch.errors import DataError  # noqa: E402
from propwatch.training.folds import article_folds, write_fold_splits  # noqa: E402
from propwatch.training.train import train  # noqa: E402

from .test_training import _config, _write_corpus, tiny_base  # noqa: E402, F401

runner = CliRunner()


def test_folds_cover_every_article_once_and_do_not_depend_on_the_reading_order():
    ids = [str(i) for i in range(1000, 1011)]
    folds = article_folds(ids, 3, seed=13)
    assert sorted(x for f in folds for x in f) == sorted(ids)
    assert sorted(len(f) for f in folds) == [3, 4, 4]
    assert article_folds(list(reversed(ids)), 3, seed=13) == folds
    assert article_folds(ids, 3, seed=14) != folds


@pytest.mark.parametrize("ids, k", [(["1", "2", "3"], 1), (["1", "2"], 3)])
def test_impossible_folds_are_a_clear_error(ids, k):
    with pytest.raises(DataError):
        article_folds(ids, k)


def test_fold_split_files_train_on_the_other_folds(tmp_path):
    folds = [["1", "2"], ["3"], ["4", "5"]]
    paths = write_fold_splits(folds, tmp_path)
    second = json.loads(paths[1].read_text())
    assert second == {"train": ["1", "2", "4", "5"], "held_out": ["3"]}


def test_without_validation_articles_the_last_epoch_is_exported(tmp_path, tiny_base):  # noqa: F811
    folder = train(_config(tmp_path, tiny_base, epochs=2, validation_split=""), progress=False)
    assert json.loads((folder / "config.json").read_text())["best_epoch"] == 2


def test_crossval_trains_each_fold_scores_it_and_stores_the_decoding(tmp_path, tiny_base):  # noqa: F811
    data = _write_corpus(tmp_path / "ptc" / "train", n_articles=6)
    ids = sorted(p.stem.removeprefix("article") for p in (data / "articles").iterdir())
    split_file = tmp_path / "splits.json"
    split_file.write_text(json.dumps({"train": ids, "validation": []}))
    store = train(_config(tmp_path / "full", tiny_base, epochs=1), progress=False)
    before = json.loads((store / "config.json").read_text())
    out = tmp_path / "cv"
    args = ["crossval", "--data", str(data), "--split-file", str(split_file), "--out", str(out), "--folds", "2",
            "--base", str(tiny_base), "--epochs", "1", "--train-window", "24", "--train-stride", "16",
            "--window", "24", "--stride", "16", "--compare", str(store), "--store", str(store),
            "--version-tag", "0.0.2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "crossval.json").read_text())
    assert report["nested"]["articles"] == [3, 3]
    assert len(report["nested"]["per_fold"]) == 2 and report["reference"] is not None
    for figures in report["nested"]["per_fold"] + [report["nested"]["pooled"]]:
        assert set(figures) == {"si", "tc_micro", "tc_macro", "end_to_end", "sentence"}
        assert all(0.0 <= v <= 1.0 for v in figures.values())
    plan = json.loads((out / "folds.json").read_text())
    assert sorted(x for f in plan["folds"] for x in f) == ids
    for k, held in enumerate(plan["folds"], start=1):
        trained = json.loads((out / "splits" / f"fold-{k}.json").read_text())["train"]
        assert not set(trained) & set(held)
        assert json.loads((out / f"fold-{k}" / "model" / "config.json").read_text())["best_epoch"] == 1

    after = json.loads((store / "config.json").read_text())
    assert after["version"] == "0.0.2" and after["decoding"] == report["decoding"]
    assert after["weights_version"] == "0.0.1"  # the weights are those of 0.0.1: ensembles pinned to it still fit
    assert after["validation"]["crossval"]["folds"] == 2
    assert after["validation"]["figures"] == before["validation"]["figures"]  # the quantisation record stays

    # the stored decoding was tuned on these folds' held-out articles: comparing it there would flatter it
    refused = runner.invoke(app, args)
    assert refused.exit_code != 0 and "flatter" in refused.output
    at = args.index("--compare")
    # every fold exported: nothing is trained again; the offsets experiment tunes them on the folds too
    again = runner.invoke(app, args[:at] + args[at + 2:] + ["--technique-offsets"])
    assert again.exit_code == 0, again.output
    assert "already exported" in again.output
    report = json.loads((out / "crossval.json").read_text())
    assert report["technique_offsets"] is True and "tau" in report["tuning"]["technique_offsets"]
    assert "technique_offsets" not in after["validation"]["tuning"]  # the recipe without the flag tunes none
    # the neighbour vote: each fold model first gets the span examples of the articles it was trained on
    voted = runner.invoke(app, args[:at] + args[at + 2:] + ["--neighbour-vote"])
    assert voted.exit_code == 0, voted.output
    report = json.loads((out / "crossval.json").read_text())
    assert report["neighbour_vote"] is True and "tc_micro_f1_crossfit" in report["tuning"]["neighbour_vote"]
    for k, held in enumerate(plan["folds"], start=1):
        with np.load(out / f"fold-{k}" / "model" / "examples.npz") as examples:
            records = json.loads(examples["records"].tobytes().decode("utf-8"))
        articles = {r[3] for r in records}
        assert articles and not articles & set(held)  # none from the fold it is judged on
    assert "neighbour_vote" not in after["validation"]["tuning"]
    # the sentence gate: tried on the held-out articles, its record kept whether or not a gate earned its place
    gated = runner.invoke(app, args[:at] + args[at + 2:] + ["--sentence-gate"])
    assert gated.exit_code == 0, gated.output
    report = json.loads((out / "crossval.json").read_text())
    assert report["sentence_gate"] is True and "gate" in report["tuning"]["sentence_gate"]
    assert report["decoding"].get("sentence_gate") == report["tuning"]["sentence_gate"]["gate"]
    assert "sentence_gate" not in after["validation"]["tuning"]


def test_crossval_refuses_a_different_plan_in_the_same_folder(tmp_path, tiny_base):  # noqa: F811
    data = _write_corpus(tmp_path / "ptc" / "train", n_articles=4)
    split_file = tmp_path / "ptc" / "splits.json"
    out = tmp_path / "cv"
    base = ["crossval", "--data", str(data), "--split-file", str(split_file), "--out", str(out), "--base",
            str(tiny_base), "--epochs", "1", "--train-window", "24", "--train-stride", "16", "--window", "24",
            "--stride", "16"]
    assert runner.invoke(app, base + ["--folds", "2"]).exit_code == 0
    result = runner.invoke(app, base + ["--folds", "3"])
    assert result.exit_code != 0 and "another plan" in result.output


@pytest.mark.parametrize(("option", "value", "key"), [("--head-lstm", "4", "head_lstm"),
                                                   ("--span-class-balance", "0.5", "span_class_balance"),
                                                   ("--span-jitter", "2", "span_jitter")])
def test_crossval_trains_every_fold_with_the_recipe_option_asked_for(tmp_path, tiny_base, option, value, key):  # noqa: F811
    from propwatch.training.network import lstm_units

    data = _write_corpus(tmp_path / "ptc" / "train", n_articles=4)
    out = tmp_path / "cv"
    args = ["crossval", "--data", str(data), "--split-file", str(tmp_path / "ptc" / "splits.json"), "--out", str(out),
            "--folds", "2", "--base", str(tiny_base), "--epochs", "1", "--train-window", "24", "--train-stride", "16",
            "--window", "24", "--stride", "16", option, value]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads((out / "crossval.json").read_text())[key] == float(value)
    for k in (1, 2):
        saved = torch.load(out / f"fold-{k}" / "checkpoints" / "last.pt", weights_only=False)
        assert saved["config"][key] == float(value)
        assert lstm_units(saved["model"]) == (4 if key == "head_lstm" else 0)
