import importlib.util
import sys
from pathlib import Path

import pytest


def load_corpora():
    # By path, so it works under any pytest import mode and from tests/dashboard as well.
    name = "propwatch_test_corpora"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("corpora.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture
def corpora():
    return load_corpora()
