"""``propwatch crossval train``: one technique model per fold of the PTC ``train`` IDs (``folds``), each trained
on the other folds with the shipped recipe and exported with nothing chosen on its held-out fold (no best epoch,
no tuning: the last epoch, int8 as shipped). ``evaluation.crossval`` then scores the held-out folds.

Resumable at two levels: a fold whose model is exported is skipped, and a fold cut short resumes from its
last epoch's checkpoint (``train``), so the hours this takes on two cores survive an interruption.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from rich.console import Console

from ..errors import DataError
from ..inputs import read_split
from .folds import DEFAULT_FOLDS, DEFAULT_SEED, article_folds, write_fold_splits
from .train import TrainConfig, train

PLAN_FILE = "folds.json"


@dataclass(frozen=True)
class FoldRun:
    """One fold's model folder and the IDs it was not trained on."""

    fold: int
    model: Path
    held_out: list[str]


def plan_folds(split_file: str | Path, out: str | Path, k: int = DEFAULT_FOLDS, seed: int = DEFAULT_SEED,
               split: str = "train") -> list[FoldRun]:
    """Write the folds of ``split``'s IDs under ``out`` (``folds.json`` and one split file a fold) and return
    them. An existing plan must be the same folds: a changed ``k`` or seed would mix models of other folds."""
    out = Path(out)
    folds = article_folds(read_split(split_file, split), k, seed)
    plan = {"k": k, "seed": seed, "split": split, "folds": folds}
    stored = out / PLAN_FILE
    if stored.exists() and json.loads(stored.read_text()) != plan:
        raise DataError(f"{out} holds the folds of another plan ({stored}: other IDs, k or seed); use another "
                        "--out")
    out.mkdir(parents=True, exist_ok=True)
    stored.write_text(json.dumps(plan, indent=1))
    write_fold_splits(folds, out / "splits")
    return [FoldRun(i + 1, out / f"fold-{i + 1}" / "model", held) for i, held in enumerate(folds)]


def train_folds(base_cfg: TrainConfig, k: int = DEFAULT_FOLDS, seed: int = DEFAULT_SEED,
                console: Console | None = None) -> list[FoldRun]:
    """Train every fold not yet exported; ``base_cfg`` is the recipe (its ``out`` the cross-validation folder,
    its ``split_file`` the file whose ``train`` IDs are folded)."""
    console = console or Console(stderr=True)
    assert base_cfg.split_file is not None, "cross-validation folds a split file's IDs"
    runs = plan_folds(base_cfg.split_file, base_cfg.out, k, seed, base_cfg.train_split)
    for run in runs:
        if (run.model / "config.json").exists():
            console.print(f"fold {run.fold} of {k}: already exported ({run.model})")
            continue
        trained_on = sum(len(r.held_out) for r in runs) - len(run.held_out)
        console.print(f"[bold]fold {run.fold} of {k}[/]: training on {trained_on} articles, holding out "
                      f"{len(run.held_out)}")
        cfg = replace(base_cfg, out=str(run.model.parent), train_split="train", validation_split="",
                      split_file=str(Path(base_cfg.out) / "splits" / f"fold-{run.fold}.json"),
                      version=f"{base_cfg.version}-fold{run.fold}")
        train(cfg, console=console)
    return runs
