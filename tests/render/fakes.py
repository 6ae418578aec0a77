"""Hand-built analyses of the bundled example article, so views and the CLI are tested without a model.

Spans sit at real word offsets and cover the cases a view can get wrong: a span in the title, nested spans
(exaggeration inside doubt), crossing spans, and two techniques on exactly the same words.
Loaded by path (not imported by name) from ``tests/render/conftest.py`` and ``tests/cli/test_analyze.py``.
"""

from __future__ import annotations

import re
from importlib import resources

from propwatch.schema import (
    Analysis,
    Article,
    ModelInfo,
    SentenceResult,
    TechniqueSpan,
    count_techniques,
    techniques_in,
)

EXAMPLE = resources.files("propwatch").joinpath("examples/deir-ez-zor.txt").read_text(encoding="utf-8")

# (phrase, technique, score): the phrase's first occurrence in the text becomes the span.
EXAMPLE_SPANS = [
    ("left the Kurds at the mercy of ISIS", "appeal_to_fear", 0.81),
    ("terrorists will destroy", "loaded_language", 0.64),
    ("religious sectarians", "name_calling", 0.77),
    ("pseudo-caliphate", "name_calling", 0.93),
    ("pseudo-caliphate", "loaded_language", 0.58),
    ("The strange thing is that during this time no one really even tried to destroy them.", "doubt", 0.72),
    ("no one really even tried", "exaggeration_minimisation", 0.49),
    ("the elimination of the last stronghold of the IS", "exaggeration_minimisation", 0.41),
    ("last stronghold of the IS was only here for them", "doubt", 0.55),
    ("disastrous", "loaded_language", 0.88),
    ("crushing defeat", "loaded_language", 0.9),
    ("it’s very silly to believe", "loaded_language", 0.61),
    ("Our source in the military leadership of the Russian Federation reports", "appeal_to_authority", 0.83),
    ("Russia and Syria will do everything necessary", "flag_waving", 0.35),
]

MODEL = ModelInfo(name="fake-model", version="9.9.9")


def span_at(text: str, phrase: str, technique: str, score: float) -> TechniqueSpan:
    start = text.index(phrase)
    return TechniqueSpan(start=start, end=start + len(phrase), technique=technique, score=score, text=phrase)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Good enough for tests: a sentence ends at . ! ? before whitespace, or at a line end."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)", text)]


def analysis_of(article: Article, spans=EXAMPLE_SPANS, warnings: list[str] = ()) -> Analysis:
    text = article.text
    found = [span_at(text, *s) for s in spans]
    sentences = []
    for start, end in sentence_bounds(text):
        score = max((s.score for s in found if s.start < end and s.end > start), default=0.04)
        sentences.append(SentenceResult(start=start, end=end, score=score, techniques=techniques_in(found, start, end)))
    chars = sum(s.end - s.start for s in sentences) or 1
    return Analysis(
        article=article,
        spans=found,
        sentences=sentences,
        score=round(sum((s.end - s.start) * s.score for s in sentences) / chars, 4),
        technique_counts=count_techniques(found),
        model=MODEL,
        timings_ms={"model": 120.0, "decode": 3.5},
        warnings=list(warnings),
    )


def make_analysis(text: str = EXAMPLE, spans=EXAMPLE_SPANS, *, article_id: str = "deir-ez-zor",
                  title: str | None = None, source: str | None = "deir-ez-zor.txt") -> Analysis:
    article = Article.from_ptc_text(text, id=article_id, source=source)
    if title is not None:
        article = article.model_copy(update={"title": title})
    return analysis_of(article, spans)
