"""``propwatch examples`` and ``propwatch reliability``: the offline steps behind the reasons each span is shown
with (the trust issue), written into a model folder so that anyone can rebuild them.

- ``examples``: the annotated spans of the training articles, with the model's span vectors
  (``examples.npz``), from which each detected span's most similar examples are found
  (``evaluation.examples``).
- ``reliability``: the strength thresholds, the per-technique recall and precision, and what each technique
  is mistaken for, measured by cross-validation on labelled articles the model was not trained on, into
  ``config.json`` (``evaluation.reliability``, ``evaluation.confusions``). ``--confusions-only`` measures and
  writes the confusions alone, leaving the rest of the file as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..errors import DataError
from ..evaluation.confusions import confusions_of, store_confusions
from ..evaluation.crossval import finished_folds, read_finished
from ..evaluation.examples import write_model_examples
from ..evaluation.reliability import (
    DEFAULT_FOLDS,
    Measured,
    measure_reliability,
    measure_reliability_on_folds,
    store_reliability,
)
from ..model import load_model
from ._corpus import article_bar, select_articles
from ._util import err_console, handle_errors


def examples_command(
    model: Path = typer.Option(..., "--model", help="An exported model folder (config.json, model.onnx, ...)."),
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder: articles/ and labels/."),
    split: str = typer.Option("train", "--split", help="Split name in the split file: the model's training split."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
) -> None:
    """Build MODEL/examples.npz from the annotated spans of the SPLIT articles."""
    with handle_errors():
        articles = select_articles(data, None, split, split_file)
        loaded = load_model(model)
        path, count = write_model_examples(loaded, articles, progress=article_bar(err_console, "running the model"))
        err_console.print(f"{count} annotated spans from {len(articles)} articles written to {path} "
                          f"({path.stat().st_size / 1e6:.1f} MB)", highlight=False, markup=False)


def reliability_command(
    model: Path = typer.Option(..., "--model", help="An exported model folder (config.json, model.onnx, ...)."),
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder: articles/ and labels/."),
    split: str = typer.Option("validation", "--split", help="Split name in the split file: articles the model "
                              "was not trained on."),
    split_file: Optional[Path] = typer.Option(None, "--split-file", help="Default: DATA/../splits.json."),
    folds: int = typer.Option(DEFAULT_FOLDS, "--folds", min=2, help="Folds (by article) of the cross-validation."),
    confusions_only: bool = typer.Option(False, "--confusions-only", help="Measure and write only what each "
                                         "technique is mistaken for (faster: no decoding is tuned)."),
    cv: Optional[Path] = typer.Option(None, "--cv", help="The --out folder of a finished propwatch crossval: judge "
                                      "MODEL's decoding on its folds, each read by the fold's model (trained "
                                      "without it), instead of on the SPLIT articles; the confusions are left as "
                                      "they are."),
) -> None:
    """Measure MODEL's strength thresholds, per-technique reliability and confusions on the SPLIT articles,
    by cross-validation, and write them into MODEL/config.json."""
    with handle_errors():
        if cv is not None:
            if confusions_only:
                raise DataError("--confusions-only measures on the SPLIT articles: leave out --cv")
            plan, _ = read_finished(cv)
            folds_run = finished_folds(cv, select_articles(data, None, plan.get("split", "train"), split_file))
            measured = measure_reliability_on_folds(load_model(model), folds_run,
                                                    progress=article_bar(err_console, "running the fold models"),
                                                    say=err_console.print)
            store_reliability(model, measured)
            _said(measured, model)
            return
        articles = [a for a in select_articles(data, None, split, split_file) if a.gold is not None]
        if len(articles) < 2 * folds:  # each fold needs articles to judge and others to choose on
            raise DataError(f"{len(articles)} labelled articles of the split {split!r} are too few for {folds} "
                            f"folds: give at least {2 * folds}, or fewer --folds")
        loaded = load_model(model)
        if confusions_only:
            confusions, record = confusions_of(loaded, articles, folds,
                                               progress=article_bar(err_console, "running the model"))
            store_confusions(model, confusions, record)
            err_console.print(f"confusions of {len(confusions)} techniques over {record['annotated_spans']} "
                              f"annotated spans; written to {model / 'config.json'}", highlight=False, markup=False)
            return
        measured = measure_reliability(loaded, articles, folds=folds,
                                       progress=article_bar(err_console, "running the model"), say=err_console.print)
        store_reliability(model, measured)
        _said(measured, model)


def _said(measured: Measured, model: Path) -> None:
    strong, moderate = measured.thresholds
    err_console.print(f"strong from {strong:.2f}, moderate from {moderate:.2f}; reliability of "
                      f"{len(measured.reliability)} techniques over {measured.record['articles']} articles; "
                      f"written to {model / 'config.json'}", highlight=False, markup=False)
