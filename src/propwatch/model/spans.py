"""From character spans to token ranges and span features, in numpy, for the span classifier head.

The span head (``SpanHead``) labels a given stretch of text with a technique. It sees the mean, first and last
token states of the span and two document-level cues that token states alone cannot carry: the span's length
and how often the same words occur elsewhere in the article (Repetition is about exactly that). The torch
training code computes the same features from the same functions' outputs, so training and inference agree.

After the head, two adjustments tuned on unseen articles: ``apply_repetition_cue``, whether the span's phrase
already occurred earlier (``earlier_occurrences``), and ``apply_technique_offsets``, a prior correction that
gives the rare techniques back some of the weight the head's training took from them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from ..techniques import TECHNIQUE_IDS

N_EXTRA_FEATURES = 2
_WORDS = re.compile(r"\w+")


def token_range(offsets: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """Indices (first, last inclusive) of the tokens overlapping characters ``[start, end)``, or None."""
    if len(offsets) == 0:
        return None
    first = int(np.searchsorted(offsets[:, 1], start, side="right"))
    last = int(np.searchsorted(offsets[:, 0], end, side="left")) - 1
    if first > last or first >= len(offsets):
        return None
    return first, last


def normalise(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def extra_features(article_text: str, spans: list[tuple[int, int]], token_lengths: list[int]) -> np.ndarray:
    """``[S, 2]``: log token length, and log(1 + other occurrences of the span's words in the article)."""
    norm_article = " " + normalise(article_text) + " "
    out = np.zeros((len(spans), N_EXTRA_FEATURES), dtype=np.float32)
    for i, ((s, e), n_tok) in enumerate(zip(spans, token_lengths)):
        phrase = normalise(article_text[s:e])
        repeats = max(0, norm_article.count(" " + phrase + " ") - 1) if phrase else 0
        out[i, 0] = np.log1p(n_tok)
        out[i, 1] = np.log1p(repeats)
    return out


def earlier_occurrences(article_text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """``[S]``: how many times each span's words (case-folded, punctuation ignored) occur, as a whole phrase,
    entirely before the span starts.

    The cue behind Repetition: PTC's annotators mark a phrase as Repetition where it comes back, and the
    first occurrence rarely carries the label. Each distinct phrase is searched once in the case-folded
    word sequence, so an article with many spans stays linear in practice.
    """
    matches = list(_WORDS.finditer(article_text))
    words = [m.group().lower() for m in matches]
    word_ends = [m.end() for m in matches]
    norm = " " + " ".join(words) + " "
    # Character position in ``norm`` of the space before each word, to turn a find() hit into a word index.
    word_at = np.cumsum([0] + [len(w) + 1 for w in words[:-1]]) if words else np.zeros(0, dtype=int)
    found: dict[str, list[int]] = {}
    out = np.zeros(len(spans), dtype=np.float32)
    for i, (s, e) in enumerate(spans):
        phrase = normalise(article_text[s:e])
        if not phrase:
            continue
        if phrase not in found:
            needle, hits, at = f" {phrase} ", [], -1
            while (at := norm.find(needle, at + 1)) != -1:
                hits.append(int(np.searchsorted(word_at, at)))
            found[phrase] = hits
        k = phrase.count(" ") + 1
        ended = bisect_right(word_ends, s)  # words that end at or before the span's start
        out[i] = bisect_right(found[phrase], ended - k)
    return out


def apply_repetition_cue(probs: np.ndarray, earlier: np.ndarray, cue: tuple[float, float]) -> np.ndarray:
    """Raise Repetition's log-probability by ``cue[0]`` when the phrase occurred earlier and by
    ``cue[1] * log(1 + earlier)``, then renormalise. ``cue`` is tuned on validation and stored with the model
    (``DecodingConfig.repetition_cue``); ``(0, 0)`` leaves the span head's probabilities as they are.

    Why not only a head feature: the span head already sees how often a phrase recurs, but it is trained on
    token states of articles the encoder has memorised, where the states alone separate the techniques, so it
    learns to ignore that feature. A cue fitted on unseen articles does not have that problem.
    """
    bonus, per_log = cue
    if not len(probs) or (bonus == 0 and per_log == 0):
        return probs
    logp = np.log(np.clip(probs, 1e-9, None))
    logp[:, TECHNIQUE_IDS.index("repetition")] += bonus * (earlier > 0) + per_log * np.log1p(earlier)
    logp -= logp.max(axis=1, keepdims=True)
    e = np.exp(logp)
    return (e / e.sum(axis=1, keepdims=True)).astype(probs.dtype)


def apply_technique_offsets(probs: np.ndarray, offsets: dict[str, float]) -> np.ndarray:
    """Add ``offsets[t]`` to technique ``t``'s log-probability and renormalise (``{}`` leaves ``probs`` as they
    are). The offsets are a prior correction (logit adjustment, Menon et al., ICLR 2021): ``-tau * log(prior)``
    with the techniques' shares of the annotated spans, ``tau`` tuned on unseen articles and stored with the
    model (``DecodingConfig.technique_offsets``, chosen by ``evaluation.cues.tune_technique_offsets``).

    Why: the span head is trained with plain cross-entropy on spans where loaded language outnumbers each rare
    technique twenty to one, so on a span that could be either it says the frequent one. Weighting the rare
    techniques up in training (``--span-class-balance``) raised TC macro-F1 but cost the other figures and needs a
    training for every weight; an offset at decoding is tuned in seconds on held-out articles, and tau = 0 is the
    head as trained.
    """
    if not len(probs) or not offsets:
        return probs
    logp = np.log(np.clip(probs, 1e-9, None))
    logp += np.array([offsets.get(t, 0.0) for t in TECHNIQUE_IDS], dtype=logp.dtype)
    logp -= logp.max(axis=1, keepdims=True)
    e = np.exp(logp)
    return (e / e.sum(axis=1, keepdims=True)).astype(probs.dtype)


def neighbour_votes(similarities: np.ndarray, techniques: np.ndarray, shares: np.ndarray, k: int,
                    temperature: float, balance: float = 0.0) -> np.ndarray:
    """``[S, 14]`` technique votes of each span's ``k`` most similar training examples (``similarities`` and
    ``techniques``: ``[S, K]``, most similar first, ``K >= k``, from ``ExampleIndex.nearest_rows``): a softmax over
    their cosine similarities at ``temperature``, summed by technique, each technique's sum divided by
    ``shares[t] ** balance`` (its share of the examples) and renormalised.

    Why: the span head is a small network trained on these same examples, and it leans to the frequent techniques
    on a span that could be either; the nearest annotated phrases keep the rare techniques' own wordings ("Make
    America great again", "Enough is enough") that a few hundred weights smooth away. Mixed into the head's answer
    (``mix_neighbour_votes``) with settings chosen on held-out articles (``evaluation.neighbours``).
    """
    votes = np.zeros((len(similarities), len(TECHNIQUE_IDS)), np.float64)
    if not len(similarities) or k <= 0:
        return votes
    top = similarities[:, :k].astype(np.float64) / temperature
    weights = np.exp(top - top.max(axis=1, keepdims=True))
    for row in range(len(votes)):
        np.add.at(votes[row], techniques[row, :k], weights[row])
    votes /= np.clip(shares, 1e-9, None)[None, :] ** balance
    return votes / np.clip(votes.sum(axis=1, keepdims=True), 1e-12, None)


def mix_neighbour_votes(probs: np.ndarray, votes: np.ndarray, weight: float) -> np.ndarray:
    """``(1 - weight) * probs + weight * votes``: both are distributions over the techniques, so the mix is one."""
    if not len(probs) or weight <= 0:
        return probs
    return ((1.0 - weight) * probs + weight * votes).astype(probs.dtype)


def pooled_features(hidden: np.ndarray, ranges: list[tuple[int, int]]) -> np.ndarray:
    """``[S, 3H]``: mean, first and last token state of each (first, last-inclusive) token range."""
    h = hidden.shape[1]
    out = np.zeros((len(ranges), 3 * h), dtype=np.float32)
    for i, (a, b) in enumerate(ranges):
        out[i, :h] = hidden[a : b + 1].mean(axis=0)
        out[i, h : 2 * h] = hidden[a]
        out[i, 2 * h :] = hidden[b]
    return out


def _gelu_tanh(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * x**3)))


@dataclass(frozen=True)
class SpanHead:
    """Two-layer MLP over span features, exported from torch as plain arrays (no torch at inference)."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray

    @classmethod
    def load(cls, path) -> "SpanHead":
        with np.load(path) as f:
            return cls(f["w1"], f["b1"], f["w2"], f["b2"])

    def save(self, path) -> None:
        np.savez(path, w1=self.w1, b1=self.b1, w2=self.w2, b2=self.b2)

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """``[S, n_techniques]`` softmax probabilities."""
        z = _gelu_tanh(features @ self.w1.T + self.b1) @ self.w2.T + self.b2
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
