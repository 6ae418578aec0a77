"""Article text is untrusted: script tags, attribute break-outs and ``javascript:`` links must reach every view
as inert, visible text (the browser test checks the same payloads in a real browser)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from .conftest import post_form

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href=\"javascript:alert('xss-link')\">read more</a>",
    "javascript:alert(document.cookie)",
    "</script><script>alert('xss-breakout')</script>",
    "' onmouseover='alert(2)",
]
ARTICLE = (
    f"Traitors <script>alert('xss-title')</script> lie \"><img src=x onerror=alert(1)>\n\n"
    f"The corrupt elite will destroy everything you love. {PAYLOADS[0]} They are liars and thieves. "
    f"{PAYLOADS[1]} Every patriot must stand up now. {PAYLOADS[2]} Visit {PAYLOADS[3]} for more. "
    f"{PAYLOADS[4]} Can we really trust them? {PAYLOADS[5]} Never.\n"
)


class Markup(HTMLParser):
    """What a browser would build: every element and attribute, with entities decoded."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    """No element, attribute or URL from the payloads made it into the markup."""
    for tag, attrs in Markup(html).elements:
        assert tag not in ("img", "iframe", "object", "embed"), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/") or attrs.get("type") == "application/json", attrs
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith("javascript:"), (tag, name, value)
    assert "<script>alert" not in html.lower()


@pytest.fixture(scope="module")
def xss_id(client):
    r = post_form(client, "/analyze", {"text": ARTICLE})
    assert r.status_code == 303
    return r.headers["location"].rsplit("/", 1)[-1]


def test_result_page(client, xss_id):
    html = client.get(f"/analyses/{xss_id}").text
    assert_inert(html)
    assert "&lt;script&gt;alert(" in html  # shown as text, not dropped
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&lt;img src=x onerror=alert(1)" in html
    # the JSON block for the script cannot be closed early by the article
    block = re.search(r'<script type="application/json" id="analysis-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block


def test_filtered_result_page(client, xss_id):
    assert_inert(client.get(f"/analyses/{xss_id}?min_score=0.3&f=1&t=loaded_language").text)


def test_history_page(client, xss_id):
    html = client.get("/history").text
    assert_inert(html)
    assert "Traitors &lt;script&gt;" in html


def test_downloaded_report(client, xss_id):
    r = client.get(f"/analyses/{xss_id}/report.html")
    assert_inert(r.text)
    assert "&lt;script&gt;" in r.text


def test_json_views_are_json(client, xss_id):
    for path in (f"/analyses/{xss_id}/analysis.json", f"/api/v1/analyses/{xss_id}"):
        r = client.get(path)
        assert r.headers["content-type"].startswith("application/json")
        assert r.json()["article"]["text"] == ARTICLE


def test_form_errors_echo_input_safely(client):
    r = post_form(client, "/analyze", {"text": ARTICLE, "url": "javascript:alert(1)"})
    assert r.status_code == 400
    assert_inert(r.text)
    assert "&lt;script&gt;alert(" in r.text  # the text is kept in the textarea, escaped
    r = post_form(client, "/analyze", {"url": "javascript:alert(1)//\"><img src=x onerror=alert(1)>"})
    assert r.status_code == 400
    assert_inert(r.text)


def test_uploaded_file_names_are_escaped(client):
    name = "<img src=x onerror=alert(1)>.txt"
    r = post_form(client, "/analyze", files={"file": (name, ARTICLE.encode(), "text/plain")})
    assert r.status_code == 303
    id = r.headers["location"].rsplit("/", 1)[-1]
    for path in (f"/analyses/{id}", "/history", f"/analyses/{id}/report.html"):
        assert_inert(client.get(path).text)
    assert "attachment" in client.get(f"/analyses/{id}/report.html").headers["content-disposition"]


def test_html_input_is_read_as_text_never_rendered(client):
    page = ("<html><head><title>Payload page</title><script>alert('head')</script></head><body><article>"
            "<p>They lie to you every day, and the corrupt media help them hide it from honest people.</p>"
            "<p><img src=x onerror=alert(1)>Click <a href=\"javascript:alert(1)\">here</a> now, patriots.</p>"
            "</article></body></html>")
    r = client.post("/api/v1/analyze", json={"html": page})
    assert r.status_code == 200
    id = r.json()["id"]
    assert_inert(client.get(f"/analyses/{id}").text)
    assert "javascript" not in r.json()["article"]["text"]


def test_bad_ids_in_paths_are_not_reflected(client):
    r = client.get("/analyses/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404
    assert_inert(r.text)


def test_the_script_never_writes_html():
    """app.js builds tooltips and labels with textContent only; markup from data would bypass the escaping."""
    from propwatch.server.app import STATIC

    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink
