"""Every endpoint of the v1 API and every error code it promises, against the real analyzer."""

from __future__ import annotations

import json

import pytest

from propwatch import Analysis
from propwatch.techniques import TECHNIQUES

from .conftest import SHORT


def analyze(client, **body):
    return client.post("/api/v1/analyze", json=body)


def test_analyze_text_returns_the_analysis_with_its_id(client, analyzer):
    r = analyze(client, text=SHORT)
    assert r.status_code == 200, r.text
    body = r.json()
    analysis = Analysis.model_validate_json(r.text)  # the core schema reads the API's answer as is
    expected = analyzer.analyze_text(SHORT)
    assert [(s.start, s.end, s.technique) for s in analysis.spans] == [
        (s.start, s.end, s.technique) for s in expected.spans
    ]
    assert analysis.score == expected.score
    assert body["id"] and body["links"]["html"] == f"/analyses/{body['id']}"
    for span in analysis.spans:
        assert analysis.article.text[span.start : span.end] == span.text
    # the id reads back the same analysis
    again = client.get(f"/api/v1/analyses/{body['id']}")
    assert again.status_code == 200
    assert again.json()["spans"] == body["spans"]


def test_analyze_html_extracts_the_article(client):
    page = ("<!DOCTYPE html><html><head><title>Ministers lie again</title></head><body><nav>Home | World</nav>"
            "<article><h1>Ministers lie again</h1><p>The corrupt ministers have betrayed every honest worker in "
            "this country, and they will keep lying until we stop them.</p><p>Nobody believes their promises "
            "any more, and the opposition says the budget is a disgrace.</p></article></body></html>")
    r = analyze(client, html=page, id="my page")
    assert r.status_code == 200, r.text
    article = r.json()["article"]
    assert article["id"] == "my-page"
    assert article["title"] == "Ministers lie again"
    assert "Home | World" not in article["text"] and "betrayed every honest worker" in article["text"]


def test_options_filter_the_answer_but_not_the_stored_analysis(client, example_text):
    full = analyze(client, text=example_text).json()
    assert len({s["score"] for s in full["spans"]}) >= 2, "the example article should give several spans"
    threshold = sorted(s["score"] for s in full["spans"])[len(full["spans"]) // 2]
    high = analyze(client, text=example_text, min_score=threshold).json()
    assert high["spans"] and all(s["score"] >= threshold for s in high["spans"])
    assert len(high["spans"]) < len(full["spans"])
    assert sum(high["technique_counts"].values()) == len(high["spans"])
    stored = client.get(f"/api/v1/analyses/{high['id']}").json()
    assert len(stored["spans"]) == len(full["spans"])  # stored complete
    filtered = client.get(f"/api/v1/analyses/{high['id']}", params={"min_score": threshold}).json()
    assert filtered["spans"] == high["spans"]

    one = full["spans"][0]["technique"]
    only = client.get(f"/api/v1/analyses/{full['id']}", params={"techniques": one}).json()
    assert only["spans"] and {s["technique"] for s in only["spans"]} == {one}
    short_code = next(t.short for t in TECHNIQUES if t.id == one)
    by_code = analyze(client, text=example_text, techniques=[short_code], store=False).json()
    assert by_code["spans"] == only["spans"]


def test_store_false_keeps_no_history(client):
    before = client.get("/api/v1/analyses").json()["total"]
    r = analyze(client, text=SHORT, store=False)
    assert r.status_code == 200 and r.json()["id"] is None
    assert client.get("/api/v1/analyses").json()["total"] == before


def test_batch_analyses_each_document_and_reports_failures_in_place(client, analyzer):
    docs = [{"text": SHORT, "id": "first"}, {"text": "   \n  "}, {"text": "Calm news\n\nThe council met on Tuesday."}]
    r = client.post("/api/v1/analyze/batch", json={"documents": docs})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["analysed"], body["failed"]) == (2, 1)
    assert [item["index"] for item in body["results"]] == [0, 1, 2]
    first, bad, third = body["results"]
    assert first["analysis"]["article"]["id"] == "first" and first["analysis"]["id"]
    assert bad["analysis"] is None and bad["error"]["code"] == "invalid_input"
    assert "empty" in bad["error"]["message"]
    single = analyzer.analyze_text(SHORT)
    assert [(s["start"], s["end"], s["technique"]) for s in first["analysis"]["spans"]] == [
        (s.start, s.end, s.technique) for s in single.spans
    ]
    assert third["analysis"]["article"]["title"] == "Calm news"


