"""The independent reference scorer, ``shared/tools/ptc_score.py``; tests that need it skip when it is absent."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PTC_SCORE = Path(os.environ.get("PROPWATCH_PTC_SCORE", ROOT.parent / "shared" / "tools" / "ptc_score.py"))


@pytest.fixture(scope="session")
def ptc_score():
    if not PTC_SCORE.is_file():
        pytest.skip(f"reference scorer not found at {PTC_SCORE} (set PROPWATCH_PTC_SCORE to run these tests)")
    spec = importlib.util.spec_from_file_location("ptc_score", PTC_SCORE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
