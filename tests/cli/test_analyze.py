"""``propwatch analyze`` with a fake analyzer (the model is tested elsewhere), plus one end-to-end run."""

import inspect
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from typer.testing import CliRunner

import propwatch.cli.analyze as analyze_module
from propwatch.cli.app import app
from propwatch.errors import ModelError
from propwatch.schema import Analysis

EXAMPLE = fakes.EXAMPLE
EXAMPLE_FILE = Path(__file__).parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


class FakeAnalyzer:
    model_info = fakes.MODEL

    def __init__(self, warnings=()):
        self.warnings = list(warnings)

    def analyze(self, article):
        return fakes.analysis_of(article, warnings=self.warnings)


@pytest.fixture
def loads(monkeypatch):
    """Replace the model with the fake; the list records every load (input must be read first)."""
    calls = []

    def load_analyzer(model=None, exclude=(), max_words=None):
        calls.append(model)
        assert list(exclude) == []  # nothing can be left out while the technique analysis is the only one
        return FakeAnalyzer()

    monkeypatch.setattr(analyze_module, "load_analyzer", load_analyzer)
    return calls


def run(*args, input=None):
    # Click < 8.2 mixes stderr into stdout unless told not to; 8.2+ always keeps both apart.
    options = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else {}
    return CliRunner(**options).invoke(app, ["analyze", *map(str, args)], input=input)


def assert_one_line_error(result, code=1):
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""


def test_text_report(loads):
    result = run(EXAMPLE_FILE)
    assert result.exit_code == 0, result.stderr
    assert "{crushing defeat}[LOAD]" in result.stdout
    assert "Article score" in result.stdout and "fake-model 9.9.9" in result.stdout
    assert result.stderr == ""
    assert loads == [None]


