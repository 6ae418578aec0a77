"""Shared fixtures: where the PTC corpus is (tests that need it skip cleanly when it is absent) and the
shipped model."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PTC = Path(os.environ.get("PROPWATCH_PTC", ROOT.parent / "shared" / "ptc"))
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


def _register_fakes() -> None:
    """``tests/render/fakes.py`` (hand-made analyses of the example article and a stand-in analyzer) becomes the
    module ``propwatch_test_fakes`` before any test module is imported, so every test imports the same module
    (and the same classes) with ``import propwatch_test_fakes as fakes``."""
    name = "propwatch_test_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "render" / "fakes.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_register_fakes()


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
