"""The history researchers can use (newsroom issue, feature 6), served: the page's search, filters, sort, batch
runs, pages and exports without JavaScript, the API's listing with the same filters, and bad values refused
clearly (a message on the page, a 422 JSON in the API)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.history import Run

SPANS = fakes.EXAMPLE_SPANS
DOUBT = [s for s in SPANS if s[1] == "doubt"]
LOADED = [s for s in SPANS if s[1] == "loaded_language"]


def analysis(title: str, *, score: float, spans=(), outlet: str | None = None, source: str | None = None,
             article_id: str = "a"):
    a = fakes.make_analysis(spans=list(spans), title=title, source=source, article_id=article_id)
    return a.model_copy(update={"article": a.article.model_copy(update={"outlet": outlet}), "score": score})


@pytest.fixture
def c(make_client):
    client = make_client()
    store = client.app.state.service.store
    store.save(analysis("Bridge approved", score=0.10, outlet="The Riverside Courier",
                        source="https://courier.example/bridge"))
    store.save(analysis("Minister lies again", score=0.62, spans=LOADED, outlet="Daily Shout"))
    store.save(analysis("=HYPERLINK(\"x\") doubts", score=0.35, spans=DOUBT, source="notes/plan.txt"))
    store.put_many([("RUNRUNRUN001", analysis("From the run", score=0.48, spans=DOUBT + LOADED, outlet="Daily Shout",
                                              article_id="r1"))], run=Run(id="run-1", name="outlets-2019"))
    return client


def titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'<td class="article"><a href="/analyses/[^"]+">([^<]*)</a>', html)]


def test_the_page_searches_filters_and_sorts_without_javascript(c):
    assert titles(c.get("/history").text) == ["From the run", "=HYPERLINK(\"x\") doubts", "Minister lies again",
                                              "Bridge approved"]
    assert titles(c.get("/history?q=riverside").text) == ["Bridge approved"]
    assert titles(c.get("/history?outlet=daily+shout").text) == ["From the run", "Minister lies again"]
    assert titles(c.get("/history?technique=doubt&sort=lowest").text) == ["=HYPERLINK(\"x\") doubts", "From the run"]
    assert titles(c.get("/history?technique=LOAD").text) == ["From the run", "Minister lies again"]  # a short code
    assert titles(c.get("/history?min=30&max=50").text) == ["From the run", "=HYPERLINK(\"x\") doubts"]
    assert titles(c.get("/history?sort=highest").text)[0] == "Minister lies again"
    html = c.get("/history?q=nothing-like-this").text
    assert 'id="history-none"' in html and titles(html) == []


def test_the_form_keeps_what_was_chosen(c):
    html = c.get("/history?q=lies&technique=doubt&min=20&sort=oldest&run=run-1").text
    assert 'name="q" value="lies"' in html and 'name="min" value="20"' in html
    assert '<option value="doubt" selected>' in html and '<option value="oldest" selected>' in html
    assert '<option value="run-1" selected>outlets-2019 (1)</option>' in html


def test_batch_runs_group_the_list(c):
    html = c.get("/history").text
    assert '<a class="run" href="/history?run=run-1"' in html  # a run's row links to its run
    html = c.get("/history?run=run-1").text
    assert titles(html) == ["From the run"] and "Batch run <strong>outlets-2019</strong>: 1 analysis match" in html


def test_outlets_link_to_their_analyses_and_sources_stay_short(c):
    html = c.get("/history?sort=oldest").text
    assert ('<td class="source" title="https://courier.example/bridge"><a href="/history?outlet=The+Riverside+Courier'
            '&amp;sort=oldest"') in html
    assert '<td class="source" title="notes/plan.txt">plan.txt</td>' in html


def test_pages_keep_the_filters(c):
    store = c.app.state.service.store
    for i in range(30):
        store.save(analysis(f"Doubt {i}", score=0.5, spans=DOUBT, article_id=f"d{i}"))
    html = c.get("/history?technique=doubt&sort=oldest").text
    assert "Page 1 of 2" in html and 'href="/history?technique=doubt&amp;sort=oldest&amp;page=2" rel="next"' in html
    second = c.get("/history?technique=doubt&sort=oldest&page=2").text
    assert len(titles(second)) == 32 - 25 and titles(second)[-1] == "Doubt 29"
    assert 'href="/history?technique=doubt&amp;sort=oldest" rel="prev"' in second


@pytest.mark.parametrize("query, message", [
    ("min=abc", "score from: a percentage from 0 to 100, not &#39;abc&#39;"),
    ("max=150", "score to: a percentage from 0 to 100, not 150"),
    ("min=80&max=20", "score: “from” (80%) is above “to” (20%)"),
    ("technique=propaganda", "technique: unknown technique &#39;propaganda&#39;; valid ids are: "),
    ("sort=random", "sort: &#39;random&#39; is no order; use one of newest, oldest, highest, lowest"),
    ("page=0", "page: a page number"),
    ("q=%00zzzz", "text: no NUL characters"),
])
def test_bad_values_get_a_clear_message_on_the_page(c, query, message):
    r = c.get(f"/history?{query}")
    assert r.status_code == 422
    assert 'id="history-error"' in r.text and message in r.text
    assert 'class="history-filters"' in r.text and titles(r.text) == []  # the form stays, to correct it


def test_exports_hold_the_whole_filtered_list(c):
    r = c.get("/history/export.csv?technique=doubt&sort=lowest")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="propwatch-history.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(\"x\") doubts", "From the run"]  # formulas made inert
    assert rows[1]["run_name"] == "outlets-2019" and rows[1]["outlet"] == "Daily Shout"
    assert rows[1]["link"] == "/analyses/RUNRUNRUN001" and rows[1]["score"] == "0.48"
    data = c.get("/history/export.json?outlet=Daily+Shout").json()
    assert data["total"] == 2 and data["filters"]["outlet"] == "Daily Shout"
    assert {i["title"] for i in data["items"]} == {"From the run", "Minister lies again"}
    assert c.get("/history/export.csv?min=x").status_code == 422
    assert c.get("/history/export.xml").status_code == 404
    html = c.get("/history?technique=doubt").text
    assert 'href="/history/export.csv?technique=doubt"' in html
    assert 'href="/history/export.json?technique=doubt"' in html


def test_the_api_lists_with_the_same_filters(c):
    page = c.get("/api/v1/analyses", params={"technique": "doubt", "sort": "highest"}).json()
    assert [i["title"] for i in page["items"]] == ["From the run", "=HYPERLINK(\"x\") doubts"] and page["total"] == 2
    run_item = page["items"][0]
    assert (run_item["run_id"], run_item["run_name"], run_item["outlet"]) == ("run-1", "outlets-2019", "Daily Shout")
    page = c.get("/api/v1/analyses", params={"q": "bridge", "min_score": 0.05, "max_score": 0.2}).json()
    assert [i["title"] for i in page["items"]] == ["Bridge approved"]
    page = c.get("/api/v1/analyses", params={"limit": 1, "outlet": "daily shout"}).json()
    assert page["total"] == 2 and page["next_offset"] == 1
    assert c.get("/api/v1/runs").json() == [
        {"id": "run-1", "name": "outlets-2019", "analyses": 1, "created_at": run_item["created_at"]}]


@pytest.mark.parametrize("params, message", [
    ({"min_score": 2}, r"^query\.min_score: "),
    ({"sort": "random"}, r"^query\.sort: "),
    ({"technique": "nope"}, r"^technique: unknown technique 'nope'; valid ids are: .*doubt"),
    ({"min_score": 0.8, "max_score": 0.1}, r"^min_score: the lowest score \(0\.8\) is above the highest \(0\.1\)"),
    ({"limit": 500}, r"^query\.limit: "),
])
def test_the_api_refuses_bad_values_with_422_json(c, params, message):
    r = c.get("/api/v1/analyses", params=params)
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert re.match(message, r.json()["message"]), r.json()


def test_exports_need_sign_in_on_a_token_server(make_client):
    c = make_client(api_token="a-long-enough-secret-token-for-tests-0123")
    r = c.get("/history/export.csv", follow_redirects=False)
    assert r.status_code in (303, 401) and "propwatch-history" not in r.headers.get("content-disposition", "")
