"""The result page and its downloads with what the detector now gives (strengths, cues, annotated examples, the
model's per-technique reliability), and without it (the page as it was); the summary following the filters;
the sentence strip's shading; the CSV of spans. Over hand-made analyses (``tests/render/fakes.py``), so no model
is loaded."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.server import view
from propwatch.techniques import TECHNIQUE_IDS

from .conftest import post_form

PAYLOAD = '<img src=x onerror=alert(1)>"'


class ExplainedAnalyzer(fakes.FakeAnalyzer):
    """The pipeline's stand-in, its spans explained as the detector explains them (payload in the examples)."""

    def analyze(self, article):
        return fakes.explained(super().analyze(article), PAYLOAD)


def analyse(client, text=fakes.EXAMPLE) -> str:
    r = post_form(client, "/analyze", {"text": text})
    assert r.status_code == 303, r.text[:300]
    return r.headers["location"].rsplit("/", 1)[-1]


@pytest.fixture
def explained_client(make_client):
    return make_client(analyzer_override=ExplainedAnalyzer())


@pytest.fixture
def plain_client(make_client):
    return make_client(analyzer_override=fakes.FakeAnalyzer(with_layers=False))


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="analysis-data">(.*?)</script>', html, re.S)
    return json.loads(unescape(found.group(1)))


def test_strength_filter_reasons_and_reliability_on_the_page(explained_client):
    id = analyse(explained_client)
    html = explained_client.get(f"/analyses/{id}").text
    analysis = explained_client.app.state.service.store.get(id).analysis
    # strength levels, not a 0-100% slider: each choice carries its threshold as min_score
    assert 'type="range"' not in html
    choices = re.findall(r'<input type="radio" name="min_score" value="([\d.]+)"( checked)?> ([\w ]+)', html)
    assert [(v, label.strip()) for v, _, label in choices] == [
        ("0", "All signals"), ("0.5", "Moderate and strong"), ("0.7", "Strong only")]
    assert choices[0][1] == " checked"
    # every highlight is described by its reason, which exists and says strength, cues, examples, definition
    described = set(re.findall(r'aria-describedby="(why-\d+)"', html))
    assert described == {f"why-{i}" for i in range(len(analysis.spans))}
    reasons = html[html.index('<div id="span-reasons" hidden>'):]
    for i, span in enumerate(analysis.spans):
        entry = re.search(rf'<p id="why-{i}">(.*?)</p>', reasons, re.S).group(1)
        assert f"{span.strength} signal" in entry and "Words that weighed most: " + ", ".join(span.cues) in entry
        assert "Annotators marked similar phrases: «words before" in entry
    assert "% confidence" not in html  # readers see strengths, not percentages
    # the exact score stays available in the data the tooltip is built from
    data = page_data(html)
    assert [s["score"] for s in data["spans"]] == [s.score for s in analysis.spans]
    assert {s["strength"] for s in data["spans"]} == {"strong", "moderate", "weak"}
    assert data["spans"][0]["detail"].startswith("calibrated score 0.")
    # the legend says how often the model finds each technique, flags the often missed, and lists the often
    # missed techniques that no span shows
    assert re.search(r'Appeal to authority<span class="rel">finds about 10% · <span class="flag">often missed', html)
    assert "Loaded language<span class=\"rel\">finds about 60%</span>" in html
    missed = html[html.index('id="missed-h"'):html.index("</section>", html.index('id="missed-h"'))]
    assert "Black-and-white fallacy" in missed and "Appeal to authority" not in missed  # found here: not listed


def test_untrusted_reasons_are_escaped(explained_client):
    html = explained_client.get(f"/analyses/{analyse(explained_client)}").text
    assert PAYLOAD not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&#34;" in html  # the hidden reasons hold it as text
    assert page_data(html)["spans"][0]["examples"][0][0].endswith(PAYLOAD)  # JSON: text, for textContent