def test_batch_of_more_than_64_documents_is_refused(client):
    r = client.post("/api/v1/analyze/batch", json={"documents": [{"text": "a b c"}] * 65})
    assert r.status_code == 422
    assert r.json()["code"] == "validation_error" and "documents" in r.json()["message"]


def test_history_is_paginated_newest_first(make_client):
    c = make_client()
    ids = [analyze(c, text=f"Story {i}\n\nThe council met on day {i}.").json()["id"] for i in range(5)]
    page = c.get("/api/v1/analyses", params={"limit": 2}).json()
    assert page["total"] == 5 and page["limit"] == 2 and page["offset"] == 0 and page["next_offset"] == 2
    assert [item["id"] for item in page["items"]] == ids[::-1][:2]
    assert page["items"][0]["title"] == "Story 4" and page["items"][0]["links"]["self"] == f"/api/v1/analyses/{ids[4]}"
    last = c.get("/api/v1/analyses", params={"limit": 2, "offset": 4}).json()
    assert [item["id"] for item in last["items"]] == [ids[0]] and last["next_offset"] is None
    assert c.get("/api/v1/analyses", params={"offset": 50}).json()["items"] == []
    assert c.get("/api/v1/analyses", params={"limit": 0}).status_code == 422


def test_delete_removes_one_analysis_and_only_it(client):
    keep = analyze(client, text=SHORT).json()["id"]
    gone = analyze(client, text=SHORT).json()["id"]
    r = client.delete(f"/api/v1/analyses/{gone}")
    assert r.status_code == 204 and r.content == b""
    assert client.get(f"/api/v1/analyses/{gone}").json()["code"] == "not_found"
    assert client.delete(f"/api/v1/analyses/{gone}").status_code == 404
    assert client.get(f"/api/v1/analyses/{keep}").status_code == 200


def test_techniques_lists_the_taxonomy(client):
    r = client.get("/api/v1/techniques")
    assert r.status_code == 200
    assert [t["id"] for t in r.json()] == [t.id for t in TECHNIQUES]
    doubt = next(t for t in r.json() if t["id"] == "doubt")
    assert doubt["definition"] and doubt["example"] and doubt["colour"].startswith("#")


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["model"]["name"] and body["storage"] is True
    assert body["running"] == 0 and body["waiting"] == 0


