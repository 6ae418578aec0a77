"""The API reference (newsroom issue, defect 9 and feature 9): ``/docs`` showed raw double backticks and one
request example; every endpoint now has an example request and answer, and ``/docs/try`` is Swagger UI served
by the app itself (no CDN), so it works offline."""

from __future__ import annotations

import re
from html import unescape

import pytest

from propwatch.server import examples
from propwatch.server.errors import ErrorBody
from propwatch.server.schemas import (
    AnalysisPage,
    AnalyzeRequest,
    BatchRequest,
    BatchResponse,
    Health,
    Readiness,
    StoredAnalysis,
    TechniqueInfo,
)


def sections(html: str) -> dict[str, str]:
    found = re.findall(r'<section class="op" id="([^"]+)">(.*?)</section>', html, re.S)
    return dict(found)


def test_the_reference_shows_code_not_backticks(client):
    html = client.get("/docs").text
    assert "``" not in unescape(re.sub(r"<[^>]+>", "", html))
    assert "<code>Retry-After</code>" in html and "<code>article.text</code>" in html


def test_every_endpoint_has_an_example_request_and_answer(client):
    spec = client.get("/openapi.json").json()
    operations = sections(client.get("/docs").text)
    expected = {f"{m}-{p}".replace("/", "-").strip("-") for p, ms in spec["paths"].items() for m in ms}
    assert set(operations) == expected and len(expected) >= 9
    for anchor, body in operations.items():
        assert "Example request" in body and "curl -s" in body, anchor
        assert "Example answer" in body, anchor
    analyze = operations["post--api-v1-analyze"]
    assert analyze.count("Example request") == len(examples.ANALYZE_REQUESTS)
    assert "-H &#39;Content-Type: application/json&#39;" in analyze and "so-called experts" in analyze
    assert "k3XbQ9pL2mNw" in operations["delete--api-v1-analyses-{id}"]
    assert "No body." in operations["delete--api-v1-analyses-{id}"]
    assert "&#34;technique&#34;: &#34;loaded_language&#34;" in operations["get--api-v1-analyses-{id}"]
    assert "Authorization" not in analyze  # this server has no token


def test_the_token_header_is_shown_when_the_server_has_one(make_client):
    c = make_client(api_token="correct-horse-battery-staple-0123456789")
    html = c.get("/docs").text
    assert "-H &#39;Authorization: Bearer &lt;token&gt;&#39;" in html
    spec = c.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


@pytest.mark.parametrize("model, example", [
    (StoredAnalysis, examples.STORED), (BatchResponse, examples.BATCH_RESPONSE), (AnalysisPage, examples.PAGE),
    (TechniqueInfo, examples.TECHNIQUE), (Health, examples.HEALTH), (Readiness, examples.READY),
    (BatchRequest, examples.BATCH_REQUEST),
    *[(AnalyzeRequest, e["value"]) for e in examples.ANALYZE_REQUESTS.values()],
])
def test_every_example_is_what_the_api_accepts_or_answers(model, example):
    model.model_validate(example)


def test_errors_have_an_example_too(client):
    spec = client.get("/openapi.json").json()
    ErrorBody.model_validate(spec["components"]["schemas"]["ErrorBody"]["examples"][0])


def test_the_interactive_reference_is_served_by_the_app(client):
    r = client.get("/docs/try")
    assert r.status_code == 200
    html = r.text
    assert '<script src="/assets/swagger-ui/swagger-ui-bundle.js" defer></script>' in html
    assert '<script src="/static/api-try.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/assets/swagger-ui/swagger-ui.css">' in html
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)  # nothing from another site
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script: the CSP forbids them
    for path, kind in [("/assets/swagger-ui/swagger-ui-bundle.js", "javascript"),
                       ("/assets/swagger-ui/swagger-ui.css", "text/css"), ("/static/api-try.js", "javascript")]:
        asset = client.get(path)
        assert asset.status_code == 200 and kind in asset.headers["content-type"], path
    assert 'href="/docs/try"' in client.get("/docs").text
