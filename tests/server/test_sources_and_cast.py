"""Who says so and the cast, through the server: the API answer carries ``attributions`` and ``actors``, the
API reference documents them, and the result page lists them and tags the text for the script, without
inline scripts or styles (the CSP forbids both). Over ``FullAnalyzer`` (hand-made analyses), since the
attribution and actor models are not shipped yet."""

from __future__ import annotations

import re

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from fastapi.testclient import TestClient

from propwatch.schema import Analysis
from propwatch.server import create_app, view

from .conftest import BASE_URL, FullAnalyzer, make_settings
from .test_xss import ARTICLE as XSS_ARTICLE


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app = create_app(make_settings(tmp_path_factory.mktemp("layers")), analyzer=FullAnalyzer())
    with TestClient(app, base_url=BASE_URL) as c:
        yield c


@pytest.fixture(scope="module")
def example():
    return fakes.EXAMPLE


def test_analyze_answers_with_attributions_and_actors(client, example):
    r = client.post("/api/v1/analyze", json={"text": example, "min_score": 0.9})
    assert r.status_code == 200
    body = r.json()
    assert [a["source_type"] for a in body["attributions"]] == ["anonymous"] * 3 + ["none", "named", "named"]
    first = body["attributions"][0]
    assert first["source"]["text"] == "Our source in the military leadership of the Russian Federation"
    assert first["cue"]["text"] == "reports" and first["content"][0]["text"].startswith("the withdrawal")
    assert body["attributions"][3]["source"] is None and body["attributions"][3]["cue"]["text"] == "reportedly"
    us = body["actors"][0]
    assert us["name"] == "United States" and us["kind"] == "state" and us["main_role"] == "Antagonist"
    assert us["fine_roles"] == ["Traitor", "Incompetent"] and len(us["mentions"]) == 14 and us["evidence"]
    analysis = Analysis.model_validate_json(r.text)  # the answer still loads as the core type
    text = analysis.article.text
    for part in (p for a in analysis.attributions for p in a.parts):
        assert text[part.start:part.end] == part.text
    # min_score filters technique spans only: sources and actors are not technique spans
    assert len(body["spans"]) < len(fakes.EXAMPLE_SPANS) and len(body["attributions"]) == 6
    stored = client.get(f"/api/v1/analyses/{body['id']}").json()
    assert stored["attributions"] == body["attributions"] and stored["actors"] == body["actors"]


def test_batch_answers_carry_them_too_and_older_analyses_have_empty_lists(client, example):
    r = client.post("/api/v1/analyze/batch", json={"documents": [{"text": example}, {"text": "A\n\nPlain words."}]})
    items = r.json()["results"]
    assert len(items[0]["analysis"]["actors"]) == 5
    assert items[1]["analysis"]["attributions"] == [] and items[1]["analysis"]["actors"] == []


def test_the_api_reference_documents_them(client):
    html = client.get("/docs").text
    for name in ("Attribution", "Actor", "TextSpan"):
        assert f'id="schema-{name}"' in html
    assert "<code>attributions</code>" in html and "<code>actors</code>" in html
    assert "source_type" in html and "main_role" in html and "fine_roles" in html
    assert 'id="sources-and-actors"' in html


def test_the_result_page_lists_sources_and_cast_without_inline_code(client, example):
    id = client.post("/api/v1/analyze", json={"text": example}).json()["id"]
    r = client.get(f"/analyses/{id}")
    html = r.text
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert not re.search(r"<script(?![^>]*(?:src=|type=\"application/json\"))", html)
    assert " style=" not in html and "<style" not in html
    sources = html[html.index('class="sources layers"'):html.index('class="cast layers"')]
    assert sources.index("type-anonymous") < sources.index("type-none") < sources.index("type-named")
    assert sources.count('aria-pressed="false"') == 6
    assert "6 attributions: 3 anonymous, 1 unsourced, 2 named" in sources
    cast = html[html.index('class="cast layers"'):html.index('id="filters"')]
    assert [h for h in re.findall(r'<h3 class="role-(\w+)"', cast)] == ["protagonist", "antagonist", "innocent",
                                                                        "none"]
    assert cast.count('data-actor="') == 5 and "14 mentions" in cast
    assert "a first reading by a model that is often wrong" in " ".join(cast.split())
    assert 'data-a="a0s"' in html and 'data-m="m0"' in html and 'data-as="a3c"' in html


