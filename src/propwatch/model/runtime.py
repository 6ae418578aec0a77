"""Run a model folder with onnxruntime: text in, per-token technique probabilities (and token states) out.

Loaded once and reused: the ONNX session and tokenizer are the expensive parts (see BENCHMARKS.md for the load
time). ``predict_many`` takes several articles at once (tokenisation and window bookkeeping are shared);
results never depend on which articles are analysed together.
"""

from __future__ import annotations

import json
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..techniques import TECHNIQUE_IDS
from .decode import DecodingConfig
from .registry import resolve_model
from .spans import SpanHead, apply_repetition_cue, earlier_occurrences, extra_features, pooled_features, token_range
from .windows import SpecialTokens, TokenizedText, build_batch, load_tokenizer, merge_windows, tokenize, window_starts

FORMAT_VERSION = 1


@dataclass(frozen=True)
class TokenPredictions:
    """The model's view of one text: its tokens, per-token probabilities ``[N, C]`` (14 techniques, "any technique" and, since
    model 1.1, "sentence holds propaganda")
    and per-token encoder states ``[N, H]`` (for the span classifier; an ensemble's ``hidden`` is its members'
    predictions, ``ensemble.MemberPredictions``, since each member's span head needs its own states)."""

    tokens: TokenizedText
    probs: np.ndarray
    hidden: np.ndarray


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class ModelBase(ABC):
    """What every model answers with, whatever runs it (one ONNX graph, or an ensemble of them): its name,
    version and decoding from ``config.json``, and span labels with the decoding's Repetition cue applied to
    the subclass's ``span_head_probabilities``."""

    config: dict
    _decoding: DecodingConfig | None = None

    @property
    def name(self) -> str:
        return self.config["name"]

    @property
    def version(self) -> str:
        return self.config["version"]

    @property
    def decoding(self) -> DecodingConfig:
        """How token probabilities become spans: tuned on validation and stored in config.json. Parsed once
        (it is read for every classified span list)."""
        if self._decoding is None:
            self._decoding = DecodingConfig.from_dict(self.config.get("decoding"))
        return self._decoding

    def with_decoding(self, decoding: DecodingConfig):
        """Use ``decoding`` from now on (tuning and export set it; the file is written separately)."""
        self.config = {**self.config, "decoding": decoding.to_dict()}
        self._decoding = None
        return self

    def predict(self, text: str) -> TokenPredictions:
        return self.predict_many([text])[0]

    @abstractmethod
    def predict_many(self, texts: list[str]) -> list[TokenPredictions]:
        """Per-token probabilities (and what ``span_head_probabilities`` needs) for several texts."""

    def classify_spans(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` technique probabilities for given character spans (the TC task): the span head's, with
        the Repetition cue of the model's decoding applied."""
        probs = self.span_head_probabilities(text, pred, spans)
        cue = self.decoding.repetition_cue
        if cue == (0.0, 0.0):  # models tuned without the cue: skip the occurrence search
            return probs
        return apply_repetition_cue(probs, earlier_occurrences(text, spans), cue)

    @abstractmethod
    def span_head_probabilities(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` technique probabilities for ``spans`` before any document cue."""


class OnnxModel(ModelBase):
    def __init__(self, path: str | Path | None = None, threads: int | None = None, onnx_file: str = "model.onnx"):
        import onnxruntime as ort

        self.path = resolve_model(path, onnx_file)
        self.config = json.loads((self.path / "config.json").read_text())
        if self.config.get("kind") == "ensemble":
            raise ModelError(f"{self.path} is an ensemble of models: load it with propwatch.model.registry.load_model")
        if self.config.get("format_version") != FORMAT_VERSION:
            raise ModelError(
                f"{self.path} is model format {self.config.get('format_version')}, this propwatch reads "
                f"format {FORMAT_VERSION}"
            )
        if self.config.get("techniques") != list(TECHNIQUE_IDS):
            raise ModelError(f"{self.path} was trained on a different technique list")
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads = threads or int(os.environ.get("PROPWATCH_THREADS", "0"))
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(self.path / onnx_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = load_tokenizer(self.path / "tokenizer.json")
        self.special = SpecialTokens.of(self.tokenizer)
        self.span_head = SpanHead.load(self.path / "span_head.npz")
        self.window = int(self.config["window"])
        self.stride = int(self.config["stride"])
        # One window per run: int8 dynamic quantisation computes activation scales over the whole input
        # tensor, so batching windows would make an article's spans depend on what else shares its batch.
        # On the benchmark CPU one window at a time is no slower than batches of 4-16 (BENCHMARKS.md).
        self.batch_windows = int(self.config.get("batch_windows", 1))

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        logits, hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return logits, hidden

    def predict_many(self, texts: list[str]) -> list[TokenPredictions]:
        """Predictions for several texts; windows of all texts share batches of ``batch_windows``."""
        tokenized = [tokenize(self.tokenizer, t) for t in texts]
        jobs = []  # (text index, window start)
        for i, toks in enumerate(tokenized):
            if len(toks):
                jobs.extend((i, s) for s in window_starts(len(toks), self.window, self.stride))
        # Similar lengths together: the last window of an article is shorter, padding costs time.
        jobs.sort(key=lambda j: min(self.window, len(tokenized[j[0]]) - j[1]))
        logits_by_job: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        for b in range(0, len(jobs), self.batch_windows):
            chunk = jobs[b : b + self.batch_windows]
            width = max(min(self.window, len(tokenized[i]) - s) for i, s in chunk) + 2
            ids = np.full((len(chunk), width), self.special.pad, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, (i, s) in enumerate(chunk):
                one_ids, one_mask = build_batch(tokenized[i].ids, [s], self.window, self.special)
                ids[row, : one_ids.shape[1]] = one_ids[0]
                mask[row, : one_mask.shape[1]] = one_mask[0]
            logits, hidden = self._run(ids, mask)
            for row, job in enumerate(chunk):
                logits_by_job[job] = (logits[row], hidden[row])
        results = []
        for i, toks in enumerate(tokenized):
            n = len(toks)
            if n == 0:
                hidden_size = self.span_head.w1.shape[1] // 3
                channels = int(self.config.get("channels", len(TECHNIQUE_IDS) + 1))
                results.append(TokenPredictions(toks, np.zeros((0, channels), np.float32), np.zeros((0, hidden_size), np.float32)))
                continue
            starts = window_starts(n, self.window, self.stride)
            outs = [logits_by_job[(i, s)] for s in starts]
            width = max(o[0].shape[0] for o in outs)
            stacked_logits = np.zeros((len(outs), width, outs[0][0].shape[1]), np.float32)
            stacked_hidden = np.zeros((len(outs), width, outs[0][1].shape[1]), np.float32)
            for k, (lg, hd) in enumerate(outs):
                stacked_logits[k, : lg.shape[0]] = lg
                stacked_hidden[k, : hd.shape[0]] = hd
            merged_logits = merge_windows(n, starts, stacked_logits, self.window, self.stride)
            merged_hidden = merge_windows(n, starts, stacked_hidden, self.window, self.stride)
            results.append(TokenPredictions(toks, _sigmoid(merged_logits), merged_hidden))
        return results

    def span_head_probabilities(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` the span head's own probabilities, before any document cue."""
        ranges, lengths = [], []
        for s, e in spans:
            rng = token_range(pred.tokens.offsets, s, e)
            if rng is None:  # whitespace-only span: use the nearest token
                k = int(np.clip(np.searchsorted(pred.tokens.offsets[:, 0], s), 0, max(0, len(pred.tokens) - 1)))
                rng = (k, k)
            ranges.append(rng)
            lengths.append(rng[1] - rng[0] + 1)
        if not spans or len(pred.tokens) == 0:
            return np.full((len(spans), len(TECHNIQUE_IDS)), 1.0 / len(TECHNIQUE_IDS), np.float32)
        feats = np.concatenate(
            [pooled_features(pred.hidden, ranges), extra_features(text, spans, lengths)], axis=1
        )
        return self.span_head.probabilities(feats)
