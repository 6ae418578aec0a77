"""Shared fixtures: where the PTC corpus is (tests that need it skip cleanly when it is absent) and the
shipped model."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PTC = Path(os.environ.get("PROPWATCH_PTC", ROOT.parent / "shared" / "ptc"))
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


@pytest.fixture(scope="session")
def ptc_dir() -> Path:
    if not (PTC / "train" / "articles").is_dir():
        pytest.skip(f"PTC corpus not found at {PTC} (set PROPWATCH_PTC to run these tests)")
    return PTC


@pytest.fixture(scope="session")
def analyzer():
    from propwatch import load_analyzer
    from propwatch.errors import ModelError

    try:
        return load_analyzer()
    except ModelError as exc:
        pytest.skip(f"the shipped model does not load: {exc}")


@pytest.fixture(scope="session")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")
