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

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import cast

from .components import Component, Draft, build_components
from .components.base import ReportsProgress
from .components.techniques import TechniqueDetector
from .errors import InputError, ModelError, TooLongError
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


@dataclass(frozen=True)
class Progress:
    """How far the analysis of a batch has got: step ``step_number`` of ``steps`` (the components, in pipeline
    order; ``step`` is the component's name) has run ``done`` of its ``total`` encoder windows. ``total`` is 0
    while a step has not counted its windows yet, or for a component that does not report them."""

    step: str
    step_number: int
    steps: int
    done: int = 0
    total: int = 0

    @property
    def fraction(self) -> float:
        """The share of the whole analysis done, 0..1: each step counts equally, and within a step its windows
        (the encoder runs are most of an article's time)."""
        within = self.done / self.total if self.total else 0.0
        return min(1.0, (self.step_number - 1 + within) / self.steps) if self.steps else 0.0


ProgressCallback = Callable[[Progress], None]


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
        if isinstance(texts, (str, Article)):  # a string is iterable: it would be analysed letter by letter
            raise InputError("pipe takes several articles (a list or another iterable of texts or Articles); "
                             "call the analyzer itself for one")
        items = iter(texts)
        while batch := [_as_article(t) for t in islice(items, batch_size)]:
            yield from self.analyze_many(batch)

    def analyze(self, article: str | Article, progress: ProgressCallback | None = None) -> Analysis:
        """The analysis of one article (its text or an ``Article``), reporting to ``progress`` as
        ``analyze_many`` does."""
        return self.analyze_many([article], progress=progress)[0]

    def analyze_text(self, text: str, id: str = "article", source: str | None = None) -> Analysis:
        return self.analyze(Article.from_ptc_text(text, id=id, source=source))

    def analyze_many(self, articles: Sequence[str | Article], progress: ProgressCallback | None = None
                     ) -> list[Analysis]:
        """Analyse several articles as one batch (higher throughput than one by one; results never depend on
        which articles share a batch).

        ``progress``, when given, is told where the work is (``Progress``): at the start of each component, and
        after each batch of encoder windows of the components that report them. It changes no result.

        A text is read as ``__call__`` reads it; anything else than a text or an ``Article`` is an ``InputError``
        that says so, not an ``AttributeError`` from deep inside."""
        given = [_as_article(a) for a in articles]
        for article in given:
            if not article.text.strip():
                raise InputError(f"the article {article.id!r} is empty: there is no text to analyse")
            self.check_length(article)
        drafts = [self._prepare(a) for a in given]
        for component in self.components:  # work that needs only the articles starts now, in the background
            start = getattr(component, "start", None)
            if callable(start):
                start(drafts)
        steps = len(self.components)
        for number, component in enumerate(self.components, 1):
            if progress is None:
                component(drafts)
                continue
            progress(Progress(component.name, number, steps))
            if reports_progress(component):
                def windows(done: int, total: int, name: str = component.name, number: int = number) -> None:
                    progress(Progress(name, number, steps, done, total))

                cast(ReportsProgress, component)(drafts, progress=windows)
            else:
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


def reports_progress(component: Component) -> bool:
    """Whether the component's ``__call__`` takes ``progress`` (``components.base.ReportsProgress``)."""
    try:
        return "progress" in inspect.signature(component).parameters
    except (TypeError, ValueError):  # a callable without a signature to read: it reports nothing
        return False


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
    if isinstance(text, Article):
        return text
    if isinstance(text, (bytes, bytearray)):
        raise InputError("an article's text must be a str, not bytes: decode it first "
                         "(propwatch.inputs.decode_bytes checks it and guesses its encoding)")
    if not isinstance(text, str):
        raise InputError(f"an article is its text (a str) or an Article, not {type(text).__name__}")
    return Article.from_ptc_text(text)


def load_analyzer(model: str | Path | None = None, threads: int | None = None,
                  exclude: Iterable[str] = (), max_words: int = DEFAULT_MAX_WORDS) -> Analyzer:
    """The analyzer for ``model`` (None for the default shipped technique model, a shipped model name, an alias
    or a folder), with every analysis but those named in ``exclude``, refusing articles over ``max_words``
    words and symbols (``TooLongError``)."""
    return Analyzer.load(model, threads=threads, exclude=exclude, max_words=max_words)
