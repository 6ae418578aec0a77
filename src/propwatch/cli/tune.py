"""``propwatch tune``: choose a model's decoding (thresholds, nested technique channels, score calibration) on
labelled articles and store it in the model's ``config.json``.

Training does this at export; this command redoes it for an exported model, e.g. after the decoding code
changed, without training again (spaCy's ``find_threshold`` plays the same role). It needs scikit-learn
(the ``[train]`` extra) for the calibration fit.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Optional

import typer

from ..errors import ModelError
from ..evaluation import redecode, run_model, score, tune_decoding
from ..model.registry import load_model
from ._corpus import article_progress, select_articles
from ._util import err_console, handle_errors


def tune_command(
    model: Path = typer.Option(..., "--model", help="An exported model folder (config.json, model.onnx, ...)."),
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder: articles/ and labels/."),
    split: str = typer.Option("validation", "--split", help="Split name in the split file."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
) -> None:
    """Tune the decoding of MODEL on the SPLIT articles and write it into MODEL/config.json."""
    with handle_errors():
        if not (model / "config.json").is_file():
            raise ModelError(f"{model} is not a model folder (no config.json)")
        if not os.access(model / "config.json", os.W_OK):
            raise ModelError(f"{model}/config.json is not writable")
        require_calibration_fit()
        articles = [a for a in select_articles(data, None, split, split_file) if a.gold is not None]
        onnx = load_model(model)
        with article_progress(err_console, len(articles), "running the model") as bar:
            task = bar.add_task("run", total=len(articles))
            outputs = run_model(onnx, articles, keep_hidden=True, on_progress=lambda n: bar.advance(task, n))
        before = score(outputs)
        err_console.print("tuning thresholds, nested channels and score calibration")
        decoding, tuning = tune_decoding(onnx, outputs)
        after = score(redecode(onnx.with_decoding(decoding), outputs))
        store_tuning(model, json.loads((model / "config.json").read_text()), decoding, tuning, after)
        err_console.print(
            f"SI F1 {before.si.f1:.4f} -> {after.si.f1:.4f}, end-to-end F1 {before.end_to_end.f1:.4f} -> "
            f"{after.end_to_end.f1:.4f}, sentence F1 {before.sentence.f1:.4f} -> {after.sentence.f1:.4f}; "
            f"written to {model / 'config.json'}"
        )


def store_tuning(folder: Path, config: dict, decoding, tuning: dict, report, **validation) -> None:
    """Write ``config`` with the tuned ``decoding`` into ``folder/config.json``: the tuning record and the
    figures filed under the model's precision (``fp32``, ``int8``, ``ensemble``), with any other
    ``validation`` entries. Written beside the file and renamed into place, so a crash never leaves half a
    config (``propwatch ensemble`` stores its tuning the same way)."""
    config = {**config, "decoding": decoding.to_dict()}
    precision = config.get("precision", "fp32")
    config["validation"] = {**config.get("validation", {}), **validation, "precision": precision, "tuning": tuning}
    config["validation"]["figures"] = {**config["validation"].get("figures", {}), precision: report.to_json_dict()}
    tmp = folder / "config.json.tmp"
    tmp.write_text(json.dumps(config, indent=2), encoding="utf-8")
    os.replace(tmp, folder / "config.json")


def require_calibration_fit() -> None:
    """Tuning ends with the score calibration fit, which needs scikit-learn: say so before running the model."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise ModelError(f"tuning needs the [train] extra ({exc.name} is missing): pip install 'propwatch[train]'") from exc
