"""Where models live. Shipped models are folders under ``propwatch/models/``; ``--model`` also takes a path.

A model folder holds ``config.json`` (name, version, window, decoding, measured quality), ``model.onnx``,
``tokenizer.json`` and ``span_head.npz``: everything inference needs, and nothing that needs torch.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ModelError

SHIPPED = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = "minilm-v1"
REQUIRED_FILES = ("config.json", "model.onnx", "tokenizer.json", "span_head.npz")


def shipped_models() -> list[str]:
    if not SHIPPED.is_dir():
        return []
    return sorted(p.name for p in SHIPPED.iterdir() if (p / "config.json").exists())


def resolve_model(model: str | Path | None = None, onnx_file: str = "model.onnx") -> Path:
    """The folder of ``model``: None for the default shipped model, a shipped name, or a folder path."""
    if model is None:
        model = DEFAULT_MODEL
    candidate = SHIPPED / str(model)
    path = candidate if candidate.is_dir() else Path(model)
    if not path.is_dir():
        names = ", ".join(shipped_models()) or "none"
        raise ModelError(f"no model at {model} (shipped models: {names}); train one with `propwatch train`")
    required = [onnx_file if f == "model.onnx" else f for f in REQUIRED_FILES]
    missing = [f for f in required if not (path / f).exists()]
    if missing:
        raise ModelError(f"the model folder {path} is incomplete: missing {', '.join(missing)}")
    return path
