"""The terminal's span list: the strength word beside each span; with explain, its cues and examples."""

import pytest
from rich.console import Console

from propwatch.render import render_terminal
from propwatch.schema import ModelInfo, SpanExample, TechniqueReliability


def report(analysis, explain=False) -> str:
    console = Console(record=True, width=100, color_system=None)
    render_terminal(analysis, console, explain=explain)
    return console.export_text()


@pytest.fixture
def explained(analysis):
    """The fake analysis with reasons: strength from thresholds (0.8, 0.5), cues and one example per span."""
    spans = []
    for s in analysis.spans:
        strength = "strong" if s.score >= 0.8 else "moderate" if s.score >= 0.5 else "weak"
        example = SpanExample(text=f"example of {s.technique}", before="words before", after="words after",
                              article="111", similarity=0.8)
        spans.append(s.model_copy(update={"strength": strength, "cues": s.text.split()[:1], "examples": [example]}))
    model = ModelInfo(name="fake-model", version="9.9.9", strength_thresholds=(0.8, 0.5),
                      reliability={"loaded_language": TechniqueReliability(recall=0.71, precision=0.6, support=40)})
    return analysis.model_copy(update={"spans": spans, "model": model})


def test_each_span_is_listed_with_its_strength_word(explained):
    out = report(explained)
    listed = out[out.index("Spans"):]
    assert "[CRISIS]" not in listed
    assert "[LOAD]  strong    «crushing defeat»" in listed  # columns aligned: [DOUBT] is the longest code
    assert "[LOAD]  moderate  «it’s very silly to believe»" in listed
    assert "[FLAG]  weak      «Russia and Syria will do everything necessary»" in listed
    assert "[DOUBT] moderate  «last stronghold of the IS was only here for them»" in listed
    assert "weighed most" not in out and "annotators marked" not in out  # reasons only with explain
    assert "right at least about 60% of the time" in out


def test_explain_shows_cues_and_examples_under_each_span(explained):
    out = report(explained, explain=True)
    listed = out[out.index("Why these highlights"):]
    assert listed.count("weighed most: ") == len(explained.spans)
    assert listed.count("annotators marked:") == len(explained.spans)
    assert "…words before «example of loaded_language» words after…" in listed
    assert "weighed most: crushing" in listed


def test_without_strength_the_score_is_shown(analysis):
    listed = report(analysis)[report(analysis).index("Spans"):]
    assert "[LOAD]  90%  «crushing defeat»" in listed and "right at least" not in listed


def test_the_legend_says_how_much_of_each_technique_the_model_finds(explained):
    out = report(explained)
    legend = out[out.index("Techniques found"):out.index("Spans")]
    assert "the model finds" in legend and "about 70%" in legend  # recall 0.71, in the page's steps of 5 points
    assert "not found" in legend


def test_control_characters_in_reasons_are_shown_not_obeyed(explained):
    span = explained.spans[0]
    bad = span.model_copy(update={"cues": ["\x1b]0;owned\x07"], "examples": [
        SpanExample(text="\x1b[2Jcleared", before="\x1b]8;;http://x\x07", after="\x9b", article="1")]})
    out = report(explained.model_copy(update={"spans": [bad]}), explain=True)
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "␛[2Jcleared" in out


def test_example_context_keeps_punctuation_where_it_was(explained):
    span = explained.spans[0]
    example = SpanExample(text="the Americans", before="Let", after=", who relish playing empire.", article="1")
    out = report(explained.model_copy(update={"spans": [span.model_copy(update={"examples": (example,)})]}),
                 explain=True)
    assert "…Let «the Americans», who relish playing empire." in out
    assert "empire.…" not in out
