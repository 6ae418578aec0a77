import importlib.util
import sys
from pathlib import Path

import pytest


def _load_fakes():
    # By path, so it works under any pytest import mode and from tests/cli as well.
    name = "propwatch_test_fakes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fakes.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fakes = _load_fakes()


@pytest.fixture
def analysis():
    return fakes.make_analysis()