def test_openapi_documents_every_endpoint(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path, method in [("/api/v1/analyze", "post"), ("/api/v1/analyze/batch", "post"),
                         ("/api/v1/analyses/{id}", "get"), ("/api/v1/analyses", "get"),
                         ("/api/v1/analyses/{id}", "delete"), ("/api/v1/techniques", "get"),
                         ("/healthz", "get"), ("/readyz", "get")]:
        assert method in paths[path], (path, method)
    assert {"413", "415", "422", "429", "503"} <= set(paths["/api/v1/analyze"]["post"]["responses"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/analyze/batch" in docs.text and "AnalyzeRequest" in docs.text
    assert "cdn" not in docs.text.lower()


# -- errors: JSON with a stable code, the right status, never a traceback ---------------------------------------
@pytest.mark.parametrize("body, code, status, words", [
    ({"text": ""}, "invalid_input", 400, "empty"),
    ({"text": "   \n\t "}, "invalid_input", 400, "whitespace"),
    ({"text": "binary \x00\x01\x02\x03\x04\x05\x06\x07\x08 data"}, "invalid_input", 400, "binary"),
    ({"html": "<!DOCTYPE html><html><body><script>go()</script></body></html>"}, "invalid_input", 400, "no article"),
    ({"url": "ftp://example.com/file.txt"}, "fetch_failed", 400, "http"),
    ({"url": "not a url"}, "fetch_failed", 400, "url"),
])
def test_bad_input_is_400_with_a_message(client, body, code, status, words):
    r = analyze(client, **body)
    assert r.status_code == status, r.text
    assert r.json()["code"] == code
    assert words in r.json()["message"].lower()


@pytest.mark.parametrize("body, field", [
    ({}, "exactly one of 'text', 'html' or 'url'"),
    ({"text": "a", "url": "https://example.com"}, "exactly one"),
    ({"text": "a", "min_score": 1.5}, "min_score"),
    ({"text": "a", "techniques": ["propaganda"]}, "unknown technique"),
    ({"text": "a", "txt": "typo"}, "txt"),
    ({"text": 42}, "text"),
])
def test_schema_violations_are_422(client, body, field):
    r = analyze(client, **body)
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "validation_error"
    assert field in r.json()["message"] or field in json.dumps(r.json()["details"])


def test_invalid_json_is_400(client):
    r = client.post("/api/v1/analyze", content=b'{"text": "unclosed', headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["code"] == "invalid_json"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_non_json_bodies_are_415(client, content_type):
    r = client.post("/api/v1/analyze", content=b"text=hello", headers={"Content-Type": content_type})
    assert r.status_code == 415
    assert r.json()["code"] == "unsupported_media_type" and "application/json" in r.json()["message"]


def test_a_body_without_content_type_is_415(client):
    """``requests.post(url, data=json_text)`` sends no Content-Type: say so, not "a valid dictionary"."""
    r = client.post("/api/v1/analyze", content=b'{"text": "The traitors lie."}')
    assert "content-type" not in {k.lower() for k in r.request.headers}
    assert r.status_code == 415 and "Content-Type" in r.json()["message"]


def test_bodies_over_the_cap_are_413(make_client):
    c = make_client(max_body_bytes=10_000)
    declared = c.post("/api/v1/analyze", json={"text": "word " * 3000})
    assert declared.status_code == 413 and declared.json()["code"] == "body_too_large"

    def chunks():  # no Content-Length: the server has to count
        yield b'{"text": "'
        for _ in range(20):
            yield b"word " * 200
        yield b'"}'

    streamed = c.post("/api/v1/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["code"] == "body_too_large"
    assert c.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200  # under the cap: fine


def test_the_default_cap_is_2_mb(client):
    r = client.post("/api/v1/analyze", json={"text": "a" * (2 * 1024 * 1024)})
    assert r.status_code == 413 and "2 MB" in r.json()["message"]


def test_unknown_ids_and_routes_are_404_json(client):
    r = client.get("/api/v1/analyses/doesnotexist")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert client.get("/api/v1/analyses/..%2F..%2Fetc").status_code == 404
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = client.put("/api/v1/techniques", json={})
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"


class Exploding:
    """An analyzer whose model fails in a way nobody planned for."""

    model_info = None

    def analyze_many(self, articles):
        raise RuntimeError("secret internal detail /home/user/.cache/x.py line 12")


def test_unexpected_failures_are_500_json_without_traceback(tmp_path):
    from fastapi.testclient import TestClient

    from propwatch.server import create_app

    from .conftest import BASE_URL, make_settings

    app = create_app(make_settings(tmp_path), analyzer=Exploding())
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        r = c.post("/api/v1/analyze", json={"text": SHORT})
    assert r.status_code == 500
    assert r.json()["code"] == "internal_error"
    assert "secret internal detail" not in r.text and "Traceback" not in r.text


def test_security_headers_on_api_answers(client):
    r = client.get("/api/v1/techniques")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
