"""Epoch checkpoints that make training resumable: written atomically, so a kill mid-write loses nothing."""

from __future__ import annotations

from pathlib import Path

import torch

from ..files import atomic_write


def save_atomic(obj, path: Path) -> None:
    atomic_write(path, lambda f: torch.save(obj, f))


def load(path: Path):
    return torch.load(path, map_location="cpu", weights_only=False)
