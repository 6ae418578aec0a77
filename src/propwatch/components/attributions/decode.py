"""From per-token tag probabilities to role spans on word boundaries.

The model tags every encoder token with one of ``O``, ``B-role``, ``I-role`` (roles: source, cue, content).
Spans are decided per *word*, the unit the attribution scorer counts (a run of letters and digits, or one
other non-space character: the same words as ``propwatch.metrics.attributions``), from the probabilities of
each word's first token. A Viterbi pass over the word log-probabilities finds the best tag sequence in which
every ``I-role`` follows ``B-role`` or ``I-role``: an invalid sequence (``O I-cue``) is repaired by choosing
the likeliest valid one rather than by patching tags one at a time. The pass also weighs how often one tag follows
another in PolNeAR's annotations (``TAG_TRANSITIONS``), which the tagger, judging each token in its window, does
not know: a content piece rarely stops mid-clause for one word of ``O`` and starts again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...words import whole_words

ROLES = ("source", "cue", "content")
# Cues that name no source and that the model, trained on few of them (PolNeAR train tags "reportedly" as a cue
# 19 times in 29), tends to miss: each occurrence no decoded span touches becomes a cue of its own.
LEXICAL_CUES = re.compile(r"\breportedly\b", re.IGNORECASE)
LEXICAL_CUE_SCORE = 0.5
LABELS = ("O", "B-source", "I-source", "B-cue", "I-cue", "B-content", "I-content")
# How often the tag of a row is followed by the tag of a column, word after word, in PolNeAR train's 840 articles
# (first annotator, rows and columns in ``LABELS`` order), as ``training.attribution_data.tag_transitions``
# counts them; a test recounts them from the corpus. The Viterbi pass adds ``TRANSITION_WEIGHT`` times their
# log-probability (add-one smoothed, by row) to each step: a prior over tag sequences that the per-token
# probabilities lack, as an HMM's transitions or a CRF's. Weight 1 would trust the counts as much as the tagger;
# the tagger's probabilities already carry much of their context, so less is right.
TAG_TRANSITIONS = (
    (302118, 14933, 0, 5979, 0, 10600, 0),
    (978, 2, 8751, 7455, 0, 29, 0),
    (3472, 21, 33763, 5183, 0, 75, 0),
    (4158, 1012, 0, 1, 7902, 6589, 0),
    (1393, 562, 0, 2, 10231, 5945, 0),
    (886, 227, 0, 376, 0, 1, 21784),
    (20971, 143, 0, 661, 0, 9, 293173),
)
# Chosen on half A of PolNeAR dev (the articles at even places in name order) from 0, 0.05, 0.1, 0.15, 0.2, 0.3,
# 0.4 and 0.6, by the mean exact F1 of ``fast`` and ``accurate`` together; half B judges it (BENCHMARKS.md,
# "Attributions: how the decoding's choices were made", which ``benchmarks/attribution_choices.py`` writes).
# Chosen with the taggers of the time (fast 1.4.0, accurate's pair 1.4.0 + 1.3.0); with today's (fast 1.11.1,
# accurate 1.11.1 + 1.9.0) the same section shows 0.05 ahead on half A for both together, and on half B 0.15 for
# fast and 0.1 for accurate, each above 0.05 there. Not chosen again, as the ensemble's stride was not: a second
# choice on half A would fit that half more closely, and half B does not favour it.
TRANSITION_WEIGHT = 0.2
_WORD = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Word:
    start: int
    end: int


@dataclass(frozen=True)
class RoleSpan:
    """One decoded role fragment: character offsets (end exclusive), its word range and a confidence (the mean
    probability of the chosen tags over its words)."""

    role: str
    start: int
    end: int
    first_word: int
    last_word: int  # inclusive
    score: float


def words_of(text: str) -> list[Word]:
    return [Word(m.start(), m.end()) for m in _WORD.finditer(text)]


def is_punctuation(text: str, word: Word) -> bool:
    c = text[word.start]
    return not (c.isalnum() or c == "_")


def word_log_probs(words: list[Word], token_offsets: np.ndarray, probs: np.ndarray, labels=LABELS) -> np.ndarray:
    """``[W, L]`` log-probabilities per word: those of the word's first token. A word no token covers (the
    tokenizer drops some characters) takes the previous token's probabilities with ``B-`` mass moved to
    ``I-``, so it continues whatever span it sits in."""
    n_labels = len(labels)
    out = np.zeros((len(words), n_labels), dtype=np.float64)
    if not words:
        return out
    if len(token_offsets) == 0:
        out[:, 1:] = -np.inf
        return out
    starts = np.asarray(token_offsets)[:, 0]
    p = np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0)
    word_starts = np.fromiter((w.start for w in words), dtype=np.int64, count=len(words))
    word_ends = np.fromiter((w.end for w in words), dtype=np.int64, count=len(words))
    # all words at once (an article has a thousand or more): the first token starting in each word
    k = np.searchsorted(starts, word_starts, side="left")
    covered = (k < len(starts)) & (starts[np.minimum(k, len(starts) - 1)] < word_ends)
    rows = p[np.where(covered, np.minimum(k, len(starts) - 1), np.maximum(k - 1, 0))]
    uncovered = ~covered
    for r in ROLES:
        b, i = labels.index(f"B-{r}"), labels.index(f"I-{r}")
        rows[uncovered, i] += rows[uncovered, b]
        rows[uncovered, b] = 1e-12
    out[:] = np.log(rows)
    return out


def transition_log_probs(labels=LABELS) -> np.ndarray:
    """``[L, L]`` log-probability of each tag following each other in ``TAG_TRANSITIONS`` (add-one smoothed by row),
    for the tags of ``labels`` by name; a tag PolNeAR's scheme does not have gets 0 (no preference)."""
    return _transition_log_probs(tuple(labels)).copy()


