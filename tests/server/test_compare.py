"""Two analyses side by side in the web app and the API (newsroom issue, feature 5): the compare page reached
from the history (tick two, Compare) and from a result page (Compare with…), ``GET /api/v1/compare`` with the
same figures as ``propwatch compare --json``, JSON errors, sign-in on a token server, article text escaped."""

from __future__ import annotations

from urllib.parse import urlencode

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.comparison import Comparison, compare
from propwatch.schema import Article

from .conftest import FullAnalyzer, post_form

TOKEN = "correct-horse-battery-staple-0123456789"
HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


@pytest.fixture
def stored(make_client):
    """A server over the pipeline's stand-in with three stored analyses: the whole example (with sources and
    cast), a part of it under a hostile title, and one without any layer."""
    c = make_client(analyzer_override=FullAnalyzer())
    store = c.app.state.service.store
    whole = store.save(fakes.make_full_analysis())
    part = fakes.FakeAnalyzer().analyze(Article.from_ptc_text(fakes.EXAMPLE[:3000], id="part",
                                                              source="https://news.example.org/part"))
    part = part.model_copy(update={"article": part.article.model_copy(update={"title": HOSTILE})})
    plain = store.save(fakes.make_analysis())
    return c, whole.id, store.save(part).id, plain.id


def test_the_page_shows_scores_mix_sources_and_cast(stored):
    c, whole, part, _ = stored
    r = c.get(f"/compare?a={whole}&b={part}")
    assert r.status_code == 200
    html = r.text
    for heading in ("Scores", "Technique mix", "Sources", "Cast"):
        assert f">{heading}" in html
    assert "Spans per 1,000 words" in html and "Sentences flagged" in html and "Share anonymous" in html
    assert "our specialists" in html and "villain" in html and "not named" in html  # Turkey: only in A
    assert f'href="/analyses/{whole}"' in html and f'href="/analyses/{part}"' in html
    assert f'href="/compare?a={part}&amp;b={whole}"' in html  # swap
    assert HOSTILE not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "news.example.org" in html
    model = c.app.state.service.store.get(whole).analysis.model
    assert html.count(f'model <span class="model">{model.name} {model.version}</span>') == 2  # each side's


def test_without_actors_the_cast_is_left_out(stored):
    c, whole, _, plain = stored
    html = c.get(f"/compare?a={plain}&b={whole}").text
    assert ">Cast" in html  # A has none, B has: shown
    other = c.app.state.service.store.save(fakes.make_analysis(article_id="other")).id
    html = c.get(f"/compare?a={plain}&b={other}").text
    assert ">Cast" not in html and ">Sources" not in html and ">Scores" in html


def test_reached_from_the_history(stored):
    c, whole, part, _ = stored
    history = c.get("/history").text
    assert 'action="/compare"' in history and 'id="compare-form"' in history
    assert f'name="id" value="{whole}" form="compare-form"' in history
    ticked = c.get(f"/compare?id={whole}&id={part}")  # two ticked boxes
    assert ticked.status_code == 200 and "Technique mix" in ticked.text
    one = c.get(f"/compare?id={whole}")  # one ticked: choose the other
    assert one.status_code == 200 and "Compare with" in one.text


def test_reached_from_a_result_page(stored):
    c, whole, part, plain = stored
    result = c.get(f"/analyses/{whole}").text
    assert f'href="/compare?a={whole}"' in result
    chooser = c.get(f"/compare?a={whole}")
    assert chooser.status_code == 200 and "Compare with" in chooser.text
    assert f'href="/compare?a={whole}&amp;b={part}"' in chooser.text
    assert f'href="/compare?a={whole}&amp;b={whole}"' not in chooser.text
    assert HOSTILE not in chooser.text


@pytest.mark.parametrize("query,status", [("", 422), ("?id=x1&id=x2&id=x3", 422), ("?a=missing-id&b=other", 404)])
def test_bad_choices_get_a_page_that_says_why(stored, query, status):
    c, whole, _, _ = stored
    r = c.get("/compare" + query)
    assert r.status_code == status and "text/html" in r.headers["content-type"]
    same = c.get(f"/compare?a={whole}&b={whole}")
    assert same.status_code == 422 and "same analysis" in same.text


def test_the_api_gives_the_comparison_the_cli_prints(stored):
    c, whole, part, _ = stored
    r = c.get(f"/api/v1/compare?{urlencode({'a': whole, 'b': part})}")
    assert r.status_code == 200
    answer = Comparison.model_validate(r.json())
    store = c.app.state.service.store
    expected = compare(store.get(whole).analysis, store.get(part).analysis, whole, part)
    assert answer == expected
    assert answer.b.title == HOSTILE  # JSON carries the text as it is


@pytest.mark.parametrize("query,status,code", [
    ("a=nope&b=nope2", 404, "not_found"), ("a=x", 422, "validation_error"), ("", 422, "validation_error")])
def test_api_errors_are_json(stored, query, status, code):
    c, *_ = stored
    r = c.get("/api/v1/compare?" + query)
    assert r.status_code == status and r.json()["code"] == code and r.json()["message"]


def test_api_refuses_the_same_id_twice(stored):
    c, whole, *_ = stored
    r = c.get(f"/api/v1/compare?a={whole}&b={whole}")
    assert r.status_code == 422 and "same analysis" in r.json()["message"]


def test_the_example_answer_is_what_the_api_answers():
    from propwatch.server import examples
    from propwatch.server.schemas import ComparisonAnswer

    assert ComparisonAnswer.model_validate(examples.COMPARISON).a.id == examples.EXAMPLE_ID


def test_with_a_token_compare_needs_sign_in(make_client):
    c = make_client(api_token=TOKEN, analyzer_override=FullAnalyzer())
    store = c.app.state.service.store
    a, b = store.save(fakes.make_full_analysis()).id, store.save(fakes.make_analysis()).id
    url = f"/compare?a={a}&b={b}"
    r = c.get(url, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?" + urlencode({"next": url}, safe="/")
    assert c.get(f"/api/v1/compare?a={a}&b={b}").status_code == 401
    assert c.get(f"/api/v1/compare?a={a}&b={b}", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert post_form(c, "/login", {"token": TOKEN, "next": url}).headers["location"] == url
    assert c.get(url).status_code == 200
