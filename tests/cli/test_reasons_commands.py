"""``propwatch analyze --explain`` (with a fake analyzer) and the offline ``examples`` and ``reliability``
commands' errors."""

import inspect
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from typer.testing import CliRunner

import propwatch.cli.analyze as analyze_module
from propwatch.cli.app import app
from propwatch.schema import SpanExample

EXAMPLE_FILE = Path(__file__).parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"




class ExplainedAnalyzer:
    def analyze(self, article):
        analysis = fakes.analysis_of(article)
        example = SpanExample(text="a savage onslaught", before="they called it", after="on the town", article="7")
        spans = [s.model_copy(update={"strength": "strong" if s.score >= 0.6 else "weak", "cues": (s.text.split()[0],),
                                      "examples": (example,)}) for s in analysis.spans]
        return analysis.model_copy(update={"spans": spans})


@pytest.fixture
def explained(monkeypatch):
    monkeypatch.setattr(analyze_module, "load_analyzer", lambda model=None, exclude=(), max_words=None:
                        ExplainedAnalyzer())


def run(*args):
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    return CliRunner(**options).invoke(app, [*map(str, args)])


def test_without_explain_each_span_shows_its_strength_word_only(explained):
    result = run("analyze", EXAMPLE_FILE)
    assert result.exit_code == 0, result.stderr
    assert "Spans" in result.stdout and "strong" in result.stdout and "weak" in result.stdout
    assert "annotators marked" not in result.stdout and "weighed most" not in result.stdout


def test_explain_shows_cues_and_what_annotators_marked(explained):
    result = run("analyze", EXAMPLE_FILE, "--explain")
    assert result.exit_code == 0, result.stderr
    assert "Why these highlights" in result.stdout
    assert "weighed most: crushing" in result.stdout
    assert "annotators marked:" in result.stdout and "«a savage onslaught»" in result.stdout


@pytest.mark.parametrize("command", ["examples", "reliability"])
def test_offline_commands_fail_clearly_on_a_folder_that_is_no_corpus(command, tmp_path):
    result = run(command, "--model", "fast", "--data", tmp_path, "--split-file", tmp_path / "none.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
