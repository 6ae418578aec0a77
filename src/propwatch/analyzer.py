"""The analyzer: the one path from an article to an ``Analysis`` that the CLI, the server and the batch engines
all use, as a pipeline of analysis components (spaCy's ``Language`` over its components is the model).

The analyzer prepares what every component shares, once per article: the sentence boundaries and the English
check. Then each component (``propwatch.components``) fills its part of the article's ``Draft``, in pipeline
order, over a batch of articles at a time so that models share their batches. Each component reports its own
timings in ``Analysis.timings_ms``.

    >>> analyzer = load_analyzer()
    >>> analysis = analyzer(text)                       # one article
    >>> for analysis in analyzer.pipe(texts): ...       # a stream of articles, batched
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from .components import Component, Draft, build_components
from .components.techniques import TechniqueDetector
from .errors import ModelError
from .language import english_warning
from .model.runtime import ModelBase
from .model.decode import DecodingConfig
from .schema import Analysis, Article, ModelInfo
from .sentences import split_sentences

DEFAULT_BATCH_SIZE = 8


class Analyzer:
    """Loaded once (the models take most of a second to load), then reused for every article."""

    def __init__(self, components: list[Component]):
        names = [c.name for c in components]
        if len(set(names)) != len(names):
            raise ModelError(f"a pipeline runs each analysis once, not {names}")
        self.components = list(components)

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None,
             exclude: Iterable[str] = ()) -> Analyzer:
        return cls(build_components(model, threads=threads, exclude=exclude))

    @property
    def component_names(self) -> list[str]:
        return [c.name for c in self.components]

    def get(self, name: str) -> Component:
        """The component called ``name`` (``KeyError`` naming the pipeline's components if it is not in it)."""
        for component in self.components:
            if component.name == name:
                return component
        raise KeyError(f"no {name!r} analysis in this pipeline ({', '.join(self.component_names)})")

    @property
    def techniques(self) -> TechniqueDetector:
        component = self.get("techniques")
        assert isinstance(component, TechniqueDetector)
        return component

    # The technique model is what reports, history rows and batch tables name as "the model".
    @property
    def model(self) -> ModelBase:
        return self.techniques.model

    @property
    def model_info(self) -> ModelInfo:
        return self.techniques.model_info

    @property
    def decoding(self) -> DecodingConfig:
        return self.techniques.decoding

    def __call__(self, text: str | Article) -> Analysis:
        """The analysis of one article, given as its text (the PTC title convention applies) or an ``Article``."""
        return self.analyze(_as_article(text))

    def pipe(self, texts: Iterable[str | Article], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[Analysis]:
        """Analyses of a stream of articles, in order, ``batch_size`` at a time: memory stays bounded however
        long the stream, and the models share their batches."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        items = iter(texts)
        while batch := [_as_article(t) for t in islice(items, batch_size)]:
            yield from self.analyze_many(batch)

    def analyze(self, article: Article) -> Analysis:
        return self.analyze_many([article])[0]

    def analyze_text(self, text: str, id: str = "article", source: str | None = None) -> Analysis:
        return self.analyze(Article.from_ptc_text(text, id=id, source=source))

    def analyze_many(self, articles: list[Article]) -> list[Analysis]:
        """Analyse several articles as one batch (higher throughput than one by one; results never depend on
        which articles share a batch)."""
        drafts = [self._prepare(a) for a in articles]
        for component in self.components:
            component(drafts)
        return [d.to_analysis() for d in drafts]

    @staticmethod
    def _prepare(article: Article) -> Draft:
        """What every component shares: sentence boundaries, and the warning for text that is not English."""
        draft = Draft(article=article, sentences=[])
        with draft.timed("sentences"):
            draft.sentences = split_sentences(article.text)
            warning = english_warning(article.text)
        if warning:
            draft.warnings.append(warning)
        return draft


def _as_article(text: str | Article) -> Article:
    return text if isinstance(text, Article) else Article.from_ptc_text(text)


def load_analyzer(model: str | Path | None = None, threads: int | None = None,
                  exclude: Iterable[str] = ()) -> Analyzer:
    """The analyzer for ``model`` (None for the default shipped technique model, a shipped model name, an alias
    or a folder), with every analysis but those named in ``exclude``."""
    return Analyzer.load(model, threads=threads, exclude=exclude)
