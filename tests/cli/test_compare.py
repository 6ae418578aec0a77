"""``propwatch compare A B`` with the pipeline's stand-in (``tests/render/fakes.py``): both inputs read as
``analyze`` reads them, before the model loads; a rich table per part; JSON as the API answers; article text
printed literally (no rich markup, no control characters)."""

from __future__ import annotations

import inspect
import json

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from typer.testing import CliRunner

from propwatch.cli import compare as compare_module
from propwatch.cli.app import app
from propwatch.comparison import Comparison


@pytest.fixture
def loads(monkeypatch):
    calls = []

    def load_analyzer(model=None, exclude=(), max_words=None):
        calls.append(model)
        return fakes.FakeAnalyzer()

    monkeypatch.setattr(compare_module, "load_analyzer", load_analyzer)
    return calls


def run(*args, input=None):
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    return CliRunner(**options).invoke(app, ["compare", *map(str, args)], input=input)


@pytest.fixture
def two(tmp_path):
    whole = tmp_path / "whole.txt"
    whole.write_text(fakes.EXAMPLE, encoding="utf-8")
    part = tmp_path / "part.txt"
    part.write_text("[bold red]Part[/] \x1b]0;owned\x07 of it\n\n" + fakes.EXAMPLE.split("\n", 2)[2][:2500],
                    encoding="utf-8")
    return whole, part


def test_two_files_side_by_side(loads, two):
    result = run(*two)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for heading in ("Scores", "Technique mix", "Sources (who says so)", "Cast (role in each article)"):
        assert heading in out
    assert "spans per 1,000 words" in out and "sentences flagged" in out and "share anonymous" in out
    assert "our specialists" in out and "villain" in out
    assert "[bold red]Part[/]" in out  # a title is text, never markup
    assert "\x1b" not in out and "\x07" not in out  # nor control characters
    assert loads == [None]  # one model for both


def test_json_is_the_comparison_the_api_answers(loads, two):
    result = run(*two, "--json")
    assert result.exit_code == 0, result.stderr
    comparison = Comparison.model_validate(json.loads(result.stdout))
    assert comparison.a.spans == len(fakes.EXAMPLE_SPANS) and comparison.a.sources.anonymous == 3
    assert comparison.b.title.startswith("[bold red]Part[/]")
    assert {row.technique for row in comparison.techniques} >= {"loaded_language", "doubt"}


def test_without_actors_there_is_no_cast(monkeypatch, two):
    monkeypatch.setattr(compare_module, "load_analyzer", lambda *a, **k: fakes.FakeAnalyzer(with_layers=False))
    result = run(*two)
    assert result.exit_code == 0, result.stderr
    assert "Cast" not in result.stdout and "Sources" not in result.stdout and "Scores" in result.stdout


def test_bad_input_fails_before_the_model_loads(loads, two, tmp_path):
    result = run(two[0], tmp_path / "missing.txt")
    assert result.exit_code == 1 and result.stderr.startswith("Error: ") and "missing.txt" in result.stderr
    assert result.stdout == "" and loads == []
    both_stdin = run("-", "-", input="text")
    assert both_stdin.exit_code == 1 and "stdin" in both_stdin.stderr and loads == []
    too_long = run(*two, "--max-words", "50")
    assert too_long.exit_code == 1 and "--max-words" in too_long.stderr and loads == []


def test_one_side_from_stdin(loads, two):
    result = run("-", two[1], input=fakes.EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert "stdin" in result.stdout
