"""The bound on one request's cost: an article over ``max_words`` words and symbols is refused (413) before it
is queued for a worker, with a message that says how to split it, on the API, in batches and in the form."""

from __future__ import annotations

from .conftest import SHORT, post_form

LONG = "Title\n\n" + "They lie to you again and again. " * 20  # 140 words and 20 full stops


def test_an_article_over_max_words_is_refused_with_how_to_split_it(make_client):
    c = make_client(max_words=100)
    r = c.post("/api/v1/analyze", json={"text": LONG})
    assert r.status_code == 413, r.text
    body = r.json()
    assert body["code"] == "article_too_long"
    assert "more than 100 words and symbols" in body["message"] and "split it" in body["message"]
    assert c.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200
    assert c.get("/api/v1/analyses").json()["total"] == 1  # the refused article was never analysed or kept


def test_a_long_document_fails_alone_in_a_batch(make_client):
    c = make_client(max_words=100)
    r = c.post("/api/v1/analyze/batch", json={"documents": [{"text": SHORT}, {"text": LONG}]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["analysed"] == 1 and body["failed"] == 1
    assert body["results"][1]["error"]["code"] == "article_too_long"
    assert "split it" in body["results"][1]["error"]["message"]


def test_the_form_shows_how_to_split_a_long_article(make_client):
    c = make_client(max_words=100)
    r = post_form(c, "/analyze", {"text": LONG})
    assert r.status_code == 413
    assert "more than 100 words and symbols" in r.text and "split it" in r.text
    assert "They lie to you again" in r.text  # the text stays in the form, to be split there


def test_a_body_of_many_unknown_keys_gets_a_small_answer_at_once(client):
    import json
    import time

    body = json.dumps({"text": SHORT, **{f"k{i}": 1 for i in range(150_000)}})  # 1.9 MB, under the cap
    started = time.perf_counter()
    r = client.post("/api/v1/analyze", content=body, headers={"Content-Type": "application/json"})
    took = time.perf_counter() - started
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    assert len(r.content) < 2_000, len(r.content)  # was 11.2 MB: one error per key
    assert "unknown fields 'k0'" in r.json()["message"] and "149995 more" in r.json()["message"]
    assert took < 1.5, took  # was ~2 s with the event loop held


def test_validation_details_are_capped(client):
    docs = [{"text": 1, "html": 2, "url": 3}] * 64  # three errors or more per document
    r = client.post("/api/v1/analyze/batch", json={"documents": docs})
    assert r.status_code == 422
    assert len(r.json()["details"]) == 20 and "more)" in r.json()["message"]
    many = client.post("/api/v1/analyze/batch", json={"documents": [{}] * 100_000})
    assert many.status_code == 422 and "at most 64 documents" in many.json()["message"]


def test_a_lone_surrogate_is_a_400_not_mojibake(client):
    for field in ("text", "html"):
        r = client.post("/api/v1/analyze", content=f'{{"{field}": "Caf\\u00e9 au lait \\ud800 again"}}',
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 400, r.text
        assert r.json()["code"] == "invalid_input" and "lone surrogate" in r.json()["message"]
    ok = client.post("/api/v1/analyze", json={"text": "Café\n\nThe so-called experts lied.", "store": False})
    assert ok.status_code == 200 and ok.json()["article"]["title"] == "Café"
