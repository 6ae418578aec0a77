"""Article metadata on the web (newsroom issue, feature 4): the outlet, author and publication date of a web
page reach the API's JSON, the result page's header and the downloaded report's header, escaped."""

from __future__ import annotations

from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.render import render_html

from .conftest import FullAnalyzer, post_form

PAGE = (Path(__file__).parents[1] / "inputs" / "news_page_with_metadata.html").read_text(encoding="utf-8")


@pytest.fixture
def c(make_client):
    return make_client(FullAnalyzer())


def test_the_api_answers_with_the_metadata(c):
    r = c.post("/api/v1/analyze", json={"html": PAGE})
    assert r.status_code == 200, r.text
    article = r.json()["article"]
    assert (article["outlet"], article["author"], article["published"]) == (
        "The Riverside Courier", "Maria Lopez", "2021-06-14")
    again = c.get(f"/api/v1/analyses/{r.json()['id']}").json()["article"]
    assert again["outlet"] == "The Riverside Courier"  # kept in the history


def test_a_text_has_none(c):
    article = c.post("/api/v1/analyze", json={"text": "A title\n\nA body of text."}).json()["article"]
    assert (article["outlet"], article["author"], article["published"]) == (None, None, None)


def test_the_result_page_and_report_show_outlet_author_and_date(c):
    upload = {"file": ("bridge.html", PAGE.encode("utf-8"), "text/html")}
    r = post_form(c, "/analyze", {}, files=upload)
    assert r.status_code == 303, r.text[:400]
    html = c.get(r.headers["location"]).text
    byline = html[html.index('class="meta byline"'):]
    byline = byline[: byline.index("</p>")]
    assert 'href="/history?outlet=The%20Riverside%20Courier"' in byline
    assert ">The Riverside Courier</a>" in byline and '<span class="author">Maria Lopez</span>' in byline
    assert '<time datetime="2021-06-14">2021-06-14</time>' in byline
    report = c.get(r.headers["location"] + "/report.html").text
    assert '<span class="outlet">The Riverside Courier</span> · by <span class="author">Maria Lopez</span>' in report
    assert 'published <time datetime="2021-06-14">' in report


def test_hostile_metadata_is_text(c):

    analysis = fakes.make_analysis()
    hostile = analysis.article.model_copy(update={"outlet": "<script>alert(1)</script>", "author": '"><img src=x>'})
    stored = c.app.state.service.store.save(analysis.model_copy(update={"article": hostile}))
    html = c.get(f"/analyses/{stored.id}").text
    assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "%3Cscript%3E" in html  # text, and a safe link
    report = render_html(stored.analysis)
    assert "<img src=x>" not in report and "&lt;img src=x&gt;" in report


def test_a_page_without_metadata_has_no_byline(c):
    r = c.post("/api/v1/analyze", json={"text": "A title\n\nA body of text."})
    assert 'class="meta byline"' not in c.get(f"/analyses/{r.json()['id']}").text
