"""The HTML report with what the detector now gives: strengths instead of percentages, each span's reasons
(cues, annotated examples) tied to its highlight, the model's reliability in the legend; the header naming the
article, its source and the analysis date. And the report as it was for analyses without them."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import propwatch_test_fakes as fakes
import pytest
from test_html import PAYLOADS, parse

from propwatch.render import render_html
from propwatch.render.reasons import cue_parts, signal, strength_of, thresholds

WHEN = datetime(2025, 3, 1, 10, 20, tzinfo=timezone.utc)


@pytest.fixture
def explained(analysis):
    return fakes.explained(analysis)


def test_strengths_replace_percentages(explained):
    html = render_html(explained)
    page = parse(html)
    for attrs, _ in page.marks:
        assert "%" not in attrs["title"] and re.search(r"\((strong|moderate|weak) signal\)", attrs["title"])
    titles = [s["title"] for s in page.sups]
    assert "Doubt (strong signal)" in titles and "Flag-waving (weak signal)" in titles
    assert "calibrated score 0.72" in html  # the exact score, on demand, in the span's reasons


def test_each_span_has_its_reasons_and_its_highlight_is_described_by_them(explained):
    html = render_html(explained)
    page = parse(html)
    ids = {a["id"] for _, a in page.tags if a.get("id")}
    for i, span in enumerate(explained.spans):
        entry = html[html.index(f'<li id="why-{i}">'):html.index("</li>\n", html.index(f'<li id="why-{i}">'))]
        assert f"{span.strength} signal" in entry
        for cue in span.cues:
            assert f'<em class="cue">{cue}</em>' in entry  # emphasised in the quote and listed
        assert "Annotators marked similar phrases:" in entry
        assert f"«…words before <strong>annotated {span.technique} phrase 1</strong> words after 1…»" in entry
    for attrs, _ in page.marks:
        described = attrs["aria-describedby"].split()
        assert described[0].startswith("why-") and all(d in ids for d in described)
    tagged = [a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("#why-")]
    assert sorted(tagged) == sorted(f"#why-{i}" for i in range(len(explained.spans)))  # each tag links its reason


def test_the_legend_says_how_often_the_model_finds_each_technique(explained):
    html = render_html(explained)
    legend = html[html.index('<table class="legend">'):html.index("</table>")]
    assert "<th scope=\"col\">the model finds</th>" in legend
    assert re.search(r"Appeal to authority</a></td><td class=\"n\">1</td><td><span title=\"recall 0.12, "
                     r"precision 0.30, measured on 40 annotated spans\">about 10%</span> <span class=\"flag\">"
                     r"often missed</span>", legend)
    assert ">about 60%</span></td>" in legend  # loaded language: not flagged
    missed = html[html.index('<p class="missed">'):html.index("</p>", html.index('<p class="missed">'))]
    assert "Black-and-white fallacy (finds about 10%)" in missed and "Appeal to authority" not in missed
    assert "The model finds about 5% of these: often missed" in html  # in the definitions too


def test_without_strengths_or_reasons_the_report_is_as_before(analysis):
    html = render_html(analysis)
    assert "Doubt (72%)" in html and "signal" not in html
    assert "Why each passage is highlighted" not in html and 'href="#why-' not in html
    assert "the model finds" not in html and '<p class="missed">' not in html
    for attrs, _ in parse(html).marks:
        assert attrs["aria-describedby"].startswith("def-")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_cues_and_examples_are_escaped(analysis, payload):
    spans = [s.model_copy(update={"cues": (payload,), "strength": "strong"}) for s in analysis.spans]
    html = render_html(fakes.explained(analysis.model_copy(update={"spans": spans}), payload))
    page = parse(html)
    assert payload not in html and "<script" not in html and "<img" not in html
    for _, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs)


def test_the_report_is_headed_by_title_source_and_date():
    """Defect 10: pasted text's report was headed by its internal id, with no date."""
    article_text = "Leaders betray the nation\n\nThey have betrayed every patriotic American, again.\n"
    analysis = fakes.make_analysis(article_text, [("betrayed", "loaded_language", 0.8)],
                                   article_id="text-47a1085fe2ef", source=None)
    html = render_html(analysis, analysed_at=WHEN)
    header = html[html.index("<header>"):html.index("</header>")]
    assert "text-47a1085fe2ef" not in html
    assert "<h1>Leaders betray the nation</h1>" in header
    assert 'Pasted text · analysed <time datetime="2025-03-01T10:20:00+00:00">1 March 2025, 10:20 UTC</time>' in header
    assert "<title>Leaders betray the nation · propwatch report</title>" in html
    # an ISO string (as the history stores it) reads the same; a report made later without a date says none
    assert "1 March 2025, 10:20 UTC" in render_html(analysis, analysed_at="2025-03-01T10:20:00.123+00:00")
    assert "<time" not in render_html(analysis)
    assert html.count("<h1>") == 1  # the article's own title line is a level below


def test_strength_is_derived_from_thresholds_or_left_out(analysis, explained):
    assert thresholds(analysis) is None and strength_of(analysis.spans[0], None) is None
    assert signal(analysis.spans[0], None) == "81% confidence"
    assert thresholds(explained) == fakes.STRENGTH_THRESHOLDS
    bare = [s.model_copy(update={"strength": None}) for s in explained.spans]
    derived = explained.model_copy(update={"spans": bare})
    assert [strength_of(s, thresholds(derived)) for s in bare] == [s.strength for s in explained.spans]
    # spans with strengths but a model without thresholds: read off the spans
    model = explained.model.model_copy(update={"strength_thresholds": None})
    no_cuts = explained.model_copy(update={"model": model, "models": {"techniques": model}})
    strong, moderate = thresholds(no_cuts)
    assert strong == min(s.score for s in explained.spans if s.strength == "strong")
    assert moderate == min(s.score for s in explained.spans if s.strength != "weak")


def test_cue_words_are_marked_whole_and_case_blind():
    parts = cue_parts("The Bare truth: barely bare", ["bare"])
    assert [p for p, on in parts if on] == ["Bare", "bare"]
    assert "".join(p for p, _ in parts) == "The Bare truth: barely bare"
    assert cue_parts("nothing here", ["absent"]) == [("nothing here", False)]
