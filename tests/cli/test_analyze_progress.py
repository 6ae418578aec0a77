"""``propwatch analyze`` on a terminal shows a progress bar on stderr fed by the analyzer's reports (newsroom
issue, feature 8); into a pipe or a file (JSON included) nothing of it is written, and stdout never holds it."""

from __future__ import annotations

import inspect
import io
import json
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from rich.console import Console
from typer.testing import CliRunner

from propwatch.analyzer import Progress
from propwatch.cli import analyze as analyze_module
from propwatch.cli.app import app

EXAMPLE_FILE = Path(__file__).parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


class Reporting:
    """The analyzer's stand-in: reports five windows of a first step and one of a second, then the example."""

    def __init__(self):
        self.asked: list[bool] = []

    def analyze(self, article, progress=None):
        self.asked.append(progress is not None)
        if progress is not None:
            for done in range(6):
                progress(Progress("techniques", 1, 2, done, 5))
            progress(Progress("attributions", 2, 2, 1, 1))
        return fakes.analysis_of(article)


@pytest.fixture
def reporting(monkeypatch):
    analyzer = Reporting()
    monkeypatch.setattr(analyze_module, "load_analyzer", lambda *a, **k: analyzer)
    return analyzer


def run(*args):
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    return CliRunner(**options).invoke(app, ["analyze", *map(str, args)])


def test_on_a_terminal_a_bar_follows_the_analysis(reporting, monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(analyze_module, "progress_console",
                        lambda: Console(file=screen, force_terminal=True, width=100))
    result = run(EXAMPLE_FILE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert reporting.asked == [True]
    drawn = screen.getvalue()
    assert "Step 1 of 2: finding techniques" in drawn and "5/5 passages" in drawn
    assert "Step 2 of 2: finding who says so" in drawn
    json.loads(result.stdout)  # stdout is the JSON alone
    assert "passages" not in result.stdout


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_into_a_pipe_nothing_is_drawn_and_no_progress_is_asked(reporting, fmt):
    result = run(EXAMPLE_FILE, "--format", fmt)
    assert result.exit_code == 0 and result.stderr == ""
    assert reporting.asked == [False]  # the analyzer's default path
    assert "passages" not in result.stdout


def test_the_bar_is_none_off_a_terminal():
    with analyze_module.progress_bar(Console(file=io.StringIO())) as report:
        assert report is None