@lru_cache(maxsize=8)
def _transition_log_probs(labels: tuple[str, ...]) -> np.ndarray:
    counts = np.asarray(TAG_TRANSITIONS, dtype=np.float64) + 1.0
    known = np.log(counts / counts.sum(1, keepdims=True))
    index = [LABELS.index(name) if name in LABELS else -1 for name in labels]
    out = np.zeros((len(labels), len(labels)))
    for i, a in enumerate(index):
        for j, b in enumerate(index):
            if a >= 0 and b >= 0:
                out[i, j] = known[a, b]
    return out


def viterbi(log_probs: np.ndarray, labels=LABELS, transition_weight: float | None = None) -> np.ndarray:
    """The likeliest tag sequence in which every ``I-role`` follows ``B-role`` or ``I-role``, each step weighing
    ``transition_weight`` (default ``TRANSITION_WEIGHT``) times the log-probability of its tag after the one
    before (``transition_log_probs``)."""
    n, n_labels = log_probs.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    weight = TRANSITION_WEIGHT if transition_weight is None else transition_weight
    allowed = np.ones((n_labels, n_labels), dtype=bool)  # [previous, current]
    start_ok = np.ones(n_labels, dtype=bool)
    for j, name in enumerate(labels):
        if name.startswith("I-"):
            role = name[2:]
            start_ok[j] = False
            for i, prev in enumerate(labels):
                allowed[i, j] = prev in (f"B-{role}", f"I-{role}")
    penalty = np.where(allowed, weight * _transition_log_probs(tuple(labels)) if weight else 0.0, -np.inf)
    score = np.where(start_ok, log_probs[0], -np.inf)
    back = np.zeros((n, n_labels), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + penalty
        back[t] = cand.argmax(0)
        score = cand.max(0) + log_probs[t]
    path = np.zeros(n, dtype=np.int64)
    path[-1] = int(score.argmax())
    for t in range(n - 1, 0, -1):
        path[t - 1] = back[t, path[t]]
    return path


APOSTROPHES = "'’"


def role_extent(text: str, start: int, end: int) -> tuple[int, int]:
    """Whole words as a reader sees them ("it’s", not "s"), except that a span the tagger ended before an
    apostrophe stays there: "they" of "they’re saying", "Trump" of "Trump’s" is the source, and PolNeAR's
    annotators (whose words split at the apostrophe, as the scorer's do) end it there too."""
    whole_start, whole_end = whole_words(text, start, end)
    if end < len(text) and text[end] in APOSTROPHES and whole_end > end:
        whole_end = end
    return whole_start, whole_end


def join_touching_content(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """``spans`` with content pieces that touch (no word, not even punctuation, between them) made one.

    The tagger sometimes starts content anew in the middle of a clause ("told police officials | that she didn't
    want the escort"). PolNeAR almost never has two content pieces that touch (10 of train's 23,277; where an
    attribution's content is in pieces, at least a full stop or a quotation mark stands between them), so touching
    pieces are one piece cut in two. Only content: a cue or source that touches another is left as the tagger read it.
    Pieces on either side of a line break stay apart: ``_lines_of`` cut them there (a headline is not the first
    words of the quote in the paragraph below it).
    """
    out: list[RoleSpan] = []
    for span in spans:
        last = out[-1] if out else None
        if (last and span.role == last.role == "content" and span.first_word == last.last_word + 1
                and "\n" not in text[last.end : span.start]):
            out[-1] = RoleSpan("content", last.start, span.end, last.first_word, span.last_word,
                               (last.score + span.score) / 2)
            continue
        out.append(span)
    return out


def join_split_words(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """``spans`` with two pieces of one role made one where no space stands between them: the tagger began a new
    source at "U" of "E.U. leaders", and the reader saw a source "E" and another "U. leaders". A word written
    with dots or hyphens is one word to a reader, whatever its tokens."""
    out: list[RoleSpan] = []
    for span in spans:
        last = out[-1] if out else None
        gap = text[last.end : span.start] if last else ""  # empty where whole words made the two overlap
        if last and span.role == last.role and not any(c.isspace() for c in gap):
            out[-1] = RoleSpan(span.role, min(last.start, span.start), max(last.end, span.end), last.first_word,
                               span.last_word, (last.score + span.score) / 2)
            continue
        out.append(span)
    return out


_RELATIVE_END = re.compile(r"[,(]\s*(who|which|that)$")


def relative_source(text: str, span: RoleSpan) -> RoleSpan:
    """A source the tagger ran on into a relative pronoun ("Mr. Obama, who") is the pronoun alone: it is the
    subject of the cue right after it, and names its antecedent through ``sources`` ("who" -> Mr. Obama), where
    PolNeAR's annotators mark it (train: 6 of 18,370 sources end on "who", "which" or "that", none after a comma;
    the antecedent is the source of its own cue, when it has one)."""
    m = _RELATIVE_END.search(text[span.start : span.end]) if span.role == "source" else None
    if m is None:
        return span
    return RoleSpan(span.role, span.start + m.start(1), span.end, span.last_word, span.last_word, span.score)


def _lines_of(text: str, words: list[Word], first: int, last: int) -> list[tuple[int, int]]:
    """The word range ``first..last`` cut where a line break stands between two of its words. No role of
    PolNeAR's crosses one (train: 1 content piece of 23,289, no source or cue), but the tagger's "I-" tags can run
    on into the next paragraph: "a New Year's party\nFrench President Emmanuel Macron" was one source, which
    then belonged to the paragraph before and left Macron's "acknowledged" without him."""
    pieces, start = [], first
    for k in range(first, last):
        if "\n" in text[words[k].end : words[k + 1].start]:
            pieces.append((start, k))
            start = k + 1
    pieces.append((start, last))
    return pieces


def decode_roles(text: str, token_offsets: np.ndarray, probs: np.ndarray, labels=LABELS) -> list[RoleSpan]:
    """``decode_word_roles`` over the words of ``text`` and their log-probabilities."""
    words = words_of(text)
    return decode_word_roles(text, words, word_log_probs(words, token_offsets, probs, labels), labels)


def decode_word_roles(text: str, words: list[Word], lp: np.ndarray, labels=LABELS) -> list[RoleSpan]:
    """Role fragments of ``text`` (its ``words`` and their ``[W, L]`` log-probabilities ``lp``) in reading order,
    cut at line breaks (``_lines_of``), trimmed of punctuation at both ends (as the scorer does: a span of only
    punctuation is dropped), touching content pieces joined (``join_touching_content``), pieces of one role inside
    one written word joined (``join_split_words``), and a source ending on a relative pronoun cut to it
    (``relative_source``)."""
    path = viterbi(lp, labels)
    spans: list[RoleSpan] = []
    i = 0
    while i < len(path):
        name = labels[path[i]]
        if name == "O":
            i += 1
            continue
        role = name[2:]
        j = i + 1
        while j < len(path) and labels[path[j]] == f"I-{role}":
            j += 1
        for first, last in _lines_of(text, words, i, j - 1):
            a, b = first, last
            while a <= b and is_punctuation(text, words[a]):
                a += 1
            while b >= a and is_punctuation(text, words[b]):
                b -= 1
            if a <= b:
                score = float(np.exp(lp[np.arange(first, last + 1), path[first : last + 1]]).mean())
                start, end = role_extent(text, words[a].start, words[b].end)
                spans.append(RoleSpan(role, start, end, a, b, score))
        i = j
    return [relative_source(text, s) for s in join_split_words(text, join_touching_content(text, spans))]


def word_at(words: list[Word], offset: int) -> int:
    """The index of the first word that starts at or after ``offset``."""
    return next(i for i, w in enumerate(words) if w.start >= offset)


def add_lexical_cues(text: str, spans: list[RoleSpan]) -> list[RoleSpan]:
    """``spans`` plus a cue for every ``LEXICAL_CUES`` match that no span touches, in reading order."""
    extra = []
    words = None
    for m in LEXICAL_CUES.finditer(text):
        if any(sp.start < m.end() and m.start() < sp.end for sp in spans):
            continue
        words = words if words is not None else words_of(text)
        k = word_at(words, m.start())
        extra.append(RoleSpan("cue", m.start(), m.end(), k, k, LEXICAL_CUE_SCORE))
    if not extra:
        return spans
    return sorted(spans + extra, key=lambda sp: (sp.start, sp.end))
