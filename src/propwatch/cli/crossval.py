"""``propwatch crossval``: cross-validate the technique recipe over the folds of a split's articles (issue 12,
part 2), and optionally give a model the decoding chosen that way.

Trains one model a fold (``training.crossval``: resumable, hours on two cores), scores every fold with the
decoding tuned on the other folds (``evaluation.crossval``), writes ``OUT/crossval.json`` and, with
``--store``, writes the decoding tuned on all held-out articles into a model folder trained with the same
recipe on all of them (for the shipped ``fast``: ``src/propwatch/models/minilm-v1``).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from ..errors import DataError
from ..evaluation.crossval import (
    FIGURE_NAMES,
    CrossValidated,
    build_fold_examples,
    load_fold_model,
    score_folds,
    training_articles,
    tuned_on_folds,
)
from ..evaluation.store import require_tunable
from ..evaluation.tuning import TuningSteps
from ..files import atomic_write_text
from ..inputs import read_corpus
from ..model.config import ModelConfig
from ..model.loader import load_model
from ._corpus import article_bar
from ._util import err_console, handle_errors


def _line(label: str, result: CrossValidated) -> str:
    mean, spread = result.mean, result.spread
    return label + ": " + ", ".join(f"{FIGURE_NAMES[k]} {mean[k]:.3f} ± {spread[k]:.3f}" for k in mean)


def crossval_command(
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder: articles/ and labels/."),
    split_file: Path = typer.Option(..., "--split-file", help="The split file whose train IDs are folded."),
    out: Path = typer.Option(..., "--out", help="The cross-validation folder: folds, one model a fold, results."),
    folds: int = typer.Option(3, "--folds", min=2, help="How many folds (3: one MiniLM fold takes about 30 minutes "
                              "on 2 cores)."),
    seed: int = typer.Option(13, "--seed", help="Seeds the folds and the trainings."),
    base: str = typer.Option("minilm", "--base", help="The encoder every fold trains (minilm, mpnet)."),
    epochs: int = typer.Option(6, "--epochs", min=1),
    lr: float = typer.Option(1e-4, "--lr", help="Encoder learning rate."),
    train_window: int = typer.Option(254, "--train-window", min=16, help="Tokens per training window (254: the "
                                     "shipped recipe)."),
    train_stride: int = typer.Option(192, "--train-stride", min=8, help="Tokens between training windows."),
    window: int = typer.Option(382, "--window", min=16, help="Tokens per window when the folds are scored (the "
                               "shipped model trained on 254 and runs on 382)."),
    stride: int = typer.Option(320, "--stride", min=8, help="Tokens between windows when the folds are scored."),
    head_lstm: int = typer.Option(0, "--head-lstm", min=0, help="Units per direction of a bidirectional LSTM "
                                  "between the encoder and the token head (0: none, the shipped recipe)."),
    span_class_balance: float = typer.Option(
        0.0, "--span-class-balance", min=0.0, max=1.0,
        help="Class-balanced span-head loss: technique c's spans weigh (n / (14 n_c)) ** this (0: the plain loss, "
             "the shipped recipe; 0.5 leans towards the rare techniques)."),
    span_jitter: int = typer.Option(
        0, "--span-jitter", min=0, max=10,
        help="The span head also learns this many extents around each annotated span, their edges moved by whole "
             "words (0: none, the shipped recipe)."),
    compare: Optional[str] = typer.Option(None, "--compare", help="A model (name or folder) whose stored decoding is "
                                          "also scored on the held-out articles, e.g. fast."),
    store: Optional[Path] = typer.Option(None, "--store", help="A model folder trained with the same recipe on all the "
                                         "articles: write the decoding tuned on every held-out article into it."),
    version: Optional[str] = typer.Option(None, "--version-tag", help="With --store: the version it becomes."),
    technique_offsets: bool = typer.Option(
        False, "--technique-offsets", help="Also tune the technique offsets (a prior correction for the rare "
                                           "techniques; an experiment, off in the shipped recipe)."),
    neighbour_vote: bool = typer.Option(
        False, "--neighbour-vote", help="Also tune the neighbour vote (the nearest training examples' vote mixed "
                                        "into the span head's answer; each fold model is first given the span "
                                        "examples of the articles it was trained on)."),
    stacker: bool = typer.Option(
        False, "--stacker", help="Also fit the span stacker (a regression over the span head's answer, the vote and "
                                 "the signals beside them, fitted on the held-out articles; an experiment)."),
    second_labels: bool = typer.Option(
        False, "--second-labels", help="Also tune second techniques (a highlighted span also carries the span "
                                       "head's second choice from a threshold chosen per technique)."),
    sentence_gate: bool = typer.Option(
        False, "--sentence-gate", help="Also tune a sentence gate (a highlight is kept only where its sentence's "
                                       "sentence-channel score reaches a gate chosen with the span thresholds)."),
) -> None:
    """Cross-validate training and decoding over FOLDS folds of the train IDs of SPLIT_FILE."""
    from ..training.crossval import train_folds
    from ..training.train import TrainConfig

    with handle_errors():
        if store is not None:
            require_tunable(store)
        compared = load_model(compare) if compare else None
        if compared is not None and tuned_on_folds(compared):
            # its decoding was tuned on the held-out articles of train's folds: judged there it would flatter
            raise DataError(f"{compare}'s decoding was tuned on cross-validation folds of these articles "
                            f"({(compared.config.validation or {}).get('tuned_on')}): comparing it on them would "
                            "flatter it; leave out --compare")
        reference = compared.decoding if compared is not None else None
        cfg = TrainConfig(data=str(data), out=str(out), split_file=str(split_file), base=base, epochs=epochs,
                          lr=lr, seed=seed, window=train_window, stride=train_stride, head_lstm=head_lstm,
                          span_class_balance=span_class_balance, span_jitter=span_jitter)
        runs = train_folds(cfg, k=folds, seed=seed, console=err_console)
        by_id = {c.article.id: c for c in read_corpus(data) if c.gold is not None}
        missing = [i for r in runs for i in r.held_out if i not in by_id]
        if missing:
            raise DataError(f"{len(missing)} held-out IDs have no labelled article in {data}, e.g. {missing[:3]}")
        pairs = [(load_fold_model(r.model, window, stride), [by_id[i] for i in r.held_out]) for r in runs]
        if neighbour_vote:
            examples_bar = article_bar(err_console, "the fold models' span examples")
            build_fold_examples(training_articles(pairs), progress=examples_bar)
        report = score_folds(pairs, reference, progress=article_bar(err_console, "running the fold models"),
                             say=err_console.print,
                             steps=TuningSteps(offsets=technique_offsets, neighbours=neighbour_vote, stacker=stacker,
                                               second=second_labels, gate=sentence_gate))
        result = {"folds": folds, "seed": seed, "base": base, "epochs": epochs, "head_lstm": head_lstm,
                  "span_class_balance": span_class_balance, "span_jitter": span_jitter,
                  "technique_offsets": technique_offsets, "neighbour_vote": neighbour_vote, "stacker": stacker,
                  "second_labels": second_labels, "sentence_gate": sentence_gate,
                  "window": window, "stride": stride,
                  "compare": compare, "compare_model": f"{compared.name} {compared.version}" if compared else None,
                  "reference_decoding": reference.to_dict() if reference is not None else None,
                  **report.to_json(), "decoding": report.decoding.to_dict()}
        atomic_write_text(out / "crossval.json", json.dumps(result, indent=1))
        err_console.print(_line("decoding chosen on the other folds", report.nested))
        if report.reference is not None:
            err_console.print(_line(f"{compare}'s stored decoding", report.reference))
        if store is not None:
            config = ModelConfig.read(store)
            # "figures" stays: the export's fp32/int8 measurements, the record of the quantisation choice.
            validation = {**(config.validation or {}), "tuning": report.record, "tuned_on": (
                f"{sum(report.nested.articles)} held-out articles of {folds} cross-validation folds"), "crossval": {
                "folds": folds, "seed": seed, "nested": report.nested.to_json()}}
            stored = replace(config, decoding=report.decoding, validation=validation,
                             version=version or config.version, weights_version=config.weights_identity)
            stored.write(store)
            err_console.print(f"decoding tuned on the {sum(report.nested.articles)} held-out articles written to "
                              f"{store}/config.json (version {stored.version})")
        err_console.print(f"written to {out / 'crossval.json'}")
