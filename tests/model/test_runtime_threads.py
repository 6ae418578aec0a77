"""``$PROPWATCH_THREADS``: a count of threads, or a one-line error that names the bad value (it had been a
traceback from ``int()``)."""

from __future__ import annotations

import pytest

from propwatch.errors import ModelError
from propwatch.model import runtime


@pytest.mark.parametrize("value, threads", [(None, 0), ("", 0), (" 2 ", 2), ("0", 0)])
def test_threads_come_from_the_environment(monkeypatch, value, threads):
    if value is None:
        monkeypatch.delenv("PROPWATCH_THREADS", raising=False)
    else:
        monkeypatch.setenv("PROPWATCH_THREADS", value)
    assert runtime.threads_from_environment() == threads


@pytest.mark.parametrize("value", ["abc", "-1", "1.5"])
def test_a_threads_setting_that_is_no_count_is_a_model_error_naming_it(monkeypatch, value):
    monkeypatch.setenv("PROPWATCH_THREADS", value)
    with pytest.raises(ModelError, match=f"PROPWATCH_THREADS must be a whole number.*{value!r}"):
        runtime.threads_from_environment()
