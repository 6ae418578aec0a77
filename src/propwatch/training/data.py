"""Turn labelled articles into training windows: per-token technique channels and per-span targets."""

from __future__ import annotations

import zlib
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import torch

from ..errors import DataError
from ..model.spans import extra_features, token_range
from ..model.windows import SpecialTokens, TokenizedText, build_batch, tokenize, window_starts
from ..sentences import split_sentences
from ..techniques import TECHNIQUE_IDS
from .jitter import jittered_spans
from .network import ANY_CHANNEL, N_CHANNELS, N_TECHNIQUES, SENTENCE_CHANNEL

_INDEX = {t: i for i, t in enumerate(TECHNIQUE_IDS)}


@dataclass
class TrainingArticle:
    id: str
    tokens: TokenizedText
    token_labels: np.ndarray  # [N, N_CHANNELS] float32 targets: 0/1, or soft when distilling
    span_first: np.ndarray  # [S] token index
    span_last: np.ndarray  # [S] token index, inclusive
    span_targets: np.ndarray  # [S, N_TECHNIQUES] probabilities (a span with two techniques: 0.5/0.5)
    span_extra: np.ndarray  # [S, 2]


def prepare_article(article_id: str, text: str, gold, tokenizer, teacher=None, alpha: float = 0.0,
                    jitter: int = 0, seed: int = 0) -> TrainingArticle:
    """Token and span targets for one article.

    ``gold``: objects with ``start``, ``end`` and ``technique`` (an id), or None for an unlabelled article.
    ``teacher`` (a ``distill.Teacher``): targets become ``(1 - alpha) * gold + alpha * teacher`` (soft labels);
    an unlabelled article learns from the teacher alone, on the spans the teacher finds.
    ``jitter``: the span head also learns up to that many moved extents per annotated span (``jitter``), drawn
    once from ``seed`` and the article's ID and weighing 1/jitter each, so they weigh as much as the annotated
    spans together; the token targets stay the annotators'.
    """
    if jitter and teacher is not None:
        raise DataError("span jitter and distillation do not combine (the teacher labels annotated extents only)")
    tokens = tokenize(tokenizer, text)
    labels = np.zeros((len(tokens), N_CHANNELS), dtype=np.float32)
    by_span: dict[tuple[int, int], set[str]] = defaultdict(set)
    for g in gold or []:
        by_span[(g.start, g.end)].add(g.technique)
    view = None
    if teacher is not None:
        view = teacher.view(text, tokens, sorted(by_span) if gold is not None else None)
        if gold is None:
            by_span = {span: set() for span in view.spans}
    soft = {span: row for span, row in zip(view.spans, view.span_probs)} if view is not None else {}
    firsts, lasts, targets, char_spans, lengths = [], [], [], [], []
    for (start, end), techniques in sorted(by_span.items()):
        rng = token_range(tokens.offsets, start, end)
        if rng is None:
            continue
        a, b = rng
        target = np.zeros(N_TECHNIQUES, dtype=np.float32)
        for t in techniques:
            labels[a : b + 1, _INDEX[t]] = 1.0
            target[_INDEX[t]] = 1.0
        labels[a : b + 1, ANY_CHANNEL] = 1.0
        if techniques:
            target /= target.sum()
        if view is not None:
            weight = alpha if techniques else 1.0
            target = (1 - weight) * target + weight * soft[(start, end)]
        firsts.append(a)
        lasts.append(b)
        targets.append(target)
        char_spans.append((start, end))
        lengths.append(b - a + 1)
    if jitter and gold:
        draws = np.random.default_rng([seed, zlib.crc32(article_id.encode())])
        for (start, end), votes in jittered_spans(text, by_span, jitter, draws):
            moved = token_range(tokens.offsets, start, end)
            if moved is None:
                continue
            row = np.zeros(N_TECHNIQUES, dtype=np.float32)
            for t, p in votes.items():
                row[_INDEX[t]] = p / jitter
            firsts.append(moved[0])
            lasts.append(moved[1])
            targets.append(row)
            char_spans.append((start, end))
            lengths.append(moved[1] - moved[0] + 1)
    if gold is not None:
        _label_sentences(text, tokens, labels, list(by_span))
    if view is not None:
        labels = view.token_probs if gold is None else (1 - alpha) * labels + alpha * view.token_probs
    return TrainingArticle(
        id=article_id,
        tokens=tokens,
        token_labels=labels.astype(np.float32),
        span_first=np.asarray(firsts, dtype=np.int64),
        span_last=np.asarray(lasts, dtype=np.int64),
        span_targets=np.asarray(targets, dtype=np.float32).reshape(-1, N_TECHNIQUES),
        span_extra=extra_features(text, char_spans, lengths),
    )


