"""The examples of the API reference: one request and one answer for every endpoint, shown at ``/docs`` and in
the interactive reference (``/docs/try``), and carried in ``/openapi.json``.

The analysis in them is built from the real result classes (``schema.py``), not typed out as JSON, so an
example can never drift from what the API answers: a renamed or new required field changes it too (and
``tests/server/test_api_docs.py`` validates every example against its response model).
"""

from __future__ import annotations

from typing import Any

from ..schema import (
    Analysis,
    Article,
    ModelInfo,
    SentenceResult,
    SpanExample,
    TechniqueReliability,
    TechniqueSpan,
    count_techniques,
)
from ..techniques import get

EXAMPLE_ID = "k3XbQ9pL2mNw"
CREATED_AT = "2025-03-14T09:26:53.589+00:00"
TEXT = "Experts warn of a crisis\n\nThe so-called experts have lied to you again. Every true patriot knows it."


def _span(phrase: str, technique: str, score: float, strength: str) -> TechniqueSpan:
    start = TEXT.index(phrase)
    return TechniqueSpan(start=start, end=start + len(phrase), technique=technique, score=score, text=phrase,
                         strength=strength)  # type: ignore[arg-type]


def _analysis() -> Analysis:
    spans = [_span("so-called experts", "loaded_language", 0.81, "strong"),
             _span("Every true patriot knows it", "flag_waving", 0.34, "moderate")]
    first, second = TEXT.index("The so-called"), TEXT.index("Every")
    sentences = [
        SentenceResult(start=0, end=24, score=0.02),
        SentenceResult(start=first, end=second - 1, score=0.81, techniques=["loaded_language"]),
        SentenceResult(start=second, end=len(TEXT), score=0.34, techniques=["flag_waving"]),
    ]
    return Analysis(article=Article.from_ptc_text(TEXT, id="text-5f2c1e0a9b7d"), spans=spans, sentences=sentences,
                    score=0.47, technique_counts=count_techniques(spans),
                    model=ModelInfo(name="propwatch-minilm", version="1.0.0"), timings_ms={"model": 41.0})


def links(id: str) -> dict[str, str]:
    return {"self": f"/api/v1/analyses/{id}", "html": f"/analyses/{id}", "report": f"/analyses/{id}/report.html"}


ANALYSIS: dict[str, Any] = _analysis().model_dump(mode="json")
STORED: dict[str, Any] = {**ANALYSIS, "id": EXAMPLE_ID, "created_at": CREATED_AT, "links": links(EXAMPLE_ID)}

ANALYZE_REQUESTS: dict[str, dict[str, Any]] = {
    "text": {"summary": "Pasted text (headline, blank line, paragraphs)",
             "value": {"text": TEXT, "min_score": 0.2}},
    "url": {"summary": "A public web page", "value": {"url": "https://example.com/news/story", "store": False}},
    "html": {"summary": "A saved web page, only two techniques",
             "value": {"html": "<html><body><article><h1>Experts warn of a crisis</h1><p>The so-called experts "
                               "have lied to you again.</p></article></body></html>",
                       "techniques": ["loaded_language", "doubt"]}},
}
BATCH_REQUEST: dict[str, Any] = {
    "documents": [{"text": TEXT, "id": "first"}, {"url": "https://example.com/news/other-story"}],
    "min_score": 0.3,
}
BATCH_RESPONSE: dict[str, Any] = {
    "results": [
        {"index": 0, "analysis": STORED, "error": None},
        {"index": 1, "analysis": None, "error": {
            "code": "fetch_failed", "message": "could not fetch https://example.com/news/other-story: 404 Not Found"}},
    ],
    "analysed": 1, "failed": 1,
}
PAGE: dict[str, Any] = {
    "items": [{"id": EXAMPLE_ID, "created_at": CREATED_AT, "title": "Experts warn of a crisis", "source": None,
               "score": 0.47, "spans": 2, "words": 17, "model": "propwatch-minilm 1.0.0", "outlet": None,
               "author": None, "published": None, "run_id": None, "run_name": None, "links": links(EXAMPLE_ID)}],
    "total": 41, "limit": 20, "offset": 0, "next_offset": 20,
}
RUN: dict[str, Any] = {"id": "h3Kq9ZpLw2Xa", "name": "outlets-2019", "analyses": 30, "created_at": CREATED_AT}
# The shape of one technique as GET /api/v1/techniques answers it; the figures are illustrative (the real ones
# are the loaded model's, measured by ``propwatch reliability``).
TECHNIQUE: dict[str, Any] = {
    **vars(get("loaded_language")),
    "examples": [SpanExample(text="so-called experts", before="", after="have lied to you again.",
                             article="article111111111", similarity=0.72).model_dump(mode="json")],
    "reliability": TechniqueReliability(recall=0.5, precision=0.25, support=300).model_dump(mode="json"),
    "often_missed": False,
    "mistaken_for": [{"technique": "name_calling", "name": get("name_calling").name, "spans": 30, "share": 0.1}],
    "classified": 300,
}
HEALTH: dict[str, Any] = {"status": "ok"}
READY: dict[str, Any] = {"status": "ready", "model": {"name": "propwatch-minilm", "version": "1.0.0"}, "workers": 2,
                         "running": 1, "waiting": 0, "max_waiting": 16, "storage": True}


# -- comparing two analyses (GET /api/v1/compare) -------------------------------------------------------------
OTHER_ID = "Wq7TzR4vJ8sd"
OTHER_TEXT = "Crisis talks go on\n\nMinisters met again on Monday. Officials said the talks would go on."


def _comparison() -> dict[str, Any]:
    from ..comparison import compare

    first = OTHER_TEXT.index("Ministers")
    other = Analysis(
        article=Article.from_ptc_text(OTHER_TEXT, id="text-8d31c7b2a4e6"), spans=[],
        sentences=[SentenceResult(start=0, end=18, score=0.01),
                   SentenceResult(start=first, end=first + 30, score=0.04),
                   SentenceResult(start=first + 31, end=len(OTHER_TEXT), score=0.05)],
        score=0.03, technique_counts=count_techniques([]), model=ModelInfo(name="propwatch-minilm", version="1.0.0"))
    return compare(_analysis(), other, EXAMPLE_ID, OTHER_ID).model_dump(mode="json")


COMPARISON: dict[str, Any] = _comparison()
