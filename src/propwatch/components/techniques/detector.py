"""Technique spans from the technique model: the first component of the pipeline.

The model tags every token with technique probabilities (``model.runtime``); the "any technique" channel gives
propaganda spans that the span classifier labels, some technique channels add nested spans (``model.decode``);
sentence and article scores summarise the token probabilities over the sentences the analyzer prepared.

Each span also carries its reasons (the trust issue): its ``strength`` (the calibrated score read against the
thresholds stored with the model, ``model.strength``), its ``cues`` (the words inside it that weighed most for
its technique, ``model.cues``) and its ``examples`` (the most similar annotated spans of its technique from the
training articles, ``model.examples``). The model's per-technique reliability goes into ``ModelInfo``.
"""

from __future__ import annotations

from pathlib import Path

from ...model import ModelBase, TokenPredictions, load_model
from ...model.cues import span_cues
from ...model.decode import DecodingConfig, article_score, detect_spans, sentence_scores
from ...model.strength import strength_of
from ...model.windows import WindowProgress
from ...schema import ModelInfo, TechniqueReliability, TechniqueSpan
from ..base import Draft


class TechniqueDetector:
    """Loaded once (the ONNX session and tokenizer take most of a second), then reused for every batch."""

    name = "techniques"

    def __init__(self, model: ModelBase):  # an OnnxModel or an EnsembleModel: the same interface
        self.model = model
        self.model_info = model_info(model)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> TechniqueDetector:
        return cls(load_model(model, threads=threads))

    @property
    def decoding(self) -> DecodingConfig:
        return self.model.decoding

    def __call__(self, drafts: list[Draft], progress: WindowProgress | None = None) -> None:
        if not drafts:
            return
        with drafts[0].timed("techniques.model"):
            texts = [d.article.text for d in drafts]
            predictions = (self.model.predict_many(texts) if progress is None
                           else self.model.predict_many(texts, progress=progress))
        # the model ran once for the whole batch: each article is charged its share
        model_ms = drafts[0].timings_ms.pop("techniques.model") / len(drafts)
        for draft, pred in zip(drafts, predictions):
            draft.timings_ms["techniques.model"] = round(model_ms, 2)
            draft.encoded = self.model.encoder_states(pred)
            with draft.timed("techniques.decode"):
                self._decode(draft, pred)

    def _decode(self, draft: Draft, pred: TokenPredictions) -> None:
        text = draft.article.text
        raw = detect_spans(text, pred.tokens, pred.probs,
                           lambda spans: self.model.classify_spans(text, pred, spans), self.decoding)
        thresholds = self.model_info.strength_thresholds
        examples = self.model.similar_examples(text, pred, [(s.start, s.end, s.technique) for s in raw])
        draft.spans = [
            TechniqueSpan(start=s.start, end=s.end, technique=s.technique, score=round(s.score, 4),
                          text=text[s.start : s.end], strength=strength_of(round(s.score, 4), thresholds),
                          cues=tuple(span_cues(text, pred.tokens, pred.probs, s.start, s.end, s.technique)),
                          examples=tuple(found))
            for s, found in zip(raw, examples)
        ]
        draft.sentence_scores = sentence_scores(text, draft.sentences, pred.tokens, pred.probs, raw,
                                                self.decoding.calibration.get("sentence"))
        draft.score = article_score(draft.sentences, draft.sentence_scores)
        draft.model = self.model_info
        draft.models[self.name] = self.model_info


def model_info(model: ModelBase) -> ModelInfo:
    """The model's name and version, with the strength thresholds and per-technique reliability its folder
    stores (none for folders measured before they existed)."""
    config = model.config
    reliability = {t: TechniqueReliability(recall=r["recall"], precision=r["precision"], support=int(r["support"]))
                   for t, r in (config.reliability or {}).items()}
    return ModelInfo(name=model.name, version=model.version, reliability=reliability,
                     strength_thresholds=config.strength_thresholds)