def _label_sentences(text: str, tokens: TokenizedText, labels: np.ndarray, spans: list[tuple[int, int]]) -> None:
    """Set the sentence channel on every token of each sentence that a gold span overlaps."""
    starts = tokens.offsets[:, 0]
    for s, e in split_sentences(text):
        if any(a < e and b > s for a, b in spans):
            first, last = np.searchsorted(starts, s, side="left"), np.searchsorted(starts, e, side="left")
            labels[first:last, SENTENCE_CHANNEL] = 1.0


@dataclass(frozen=True)
class Window:
    article: int
    start: int


def epoch_windows(articles: list[TrainingArticle], size: int, stride: int, rng: np.random.Generator):
    """All windows of an epoch in random order; the window grid is shifted randomly per article and epoch."""
    windows: list[Window] = []
    for i, art in enumerate(articles):
        shift = int(rng.integers(0, stride)) if len(art.tokens) > size else 0
        windows.extend(Window(i, s) for s in window_starts(len(art.tokens), size, stride, shift))
    order = rng.permutation(len(windows))
    return [windows[j] for j in order]


def collate(windows: list[Window], articles: list[TrainingArticle], size: int, special: SpecialTokens):
    """Tensors for one batch. Spans are kept when they lie wholly inside a window (or fill all of it)."""
    rows_ids, rows_mask, rows_labels = [], [], []
    width = 0
    span_b, span_a, span_z, span_t, span_x = [], [], [], [], []
    for row, w in enumerate(windows):
        art = articles[w.article]
        ids, mask = build_batch(art.tokens.ids, [w.start], size, special)
        length = int(mask.sum()) - 2
        lab = np.zeros((ids.shape[1], N_CHANNELS), dtype=np.float32)
        lab[1 : 1 + length] = art.token_labels[w.start : w.start + length]
        rows_ids.append(ids[0])
        rows_mask.append(mask[0])
        rows_labels.append(lab)
        width = max(width, ids.shape[1])
        end = w.start + length - 1
        inside = (art.span_first >= w.start) & (art.span_last <= end)
        for k in np.nonzero(inside)[0]:
            span_b.append(row)
            span_a.append(art.span_first[k] - w.start + 1)
            span_z.append(art.span_last[k] - w.start + 1)
            span_t.append(art.span_targets[k])
            span_x.append(art.span_extra[k])
    n = len(windows)
    input_ids = np.full((n, width), special.pad, dtype=np.int64)
    attention = np.zeros((n, width), dtype=np.int64)
    labels = np.zeros((n, width, N_CHANNELS), dtype=np.float32)
    for i in range(n):
        k = rows_ids[i].shape[0]
        input_ids[i, :k] = rows_ids[i]
        attention[i, :k] = rows_mask[i]
        labels[i, :k] = rows_labels[i]
    # Special tokens and padding carry no labels: the loss mask excludes them.
    loss_mask = attention.copy().astype(np.float32)
    loss_mask[:, 0] = 0
    loss_mask[np.arange(n), attention.sum(1) - 1] = 0
    return {
        "input_ids": torch.from_numpy(input_ids),
        "attention_mask": torch.from_numpy(attention),
        "labels": torch.from_numpy(labels),
        "loss_mask": torch.from_numpy(loss_mask),
        "span_batch": torch.tensor(span_b, dtype=torch.long),
        "span_first": torch.tensor(span_a, dtype=torch.long),
        "span_last": torch.tensor(span_z, dtype=torch.long),
        "span_targets": torch.from_numpy(np.asarray(span_t, dtype=np.float32).reshape(-1, N_TECHNIQUES)),
        "span_extra": torch.from_numpy(np.asarray(span_x, dtype=np.float32).reshape(-1, 2)),
    }
