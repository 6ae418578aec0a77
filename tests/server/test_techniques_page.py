"""The techniques page and GET /api/v1/techniques (newsroom issue, feature 1): each technique's definition, two
annotated examples, how often the shipped model finds it and what it is mistaken for; article text escaped;
the taxonomy alone while the model loads."""

from __future__ import annotations

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from propwatch.model.config import ModelConfig
from propwatch.model.examples import ExampleIndex
from propwatch.schema import SpanExample, TechniqueReliability
from propwatch.server import create_app
from propwatch.server import pages as pages_module
from propwatch.server.guide import technique_guide, typical_examples
from propwatch.server.schemas import TechniqueInfo
from propwatch.techniques import TECHNIQUE_IDS, TECHNIQUES, get

from .conftest import BASE_URL, SHORT, csrf_token, make_settings


@pytest.fixture(scope="module")
def shipped(analyzer):
    return ModelConfig.read(analyzer.techniques.model.path)


def section(html: str, technique: str) -> str:
    match = re.search(rf'<article class="technique t-{technique}" id="{technique}".*?</article>', html, re.S)
    assert match, technique
    return match.group(0)


def test_every_technique_has_its_anchor_definition_and_two_examples(client):
    r = client.get("/techniques")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    for t in TECHNIQUES:
        part = section(html, t.id)
        assert f'href="#{t.id}"' in html  # the index at the top links to it
        assert str(escape(t.name)) in part and str(escape(t.definition)) in part
        assert part.count('<mark class="example">') == 2, t.id
    assert '<a href="/techniques" aria-current="page">Techniques</a>' in html  # the site navigation


def test_figures_are_the_shipped_models_with_a_warning_for_the_rarely_found(client, shipped):
    html = client.get("/techniques").text
    for technique, r in shipped.reliability.items():
        part = section(html, technique)
        about = 5 * round(r["recall"] * 20)
        assert (f"finds about {about}%" if about else "finds almost none") in part
        # a precision of 0 is over almost no spans: it says nothing, so it is not shown
        assert (f"precision {r['precision'] * 100:.0f}%" in part) == (r["precision"] > 0), technique
        assert f"measured on {r['support']} annotated" in part
        assert ("Often missed" in part) == (r["recall"] < 0.4), technique
    loaded = section(html, "loaded_language")
    assert "Often missed" not in loaded  # the one the model finds most of


def test_what_each_is_mistaken_for_links_to_that_technique(client, shipped):
    html = client.get("/techniques").text
    for technique, c in shipped.confusions.items():
        part = section(html, technique)
        for m in c["mistaken_for"]:
            name = escape(get(m["technique"]).name)
            assert f'<a href="#{m["technique"]}">{name}</a> ({m["share"] * 100:.0f}%)' in part
        if c["mistaken_for"]:
            assert f"its {c['support']} annotated spans" in part


def test_api_gives_the_same_as_typed_json(client, shipped):
    r = client.get("/api/v1/techniques")
    assert r.status_code == 200
    answer = [TechniqueInfo.model_validate(t) for t in r.json()]
    assert [t.id for t in answer] == list(TECHNIQUE_IDS)
    doubt = next(t for t in answer if t.id == "doubt")
    assert doubt.reliability == TechniqueReliability(**shipped.reliability["doubt"])
    assert doubt.often_missed == (shipped.reliability["doubt"]["recall"] < 0.4)
    assert [(m.technique, m.share) for m in doubt.mistaken_for] == [
        (m["technique"], m["share"]) for m in shipped.confusions["doubt"]["mistaken_for"]]
    assert doubt.classified == shipped.confusions["doubt"]["support"]
    assert len(doubt.examples) == 2 and all(e.text and e.article for e in doubt.examples)
    html = client.get("/techniques").text
    for e in doubt.examples:  # the page shows the API's examples
        assert f'<mark class="example">{escape(e.text)}</mark>' in html


def test_examples_are_chosen_the_same_way_every_time_short_distinct_and_typical(analyzer):
    first, second = technique_guide(analyzer), technique_guide(analyzer)
    assert [t.examples for t in first] == [t.examples for t in second]
    for t in first:
        a, b = t.examples
        assert a.article != b.article and a.text.lower() != b.text.lower()
        assert a.similarity >= b.similarity


def test_typical_means_nearest_the_mean_and_short_comes_first():
    e = np.eye(8)
    vectors = np.stack([e[0] + 0.4 * e[1],  # near one
                        e[0] + 0.5 * e[2],  # near two
                        e[3] + 0.1 * e[0],  # far away
                        e[0] + 0.2 * e[4],  # the most typical, but 30 words long
                        e[0] + 0.45 * e[5],  # in the same article as near one
                        e[0] + 0.4 * e[1] + 0.3 * e[6]])  # almost near one again, elsewhere
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    records = [["near one", "", "", "a1"], ["near two", "", "", "a2"], ["far away", "", "", "a3"],
               [" ".join(["long"] * 30), "", "", "a4"], ["near three", "", "", "a1"], ["copy", "", "", "a5"]]
    index = ExampleIndex(vectors, np.full(len(records), TECHNIQUE_IDS.index("doubt")), records)
    assert [e.text for e in typical_examples(index, "doubt", limit=5)] == [
        "near one", "near two", "far away", " ".join(["long"] * 30)]
    assert typical_examples(index, "slogans") == []


def test_example_text_from_articles_is_escaped(client, monkeypatch, analyzer):
    hostile = SpanExample(text="<script>alert('x')</script>", before="\"><img src=x onerror=alert(1)>",
                          after="</q><b>bold</b>", article="<i>a</i>")
    real = technique_guide(analyzer)

    def guide(_analyzer):
        return [t.model_copy(update={"examples": [hostile, hostile]}) for t in real]

    monkeypatch.setattr(pages_module, "technique_guide", guide)
    html = client.get("/techniques").text
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_while_the_model_loads_the_taxonomy_alone(tmp_path):
    app = create_app(make_settings(tmp_path, model=str(tmp_path / "no-such-model")))
    with TestClient(app, base_url=BASE_URL) as c:
        app.state.service.wait_until_loaded(20)
        html = c.get("/techniques").text
        assert "The model is still loading" in html and get("doubt").definition in html
        assert '<mark class="example">' not in html and "Often mistaken" not in html
        answer = c.get("/api/v1/techniques").json()
        assert len(answer) == 14 and all(not t["examples"] and t["reliability"] is None and not t["mistaken_for"]
                                         for t in answer)


def test_result_page_links_to_the_techniques_page(client):
    token = csrf_token(client)
    r = client.post("/analyze", data={"text": SHORT, "csrf_token": token}, follow_redirects=True)
    assert r.status_code == 200
    assert 'href="/techniques" id="techniques-link"' in r.text
    missed = re.search(r'<ul class="missed-list">.*?</ul>', r.text, re.S)  # "not found is not not there"
    assert missed, "the shipped model misses some techniques: the page lists them"
    listed = re.findall(r'<li><span class="chip t-([a-z_]+)">', missed.group(0))
    assert listed and all(f'<a class="name" href="/techniques#{t}">' in missed.group(0) for t in listed)
