"""Where models live, and the names users call them by.

A model folder holds ``config.json`` (name, version, window, decoding, measured quality), ``model.onnx``,
``tokenizer.json`` and ``span_head.npz``: everything inference needs, and nothing that needs torch. An
ensemble folder (``model/ensemble.py``) holds ``config.json`` and its members' folders under ``members/``.

``--model`` takes a name or a path. Names are looked up, in order:

1. the aliases ``fast`` (the default, shipped) and ``accurate`` (the all-mpnet-base-v2 model with the shipped
   MiniLM beside it, or the all-mpnet-base-v2 model alone where only that was built, as before 0.9);
2. models shipped in the package (``propwatch/models/<name>``);
3. models built on this machine (``<user data dir>/propwatch/models/<name>``, or ``$PROPWATCH_MODELS``),
   which is where ``make accurate-model`` puts the accurate model: at 137 MB (all-mpnet-base-v2 int8 and a
   copy of the shipped MiniLM) it is over the 60 MB cap the project keeps on model files shipped in git, so it
   is built from the training data, not shipped.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelError

SHIPPED = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "minilm-v1"
# An alias names the first of its models that exists here.
ALIASES = {"fast": (DEFAULT_MODEL,), "accurate": ("mpnet-minilm-v1", "mpnet-v1")}
REQUIRED_FILES = ("config.json", "model.onnx", "tokenizer.json", "span_head.npz")


def read_config(folder: Path) -> dict:
    """A model folder's config.json (a clear error where it is missing or not JSON)."""
    import json

    try:
        return json.loads((Path(folder) / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the model configuration {Path(folder) / 'config.json'}: {exc}") from None


def is_ensemble(folder: Path) -> bool:
    return read_config(folder).get("kind") == "ensemble"


def member_folders(folder: Path) -> list[Path]:
    """The member folders an ensemble's config.json names (relative to the ensemble folder)."""
    members = read_config(folder).get("members") or []
    if not members:
        raise ModelError(f"the ensemble {folder} names no members in its config.json")
    return [Path(folder) / m["folder"] for m in members]


def user_models_dir() -> Path:
    """Models built on this machine (``make accurate-model`` writes here)."""
    if os.environ.get("PROPWATCH_MODELS"):
        return Path(os.environ["PROPWATCH_MODELS"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("propwatch")) / "models"


def _models_in(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / "config.json").exists())


def shipped_models() -> list[str]:
    return _models_in(SHIPPED)


def available_models() -> dict[str, Path]:
    """Every model name that resolves here (aliases included), with its folder."""
    found = {name: SHIPPED / name for name in shipped_models()}
    for name in _models_in(user_models_dir()):
        found.setdefault(name, user_models_dir() / name)
    for alias, targets in ALIASES.items():
        target = next((t for t in targets if t in found), None)
        if target:
            found[alias] = found[target]
    return found


def resolve_model(model: str | Path | None = None, onnx_file: str = "model.onnx") -> Path:
    """The folder of ``model``: None for the default shipped model, a name, an alias, or a folder path."""
    name = str(model) if model is not None else DEFAULT_MODEL
    names = ALIASES.get(name, (name,))
    candidates = [folder / n for n in names for folder in (SHIPPED, user_models_dir())]
    path = next((c for c in candidates if c.is_dir()), None)
    if path is None:
        path = Path(model) if model is not None else SHIPPED / name
    if not path.is_dir():
        names = ", ".join(available_models()) or "none"
        hint = "build it with `make accurate-model` (trains all-mpnet-base-v2 on the PTC train IDs and " \
            "combines it with the shipped model)" \
            if model == "accurate" else "train one with `propwatch train`"
        raise ModelError(f"no model at {model} (available: {names}); {hint}")
    if (path / "config.json").exists() and is_ensemble(path):
        for member in member_folders(path):
            resolve_model(member)
        return path
    required = [onnx_file if f == "model.onnx" else f for f in REQUIRED_FILES]
    missing = [f for f in required if not (path / f).exists()]
    if missing:
        raise ModelError(f"the model folder {path} is incomplete: missing {', '.join(missing)}")
    return path


def load_model(model: str | Path | None = None, threads: int | None = None):
    """The model behind a name, alias or folder, ready to run: an ``OnnxModel``, or an ``EnsembleModel`` where
    the folder is an ensemble. Callers only use what both have (``predict_many``, ``classify_spans``, ...)."""
    path = resolve_model(model)
    if is_ensemble(path):
        from .ensemble import EnsembleModel

        return EnsembleModel(path, threads=threads)
    from .runtime import OnnxModel

    return OnnxModel(path, threads=threads)


def install_model(folder: str | Path, name: str) -> Path:
    """Copy an exported model folder to the models built on this machine, under ``name`` (``--model name``
    then finds it). The copy is made beside the target and renamed into place, so a crash never leaves a
    half-copied model under that name."""
    import shutil

    source = resolve_model(folder)
    if not name or "/" in name or name in ALIASES:
        raise ModelError(f"{name!r} cannot be a model name (no slashes, not an alias: {', '.join(ALIASES)})")
    root = user_models_dir()
    root.mkdir(parents=True, exist_ok=True)
    target, staging = root / name, root / f".{name}.installing"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target
