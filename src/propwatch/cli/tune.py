"""``propwatch tune``: choose a model's decoding (thresholds, nested technique channels, score calibration) on
labelled articles and store it in the model's ``config.json``.

Training does this at export; this command redoes it for an exported model, e.g. after the decoding code
changed, without training again (spaCy's ``find_threshold`` plays the same role). It needs scikit-learn
(the ``[train]`` extra) for the calibration fit. The recipe is ``evaluation.store.tune_model_folder``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..evaluation.store import tune_model_folder
from ._corpus import article_bar, select_articles
from ._util import err_console, handle_errors


def tune_command(
    model: Path = typer.Option(..., "--model", help="An exported model folder (config.json, model.onnx, ...)."),
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder: articles/ and labels/."),
    split: str = typer.Option("validation", "--split", help="Split name in the split file."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
    window: Optional[int] = typer.Option(None, "--window", min=16, help="First set the tokens per window the "
                                         "model reads at inference (stored in config.json; needs --stride)."),
    stride: Optional[int] = typer.Option(None, "--stride", min=8, help="Tokens between window starts (with "
                                         "--window)."),
) -> None:
    """Tune the decoding of MODEL on the SPLIT articles and write it into MODEL/config.json."""
    with handle_errors():
        if (window is None) != (stride is None):
            raise typer.BadParameter("--window and --stride go together")
        articles = [a for a in select_articles(data, None, split, split_file) if a.gold is not None]
        result = tune_model_folder(model, articles, progress=article_bar(err_console, "running the model"),
                                   say=err_console.print,
                                   window=(window, stride) if window is not None and stride is not None else None)
        before, after = result.before, result.after
        assert before.sentence is not None and after.sentence is not None  # a corpus run scores sentences
        err_console.print(
            f"SI F1 {before.si.f1:.4f} -> {after.si.f1:.4f}, end-to-end F1 {before.end_to_end.f1:.4f} -> "
            f"{after.end_to_end.f1:.4f}, sentence F1 {before.sentence.f1:.4f} -> {after.sentence.f1:.4f}; "
            f"written to {model / 'config.json'}"
        )