def test_the_view_tags_every_part_and_keeps_each_span_one_keyboard_stop():
    analysis = fakes.make_full_analysis()
    v = view.build(analysis)
    pieces = [p for b in [v.heading, *v.paragraphs] if b for p in b.pieces]
    openers = sorted(m.index for p in pieces for m in p.marks if m.opens)
    assert openers == list(range(len(analysis.spans)))
    text = analysis.article.text

    def under(key: str, field: str) -> str:
        return "".join(p.text for p in pieces if key in getattr(p, field).split())

    for i, a in enumerate(analysis.attributions):
        assert under(f"a{i}c", "attribution_keys") == a.cue.text
        if a.source:
            assert under(f"a{i}s", "attribution_keys") == a.source.text
    for j, actor in enumerate(analysis.actors):
        assert under(f"m{j}", "actor_keys") == "".join(m.text for m in actor.mentions)
        for k in actor.evidence:
            sent = analysis.sentences[k]
            assert text[sent.start:sent.end].strip() in under(f"e{j}", "evidence_keys")
    # filters still hide technique spans, not sources or actors
    hidden = view.build(analysis, min_score=1.0)
    assert all(m.hidden for b in hidden.paragraphs for p in b.pieces for m in p.marks)
    assert len(hidden.sources) == 3 and len(hidden.cast) == 4


def test_no_panels_for_an_analysis_without_them(client):
    id = client.post("/api/v1/analyze", json={"text": "A title\n\nPlain words here."}).json()["id"]
    html = client.get(f"/analyses/{id}").text
    assert "Who says so" not in html and 'id="cast-h"' not in html and "data-a=" not in html


def test_hostile_names_stay_text(client, example):
    analysis = fakes.make_full_analysis()
    actors = [a.model_copy(update={"name": XSS_ARTICLE[:60]}) for a in analysis.actors]
    sources = [a.model_copy(update={"source_name": "<img src=x onerror=alert(1)>"}) for a in analysis.attributions]
    v = view.build(analysis.model_copy(update={"actors": actors, "attributions": sources}))
    from propwatch.server.pages import templates

    html = templates().get_template("result.html.j2").render(
        v=v, stored=type("S", (), {"id": "x", "created_at": "2026-01-01T00:00:00"})(), query="",
        csrf_field="f", csrf_token="t", token_required=False, signed_in=True, path="/analyses/x", undo_minutes=10)
    assert "<img" not in html and "onerror=alert(1)>" not in html


def test_a_named_source_shows_the_name_only_when_it_adds_something(client, example):
    id = client.post("/api/v1/analyze", json={"text": example}).json()["id"]
    html = client.get(f"/analyses/{id}").text
    assert "the United States <span class=\"name\">" not in html
    assert "The Americans <span class=\"name\">(United States)</span>" in html


def test_an_attribution_without_content_of_its_own_says_what_it_points_to():
    from propwatch.render.html import NESTED_CONTENT
    from propwatch.server.pages import templates

    analysis = fakes.make_full_analysis()
    nested = [analysis.attributions[0].model_copy(update={"content": []}), *analysis.attributions[1:]]
    v = view.build(analysis.model_copy(update={"attributions": nested}))
    html = templates().get_template("result.html.j2").render(
        v=v, stored=type("S", (), {"id": "x", "created_at": "2026-01-01T00:00:00"})(), query="",
        csrf_field="f", csrf_token="t", token_required=False, signed_in=True, path="/analyses/x", undo_minutes=10)
    assert html.count(NESTED_CONTENT) == 1


def test_a_colon_cue_is_not_followed_by_a_second_colon():
    from propwatch.server.pages import templates

    analysis = fakes.make_full_analysis()
    first = analysis.attributions[0]
    colon = first.model_copy(update={"cue": first.cue.model_copy(update={"text": ":"})})
    v = view.build(analysis.model_copy(update={"attributions": [colon, *analysis.attributions[1:]]}))
    html = templates().get_template("result.html.j2").render(
        v=v, stored=type("S", (), {"id": "x", "created_at": "2026-01-01T00:00:00"})(), query="",
        csrf_field="f", csrf_token="t", token_required=False, signed_in=True, path="/analyses/x", undo_minutes=10)
    assert '<span class="cue">:</span> <q>' in html
    assert '<span class="cue">:</span>:' not in html
