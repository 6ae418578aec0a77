"""``propwatch train``: the offline training step (needs ``pip install 'propwatch[train]'``; the role model
also ``propwatch[actors]``)."""

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


def train_command(
    data: Path = typer.Option(..., "--data", help="Labelled corpus folder (articles/ and labels/); for --task roles "
                                                  "a framing folder (documents/, subtask-1-annotations.txt)."),
    task: TrainTask = typer.Option(
        TrainTask.techniques, "--task",
        help="techniques: the technique model; roles: the actor role model on an entity-framing folder "
             "(SemEval-2025 Task 10 layout; uses --data, --split, --out, --encoder, --max-articles, --name, "
             "--version-tag, --install-as)."),
    split: Optional[Path] = typer.Option(None, "--split", help="splits.json with 'train' and 'validation' IDs."),
    base: str = typer.Option("minilm", "--base", help="minilm, mpnet, or a local transformers model folder."),
    out: Path = typer.Option(..., "--out", help="Output folder: checkpoints/, model/, training_report.json."),
    epochs: int = typer.Option(6, "--epochs", min=1),
    batch_size: int = typer.Option(16, "--batch-size", min=1),
    lr: float = typer.Option(1e-4, "--lr", help="Encoder learning rate (heads use 10x)."),
    seed: int = typer.Option(13, "--seed"),
    window: int = typer.Option(254, "--window", min=16, help="Article tokens per encoder window."),
    stride: int = typer.Option(192, "--stride", min=8, help="Tokens between window starts."),
    max_articles: Optional[int] = typer.Option(None, "--max-articles", help="Use only the first N (smoke tests)."),
    no_quantize: bool = typer.Option(False, "--no-quantize", help="Ship fp32 without trying int8."),
    teacher: Optional[list[Path]] = typer.Option(
        None, "--teacher",
        help="Distil from this exported model (name or folder, an ensemble too; repeat to average several)."),
    unlabeled: Optional[Path] = typer.Option(
        None, "--unlabeled", help="Folder of extra articles (articles/*.txt) labelled by the teachers."),
    distill_alpha: float = typer.Option(0.5, "--distill-alpha", min=0.0, max=1.0,
                                        help="Weight of the teachers' soft labels against the gold ones."),
    pos_weight: float = typer.Option(2.0, "--pos-weight", min=0.1, help="Weight of positive tokens in the loss."),
    span_class_balance: float = typer.Option(
        0.0, "--span-class-balance", min=0.0, max=1.0,
        help="Weigh rare techniques up in the span-head loss: 0 plain, 1 fully balanced (weights (n / 14 n_c) ** x).",
    ),
    install_as: Optional[str] = typer.Option(
        None, "--install-as", help="Also install the model on this machine under this name (--model NAME)."),
    name: Optional[str] = typer.Option(None, "--name",
                                       help="Default: propwatch-minilm (techniques), propwatch-roles-minilm (roles)."),
    version: Optional[str] = typer.Option(None, "--version-tag", help="Default: 1.0.0 (techniques), 0.1.0 (roles)."),
    encoder: str = typer.Option("fast", "--encoder",
                                help="--task roles: the technique model whose encoder the role model runs on."),
) -> None:
    """Fine-tune an encoder on the train IDs, checkpoint every epoch (rerun the same command to resume),
    export ONNX, tune the span decoding (thresholds, nested channels) on the validation IDs and write a training
    report. With --task roles: fit the role model's heads on the train articles of a framing folder (choices by
    cross-validation on train), measure it on validation and write the role model folder to --out."""
    if task is TrainTask.roles:
        from ._roles import train_roles_command

        train_roles_command(data, split, out, encoder, max_articles, name, version, install_as)
        return
    name = name or "propwatch-minilm"
    version = version or "1.0.0"
    with handle_errors():
        if stride > window:
            raise typer.BadParameter("--stride must not exceed --window (windows would leave gaps)")
        try:
            from ..training.train import TrainConfig, train
        except ImportError as exc:  # torch or transformers missing
            raise ModelError(f"training needs the [train] extra ({exc.name} is missing): "
                             "pip install 'propwatch[train]'") from exc
        cfg = TrainConfig(
            data=str(data), out=str(out), split_file=str(split) if split else None, base=base, epochs=epochs,
            batch_size=batch_size, lr=lr, head_lr=10 * lr, seed=seed, window=window, stride=stride,
            max_articles=max_articles, quantize=not no_quantize, name=name, version=version,
            teachers=[str(t) for t in teacher or []], unlabeled=str(unlabeled) if unlabeled else None,
            distill_alpha=distill_alpha, pos_weight=pos_weight, span_class_balance=span_class_balance,
        )
        folder = train(cfg, console=err_console)
        if install_as:
            from ..model.loader import install_model

            folder = install_model(folder, install_as)
            err_console.print(f"installed as {install_as!r} in {folder.parent}")
        err_console.print(f"use it with: propwatch analyze ARTICLE --model {install_as or folder}")
