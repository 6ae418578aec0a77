"""``propwatch ensemble``: several trained models answering as one (``model/ensemble.py`` says how and why).

It copies the members into a new model folder, chooses how much each member's token probabilities count
(unless ``--token-weights`` says), tunes the decoding on the labelled SPLIT articles as ``propwatch tune``
does, and stores the figures in the folder's ``config.json``. ``make accurate-model`` builds the ``accurate``
model with it. Tuning needs scikit-learn (the ``[train]`` extra) for the calibration fit. The recipe is
``training.ensemble.make_ensemble``.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..training.ensemble import make_ensemble
from ._corpus import article_bar, select_articles
from ._util import err_console, handle_errors


def _weights(value: str | None, members: int) -> list[float] | None:
    if value is None:
        return None
    try:
        weights = [float(w) for w in value.split(",")]
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a comma-separated list of numbers",
                                 param_hint="--token-weights") from None
    if len(weights) != members or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise typer.BadParameter(f"give {members} weights, none negative, not all zero (e.g. 2,1)",
                                 param_hint="--token-weights")
    return weights


def ensemble_command(
    members: List[str] = typer.Argument(..., help="Two or more models: names (fast, mpnet-v1...) or folders."),
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder to tune on: articles/ and labels/."),
    out: Path = typer.Option(..., "--out", help="The ensemble's folder (replaced if it exists)."),
    split: str = typer.Option("validation", "--split", help="Split name in the split file."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
    token_weights: Optional[str] = typer.Option(
        None, "--token-weights", help="How much each member's token probabilities count, e.g. 2,1. "
                                      "Default: chosen on the SPLIT articles for span-identification F1."),
    name: str = typer.Option("propwatch-ensemble", "--name", help="The model name reports show."),
    version: str = typer.Option("1.0.0", "--version-tag", help="The model version reports show."),
    install_as: Optional[str] = typer.Option(
        None, "--install-as", help="Also install the ensemble on this machine under this name (--model NAME)."),
) -> None:
    """Combine MEMBERS into one model, tune it on the SPLIT articles of DATA and write it to OUT."""
    weights = _weights(token_weights, len(members))
    with handle_errors():
        articles = [a for a in select_articles(data, None, split, split_file) if a.gold is not None]
        if not articles:
            raise typer.BadParameter("none of the selected articles has a labels file", param_hint="--data")
        built = make_ensemble(members, articles, out, name, version, token_weights=weights, split=split,
                              install_as=install_as, progress=article_bar(err_console, "running the members"),
                              say=err_console.print)
        shares = ", ".join(f"{m.name} {m.token_weight:.2f}" for m in built.model.config.members)
        scores = built.scores
        assert scores.sentence is not None  # a corpus run scores sentences
        err_console.print(
            f"token weights: {shares}; SI F1 {scores.si.f1:.4f}, TC micro-F1 {scores.tc.micro_f1:.4f}, "
            f"end-to-end F1 {scores.end_to_end.f1:.4f}, sentence F1 {scores.sentence.f1:.4f}; written to {built.folder}"
        )
        if built.installed is not None:
            err_console.print(f"installed as {install_as!r} in {built.installed.parent}")
        err_console.print(f"use it with: propwatch analyze ARTICLE --model {install_as or built.folder}")
