"""Hand-made tag probabilities: one "token" per scorer word, each tagged with the given role spans."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

from propwatch.components.attributions import LABELS

ROOT = Path(__file__).resolve().parents[3]
POLNEAR = Path(os.environ.get("PROPWATCH_POLNEAR", ROOT.parent / "shared" / "polnear"))


def tagged(text: str, spans: list[tuple[str, str]], confidence: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, probs)`` over the words of ``text`` where each ``(role, phrase)`` tags the first occurrence of
    ``phrase`` after the previous one (so repeated phrases are tagged in order)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    tags = ["O"] * len(words)
    cursor = 0
    for role, phrase in spans:
        s = text.index(phrase, cursor)
        e = s + len(phrase)
        cursor = e
        inside = [i for i, (a, b) in enumerate(words) if a >= s and b <= e]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + role
    probs = np.full((len(words), len(LABELS)), (1 - confidence) / (len(LABELS) - 1), dtype=np.float32)
    for i, t in enumerate(tags):
        probs[i, LABELS.index(t)] = confidence
    return np.asarray(words, dtype=np.int64).reshape(-1, 2), probs


@pytest.fixture(scope="session")
def polnear() -> Path:
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR} (set PROPWATCH_POLNEAR to run these tests)")
    return POLNEAR
