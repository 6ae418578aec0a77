"""Writing a tuning into a model folder, and ``propwatch tune``'s recipe: tune an exported model (one model or an
ensemble) on labelled articles and store the result in its ``config.json``, without training again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..inputs import CorpusArticle
from ..metrics import CorpusScores
from ..model.config import CONFIG_FILE, ModelConfig
from ..model.loader import load_model
from .calibration import require_calibration_fit
from .run import ArticleProgress, no_progress, run_model, score
from .tuning import Tuned, tune_and_score


def store_tuning(folder: Path, config: ModelConfig, tuned: Tuned, **validation: Any) -> ModelConfig:
    """Write ``config`` with the tuned decoding into ``folder``: the tuning record and the figures filed under
    the model's precision (``fp32``, ``int8``, ``ensemble``), with any other ``validation`` entries. Written
    atomically (``ModelConfig.write``). Returns what was written."""
    precision = config.precision or "fp32"
    record = {**(config.validation or {}), **validation, "precision": precision, "tuning": tuned.record}
    record["figures"] = {**record.get("figures", {}), precision: tuned.scores.to_json_dict()}
    stored = replace(config, decoding=tuned.decoding, validation=record)
    stored.write(folder)
    return stored


@dataclass(frozen=True)
class FolderTuning:
    """The scores on the tuning articles with the decoding the folder had, and with the one it has now."""

    before: CorpusScores
    after: CorpusScores


def require_tunable(folder: Path) -> None:
    if not (folder / CONFIG_FILE).is_file():
        raise ModelError(f"{folder} is not a model folder (no {CONFIG_FILE})")
    if not os.access(folder / CONFIG_FILE, os.W_OK):
        raise ModelError(f"{folder}/{CONFIG_FILE} is not writable")


def tune_model_folder(
    folder: Path, articles: list[CorpusArticle], progress: ArticleProgress = no_progress,
    say: Callable[[str], object] = lambda message: None, window: tuple[int, int] | None = None,
) -> FolderTuning:
    """Tune the decoding of the model in ``folder`` on labelled ``articles`` and write it into its config.
    ``window`` (tokens, stride) first sets the windows the model reads at inference: a model is trained on
    shorter windows than it ships with (254 against `fast`'s 382), and the decoding must be tuned on the
    windows it will run on. The "before" figures are then those of the new windows with the old decoding."""
    require_tunable(folder)
    require_calibration_fit()
    original = ModelConfig.read(folder)
    if window is not None:
        tokens, stride = window
        if not 8 <= stride <= tokens:
            raise ModelError(f"a window of {tokens} tokens needs a stride between 8 and {tokens}, not {stride}")
        replace(original, window=tokens, stride=stride).write(folder)
    try:
        model = load_model(folder)
        with progress(len(articles)) as advance:
            outputs = run_model(model, articles, keep_hidden=True, on_progress=advance)
        before = score(outputs)
        say("tuning thresholds, nested channels and score calibration")
        tuned = tune_and_score(model, outputs)
        store_tuning(folder, ModelConfig.read(folder), tuned)
    except BaseException:
        # Ctrl-C or a failure between the window change and the stored tuning: leave the folder as it was, not
        # with new windows under a decoding tuned for the old ones.
        if window is not None:
            original.write(folder)
        raise
    return FolderTuning(before, tuned.scores)
