
import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest


@pytest.fixture
def analysis():
    return fakes.make_analysis()
