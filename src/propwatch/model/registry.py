"""Where models live, and the names users call them by: names and aliases to folders, nothing more.

A model folder holds ``config.json`` (``config.py``: name, version, window, decoding, measured quality),
``model.onnx``, ``tokenizer.json`` and ``span_head.npz``: everything inference needs, and nothing that needs
torch. An ensemble folder (``ensemble.py``) holds ``config.json`` and its members' folders under ``members/``.
Loading what a name names is ``loader.py``'s.

``--model`` takes a name or a path. Names are looked up, in order:

1. the aliases ``fast`` (the default: MiniLM) and ``accurate`` (all-mpnet-base-v2 with the MiniLM beside it,
   or the all-mpnet-base-v2 model alone where only that exists, as before 0.9); both ship;
2. models shipped in the package (``propwatch/models/<name>``). A model file over 45 MB is shipped in pieces
   (``training.ship``): all-mpnet-base-v2 is 113 MB in int8, and no file in git may exceed 50 MB;
3. models built on this machine (``<user data dir>/propwatch/models/<name>``, or ``$PROPWATCH_MODELS``),
   where ``--install-as`` puts them. A shipped model wins over an installed one of the same name.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ModelError
from .config import CONFIG_FILE, ModelConfig

SHIPPED = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "minilm-v1"
# An alias names the first of its models that exists here.
ALIASES = {"fast": (DEFAULT_MODEL,), "accurate": ("mpnet-minilm-v1", "mpnet-v1")}
REQUIRED_FILES = (CONFIG_FILE, "model.onnx", "tokenizer.json", "span_head.npz")


def user_models_dir() -> Path:
    """Models built on this machine (``make accurate-model`` writes here)."""
    if os.environ.get("PROPWATCH_MODELS"):
        return Path(os.environ["PROPWATCH_MODELS"])
    from platformdirs import user_data_dir

    return Path(user_data_dir("propwatch")) / "models"


def _models_in(folder: Path) -> list[str]:
    """The technique models (single or ensembles) in ``folder``: what ``--model`` can name. The attribution and
    role models beside them are found by ``find_model``."""
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if (p / CONFIG_FILE).exists() and ModelConfig.kind_of(p) in ("model", "ensemble"))


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
    """The folder of ``model``: None for the default shipped model, a name, an alias, or a folder path; checked
    to hold every file it needs (an ensemble: every member's)."""
    name = str(model) if model is not None else DEFAULT_MODEL
    names = ALIASES.get(name, (name,))
    candidates = [folder / n for n in names for folder in (SHIPPED, user_models_dir())]
    path = next((c for c in candidates if c.is_dir()), None)
    if path is None:
        path = Path(model) if model is not None else SHIPPED / name
    if not path.is_dir():
        names_here = ", ".join(available_models()) or "none"
        hint = "it ships with propwatch: reinstall it, or rebuild it with `make accurate-model` (trains " \
            "all-mpnet-base-v2 on the PTC train IDs and ships it beside the shipped MiniLM)" \
            if model == "accurate" else "train one with `propwatch train`"
        raise ModelError(f"no model at {model} (available: {names_here}); {hint}")
    if (path / CONFIG_FILE).exists() and is_ensemble(path):
        for member in member_folders(path):
            resolve_model(member)
        return path
    required = [onnx_file if f == "model.onnx" else f for f in REQUIRED_FILES]
    missing = [f for f in required if not (path / f).exists()]
    if missing:
        raise ModelError(f"the model folder {path} is incomplete: missing {', '.join(missing)}")
    return path


def is_ensemble(folder: Path) -> bool:
    return ModelConfig.kind_of(folder) == "ensemble"


def member_folders(folder: Path) -> list[Path]:
    """The member folders an ensemble's config.json names (relative to the ensemble folder), each checked to
    be the version the ensemble was tuned with (its weights' version: a member whose decoding alone changed
    still fits). A shipped ensemble names its shipped siblings
    (``../minilm-v1``) rather than holding copies of them; the check is what keeps that safe, since the tuned
    decoding is only right for the exact members it was tuned with: a retrained sibling makes loading fail
    with a message, never makes the ensemble quietly answer worse."""
    members = ModelConfig.read(folder).members
    if not members:
        raise ModelError(f"the ensemble {folder} names no members in its config.json")
    folders = []
    for m in members:
        member = Path(folder) / m.folder
        if m.version and (member / CONFIG_FILE).is_file():
            found = ModelConfig.read(member)
            if found.weights_identity != m.version:  # a new decoding alone keeps the weights (weights_version)
                raise ModelError(f"the ensemble {folder} was tuned with {m.name} {m.version}, but {member} holds "
                                 f"version {found.version}: rebuild the ensemble (`propwatch ensemble`, or "
                                 f"`make accurate-model` for accurate)")
        folders.append(member)
    return folders


def find_model(name: str | Path, kind: str | tuple[str, ...], required: tuple[str, ...]) -> Path:
    """The folder of the ``kind`` model ``name`` (an attribution or role model: a shipped or installed name, or a
    folder), checked to be of that kind (or one of those kinds) and to hold the ``required`` files."""
    kinds = (kind,) if isinstance(kind, str) else kind
    candidates = [folder / str(name) for folder in (SHIPPED, user_models_dir())] + [Path(name)]
    path = next((c for c in candidates if (c / CONFIG_FILE).is_file()), None)
    if path is None:
        raise ModelError(f"no {kinds[0]} model {name} (looked in {SHIPPED} and {user_models_dir()})")
    if ModelConfig.kind_of(path) not in kinds:
        said = " or ".join(repr(k) for k in kinds)
        raise ModelError(f"{path} is not a model of kind {said} (its config.json says {ModelConfig.kind_of(path)!r})")
    missing = [f for f in required if not (path / f).exists()]
    if missing:
        raise ModelError(f"the model folder {path} is incomplete: missing {', '.join(missing)}")
    return path
