"""What a pipeline component is: the work-in-progress record it fills, and the protocol it implements.

Components work on a batch of drafts at once, because the model behind a component shares its batches across
articles (higher throughput in batch and in the server); ``Analyzer.pipe`` feeds them batches of any size.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..model.runtime import EncoderStates
from ..model.windows import WindowProgress
from ..schema import (
    Actor,
    Analysis,
    Article,
    Attribution,
    ModelInfo,
    SentenceResult,
    TechniqueSpan,
    count_techniques,
    techniques_in,
)


@dataclass
class Draft:
    """One article on its way through the pipeline: what the analyzer prepared once for every component (the
    article, its sentence boundaries, warnings), and what each component has filled in so far."""

    article: Article
    sentences: list[tuple[int, int]]
    warnings: list[str] = field(default_factory=list)
    timings_ms: dict[str, float] = field(default_factory=dict)
    # filled by the techniques component
    spans: list[TechniqueSpan] = field(default_factory=list)
    sentence_scores: list[float] = field(default_factory=list)
    score: float = 0.0
    model: ModelInfo | None = None
    # the technique model's encoder states of the article (one per encoder it ran: an ensemble has several), for
    # the role model to reuse where it reads one of those encoders (none that matches: it runs its own)
    encoded: tuple[EncoderStates, ...] = ()
    # work a component started before the pipeline reached it (``StartsEarly``), by component name
    ahead: dict[str, Any] = field(default_factory=dict)
    # filled by the attributions and actors components
    attributions: list[Attribution] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    # every component that ran: its name and its model
    models: dict[str, ModelInfo] = field(default_factory=dict)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        """Add the time spent in the block to ``timings_ms[step]`` (a component reports its own steps)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.timings_ms[step] = round(self.timings_ms.get(step, 0.0) + elapsed, 2)

    def to_analysis(self) -> Analysis:
        if self.model is None:
            raise ValueError("no component filled the technique analysis (the techniques component is required)")
        sentences = [
            SentenceResult(start=s, end=e, score=round(score, 4), techniques=techniques_in(self.spans, s, e))
            for (s, e), score in zip(self.sentences, self.sentence_scores)
        ]
        return Analysis(
            article=self.article,
            spans=self.spans,
            sentences=sentences,
            score=round(self.score, 4),
            technique_counts=count_techniques(self.spans),
            model=self.model,
            timings_ms=self.timings_ms,
            warnings=self.warnings,
            attributions=self.attributions,
            actors=self.actors,
            models=self.models,
        )


@runtime_checkable
class Component(Protocol):
    """One analysis: ``name`` is how users switch it off (``--without NAME``, ``load_analyzer(exclude=[NAME])``)."""

    name: str

    def __call__(self, drafts: list[Draft]) -> None:
        """Fill this component's part of every draft (in place: the drafts belong to the analyzer's batch)."""
        ...


class StartsEarly(Protocol):
    """A component with work that needs only the article (no earlier component's output), which it can start in
    the background when the batch begins, so that it overlaps the components before it: ``start`` gets the
    drafts before any component runs and may leave a handle in ``draft.ahead[name]`` for ``__call__`` to pick
    up. Optional: the analyzer calls ``start`` where a component has it."""

    name: str

    def start(self, drafts: list[Draft]) -> None: ...


class ReportsProgress(Protocol):
    """A component that says how far it has got with a batch: ``progress`` is told (windows done, windows in
    all) as its model runs (``model.windows.run_windows``). Optional: the analyzer passes ``progress`` only to
    components whose ``__call__`` takes it, and only when its caller asked for progress."""

    name: str

    def __call__(self, drafts: list[Draft], progress: WindowProgress | None = None) -> None: ...

