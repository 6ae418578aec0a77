"""Several exported models answering as one: the ``accurate`` model is all-mpnet-base-v2 with the shipped
MiniLM beside it.

Why: the two encoders were trained apart and err differently, so their mix finds spans and labels them better
than either (BENCHMARKS.md, "The models side by side"), for the cost of running both.

How:

- The first member's tokens are the ensemble's tokens. Every other member's per-token probabilities are
  projected onto them by character overlap (``project_probabilities``), since the members need not share a
  tokenizer, and the members' probabilities are mixed with the token weights stored in ``config.json``.
- A span is labelled by the mean of the members' span heads, each on its own token states, and then by the
  ensemble's own Repetition cue.
- Everything after that (thresholds, nested channels, calibration) is the ordinary decoding, tuned on the
  mixed probabilities by ``propwatch ensemble`` (or ``propwatch tune``) and stored in ``config.json``.

An ensemble folder holds ``config.json`` (``"kind": "ensemble"``, the members, their versions and token
weights) and a complete copy of every member under ``members/``: the tuned decoding is only right for the exact
members it was tuned with. The shipped ``accurate`` is the one exception: it names its shipped siblings
(``../mpnet-v1``, ``../minilm-v1``) to keep 27 MB of MiniLM out of git twice, and loading checks each
sibling is still the version it was tuned with (``registry.member_folders``). Building one is offline work
(``training.ensemble``); this module only runs it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..techniques import TECHNIQUE_IDS
from .config import ModelConfig
from .registry import member_folders
from .runtime import EncoderStates, ModelBase, OnnxModel, TokenPredictions
from .windows import WindowProgress, within

SHARED_CHANNELS = len(TECHNIQUE_IDS) + 1  # 14 techniques and "any technique": every model has these


def project_probabilities(
    target_offsets: np.ndarray, source_offsets: np.ndarray, source_probs: np.ndarray
) -> np.ndarray:
    """``source_probs`` (one row per source token) on the target tokens: each target token gets the mean over
    the source tokens its characters overlap, or the nearest source token where none does (a character one
    tokenizer skips). Offsets are ``[N, 2]`` character ranges in text order."""
    n, m = len(target_offsets), len(source_offsets)
    if n == 0:
        return np.zeros((0, source_probs.shape[1]), np.float32)
    if m == 0:
        return np.zeros((n, source_probs.shape[1]), np.float32)
    first = np.searchsorted(source_offsets[:, 1], target_offsets[:, 0], side="right")  # first ending after start
    stop = np.searchsorted(source_offsets[:, 0], target_offsets[:, 1], side="left")  # those starting before end
    first = np.minimum(first, m - 1)
    stop = np.clip(np.maximum(stop, first + 1), 1, m)
    sums = np.concatenate([np.zeros((1, source_probs.shape[1])), np.cumsum(source_probs, axis=0, dtype=np.float64)])
    return ((sums[stop] - sums[first]) / (stop - first)[:, None]).astype(np.float32)


@dataclass(frozen=True)
class MemberPredictions:
    """What each member said about one text: the ensemble's span classifier needs every member's token states."""

    members: tuple[TokenPredictions, ...]


class EnsembleModel(ModelBase):
    """The same interface as ``OnnxModel`` (``predict_many``, ``classify_spans``, ``decoding``...), so the
    analyzer, the evaluation and the tuning use an ensemble without knowing it is one."""

    def __init__(self, path: Path, threads: int | None = None):
        self.path = Path(path)
        self.config = ModelConfig.read(self.path)
        self.members = [OnnxModel(folder, threads=threads) for folder in member_folders(self.path)]
        weights = np.array([m.token_weight for m in self.config.members], np.float64)
        if (weights < 0).any() or weights.sum() <= 0:
            raise ModelError(f"the ensemble {self.path} has invalid token weights {weights.tolist()}")
        self.token_weights = weights / weights.sum()

    def with_token_weights(self, weights) -> EnsembleModel:
        """This ensemble mixing its members' token probabilities with ``weights`` (``propwatch ensemble`` chooses
        them): a new model object sharing the loaded members, as ``with_decoding``; this one is left as it was."""
        weights = np.asarray(weights, np.float64)
        changed = copy.copy(self)
        changed.token_weights = weights / weights.sum()
        members = tuple(replace(m, token_weight=round(float(w), 4))
                        for m, w in zip(self.config.members, changed.token_weights))
        changed.config = replace(self.config, members=members)
        return changed

    def predict_many(self, texts: list[str], progress: WindowProgress | None = None) -> list[TokenPredictions]:
        if progress is None:
            per_member = [member.predict_many(texts) for member in self.members]
        else:  # the members run one after the other: their windows are counted as one run
            counts = [member.count_windows(texts) for member in self.members]
            total = sum(counts)
            per_member = []
            for k, member in enumerate(self.members):
                before = sum(counts[:k])
                per_member.append(member.predict_many(texts, progress=within(progress, before, total)))
        return [self.combine(tuple(p[i] for p in per_member)) for i in range(len(texts))]

    def combine(self, members: tuple[TokenPredictions, ...], weights=None) -> TokenPredictions:
        """The ensemble's prediction from its members' (``weights``: the token weights, by default the stored
        ones). The sentence channel, which only some models have, is mixed over the members that have it."""
        weights = self.token_weights if weights is None else np.asarray(weights, np.float64) / np.sum(weights)
        first = members[0]
        projected = [first.probs] + [
            project_probabilities(first.tokens.offsets, m.tokens.offsets, m.probs) for m in members[1:]
        ]
        mixed = sum(w * p[:, :SHARED_CHANNELS] for w, p in zip(weights, projected))
        extra = [(w, p[:, SHARED_CHANNELS:]) for w, p in zip(weights, projected) if p.shape[1] > SHARED_CHANNELS]
        if extra:
            total = sum(w for w, _ in extra)
            if total > 0:
                sentence = sum(w * p for w, p in extra) / total
            else:  # only members with no token weight have the channel: use them equally
                sentence = sum(p for _, p in extra) / len(extra)
            mixed = np.concatenate([mixed, sentence], axis=1)
        return TokenPredictions(first.tokens, mixed.astype(np.float32), MemberPredictions(members))

    def span_head_probabilities(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """The mean of the members' span heads, each before its own Repetition cue (the ensemble has its own)."""
        if not isinstance(pred.hidden, MemberPredictions):
            raise ModelError("an ensemble classifies spans from its own predictions (EnsembleModel.predict)")
        return np.mean([m.span_head_probabilities(text, p, spans)
                        for m, p in zip(self.members, pred.hidden.members)], axis=0)

    def encoder_states(self, pred: TokenPredictions) -> tuple[EncoderStates, ...]:
        """Every member's states, each from its own encoder: the role model reads the MiniLM member's, so with
        ``accurate`` it runs no encoder of its own either."""
        if not isinstance(pred.hidden, MemberPredictions):
            return ()
        return tuple(s for member, own in zip(self.members, pred.hidden.members) for s in member.encoder_states(own))

    def example_source(self, pred: TokenPredictions) -> tuple[OnnxModel, TokenPredictions] | None:
        """The first member that ships examples, with its own token states: span vectors only compare within
        one encoder, and averaging the members' states would match no member's examples."""
        if not isinstance(pred.hidden, MemberPredictions):
            return None
        for member, own in zip(self.members, pred.hidden.members):
            if member.examples.available:
                return member, own
        return None
