"""Building a model folder's span examples (``examples.npz``; ``model.examples`` reads them at inference).

Every span the PTC annotators marked in the given articles (the ones the model was trained on: its reasons
should point at what it learnt from) becomes one row: the span's unit vector from the model's own token
states, its technique, its text, a few words before and after, and its article. A phrase marked with the same
technique more than once (Repetition marks every recurrence) is kept once, since readers are shown each text
once. Long spans are cut for display; their vectors are of the whole span.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..inputs import CorpusArticle
from ..model import ModelBase, OnnxModel
from ..model.examples import EXAMPLES_FILE, ExampleRecord, write_examples
from ..model.spans import normalise
from .run import ArticleProgress, no_progress

CONTEXT_WORDS = 6  # words of context on each side, within the span's line
MAX_TEXT = 240  # characters of a span's text kept for display
_NON_SPACE = re.compile(r"\S+")


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str]:
    """Up to ``words`` words before ``start`` and after ``end``, as written (punctuation kept where it is),
    never across a line break."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    before_words = list(_NON_SPACE.finditer(text, line_start, start))[-words:]
    after_words = list(_NON_SPACE.finditer(text, end, line_end))[:words]
    before = text[before_words[0].start() : start] if before_words else ""
    after = text[end : after_words[-1].end()] if after_words else ""
    return " ".join(before.split()), " ".join(after.split())


def shortened(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis where it is longer than ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def build_examples(model: ModelBase, articles: list[CorpusArticle], chunk: int = 8,
                   progress: ArticleProgress = no_progress) -> tuple[np.ndarray, list[ExampleRecord]]:
    """The unit vectors and records of every distinct annotated span of the labelled ``articles``."""
    if not isinstance(model, OnnxModel):
        raise ModelError("span examples are built for one model folder, not an ensemble: build them for the "
                         "member whose examples it should show (an ensemble uses its first member that has them)")
    labelled = [a for a in articles if a.gold]
    vectors: list[np.ndarray] = []
    records: list[ExampleRecord] = []
    seen: set[tuple[str, str]] = set()
    with progress(len(labelled)) as advance:
        for i in range(0, len(labelled), chunk):
            part = labelled[i : i + chunk]
            for corpus, pred in zip(part, model.predict_many([a.article.text for a in part])):
                text = corpus.article.text
                spans = []
                for g in sorted(corpus.gold or [], key=lambda g: (g.start, g.end, g.technique)):
                    key = (g.technique, normalise(text[g.start : g.end]))
                    if key[1] and key not in seen:
                        seen.add(key)
                        spans.append(g)
                if not spans:
                    continue
                vectors.append(model.span_vectors(pred, [(g.start, g.end) for g in spans]))
                for g in spans:
                    before, after = context(text, g.start, g.end)
                    records.append(ExampleRecord(g.technique, shortened(text[g.start : g.end]), before, after,
                                                 corpus.article.id))
            advance(len(part))
    hidden = model.span_head.w1.shape[1] // 3
    return (np.concatenate(vectors) if vectors else np.zeros((0, hidden), np.float32)), records


def write_model_examples(model: ModelBase, articles: list[CorpusArticle],
                         progress: ArticleProgress = no_progress) -> tuple[Path, int]:
    """Build the examples of ``model`` from ``articles`` and write them into its folder; the path and the
    number of examples."""
    vectors, records = build_examples(model, articles, progress=progress)
    if not records:
        raise ModelError("the articles hold no annotated spans: give a labelled corpus (articles/ and labels/)")
    path = model.path / EXAMPLES_FILE
    # the span vectors are the weights' (a new decoding alone keeps them: ``weights_version``)
    write_examples(path, vectors, records, f"{model.name} {model.config.weights_identity}")
    return path, len(records)
