"""The attributions analysis as a pipeline component: who says what, for every article the analyzer runs.

It runs the shipped attribution model (``AttributionModel``) over the article (begun in the background as the batch
starts, ``AttributionFinder.start``), decodes its tags into
attributions over the sentences the analyzer prepared, and writes them into the draft as the schema's typed
``Attribution`` (character offsets into the article text).
"""

from __future__ import annotations

from pathlib import Path

from ...model.config import ModelConfig
from ...model.registry import ALIASES, SHIPPED, find_model, resolve_model
from ...model.windows import WindowProgress, within
from ...schema import Attribution, ModelInfo, TextSpan
from ..background import background_thread
from ..base import Draft
from . import Attribution as Found
from . import Span, find_attributions
from .ensemble import ENSEMBLE_KIND, AttributionEnsemble, load_attribution_model, member_folders
from .model import KIND, AttributionModel

DEFAULT_MODEL = "attributions-v1"
# ``accurate`` spends time for quality: its attributions come from two taggers averaged (``ensemble.py``).
ACCURATE_MODEL = "attributions-accurate-v1"
# The aliases the technique models have, for ``--task attribution --model fast|accurate``.
MODEL_ALIASES = {"fast": DEFAULT_MODEL, "accurate": ACCURATE_MODEL}
REQUIRED_FILES = ("config.json", "model.onnx", "tokenizer.json")


def model_for_techniques(technique_model: str | Path | None) -> str:
    """The attribution model that runs beside the technique model ``technique_model`` (as ``--model`` names it):
    the ensemble beside ``accurate`` and the shipped models that alias names, the single tagger beside anything
    else (``fast``, a model trained here), so ``--model`` is the one speed-for-quality choice a user makes."""
    if technique_model is None:
        return DEFAULT_MODEL
    if str(technique_model) == "accurate":
        return ACCURATE_MODEL
    folder = resolve_model(technique_model).resolve()
    accurate = {(SHIPPED / name).resolve() for name in ALIASES["accurate"]}
    return ACCURATE_MODEL if folder in accurate else DEFAULT_MODEL


def find_attribution_model(model: str | Path | None = None) -> Path:
    """The folder of the attribution model or ensemble ``model`` (a name, ``fast``/``accurate``, or a folder),
    checked to hold what it needs (an ensemble: each member's files)."""
    name = MODEL_ALIASES.get(str(model), model) if model is not None else DEFAULT_MODEL
    path = find_model(name, (KIND, ENSEMBLE_KIND), ("config.json",))
    if ModelConfig.kind_of(path) == ENSEMBLE_KIND:
        for member, _ in member_folders(path):
            find_model(member, KIND, REQUIRED_FILES)
        return path
    return find_model(path, KIND, REQUIRED_FILES)


def model_files(folder: Path) -> list[Path]:
    """The files that decide what the attribution model ``folder`` answers (an ensemble's config and its members'
    files): what a batch run's identity hashes."""
    if ModelConfig.kind_of(folder) == ENSEMBLE_KIND:
        return [folder / "config.json"] + [m / f for m, _ in member_folders(folder) for f in REQUIRED_FILES]
    return [folder / f for f in REQUIRED_FILES]


class AttributionFinder:
    """Loaded once (onnxruntime session and tokenizer), then reused for every batch."""

    name = "attributions"

    def __init__(self, model: AttributionModel | AttributionEnsemble):
        self.model = model
        self.model_info = ModelInfo(name=model.name, version=model.version)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None) -> AttributionFinder:
        """The finder with the attribution model or ensemble ``model`` (see ``find_attribution_model``)."""
        return cls(load_attribution_model(find_attribution_model(model), threads=threads))

    def start(self, drafts: list[Draft]) -> None:
        """Begin each article's pass of the attribution model on the attributions' background thread
        (``base.StartsEarly``): it needs only the text, so it runs beside the technique model, which on two cores
        leaves them partly idle. ``__call__`` waits for it and decodes. The probabilities are the same whichever
        thread computes them (one window per run), so the attributions are too."""
        thread = background_thread(self.name)
        for draft in drafts:
            draft.ahead[self.name] = thread.submit(self.model.token_probabilities, draft.article.text)

    def __call__(self, drafts: list[Draft], progress: WindowProgress | None = None) -> None:
        # With ``progress``: the windows of the whole batch, counted first (tokenising is quick), then reported
        # article by article: as the model runs them, or all of an article's at once where ``start`` ran them.
        total = sum(self.model.count_windows(d.article.text) for d in drafts) if progress is not None else 0
        before = 0
        for draft in drafts:
            with draft.timed(self.name):
                text = draft.article.text
                pending = draft.ahead.pop(self.name, None)
                if pending is not None:
                    offsets, probs = pending.result()
                elif progress is None:
                    offsets, probs = self.model.token_probabilities(text)
                else:
                    offsets, probs = self.model.token_probabilities(text, progress=within(progress, before, total))
                if progress is not None:
                    before += self.model.count_windows(text)
                    if pending is not None:  # its windows ran early, unreported: the article's share at once
                        progress(before, total)
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