def test_json_is_the_whole_analysis(loads):
    result = run(EXAMPLE_FILE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert len(analysis.spans) == len(fakes.EXAMPLE_SPANS)
    assert analysis.article.text == EXAMPLE_FILE.read_text(encoding="utf-8")


def test_html_to_stdout(loads):
    result = run(EXAMPLE_FILE, "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>") and result.stdout.rstrip().endswith("</html>")
    assert result.stdout.count('<sup class="tag"') == len(fakes.EXAMPLE_SPANS)
    # dated like the web app's download (newsroom issue, defect 10): the CLI analysed it just now
    from datetime import datetime, timezone

    assert f'analysed <time datetime="{datetime.now(timezone.utc).date().isoformat()}' in result.stdout


def rows(stdout):
    return [line.split("\t") for line in stdout.splitlines() if line.strip()]


def test_si_and_tc_use_the_article_id(loads):
    analysis = run(EXAMPLE_FILE, "--format", "json").stdout
    analysis = Analysis.model_validate_json(analysis)
    doc = analysis.article.id
    si = rows(run(EXAMPLE_FILE, "--format", "si").stdout)
    assert {(r[0], int(r[1]), int(r[2])) for r in si} == {(doc, s.start, s.end) for s in analysis.spans}
    assert len(si) == len(analysis.spans) - 1  # the two techniques on "pseudo-caliphate" are one SI span
    tc = rows(run(EXAMPLE_FILE, "--format", "tc").stdout)
    assert len(tc) == len(analysis.spans)
    assert [doc, "Loaded_Language"] == tc[[r[2] for r in tc].index(str(EXAMPLE.index("crushing defeat")))][:2]


def test_out_writes_the_file_and_keeps_stdout_clean(loads, tmp_path):
    target = tmp_path / "reports" / "deir.html"
    result = run(EXAMPLE_FILE, "--format", "html", "--out", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert str(target) in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_out_text_has_no_terminal_codes(loads, tmp_path):
    target = tmp_path / "report.txt"
    assert run(EXAMPLE_FILE, "--out", target).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "{crushing defeat}[LOAD]" in text and "\x1b[" not in text


def test_min_score_filters_every_format(loads):
    analysis = Analysis.model_validate_json(run(EXAMPLE_FILE, "-f", "json", "--min-score", "0.8").stdout)
    assert analysis.spans and all(s.score >= 0.8 for s in analysis.spans)
    assert len(analysis.spans) == sum(score >= 0.8 for _, _, score in fakes.EXAMPLE_SPANS)
    assert sum(analysis.technique_counts.values()) == len(analysis.spans)
    tc = rows(run(EXAMPLE_FILE, "-f", "tc", "--min-score", "0.8").stdout)
    assert len(tc) == len(analysis.spans)
    text = run(EXAMPLE_FILE, "--min-score", "0.8").stdout
    assert "[FLAG]" not in text and "{crushing defeat}[LOAD]" in text


def test_techniques_filter_accepts_ids_and_short_codes(loads):
    result = run(EXAMPLE_FILE, "-f", "json", "--techniques", "loaded_language,DOUBT")
    assert result.exit_code == 0, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert {s.technique for s in analysis.spans} == {"loaded_language", "doubt"}
    assert len(analysis.spans) == 7


def test_bad_technique_is_a_usage_error_listing_valid_ids(loads):
    result = run(EXAMPLE_FILE, "--techniques", "loaded_language,nope")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "nope" in message and "appeal_to_authority" in message and "whataboutism_strawman" in message
    assert "Traceback" not in result.stderr and loads == []


@pytest.mark.parametrize("value", ["2", "-0.1", "high"])
def test_min_score_must_be_between_0_and_1(loads, value):
    result = run(EXAMPLE_FILE, "--min-score", value)
    assert result.exit_code == 2
    assert "--min-score" in result.stderr and loads == []


def test_missing_file_fails_before_loading_the_model(loads, tmp_path):
    assert_one_line_error(run(tmp_path / "nope.txt"))
    assert loads == []


def test_empty_file(loads, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert_one_line_error(run(empty))
    assert loads == []


def test_directory(loads, tmp_path):
    assert_one_line_error(run(tmp_path))
    assert loads == []


def test_stdin(loads):
    result = run("-", "-f", "json", input=EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert Analysis.model_validate_json(result.stdout).article.text == EXAMPLE


def test_model_error_is_one_line(monkeypatch):
    def broken(model=None, exclude=(), max_words=None):
        raise ModelError(f"no model in {model}: run propwatch train first")

    monkeypatch.setattr(analyze_module, "load_analyzer", broken)
    result = run(EXAMPLE_FILE, "--model", "/nowhere")
    assert_one_line_error(result)
    assert "Error: no model in /nowhere" in result.stderr


def test_analysis_warnings_go_to_stderr(monkeypatch):
    monkeypatch.setattr(analyze_module, "load_analyzer",
                        lambda model=None, exclude=(), max_words=None: FakeAnalyzer(["does not look like English"]))
    result = run(EXAMPLE_FILE, "-f", "json")
    assert result.exit_code == 0
    assert result.stderr.strip() == "Warning: does not look like English"
    Analysis.model_validate_json(result.stdout)  # stdout stays pure JSON


def test_unwritable_out_is_one_line(loads, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(EXAMPLE_FILE, "-f", "html", "--out", blocker / "deeper" / "report.html")
    assert_one_line_error(result)
    assert f"{blocker} is a file, not a folder" in result.stderr and not (blocker.parent / "deeper").exists()
    full = run(EXAMPLE_FILE, "-f", "html", "--out", "/dev/full")  # the disk refuses it: the file is named
    assert_one_line_error(full)
    assert "cannot write /dev/full" in full.stderr


def test_version_and_help():
    runner = CliRunner()
    from propwatch import __version__

    assert runner.invoke(app, ["--version"]).stdout.strip() == f"propwatch {__version__}"
    assert "analyze" in runner.invoke(app, []).output


def _real_analyzer_or_skip():
    try:
        from propwatch.analyzer import load_analyzer
    except Exception as exc:  # the analyzer or its dependencies are not there
        pytest.skip(f"propwatch.analyzer is not importable: {exc}")
    try:
        return load_analyzer()
    except Exception as exc:  # ModelError: no shipped model in this checkout
        pytest.skip(f"the shipped model does not load: {exc}")


def test_end_to_end_with_the_shipped_model():
    _real_analyzer_or_skip()
    result = run(EXAMPLE_FILE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    analysis = Analysis.model_validate_json(result.stdout)
    assert analysis.article.text == EXAMPLE and analysis.sentences and 0.0 <= analysis.score <= 1.0
    text = run(EXAMPLE_FILE)
    assert text.exit_code == 0 and "Article score" in text.stdout and "Traceback" not in text.stderr


def test_max_bytes_caps_the_input(loads):
    result = run(EXAMPLE_FILE, "--max-bytes", "100")
    assert_one_line_error(result)
    assert "over the 100 bytes limit" in result.stderr and "raise the limit with --max-bytes" in result.stderr
    assert loads == []


def test_without_refuses_an_unknown_or_required_analysis(loads):
    def words(stderr):  # the usage error is drawn in a box that wraps lines
        return " ".join(stderr.replace("│", " ").split())

    unknown = run(EXAMPLE_FILE, "--without", "colour")
    assert unknown.exit_code == 2 and "unknown analysis colour" in words(unknown.stderr)
    required = run(EXAMPLE_FILE, "--without", "techniques")
    assert required.exit_code == 2 and "cannot be switched off" in words(required.stderr)
    assert loads == []


def test_an_article_over_the_word_bound_is_refused_before_the_model_loads(loads, tmp_path):
    """One request under the byte cap could take minutes and gigabytes (200 KB of "&" took 27-72 s and 1.6 GB,
    the hardening issue): every analysis has a bound, the error says how to split and how to raise it."""
    path = tmp_path / "ampersands.txt"
    path.write_text("&" * 200_000, encoding="utf-8")
    result = run(path)
    assert_one_line_error(result)
    assert "more than 30,000 words and symbols" in result.stderr and "split it into parts" in result.stderr
    assert "(or raise the limit with --max-words)" in result.stderr
    assert loads == []
    run(path, "--max-words", "300000")
    assert loads == [None]  # with the bound raised, the article reached the (fake) model
