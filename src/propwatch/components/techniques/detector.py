"""Technique spans from the technique model: the first component of the pipeline.

The model tags every token with technique probabilities (``model.runtime``); the "any technique" channel gives
propaganda spans that the span classifier labels, some technique channels add nested spans (``model.decode``);
sentence and article scores summarise the token probabilities over the sentences the analyzer prepared.
"""

from __future__ import annotations

from pathlib import Path

from ...model import ModelBase, TokenPredictions, load_model
from ...model.decode import DecodingConfig, article_score, detect_spans, sentence_scores
from ...schema import ModelInfo, TechniqueSpan
from ..base import Draft


class TechniqueDetector:
    """Loaded once (the ONNX session and tokenizer take most of a second), then reused for every batch."""

    name = "techniques"

    def __init__(self, model: ModelBase):  # an OnnxModel or an EnsembleModel: the same interface
        self.model = model
        self.model_info = ModelInfo(name=model.name, version=model.version)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> TechniqueDetector:
        return cls(load_model(model, threads=threads))

    @property
    def decoding(self) -> DecodingConfig:
        return self.model.decoding

    def __call__(self, drafts: list[Draft]) -> None:
        if not drafts:
            return
        with drafts[0].timed("techniques.model"):
            predictions = self.model.predict_many([d.article.text for d in drafts])
        # the model ran once for the whole batch: each article is charged its share
        model_ms = drafts[0].timings_ms.pop("techniques.model") / len(drafts)
        for draft, pred in zip(drafts, predictions):
            draft.timings_ms["techniques.model"] = round(model_ms, 2)
            with draft.timed("techniques.decode"):
                self._decode(draft, pred)

    def _decode(self, draft: Draft, pred: TokenPredictions) -> None:
        text = draft.article.text
        raw = detect_spans(text, pred.tokens, pred.probs,
                           lambda spans: self.model.classify_spans(text, pred, spans), self.decoding)
        draft.spans = [
            TechniqueSpan(start=s.start, end=s.end, technique=s.technique, score=round(s.score, 4),
                          text=text[s.start : s.end])
            for s in raw
        ]
        draft.sentence_scores = sentence_scores(draft.sentences, pred.tokens, pred.probs, raw,
                                                self.decoding.calibration.get("sentence"))
        draft.score = article_score(draft.sentences, draft.sentence_scores)
        draft.model = self.model_info
        draft.models[self.name] = self.model_info
