"""From a name to a running model, and installing a built model under a name.

Kept apart from ``registry`` (names to folders) so that the registry needs no model class: the classes need
the registry to resolve names, and this module needs both.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ModelError
from ..files import replace_folder
from .ensemble import EnsembleModel
from .registry import ALIASES, is_ensemble, resolve_model, user_models_dir
from .runtime import ModelBase, OnnxModel


def load_model(model: str | Path | None = None, threads: int | None = None) -> ModelBase:
    """The model behind a name, alias or folder, ready to run: an ``OnnxModel``, or an ``EnsembleModel`` where
    the folder is an ensemble. Callers only use what both have (``predict_many``, ``classify_spans``, ...)."""
    path = resolve_model(model)
    if is_ensemble(path):
        return EnsembleModel(path, threads=threads)
    return OnnxModel(path, threads=threads)


def install_model(folder: str | Path, name: str) -> Path:
    """Copy an exported model folder to the models built on this machine, under ``name`` (``--model name``
    then finds it). The copy is made beside the target and renamed into place, so a crash never leaves a
    half-copied model under that name."""
    return install_folder(resolve_model(folder), name)


def install_folder(folder: Path, name: str) -> Path:
    """``install_model`` for any finished model folder (attribution and role models too, which lack the
    technique model's files that ``resolve_model`` checks for)."""
    if not name or "/" in name or name in ALIASES:
        raise ModelError(f"{name!r} cannot be a model name (no slashes, not an alias: {', '.join(ALIASES)})")
    root = user_models_dir()
    root.mkdir(parents=True, exist_ok=True)
    return replace_folder(folder, root / name)