def test_without_strengths_the_page_is_as_before(plain_client):
    id = analyse(plain_client)
    html = plain_client.get(f"/analyses/{id}").text
    analysis = plain_client.app.state.service.store.get(id).analysis
    assert 'name="min_score" value="0"' not in html and "Signal strength" not in html
    # the slider covers the scores there are (the highest is 0.93), not 0-100%
    assert re.search(r'<input type="range" id="min-score" name="min_score" min="0" max="0.95" step="0.01"', html)
    assert "Minimum confidence" in html and "93% confidence" in html
    assert 'class="rel"' not in html and 'id="missed-h"' not in html
    assert len(set(re.findall(r'aria-describedby="(why-\d+)"', html))) == len(analysis.spans)
    assert "Words that weighed most" not in html


def test_the_summary_follows_the_filters(plain_client):
    id = analyse(plain_client)
    analysis = plain_client.app.state.service.store.get(id).analysis
    html = plain_client.get(f"/analyses/{id}", params={"min_score": 0.8}).text
    shown = [s for s in analysis.spans if s.score >= 0.8]
    words = len(analysis.article.text.split())
    assert f'<dd id="shown-spans">{len(shown)} of {len(analysis.spans)}</dd>' in html
    assert f'<dd id="spans-per-1000">{1000 * len(shown) / words:.1f}</dd>' in html
    flagged = sum(any(s.start < sent.end and s.end > sent.start for s in shown) for sent in analysis.sentences)
    assert f'<dd id="flagged-sentences">{flagged} of {len(analysis.sentences)}</dd>' in html
    top = re.findall(r'<li><span class="chip t-(\w+)">\w+</span> <span class="name">[^<]+</span> '
                     r'<span class="n">\((\d+)\)</span></li>', html)
    counts = {t: sum(s.technique == t for s in shown) for t in {s.technique for s in shown}}
    order = sorted(counts.items(), key=lambda tn: (-tn[1], TECHNIQUE_IDS.index(tn[0])))  # ties: taxonomy order
    assert [(t, int(n)) for t, n in top] == order[:3]
    assert '<p class="filter-note muted small" id="filter-note">' in html  # the note says so
    # filtered out entirely: an honest empty state, and a mix with no visible part
    none = plain_client.get(f"/analyses/{id}?f=1").text
    assert '<p class="none-shown muted">No span shown with these filters.</p>' in none
    assert 'aria-label="Technique mix: no span shown"' in none


def test_most_used_is_a_list_that_can_wrap():
    """Defect 8: "Most used" was one no-wrap line per technique, wider than the panel for long names."""
    analysis = fakes.make_analysis(spans=[
        ("Our source in the military leadership of the Russian Federation reports", "bandwagon_reductio", 0.8),
        ("left the Kurds at the mercy of ISIS", "causal_oversimplification", 0.7),
        ("no one really even tried", "exaggeration_minimisation", 0.6),
    ])
    v = view.build(analysis)
    assert [t.id for t, _ in v.top_techniques] == [
        "bandwagon_reductio", "causal_oversimplification", "exaggeration_minimisation"]
    from propwatch.server.pages import templates

    html = templates().get_template("result.html.j2").render(
        v=v, stored=type("S", (), {"id": "x", "created_at": "2025-01-01T00:00:00+00:00"})(), query="",
        csrf_field="c", csrf_token="t", token_required=False, signed_in=True, path="/analyses/x", undo_minutes=10)
    top = html[html.index('<ul class="top-list">'):html.index("</ul>", html.index('<ul class="top-list">'))]
    assert "nowrap" not in top and top.count("<li>") == 3


