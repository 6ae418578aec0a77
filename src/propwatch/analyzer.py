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

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from .components import Component, Draft, build_components
from .components.techniques import TechniqueDetector
from .errors import ModelError, TooLongError
from .language import english_warning
from .model.decode import DecodingConfig
from .model.runtime import ModelBase
from .schema import Analysis, Article, ModelInfo
from .sentences import split_sentences

DEFAULT_BATCH_SIZE = 8
# The bound on one article's cost: time and memory grow with its length (the model reads it window by window
# and keeps per-token states for the span classifier), so one request under the byte cap could take minutes
# and gigabytes (2 MB of "&" is two million tokens). Counted in words and symbols, each of which is at least
# one model token. The longest PTC article has about 9,000; 30,000 is a long report, and the memory of the
# largest accepted article is measured in BENCHMARKS.md.
DEFAULT_MAX_WORDS = 30_000
_WORDS_AND_SYMBOLS = re.compile(r"\w+|[^\w\s]")


class Analyzer:
    """Loaded once (the models take most of a second to load), then reused for every article."""

    def __init__(self, components: list[Component], max_words: int = DEFAULT_MAX_WORDS):
        names = [c.name for c in components]
        if len(set(names)) != len(names):
            raise ModelError(f"a pipeline runs each analysis once, not {names}")
        if max_words < 1:
            raise ValueError(f"max_words must be at least 1, not {max_words}")
        self.components = list(components)
        self.max_words = max_words

    @classmethod
    def load(cls, model: str | Path | None = None, threads: int | None = None,
             exclude: Iterable[str] = (), max_words: int = DEFAULT_MAX_WORDS) -> Analyzer:
        return cls(build_components(model, threads=threads, exclude=exclude), max_words=max_words)

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
        for article in articles:
            self.check_length(article)
        drafts = [self._prepare(a) for a in articles]
        for component in self.components:
            component(drafts)
        return [d.to_analysis() for d in drafts]

    def check_length(self, article: Article) -> None:
        check_length(article, self.max_words)

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


def check_length(article: Article, max_words: int = DEFAULT_MAX_WORDS) -> None:
    """``TooLongError`` for an article over ``max_words`` words and symbols. Counting stops at the bound, so the
    check costs no more for a huge text than for one at the limit."""
    words = _WORDS_AND_SYMBOLS.finditer(article.text)
    if next(islice(words, max_words, None), None) is not None:
        raise TooLongError(
            f"the article {article.id!r} has more than {max_words:,} words and symbols, the most one analysis "
            f"takes; split it into parts of at most {max_words:,} and analyse each"
        )


def _as_article(text: str | Article) -> Article:
    return text if isinstance(text, Article) else Article.from_ptc_text(text)


def load_analyzer(model: str | Path | None = None, threads: int | None = None,
                  exclude: Iterable[str] = (), max_words: int = DEFAULT_MAX_WORDS) -> Analyzer:
    """The analyzer for ``model`` (None for the default shipped technique model, a shipped model name, an alias
    or a folder), with every analysis but those named in ``exclude``, refusing articles over ``max_words``
    words and symbols (``TooLongError``)."""
    return Analyzer.load(model, threads=threads, exclude=exclude, max_words=max_words)
