"""Repetition where a highlighted phrase comes back.

PTC's annotators mark Repetition at the places a phrase comes back ("autonomous" four times in one article, "illegal
aliens", "no one is safe"), but the model's span channel fires on how words sound in their sentence, not on their
second coming: a plain word that recurs is rarely proposed as a span at all. On the cross-validation folds the span
head named Repetition for two thirds of its gold spans when handed them (TC recall), yet end-to-end, where the
spans must be found first, Repetition scored under a tenth (BENCHMARKS.md "Cross-validated figures", section 4).

So a phrase the decoding highlighted gives a Repetition span at each later place it recurs with nothing highlighted
there. Its score says how likely that is: the source span's probability of being right times ``REPEAT_RATE``, the
share of such later places that PTC's annotators mark as Repetition (``benchmarks/repeated_phrases.py`` counts it on
the ``train`` articles' gold: a property of the annotation, not a tuned figure).

Judged on the cross-validation folds and not adopted: Repetition's own end-to-end F1 rose, the whole fell
(BENCHMARKS.md, "Repetition where a highlighted phrase comes back"). Off in every shipped model
(``DecodingConfig.repeats``); kept so that judgement can be rerun.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..words import EDGE_PUNCTUATION, FUNCTION_WORDS, bare, has_letter, url_ranges

# Of the later occurrences of an annotated phrase that no other technique's span covers, the share annotated as
# Repetition in PTC's 321 `train` articles: 263 of 414, 0.64 (benchmarks/repeated_phrases.py counts it).
REPEAT_RATE = 0.6

# Only horizontal space between a phrase's words: a phrase never runs across a line break (a paragraph's end),
# as no span may.
_SPACE = r"[^\S\n]+"
# A match that starts after a hyphen or ends before a joiner and a letter is a piece of a longer word ("self" in
# "self-defense", "terrorist" in "terrorist's" stays a whole word only where nothing follows the apostrophe).
_BEFORE = r"(?<![\w\-])"
_AFTER = r"(?!\w)(?![\-'’]\w)"


@dataclass(frozen=True)
class Repeat:
    """A later place where a highlighted phrase recurs: ``start``/``end`` in the article, ``score`` the
    probability that it is annotated Repetition, ``source`` the start of the span it repeats."""

    start: int
    end: int
    score: float
    source: int


def phrase_words(text: str) -> list[str]:
    """A span's words as a phrase to look for: lower-cased, the punctuation at its two ends dropped (a closing
    quote or full stop is part of the span, not of the phrase); [] where only function words remain ("the", "we
    are"): they recur in every article and repeat nothing."""
    words = text.lower().strip(EDGE_PUNCTUATION + " \t\n").split()
    if not words or not has_letter(" ".join(words)) or all(bare(w) in FUNCTION_WORDS for w in words):
        return []
    return words


def occurrences(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the phrase ``words`` (as ``phrase_words`` gives it) stands in ``text``: whole words on one line, in
    any case. Matched on the text itself, case folded by the pattern: lower-casing the text first could move
    offsets ("İ" lower-cases to two characters)."""
    pattern = _BEFORE + _SPACE.join(re.escape(w) for w in words) + _AFTER
    return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]


def later_repeats(text: str, spans: list[tuple[int, int, float]], rate: float = REPEAT_RATE) -> list[Repeat]:
    """Each later, unhighlighted occurrence of a highlighted phrase. ``spans``: the highlights as (start, end,
    score), score a probability. A phrase is looked for once, from its first highlight; a place overlapping any
    highlight, an earlier repeat or a web address is skipped."""
    taken = [(s, e) for s, e, _ in spans] + url_ranges(text)
    seen: set[tuple[str, ...]] = set()
    found: list[Repeat] = []
    for start, end, score in sorted(spans):
        words = phrase_words(text[start:end])
        if not words or tuple(words) in seen:
            continue
        seen.add(tuple(words))
        for a, b in occurrences(text, words):
            if a < end or any(x < b and a < y for x, y in taken):
                continue
            found.append(Repeat(a, b, score * rate, start))
            taken.append((a, b))
    return found
