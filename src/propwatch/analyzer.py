"""The analyzer: the one path from an ``Article`` to an ``Analysis`` that the CLI, the server and the batch
engines all use.

Pipeline: the model tags every token with technique probabilities (``model.runtime``), the "any technique"
channel gives propaganda spans that the span classifier labels, some technique channels add nested spans
(``model.decode``), the text is split into sentences (``sentences``), and sentence and article scores
summarise the token probabilities.
"""

from __future__ import annotations

import time
from pathlib import Path

from .inputs import english_warning
from .model.decode import article_score, detect_spans, sentence_scores
from .model.registry import load_model
from .model.runtime import ModelBase, TokenPredictions
from .schema import Analysis, Article, ModelInfo, SentenceResult, TechniqueSpan, count_techniques, techniques_in
from .sentences import split_sentences


class Analyzer:
    """Loaded once (the ONNX session and tokenizer take most of a second), then reused for every article."""

    def __init__(self, model: ModelBase):  # an OnnxModel or an EnsembleModel: the same interface
        self.model = model
        self.model_info = ModelInfo(name=model.name, version=model.version)
        self.decoding = model.decoding

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> "Analyzer":
        return cls(load_model(model, threads=threads))

    def analyze(self, article: Article) -> Analysis:
        return self.analyze_many([article])[0]

    def analyze_text(self, text: str, id: str = "article", source: str | None = None) -> Analysis:
        return self.analyze(Article.from_ptc_text(text, id=id, source=source))

    def analyze_many(self, articles: list[Article]) -> list[Analysis]:
        """Analyse several articles with shared model batches (higher throughput than one by one)."""
        started = time.perf_counter()
        predictions = self.model.predict_many([a.text for a in articles])
        model_ms = (time.perf_counter() - started) * 1000 / max(1, len(articles))
        return [self._build(a, p, model_ms) for a, p in zip(articles, predictions)]

    def _build(self, article: Article, pred: TokenPredictions, model_ms: float) -> Analysis:
        started = time.perf_counter()
        text = article.text
        raw = detect_spans(text, pred.tokens, pred.probs,
                           lambda spans: self.model.classify_spans(text, pred, spans), self.decoding)
        spans = [
            TechniqueSpan(start=s.start, end=s.end, technique=s.technique, score=round(s.score, 4),
                          text=text[s.start : s.end])
            for s in raw
        ]
        bounds = split_sentences(text)
        scores = sentence_scores(bounds, pred.tokens, pred.probs, raw, self.decoding.calibration.get("sentence"))
        sentences = [
            SentenceResult(start=s, end=e, score=round(sc, 4), techniques=techniques_in(spans, s, e))
            for (s, e), sc in zip(bounds, scores)
        ]
        warnings = []
        warning = english_warning(text)
        if warning:
            warnings.append(warning)
        return Analysis(
            article=article,
            spans=spans,
            sentences=sentences,
            score=round(article_score(bounds, scores), 4),
            technique_counts=count_techniques(spans),
            model=self.model_info,
            timings_ms={"model": round(model_ms, 2), "decode": round((time.perf_counter() - started) * 1000, 2)},
            warnings=warnings,
        )


def load_analyzer(model: str | Path | None = None, threads: int | None = None) -> Analyzer:
    """The analyzer for ``model``: None for the default shipped model, a shipped model name, or a folder."""
    return Analyzer.load(model, threads=threads)
