"""Run a model over corpus articles and score it with the SemEval-2020 Task 11 metrics.

One path for ``propwatch evaluate``, ``propwatch predict``, tuning and the benchmarks, so every figure in
BENCHMARKS.md comes from the code the product runs. Articles go through the model in chunks and the large
per-token encoder states are dropped after each chunk (unless tuning needs them), so memory stays flat on
corpora of any size.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from ..inputs import CorpusArticle
from ..metrics import CorpusScores, end_to_end, sentence_f1, span_identification, technique_classification
from ..model.decode import REPORT_FLOOR, Classifier, DecodingConfig, RawSpan, detect_spans, propaganda_spans
from ..model.runtime import ModelBase, TokenPredictions
from ..model.windows import TokenizedText
from ..sentences import split_sentences
from ..techniques import TECHNIQUE_IDS

# Given how many articles are about to run, a context whose function is told how many more are done (the
# CLI's progress bar); the offline recipes take one so the CLI can show their model runs.
ArticleProgress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


def no_progress(total: int) -> AbstractContextManager[Callable[[int], None]]:
    return contextlib.nullcontext(lambda done: None)


@dataclass
class ArticleOutput:
    """What the model said about one corpus article."""

    id: str
    text: str
    tokens: TokenizedText
    probs: np.ndarray  # [N, 15]
    gold: list | None
    tc_labels: list[tuple[int, int, str]]  # one technique per gold line, on the gold spans
    spans: list[RawSpan]  # decoded with the model's decoding config
    si: list[tuple[int, int]]
    hidden: Any = None  # kept only for tuning: encoder states, or an ensemble's member predictions

    def predictions(self) -> TokenPredictions:
        """The model's predictions again, for decoding anew (needs ``hidden``: run with ``keep_hidden``)."""
        return TokenPredictions(self.tokens, self.probs, self.hidden)


def span_classifier(model: ModelBase, text: str, pred: TokenPredictions) -> Classifier:
    return lambda spans: model.classify_spans(text, pred, spans)


def assign_gold_techniques(gold, probs: np.ndarray, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """One predicted technique per gold line: a span listed k times (k techniques) gets the model's top k."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for g in gold:
        counts[(g.start, g.end)] += 1
    out = []
    for (s, e), row in zip(spans, probs):
        for k in np.argsort(-row)[: counts[(s, e)]]:
            out.append((s, e, TECHNIQUE_IDS[int(k)]))
    return out


def identified_spans(text, tokens, probs, spans: list[RawSpan], cfg: DecodingConfig) -> list[tuple[int, int]]:
    """The spans the SI task scores: every decoded span, or the propaganda spans alone (``cfg.si_spans``)."""
    if cfg.si_spans == "all":
        return [(s.start, s.end) for s in spans]
    return [(s.start, s.end) for s in propaganda_spans(text, tokens, probs, cfg)]


def distinct_gold_spans(gold) -> list[tuple[int, int]]:
    """The distinct gold spans of an article (a span with two techniques is listed twice in PTC)."""
    return sorted({(g.start, g.end) for g in gold})


def gold_tc_labels(model: ModelBase, text: str, pred: TokenPredictions, gold) -> list[tuple[int, int, str]]:
    """The TC answer on the gold spans, with the model's decoding (its Repetition cue)."""
    if not gold:
        return []
    spans = distinct_gold_spans(gold)
    return assign_gold_techniques(gold, model.classify_spans(text, pred, spans), spans)


def run_model(
    model: ModelBase,
    articles: list[CorpusArticle],
    chunk: int = 8,
    on_progress: Callable[[int], None] | None = None,
    keep_hidden: bool = False,
) -> list[ArticleOutput]:
    cfg = model.decoding
    outputs = []
    for i in range(0, len(articles), chunk):
        part = articles[i : i + chunk]
        preds = model.predict_many([c.article.text for c in part])
        for c, pred in zip(part, preds):
            text = c.article.text
            labels = gold_tc_labels(model, text, pred, c.gold)
            found = detect_spans(text, pred.tokens, pred.probs, span_classifier(model, text, pred), cfg)
            outputs.append(ArticleOutput(
                c.article.id, text, pred.tokens, pred.probs, c.gold, labels, found,
                identified_spans(text, pred.tokens, pred.probs, found, cfg), pred.hidden if keep_hidden else None,
            ))
        if on_progress:
            on_progress(len(part))
    return outputs


def gold_tables(outputs):
    si, spans = {}, {}
    for o in outputs:
        if o.gold is None:
            continue
        si[o.id] = [(g.start, g.end) for g in o.gold]
        spans[o.id] = [(g.start, g.end, g.technique) for g in o.gold]
    return si, spans


def score(outputs: list[ArticleOutput]) -> CorpusScores:
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, gold_spans = gold_tables(labelled)
    pred_si = {o.id: o.si for o in labelled}
    return CorpusScores(
        si=span_identification(gold_si, pred_si),
        tc=technique_classification(gold_spans, {o.id: o.tc_labels for o in labelled}),
        end_to_end=end_to_end(gold_spans, {o.id: [(s.start, s.end, s.technique) for s in o.spans] for o in labelled}),
        sentence=sentence_f1(gold_si, pred_si, {o.id: split_sentences(o.text) for o in labelled}),
        articles=len(labelled),
    )


def evaluate(model: ModelBase, articles: list[CorpusArticle], on_progress=None) -> CorpusScores:
    """The model's SemEval figures on labelled ``articles``, with the decoding stored in the model."""
    return score(run_model(model, articles, on_progress=on_progress))


def redecode(model: ModelBase, outputs: list[ArticleOutput], floor: float = REPORT_FLOOR) -> list[ArticleOutput]:
    """Decode kept outputs again with the model's (new) decoding, without running the encoder again. ``floor``:
    the report floor (0 keeps every span, to measure what the floor costs)."""
    cfg = model.decoding
    out = []
    for o in outputs:
        pred = o.predictions()
        found = detect_spans(o.text, o.tokens, o.probs, span_classifier(model, o.text, pred), cfg, floor=floor)
        labels = gold_tc_labels(model, o.text, pred, o.gold) if o.hidden is not None else o.tc_labels
        si = identified_spans(o.text, o.tokens, o.probs, found, cfg)
        out.append(replace(o, spans=found, si=si, tc_labels=labels))
    return out
