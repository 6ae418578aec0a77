"""The attributions analysis as a pipeline component: who says what, for every article the analyzer runs.

It runs the shipped attribution model (``AttributionModel``) over the article, decodes its tags into
attributions over the sentences the analyzer prepared, and writes them into the draft as the schema's typed
``Attribution`` (character offsets into the article text).
"""

from __future__ import annotations

from pathlib import Path

from ...model.registry import find_model
from ...model.windows import WindowProgress, within
from ...schema import Attribution, ModelInfo, TextSpan
from ..base import Draft
from . import Attribution as Found
from . import Span, find_attributions
from .model import KIND, AttributionModel

DEFAULT_MODEL = "attributions-v1"
REQUIRED_FILES = ("config.json", "model.onnx", "tokenizer.json")


class AttributionFinder:
    """Loaded once (onnxruntime session and tokenizer), then reused for every batch."""

    name = "attributions"

    def __init__(self, model: AttributionModel):
        self.model = model
        self.model_info = ModelInfo(name=model.name, version=model.version)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> AttributionFinder:
        return cls(AttributionModel(find_model(model or DEFAULT_MODEL, KIND, REQUIRED_FILES), threads=threads))

    def __call__(self, drafts: list[Draft], progress: WindowProgress | None = None) -> None:
        # With ``progress``: the windows of the whole batch, counted first (tokenising is quick), then reported
        # article by article as the model runs them.
        total = sum(self.model.count_windows(d.article.text) for d in drafts) if progress is not None else 0
        before = 0
        for draft in drafts:
            with draft.timed(self.name):
                text = draft.article.text
                if progress is None:
                    offsets, probs = self.model.token_probabilities(text)
                else:
                    offsets, probs = self.model.token_probabilities(text, progress=within(progress, before, total))
                    before += self.model.count_windows(text)
                found = find_attributions(text, offsets, probs, self.model.labels, sentences=draft.sentences)
                draft.attributions = [_typed(a) for a in found]
            draft.models[self.name] = self.model_info


def _span(s: Span) -> TextSpan:
    return TextSpan(start=s.start, end=s.end, text=s.text)


def _typed(a: Found) -> Attribution:
    return Attribution(
        source=_span(a.source) if a.source else None,
        cue=_span(a.cue),
        content=[_span(c) for c in a.content],
        source_type=a.source_type,  # type: ignore[arg-type]  # one of SOURCE_TYPES, checked by the schema
        source_name=a.source_name,
        score=round(min(1.0, max(0.0, a.score)), 4),
    )
