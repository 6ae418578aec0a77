"""Extents the span head will meet at run time: annotated spans with their edges moved by whole words.

Why: the span head learns on the annotators' extents but labels the tagger's, and the two rarely agree (on the
first cross-validation fold only 13% of the decoded highlights that overlap an annotated span share both its
edges; a quarter start or end eight or more words away). Giving each decoded highlight the technique of the
annotated span it overlaps most would raise end-to-end F1 from 0.235 to 0.368 there with the places unchanged,
so the loss is in labelling extents the head never trained on. ``jittered_spans`` draws such extents around
each annotated span: each edge stays put, moves a few words, or moves up to a dozen, never past the sentences
the span lies in. Their target is what the SemEval scorer rewards for that extent: each annotated span it
overlaps votes for its techniques by its share of the extent plus its share of the annotated span.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import numpy as np

from ..sentences import split_sentences

_WORD = re.compile(r"\w+")
# How far an edge moves, in words: P(no move), P(up to NEAR words), else up to FAR words.
STAY, NEAR, FAR = 0.3, 3, 12
_NEAR_SHARE = 0.4
_TRIES = 20


def _offset(rng: np.random.Generator) -> int:
    u = rng.random()
    if u < STAY:
        return 0
    reach = NEAR if u < STAY + _NEAR_SHARE else FAR
    return int(rng.integers(-reach, reach + 1))


def jittered_spans(text: str, annotated: dict[tuple[int, int], set[str]], copies: int,
                   rng: np.random.Generator) -> list[tuple[tuple[int, int], dict[str, float]]]:
    """Up to ``copies`` moved extents per annotated span ``(start, end) -> techniques``, each overlapping it and
    with its target (technique -> probability, summing to 1). No extent is drawn twice, and none equal to an
    annotated one (those the span head learns already)."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    if not words or copies <= 0:
        return []
    starts = [s for s, _ in words]
    ends = [e for _, e in words]
    sentences = split_sentences(text) or [(0, len(text))]
    sentence_starts = [s for s, _ in sentences]
    out = []
    seen: set[tuple[int, int]] = set()  # word ranges drawn so far, over all the annotated spans
    for (start, end), _techniques in sorted(annotated.items()):
        first = bisect_right(ends, start)  # first word ending after the span starts
        last = bisect_left(starts, end) - 1  # last word starting before it ends
        if first > last:
            continue
        lo_sentence = sentences[max(0, bisect_right(sentence_starts, start) - 1)][0]
        hi_sentence = sentences[max(0, bisect_right(sentence_starts, max(start, end - 1)) - 1)][1]
        lo = min(first, bisect_left(starts, lo_sentence))
        hi = max(last, bisect_left(starts, hi_sentence) - 1)
        drawn = 0
        for _ in range(_TRIES):
            if drawn == copies:
                break
            a = min(max(first + _offset(rng), lo), hi)
            b = min(max(last + _offset(rng), lo), hi)
            if a > b or b < first or a > last or (a, b) in seen:  # empty, off the span, or drawn already
                continue
            seen.add((a, b))
            extent = (words[a][0], words[b][1])
            if extent in annotated:
                continue
            target = _target(extent, annotated)
            if not target:  # overlaps only spans without a technique
                continue
            out.append((extent, target))
            drawn += 1
    return out


def _target(extent: tuple[int, int], annotated: dict[tuple[int, int], set[str]]) -> dict[str, float]:
    """Each overlapped annotated span votes for its techniques with (overlap / extent + overlap / its length)."""
    s, e = extent
    votes: dict[str, float] = {}
    for (gs, ge), techniques in annotated.items():
        overlap = min(e, ge) - max(s, gs)
        if overlap <= 0 or not techniques:
            continue
        weight = (overlap / (e - s) + overlap / (ge - gs)) / len(techniques)
        for t in techniques:
            votes[t] = votes.get(t, 0.0) + weight
    total = sum(votes.values())
    return {t: v / total for t, v in votes.items()}
