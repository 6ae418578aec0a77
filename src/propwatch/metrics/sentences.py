"""Sentence-level detection: does a sentence contain propaganda at all?

A sentence is positive on a side when any span of that side overlaps it (``start < sentence_end`` and
``end > sentence_start``). Precision, recall and F1 are the usual binary ones over every sentence of every
article in ``sentences``; this is the figure a reader of the highlighted sentences experiences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

from ._input import SpanTable, bounds_table
from .spans import PRF


def _positive(sent_starts: np.ndarray, sent_ends: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    if not spans:
        return np.zeros(len(sent_starts), dtype=bool)
    arr = np.asarray(spans, dtype=np.int64)
    hits = (arr[:, :1] < sent_ends[None, :]) & (arr[:, 1:2] > sent_starts[None, :])
    return np.asarray(hits.any(axis=0))


def sentence_f1(gold: SpanTable, pred: SpanTable,
                sentences: Mapping[str, Iterable[tuple[int, int]]]) -> PRF:
    """Binary P/R/F1 over the sentences of ``sentences`` (``{article: [(start, end), ...]}``).

    ``pred_spans`` and ``gold_spans`` of the result count the positive sentences of each side. Spans of an
    article that has no entry in ``sentences`` cannot be placed, so they raise ``ValueError``.
    """
    gold_b, pred_b = bounds_table(gold), bounds_table(pred)
    sentences = {str(a): list(s) for a, s in sentences.items()}
    missing = sorted(
        a for a in gold_b.keys() | pred_b.keys() if a not in sentences and (gold_b.get(a) or pred_b.get(a))
    )
    if missing:
        raise ValueError(f"no sentences given for {len(missing)} articles with spans, e.g. {missing[0]!r}")
    tp = n_pred = n_gold = 0
    for article, sents in sentences.items():
        if not sents:
            continue
        bounds = np.asarray(sents, dtype=np.int64)
        g = _positive(bounds[:, 0], bounds[:, 1], gold_b.get(article, []))
        p = _positive(bounds[:, 0], bounds[:, 1], pred_b.get(article, []))
        tp += int((g & p).sum())
        n_gold += int(g.sum())
        n_pred += int(p.sum())
    return PRF.from_sums(float(tp), n_pred, float(tp), n_gold)
