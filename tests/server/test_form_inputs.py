"""The input form and the API read what people give them (newsroom issue, defects 2 and 10): an address typed
without https://, and a pasted article without a headline, read the same in the web app, the API and the CLI."""

from __future__ import annotations

import re

import pytest

from propwatch.errors import InputError
from propwatch.schema import Article
from propwatch.server.reading import web_address

from .conftest import post_form

NO_HEADLINE = (
    "The government announced on Monday that it would close three hospitals in the north, a decision that unions "
    "say will leave thousands of patients without care.\n\n"
    "Officials said the plan had been discussed for months, and that no jobs would be lost in the process.\n"
)


@pytest.mark.parametrize("typed, url", [
    ("example.com/x", "https://example.com/x"),
    ("  www.example.co.uk/news/story?id=3#top ", "https://www.example.co.uk/news/story?id=3#top"),
    ("//example.com/x", "https://example.com/x"),
    ("localhost:8000/page", "https://localhost:8000/page"),
    ("http://example.com/x", "http://example.com/x"),
    ("ftp://example.com/x", "ftp://example.com/x"),  # the fetcher names the schemes it takes
])
def test_an_address_without_a_scheme_gets_https(typed, url):
    assert web_address(typed) == url


@pytest.mark.parametrize("typed", ["not an address", "example", "example.com/a story", "/news/story"])
def test_text_that_is_not_an_address_is_refused_with_an_example(typed):
    with pytest.raises(InputError, match="is not a web address; give one like https://example.com/news/story"):
        web_address(typed)


def test_the_form_takes_an_address_without_https(make_client):
    c = make_client()
    html = c.get("/").text
    field = re.search(r'<input type="[^"]+" id="url"[^>]*>', html, re.S).group(0)
    assert 'type="text"' in field and 'inputmode="url"' in field  # the browser no longer refuses it
    r = post_form(c, "/analyze", {"url": "127.0.0.1/story"})
    # https:// was added and the address reached the fetcher, whose network guard refuses a loopback address
    assert r.status_code == 400 and "https://127.0.0.1/story" in r.text
    assert 'value="127.0.0.1/story"' in r.text  # the field keeps what was typed
    bad = post_form(c, "/analyze", {"url": "not an address"})
    assert bad.status_code == 400 and "is not a web address" in bad.text and 'value="not an address"' in bad.text


def test_the_form_knows_the_size_limit(make_client):
    c = make_client(max_body_bytes=123456)
    html = c.get("/").text
    assert 'data-max-bytes="123456"' in html and 'id="size-error" hidden' in html


def test_a_paste_without_a_headline_is_titled_alike_everywhere(make_client):
    """Defect 2: the web app drew the first paragraph as a giant heading and the API gave it as the title."""
    c = make_client()
    expected = Article.from_ptc_text(NO_HEADLINE).title  # what propwatch analyze gives
    assert expected.endswith("…") and len(expected) < 80
    api = c.post("/api/v1/analyze", json={"text": NO_HEADLINE}).json()
    assert api["article"]["title"] == expected
    r = post_form(c, "/analyze", {"text": NO_HEADLINE})
    page = c.get(r.headers["location"]).text
    heading = re.search(r'<h1 id="article-title">(.*?)</h1>', page, re.S).group(1)
    assert "thousands of patients" not in heading  # the paragraph is text, not a heading
    assert "thousands of patients" in page
    assert f">{expected}</a>" in c.get("/history").text