def test_the_strip_shades_every_sentence_by_its_score():
    """Defect 10: a sentence without spans was drawn palest whatever its score (41% looked like 6%)."""
    analysis = fakes.make_analysis(spans=[("disastrous", "loaded_language", 0.88)])
    sentences = list(analysis.sentences)
    plain = [i for i, s in enumerate(sentences) if not s.flagged]
    high, low = plain[0], plain[1]
    sentences[high] = sentences[high].model_copy(update={"score": 0.41})
    sentences[low] = sentences[low].model_copy(update={"score": 0.06})
    bars = view.build(analysis.model_copy(update={"sentences": sentences})).strip
    assert bars[high].level > bars[low].level
    assert not bars[high].flagged and bars[high].width < 10  # no highlight in it: a narrow bar, not a pale one
    flagged = next(b for b in bars if b.flagged)
    assert flagged.width == 10 and flagged.level == view.strip_level(0.88)
    levels = [b.level for b in sorted(bars, key=lambda b: b.score)]
    assert levels == sorted(levels)  # darker always means a higher score


def test_spans_csv_download(explained_client):
    id = analyse(explained_client)
    analysis = explained_client.app.state.service.store.get(id).analysis
    r = explained_client.get(f"/analyses/{id}/spans.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment;") and ".csv\"" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == len(analysis.spans)
    text = analysis.article.text
    for row in rows:
        assert text[int(row["start"]):int(row["end"])] == row["text"]
        assert row["strength"] in {"strong", "moderate", "weak"} and 0 < float(row["score"]) <= 1
    filtered = list(csv.DictReader(io.StringIO(explained_client.get(f"/analyses/{id}/spans.csv?min_score=0.7").text)))
    assert {r["strength"] for r in filtered} == {"strong"}
    assert explained_client.get("/analyses/nonexistent/spans.csv").status_code == 404
    assert f'href="/analyses/{id}/spans.csv"' in explained_client.get(f"/analyses/{id}").text


def test_spans_csv_cannot_run_formulas(plain_client):
    text = "A headline\n\n=HYPERLINK(\"http://evil\") is what they call disastrous. @SUM(1) and more.\n"
    id = analyse(plain_client, text)
    body = plain_client.get(f"/analyses/{id}/spans.csv").text
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and all(not r["text"].startswith(("=", "+", "-", "@")) for r in rows)
    from propwatch.render.spans_csv import inert

    assert inert('=HYPERLINK("x")') == "'=HYPERLINK(\"x\")" and inert("plain") == "plain"


def test_spans_csv_is_reached_as_the_other_downloads(make_client):
    """On a token-protected server the CSV answers a browser that has not signed in as the JSON and report
    downloads do (whatever the share-link decision makes of those, the CSV follows the same routes' rules)."""
    import secrets

    client = make_client(analyzer_override=fakes.FakeAnalyzer(), api_token=secrets.token_urlsafe(32))
    id = client.app.state.service.store.save(fakes.make_analysis()).id
    answers = {path: client.get(f"/analyses/{id}/{path}").status_code
               for path in ("analysis.json", "report.html", "spans.csv")}
    assert len(set(answers.values())) == 1, answers


def test_the_downloaded_report_is_headed_by_title_source_and_date(plain_client):
    """Defect 10: the report of pasted text was headed by its internal id ("text-47a1085fe2ef"), undated."""
    id = analyse(plain_client)
    stored = plain_client.app.state.service.store.get(id)
    html = plain_client.get(f"/analyses/{id}/report.html").text
    header = html[html.index("<header>"):html.index("</header>")]
    assert stored.analysis.article.id not in header
    assert f"<h1>{stored.analysis.article.title}</h1>" in header
    assert "Pasted text · analysed <time datetime=" in header
    when = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', header)
    assert when.group(1)[:16] == stored.created_at[:16] and when.group(2).endswith("UTC")


def test_copy_link_and_print_are_offered(plain_client):
    html = plain_client.get(f"/analyses/{analyse(plain_client)}").text
    assert '<button type="button" class="small js-only" id="copy-link">Copy link</button>' in html
    assert 'role="status"' in html
    css = plain_client.get("/static/app.css").text
    printing = css[css.index("@media print {\n"):]
    assert "print-color-adjust: exact" in printing and ".panel .filters" not in printing.split("}")[0]
