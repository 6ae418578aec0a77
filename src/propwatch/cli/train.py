"""``propwatch train``: the offline training step (needs ``pip install 'propwatch[train]'``; the role model
also ``propwatch[actors]``). One command per model: the technique model, the role model (``--task roles``) and the
attribution model (``--task attribution``); an option that does not apply to the chosen task is refused, never
silently ignored."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ..errors import ModelError
from ._util import err_console, handle_errors


class TrainTask(str, Enum):
    techniques = "techniques"
    roles = "roles"
    attribution = "attribution"


def _refuse(task: TrainTask, options: dict[str, object]) -> None:
    """A usage error naming the options given (not None, not empty) that ``task`` does not use."""
    given = [name for name, value in options.items() if value is not None and value != []]
    if given:
        raise typer.BadParameter(f"{', '.join(given)} {'does' if len(given) == 1 else 'do'} not apply to --task "
                                 f"{task.value}", param_hint="--task")


def train_command(
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder (articles/ and labels/); for --task roles "
                                                  "a framing folder (documents/, subtask-1-annotations.txt); for "
                                                  "--task attribution a PolNeAR folder (train/ and dev/)."),
    task: TrainTask = typer.Option(
        TrainTask.techniques, "--task",
        help="techniques: the technique model; roles: the actor role model on an entity-framing folder "
             "(SemEval-2025 Task 10 layout; uses --data, --split, --out, --encoder, --max-articles, --name, "
             "--version-tag, --install-as); attribution: the attribution tagger (source, cue, content) on PolNeAR "
             "train, its epoch chosen on dev, exported to OUT/model (int8)."),
    split: Optional[Path] = typer.Option(None, "--split", help="splits.json with 'train' and 'validation' IDs."),
    base: Optional[str] = typer.Option(None, "--base",
                                       help="minilm (default), mpnet, or a local transformers model folder."),
    out: Path = typer.Option(..., "--out", help="Output folder: checkpoints, the model/ folder and a training report; "
                                                "rerun the same command to resume."),
    epochs: Optional[int] = typer.Option(None, "--epochs", min=1, help="Default: 6 (techniques), 3 (attribution)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1),
    lr: Optional[float] = typer.Option(None, "--lr", help="Encoder learning rate. Default: 1e-4 (techniques; heads "
                                                          "use 10x), 1.5e-4 (attribution; head: --head-lr)."),
    seed: int = typer.Option(13, "--seed"),
    window: int = typer.Option(254, "--window", min=16, help="Article tokens per encoder window."),
    stride: int = typer.Option(192, "--stride", min=8, help="Tokens between window starts."),
    max_articles: Optional[int] = typer.Option(None, "--max-articles", help="Use only the first N (smoke tests)."),
    no_quantize: bool = typer.Option(False, "--no-quantize", help="Ship fp32 without trying int8 (techniques)."),
    int8: bool = typer.Option(False, "--int8", help="Ship int8 whatever it loses against fp32 (techniques; both "
                              "are measured and stored): for a model that must fit the 50 MB file cap in pieces."),
    teacher: Optional[list[Path]] = typer.Option(
        None, "--teacher",
        help="Distil from this exported model (name or folder, an ensemble too; repeat to average several; "
             "--task attribution: one, e.g. accurate)."),
    unlabeled: Optional[Path] = typer.Option(
        None, "--unlabeled", help="Folder of extra articles (articles/*.txt) labelled by the teachers."),
    distill_alpha: Optional[float] = typer.Option(
        None, "--distill-alpha", min=0.0, max=1.0, help="Weight of the teachers' soft labels against the gold ones "
                                                        "(default 0.5)."),
    pos_weight: Optional[float] = typer.Option(None, "--pos-weight", min=0.1,
                                               help="Weight of positive tokens in the loss (default 2.0)."),
    span_class_balance: Optional[float] = typer.Option(
        None, "--span-class-balance", min=0.0, max=1.0,
        help="Weigh rare techniques up in the span-head loss: 0 plain (default), 1 fully balanced (weights "
             "(n / 14 n_c) ** x).",
    ),
    span_jitter: Optional[int] = typer.Option(
        None, "--span-jitter", min=0, max=10,
        help="The span head also learns this many extents around each annotated span, their edges moved by whole "
             "words (default 0: none).",
    ),
    install_as: Optional[str] = typer.Option(
        None, "--install-as", help="Also install the model on this machine under this name (--model NAME)."),
    name: Optional[str] = typer.Option(None, "--name", help="Default: propwatch-minilm (techniques), "
                                                            "propwatch-roles-minilm (roles), propwatch-attrib-minilm "
                                                            "(attribution)."),
    version: Optional[str] = typer.Option(None, "--version-tag", help="Default: 1.0.0 (techniques, attribution), "
                                                                      "0.3.0 (roles)."),
    encoder: Optional[str] = typer.Option(None, "--encoder", help="--task roles: the technique model whose encoder "
                                                                  "the role model runs on (default fast)."),
    head_lr: Optional[float] = typer.Option(None, "--head-lr", help="--task attribution: the head's learning rate "
                                                                    "(default 1e-3)."),
    train_stride: Optional[int] = typer.Option(None, "--train-stride", min=8,
                                               help="--task attribution: tokens between training windows (default "
                                                    "254; --stride is for measuring and the shipped model)."),
    o_weight: Optional[float] = typer.Option(None, "--o-weight", min=0.0,
                                             help="--task attribution: loss weight of the O tag (default 1)."),
    freeze_layers: Optional[int] = typer.Option(None, "--freeze-layers", min=0,
                                                help="--task attribution: keep the lowest N encoder layers and the "
                                                     "embeddings fixed (default 1: faster on a CPU)."),
    encoder_layers: Optional[int] = typer.Option(
        None, "--encoder-layers", min=1,
        help="--task attribution: keep only the lowest N transformer layers of the base (default: all; fewer "
             "run faster beside the technique model)."),
    head_lstm: Optional[int] = typer.Option(
        None, "--head-lstm", min=0,
        help="Units per direction of a bidirectional LSTM between the encoder and the tag head (techniques and "
             "attribution; default 0: none)."),
    freeze_embeddings: Optional[bool] = typer.Option(
        None, "--freeze-embeddings/--train-embeddings",
        help="--task attribution: keep the word embeddings fixed (default: fixed)."),
    bf16: Optional[bool] = typer.Option(
        None, "--bf16/--no-bf16",
        help="--task attribution: bf16 autocast on the CPU (default: on where the CPU computes bf16 natively)."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", min=1,
                                            help="--task attribution: at most N steps an epoch (smoke tests)."),
    dev_max: Optional[int] = typer.Option(None, "--dev-max", min=1,
                                          help="--task attribution: measure on the first N dev articles only "
                                               "(smoke tests; the figures in config.json are then partial)."),
    export_only: bool = typer.Option(False, "--export-only",
                                     help="--task attribution: export OUT/best.pt as it is, without training further."),
) -> None:
    """Fine-tune an encoder on the train IDs, checkpoint every epoch (rerun the same command to resume),
    export ONNX, tune the span decoding (thresholds, nested channels) on the validation IDs and write a training
    report. With --task roles: fit the role model's heads on the train articles of a framing folder (choices by
    cross-validation on train), measure it on validation and write the role model folder to --out. With --task
    attribution: train the attribution tagger on PolNeAR train (checkpoint every epoch; rerun to resume), export
    the best epoch on dev to OUT/model (ONNX int8, with fp32 and int8 measured on dev in its config.json)."""
    attribution_only = {"--head-lr": head_lr, "--train-stride": train_stride, "--o-weight": o_weight,
                        "--freeze-layers": freeze_layers, "--encoder-layers": encoder_layers,
                        "--freeze-embeddings/--train-embeddings": freeze_embeddings,
                        "--bf16/--no-bf16": bf16, "--max-steps": max_steps, "--dev-max": dev_max,
                        "--export-only": export_only or None}
    techniques_only = {"--split": split if task is not TrainTask.roles else None, "--no-quantize": no_quantize or None,
                       "--int8": int8 or None, "--teacher": teacher, "--unlabeled": unlabeled,
                       "--distill-alpha": distill_alpha, "--pos-weight": pos_weight,
                       "--span-class-balance": span_class_balance, "--span-jitter": span_jitter}
    if task is TrainTask.attribution:
        _refuse(task, {**techniques_only, "--teacher": None, "--distill-alpha": None, "--encoder": encoder})
        if teacher and len(teacher) > 1:
            raise typer.BadParameter("--task attribution distils from one teacher (an ensemble is one)",
                                     param_hint="--teacher")
        if distill_alpha is not None and not teacher:  # a weight with nothing to weigh would be saved and bind resumes
            raise typer.BadParameter("needs --teacher (the model whose probabilities it weighs)",
                                     param_hint="--distill-alpha")
        from ._attributions_train import train_attribution_command

        train_attribution_command(
            data, out, install_as, base=base, epochs=epochs, batch_size=batch_size, lr=lr, head_lr=head_lr,
            window=window, stride=stride, train_stride=train_stride, o_weight=o_weight, seed=seed, bf16=bf16,
            freeze_embeddings=freeze_embeddings, freeze_layers=freeze_layers, encoder_layers=encoder_layers,
            head_lstm=head_lstm, max_articles=max_articles, teacher=str(teacher[0]) if teacher else None,
            distill_alpha=distill_alpha,
            max_steps=max_steps, dev_max=dev_max, export_only=export_only or None, name=name, version=version)
        return
    if task is TrainTask.roles:
        _refuse(task, {**attribution_only, **techniques_only, "--head-lstm": head_lstm, "--base": base,
                       "--epochs": epochs, "--lr": lr})
        from ._roles import train_roles_command

        train_roles_command(data, split, out, encoder or "fast", max_articles, name, version, install_as)
        return
    _refuse(task, {**attribution_only, "--encoder": encoder})
    name = name or "propwatch-minilm"
    version = version or "1.0.0"
    with handle_errors():
        if stride > window:
            raise typer.BadParameter("--stride must not exceed --window (windows would leave gaps)")
        if int8 and no_quantize:
            raise typer.BadParameter("--int8 and --no-quantize contradict each other: give one")
        try:
            from ..training.train import TrainConfig, train
        except ImportError as exc:  # torch or transformers missing
            raise ModelError(f"training needs the [train] extra ({exc.name} is missing): "
                             "pip install 'propwatch[train]'") from exc
        cfg = TrainConfig(
            data=str(data), out=str(out), split_file=str(split) if split else None, base=base or "minilm",
            epochs=epochs or 6, batch_size=batch_size, lr=lr or 1e-4, head_lr=10 * (lr or 1e-4), seed=seed,
            window=window, stride=stride, max_articles=max_articles, quantize=not no_quantize, force_int8=int8,
            name=name, version=version, teachers=[str(t) for t in teacher or []],
            unlabeled=str(unlabeled) if unlabeled else None,
            distill_alpha=0.5 if distill_alpha is None else distill_alpha,
            pos_weight=2.0 if pos_weight is None else pos_weight,
            span_class_balance=span_class_balance or 0.0, head_lstm=head_lstm or 0, span_jitter=span_jitter or 0,
        )
        folder = train(cfg, console=err_console)
        if install_as:
            from ..model.loader import install_model

            folder = install_model(folder, install_as)
            err_console.print(f"installed as {install_as!r} in {folder.parent}")
        err_console.print(f"use it with: propwatch analyze ARTICLE --model {install_as or folder}")
