"""A span's technique from everything the model knows about it, weighed on articles the model never saw.

The span head is trained on token states of articles its encoder has memorised, where those states alone separate
the techniques, so it learns to ignore the weaker signals beside them: how often the phrase recurs, how much of its
sentence it covers, whether the sentence shouts, what the token tagger's own technique channels say. The
Repetition cue, the technique offsets and the neighbour vote each correct one of these by hand, with a weight
fitted on unseen articles. The stacker (stacked generalisation, Wolpert 1992) fits all of them at once: a
multinomial logistic regression over the span head's log-probabilities and those signals, fitted on held-out
articles' annotated spans (``evaluation.stacking``), stored with the decoding, and run here with numpy alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..sentences import sentence_at, split_sentences
from ..techniques import TECHNIQUE_IDS
from .spans import earlier_occurrences, extra_features, token_range
from .windows import TokenizedText

N_TECHNIQUES = len(TECHNIQUE_IDS)
# The signals besides the four blocks of 14 (span head, neighbour vote, token channels' mean and max); the
# names are stored with the weights, so a stacker fitted on another list fails at load instead of misreading.
SIGNALS = ("repeated_before", "log_earlier", "log_others", "log_words", "sentence_share", "sentence_exclaims",
           "sentence_asks", "quoted", "capitalised")
_WORD = re.compile(r"\w+")
_QUOTES = "\"“”«»‘’'"


def feature_names(with_vote: bool) -> tuple[str, ...]:
    blocks = ["head", *(["vote"] if with_vote else []), "channel_mean", "channel_max"]
    return tuple(f"{b}:{t}" for b in blocks for t in TECHNIQUE_IDS) + SIGNALS


def _signals(text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    """``[S, len(SIGNALS)]``: what a span's words and its sentence say, independent of the encoder."""
    sentences = split_sentences(text)
    earlier = earlier_occurrences(text, spans)
    words = [_WORD.findall(text[s:e]) for s, e in spans]
    others = extra_features(text, spans, [max(1, len(w)) for w in words])[:, 1]
    out = np.zeros((len(spans), len(SIGNALS)), dtype=np.float32)
    for i, ((s, e), ws) in enumerate(zip(spans, words)):
        sentence = sentence_at(sentences, s) or (s, e)
        lo, hi = min(sentence[0], s), max(sentence[1], e)
        out[i, 0] = earlier[i] > 0
        out[i, 1] = np.log1p(earlier[i])
        out[i, 2] = others[i]
        out[i, 3] = np.log1p(len(ws))
        out[i, 4] = (e - s) / max(1, hi - lo)
        out[i, 5] = "!" in text[lo:hi]
        out[i, 6] = "?" in text[lo:hi]
        out[i, 7] = any(c in _QUOTES for c in text[max(0, s - 2) : e])
        out[i, 8] = sum(w[0].isupper() for w in ws) / max(1, len(ws))
    return out


def channel_features(tokens: TokenizedText, probs: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """``[S, 28]``: the token tagger's technique channels over each span's tokens, mean then max (zeros for a
    span no token covers)."""
    out = np.zeros((len(spans), 2 * N_TECHNIQUES), dtype=np.float32)
    for i, (s, e) in enumerate(spans):
        rng = token_range(tokens.offsets, s, e)
        if rng is None:
            continue
        block = probs[rng[0] : rng[1] + 1, :N_TECHNIQUES]
        out[i, :N_TECHNIQUES] = block.mean(axis=0)
        out[i, N_TECHNIQUES:] = block.max(axis=0)
    return out


def stack_features(text: str, tokens: TokenizedText, probs: np.ndarray, spans: list[tuple[int, int]],
                   head: np.ndarray, votes: np.ndarray | None) -> np.ndarray:
    """The stacker's input for ``spans`` (``feature_names(votes is not None)`` in order): the span head's
    log-probabilities ``head``, the neighbour ``votes`` where there are any, the token channels and the signals."""
    parts = [np.log(np.clip(head, 1e-6, None))]
    if votes is not None:
        parts.append(votes)
    parts += [channel_features(tokens, probs, spans), _signals(text, spans)]
    return np.concatenate(parts, axis=1).astype(np.float32)


@dataclass(frozen=True, eq=False)
class SpanStacker:
    """The fitted regression: features standardised by ``mean``/``scale``, then ``softmax(x @ weights + bias)``
    over the 14 techniques. ``features`` names its inputs; ``record`` says how it was chosen."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # [F, 14]
    bias: np.ndarray  # [14]
    record: dict

    def __post_init__(self) -> None:
        f = len(self.features)
        if self.mean.shape != (f,) or self.scale.shape != (f,) or self.weights.shape != (f, N_TECHNIQUES) \
                or self.bias.shape != (N_TECHNIQUES,):
            raise ValueError(f"a span stacker over {f} features needs mean and scale of {f}, weights of {f} x "
                             f"{N_TECHNIQUES} and a bias of {N_TECHNIQUES}")
        if set(self.features) - set(feature_names(True)):
            raise ValueError(f"a span stacker names features this version does not compute: "
                             f"{sorted(set(self.features) - set(feature_names(True)))[:3]}")

    def __eq__(self, other: object) -> bool:  # arrays have no single truth value: compare what is stored
        return isinstance(other, SpanStacker) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    @property
    def uses_vote(self) -> bool:
        return self.features[N_TECHNIQUES].startswith("vote:")

    @classmethod
    def from_dict(cls, d: dict) -> SpanStacker:
        return cls(tuple(d["features"]), np.asarray(d["mean"], dtype=np.float32),
                   np.asarray(d["scale"], dtype=np.float32), np.asarray(d["weights"], dtype=np.float32),
                   np.asarray(d["bias"], dtype=np.float32), dict(d.get("record", {})))

    def to_dict(self) -> dict:
        return {"features": list(self.features), "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "weights": [[round(float(v), 6) for v in row] for row in self.weights],
                "bias": [round(float(v), 6) for v in self.bias], "record": self.record}

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """``[S, 14]`` technique probabilities for ``stack_features`` rows."""
        if not len(features):
            return np.zeros((0, N_TECHNIQUES), dtype=np.float32)
        z = ((features - self.mean) / self.scale) @ self.weights + self.bias
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
