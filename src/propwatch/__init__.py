"""propwatch: find and explain propaganda techniques in news articles, span by span.

    >>> from propwatch import load_analyzer
    >>> analyzer = load_analyzer()                      # every analysis, with the models shipped in the package
    >>> analysis = analyzer(open("article.txt").read())
    >>> [(s.technique, s.text, s.score) for s in analysis.spans]
    >>> analyses = analyzer.pipe(texts)                 # a stream of articles, in batches
"""

from .analyzer import Analyzer, load_analyzer
from .errors import DataError, FetchError, InputError, ModelError, PropwatchError, TooLongError
from .schema import (
    Actor,
    Analysis,
    Article,
    Attribution,
    ModelInfo,
    SentenceResult,
    SpanExample,
    TechniqueSpan,
    TextSpan,
)
from .techniques import TECHNIQUE_IDS, TECHNIQUES, Technique

__version__ = "0.1.0"

__all__ = [
    "Actor", "Analysis", "Analyzer", "Article", "Attribution", "DataError", "FetchError", "InputError",
    "ModelError", "ModelInfo", "PropwatchError", "SentenceResult", "SpanExample", "TECHNIQUES", "TECHNIQUE_IDS",
    "Technique", "TechniqueSpan", "TextSpan", "TooLongError", "load_analyzer", "__version__",
]
