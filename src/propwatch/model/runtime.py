"""Run a model folder with onnxruntime: text in, per-token technique probabilities (and token states) out.

Loaded once and reused: the ONNX session and tokenizer are the expensive parts (see BENCHMARKS.md for the load
time). ``predict_many`` takes several articles at once (tokenisation and window bookkeeping are shared);
results never depend on which articles are analysed together.
"""

from __future__ import annotations

import copy
import functools
import os
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from ..errors import ModelError
from ..schema import SpanExample
from ..techniques import TECHNIQUE_IDS
from .config import ModelConfig
from .decode import DecodingConfig
from .examples import EXAMPLES_FILE, LazyExamples, span_vectors
from .registry import resolve_model
from .spans import (
    SpanHead,
    apply_repetition_cue,
    apply_technique_offsets,
    earlier_occurrences,
    extra_features,
    mix_neighbour_votes,
    neighbour_votes,
    pooled_features,
    token_range,
)
from .stacker import stack_features
from .windows import (
    SpecialTokens,
    TokenizedText,
    WindowProgress,
    count_windows,
    load_tokenizer,
    run_windows,
    tokenize,
)

Model = TypeVar("Model", bound="ModelBase")


@dataclass(frozen=True)
class TokenPredictions:
    """The model's view of one text: its tokens, per-token probabilities ``[N, C]`` (14 techniques, "any
    technique" and, since model 1.1, "sentence holds propaganda") and per-token encoder states ``[N, H]`` (for
    the span classifier; an ensemble's ``hidden`` is its members' predictions, ``ensemble.MemberPredictions``,
    since each member's span head needs its own states)."""

    tokens: TokenizedText
    probs: np.ndarray
    hidden: Any


@dataclass(frozen=True)
class EncoderStates:
    """One article's per-token encoder states as a technique model computed them: ``onnx`` the graph that ran,
    cut into windows of ``window`` tokens every ``stride`` (one window per run, so the numbers do not depend on
    the batch). A later analysis that reads the same encoder the same way (the role model) takes them from here
    instead of running the encoder over the article a second time."""

    onnx: Path
    window: int
    stride: int
    offsets: np.ndarray  # [N, 2] character offsets of the tokens
    states: np.ndarray  # [N, H]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# onnxruntime's switch to exact int8 matrix products on x86 (``kOrtSessionOptionsAvx2PrecisionMode``).
EXACT_INT8 = "session.x64quantprecision"


@functools.cache
def int8_needs_exact_kernels(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU needs onnxruntime's exact (slower) int8 kernels.

    The shipped graphs are int8 (dynamic quantisation: uint8 activations times int8 weights). On x86 CPUs without
    VNNI, onnxruntime's fast kernel adds pairs of those products in saturating 16-bit arithmetic (255 × 127 × 2
    overflows 32,767), and the answers go wrong: on such a CPU (an AMD EPYC with AVX2 and no AVX-512) ``accurate``
    scored SI F1 0.036 on PTC validation instead of 0.428, and ``fast`` lost 0.005 SI and 0.010 end-to-end F1.
    ``session.x64quantprecision`` makes onnxruntime rewrite the weights for its exact unsigned kernel, which cost
    about a fifth of the technique analysis's time there (BENCHMARKS.md names each run's CPU). VNNI sums in 32
    bits, so a CPU that has it keeps the fast kernel; where the flags cannot be read (not Linux), exactness wins
    (the switch does nothing off x86)."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as f:
            flags = next((line.split(":", 1)[1].split() for line in f if line.startswith("flags")), None)
    except OSError:
        return True
    if flags is None:
        return True
    return not ({"avx512_vnni", "avx_vnni"} & set(flags))


def threads_from_environment() -> int:
    """``$PROPWATCH_THREADS`` as a whole number of threads (0 or unset: onnxruntime's choice); a value that is
    not one is a ``ModelError`` that names it, not a traceback from ``int()``."""
    value = os.environ.get("PROPWATCH_THREADS", "").strip() or "0"
    if not value.isdigit():
        raise ModelError(f"PROPWATCH_THREADS must be a whole number of threads (0: onnxruntime's choice), "
                         f"not {value!r}")
    return int(value)


def onnx_session(path: Path, threads: int | None = None) -> Any:
    """An onnxruntime session on the CPU, set up the one way every propwatch model runs: full graph
    optimisation, ``threads`` (or ``$PROPWATCH_THREADS``, else onnxruntime's choice) for each operator, one
    operator at a time, threads that sleep rather than spin between operators, exact int8 products where the
    CPU's fast ones would overflow (``int8_needs_exact_kernels``)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    threads = threads or threads_from_environment()
    if threads < 0:
        raise ModelError(f"threads must be 0 (onnxruntime's choice) or more, not {threads}")
    if threads:
        options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # No spinning: by default an idle onnxruntime thread busy-waits for the next operator, and a pipeline runs
    # several sessions (techniques, attributions, actors) with numpy decoding between them on the same cores, so
    # the waiting threads of one session took the cores from the next one and from the decoding: a sixth of the
    # latency of techniques and attributions on 2 cores; techniques alone are no slower.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if int8_needs_exact_kernels():
        options.add_session_config_entry(EXACT_INT8, "1")
    return ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])


class ModelBase(ABC):
    """What every model answers with, whatever runs it (one ONNX graph, or an ensemble of them): its name,
    version and decoding from its ``ModelConfig``, and span labels with the decoding's Repetition cue applied
    to the subclass's ``span_head_probabilities``."""

    path: Path
    config: ModelConfig

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def version(self) -> str:
        return self.config.version

    @property
    def decoding(self) -> DecodingConfig:
        """How token probabilities become spans: tuned on validation and stored in config.json."""
        return self.config.decoding

    def with_decoding(self: Model, decoding: DecodingConfig) -> Model:
        """This model with ``decoding`` instead (tuning tries decodings on one loaded model): a new model object
        that shares the loaded session, tokenizer and span head; this one is left as it was. The folder is not
        written (``ModelConfig.write`` does that)."""
        changed = copy.copy(self)
        changed.config = replace(self.config, decoding=decoding)
        return changed

    def predict(self, text: str) -> TokenPredictions:
        return self.predict_many([text])[0]

    @abstractmethod
    def predict_many(self, texts: list[str], progress: WindowProgress | None = None) -> list[TokenPredictions]:
        """Per-token probabilities (and what ``span_head_probabilities`` needs) for several texts; ``progress``
        is told (windows done, windows in all) as the encoder goes (``windows.run_windows``)."""

    def classify_spans(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` technique probabilities for given character spans (the TC task): the span head's, mixed
        with the vote of the nearest training examples where the decoding has one, then with the technique offsets
        and the Repetition cue of the model's decoding applied (both add to log-probabilities, so their order does
        not matter). Where the decoding has a stacker, it answers instead, from the head's answer, the vote and
        the other signals (``stacker.stack_features``)."""
        probs = self.span_head_probabilities(text, pred, spans)
        vote = self.decoding.neighbour_vote
        stacker = self.decoding.stacker
        votes = None
        if vote is not None and (stacker is None or stacker.uses_vote):
            nearest = self.nearest_examples(text, pred, spans, vote.k)
            if nearest is None:
                # silently skipping the vote would give spans other than the ones the model's figures measured
                raise ModelError(f"the decoding of {self.path} has a neighbour vote, but no model in it ships its "
                                 f"span examples ({EXAMPLES_FILE}): restore the file (propwatch examples writes it), "
                                 "or remove 'neighbour_vote' from its config.json")
            votes = neighbour_votes(*nearest, vote.k, vote.temperature, vote.balance)
        if stacker is not None:
            if stacker.uses_vote and votes is None:
                raise ModelError(f"the decoding of {self.path} has a stacker that reads the neighbour vote, but no "
                                 "'neighbour_vote' to compute it with")
            return stacker.probabilities(stack_features(text, pred.tokens, pred.probs, spans, probs, votes))
        if votes is not None:
            probs = mix_neighbour_votes(probs, votes, vote.weight)  # type: ignore[union-attr]
        probs = apply_technique_offsets(probs, self.decoding.technique_offsets)
        cue = self.decoding.repetition_cue
        if cue == (0.0, 0.0):  # models tuned without the cue: skip the occurrence search
            return probs
        return apply_repetition_cue(probs, earlier_occurrences(text, spans), cue)

    @abstractmethod
    def span_head_probabilities(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` technique probabilities for ``spans`` before any document cue."""

    @abstractmethod
    def example_source(self, pred: TokenPredictions) -> tuple[OnnxModel, TokenPredictions] | None:
        """The model whose shipped examples (``model.examples``) explain spans, with its own predictions for the
        text (the span vectors must come from the encoder the examples were built with); None without any."""

    def nearest_examples(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]],
                         k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
        """``(similarities, techniques, shares)`` of the ``k`` training examples most like each span
        (``ExampleIndex.nearest_rows``, and the techniques' shares of the examples), from the model that ships
        the examples (``example_source``); None where none ships them."""
        source = self.example_source(pred)
        index = source[0].examples.get() if source is not None else None
        if source is None or index is None:
            return None
        model, own = source
        similarities, techniques = index.nearest_rows(model.span_vectors(own, spans), k)
        return similarities, techniques, index.shares

    def encoder_states(self, pred: TokenPredictions) -> tuple[EncoderStates, ...]:
        """The article's encoder states for other analyses to reuse (``EncoderStates``), one per encoder the
        model ran whose states it keeps; none where it keeps none."""
        return ()

    def similar_examples(self, text: str, pred: TokenPredictions,
                         spans: list[tuple[int, int, str]]) -> list[list[SpanExample]]:
        """For each ``(start, end, technique)``: the most similar annotated spans of that technique from the
        training articles (empty lists where the model ships no examples)."""
        source = self.example_source(pred)
        index = source[0].examples.get() if source is not None else None
        if source is None or index is None or not spans:
            return [[] for _ in spans]
        model, own = source
        vectors = model.span_vectors(own, [(s, e) for s, e, _ in spans])
        return index.nearest_many(vectors, [t for _, _, t in spans], [text[s:e] for s, e, _ in spans])


class OnnxModel(ModelBase):
    """One exported model folder (``path``: a folder, a name or an alias; None for the shipped default)."""

    def __init__(self, path: str | Path | None = None, threads: int | None = None, onnx_file: str = "model.onnx"):
        self.path = resolve_model(path, onnx_file)
        self.config = ModelConfig.read(self.path)
        if self.config.is_ensemble:
            raise ModelError(f"{self.path} is an ensemble of models: load it with propwatch.model.load_model")
        if self.config.techniques != TECHNIQUE_IDS:
            raise ModelError(f"{self.path} was trained on a different technique list")
        if self.config.window is None or self.config.stride is None:
            raise ModelError(f"the model configuration of {self.path} gives no window and stride")
        self.onnx_path = self.path / onnx_file
        self.session = onnx_session(self.onnx_path, threads)
        self.tokenizer = load_tokenizer(self.path / "tokenizer.json")
        self.special = SpecialTokens.of(self.tokenizer)
        self.span_head = SpanHead.load(self.path / "span_head.npz")
        self.examples = LazyExamples(self.path)
        self.window = self.config.window
        self.stride = self.config.stride
        # One window per run: int8 dynamic quantisation computes activation scales over the whole input
        # tensor, so batching windows would make an article's spans depend on what else shares its batch.
        # On the benchmark CPU one window at a time is no slower than batches of 4-16 (BENCHMARKS.md).
        self.batch_windows = self.config.batch_windows or 1

    def _run(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        logits, hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
        return logits, hidden

    def predict_many(self, texts: list[str], progress: WindowProgress | None = None) -> list[TokenPredictions]:
        """Predictions for several texts; windows of all texts share batches of ``batch_windows``."""
        tokenized = [tokenize(self.tokenizer, t) for t in texts]
        merged = iter(run_windows([t for t in tokenized if len(t)], self.window, self.stride, self.special,
                                  self._run, self.batch_windows, progress=progress))
        results = []
        for toks in tokenized:
            if len(toks) == 0:
                hidden_size = self.span_head.w1.shape[1] // 3
                channels = self.config.channels or len(TECHNIQUE_IDS) + 1
                results.append(TokenPredictions(toks, np.zeros((0, channels), np.float32),
                                                np.zeros((0, hidden_size), np.float32)))
                continue
            logits, hidden = next(merged)
            results.append(TokenPredictions(toks, _sigmoid(logits), hidden))
        return results

    def count_windows(self, texts: list[str]) -> int:
        """How many encoder windows ``predict_many(texts)`` runs (an ensemble adds up its members' for its
        progress)."""
        return sum(count_windows(len(tokenize(self.tokenizer, t)), self.window, self.stride) for t in texts)

    def span_head_probabilities(self, text: str, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, 14]`` the span head's own probabilities, before any document cue."""
        ranges = _token_ranges(pred.tokens, spans)
        lengths = [b - a + 1 for a, b in ranges]
        if not spans or len(pred.tokens) == 0:
            return np.full((len(spans), len(TECHNIQUE_IDS)), 1.0 / len(TECHNIQUE_IDS), np.float32)
        feats = np.concatenate(
            [pooled_features(pred.hidden, ranges), extra_features(text, spans, lengths)], axis=1
        )
        return self.span_head.probabilities(feats)

    def span_vectors(self, pred: TokenPredictions, spans: list[tuple[int, int]]) -> np.ndarray:
        """``[S, H]`` unit vectors of character spans: their mean token state (what ``examples.npz`` holds)."""
        if len(pred.tokens) == 0:
            return np.zeros((len(spans), self.span_head.w1.shape[1] // 3), np.float32)
        return span_vectors(pred.hidden, _token_ranges(pred.tokens, spans))

    def example_source(self, pred: TokenPredictions) -> tuple[OnnxModel, TokenPredictions] | None:
        return (self, pred) if self.examples.available else None

    def encoder_states(self, pred: TokenPredictions) -> tuple[EncoderStates, ...]:
        if self.batch_windows != 1:
            return ()  # int8 scales would depend on the batch: not the numbers another reader computes
        return (EncoderStates(self.onnx_path, self.window, self.stride, pred.tokens.offsets, pred.hidden),)


def _token_ranges(tokens: TokenizedText, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (first, last-inclusive) tokens of each character span; a whitespace-only span gets its nearest
    token."""
    ranges = []
    for s, e in spans:
        rng = token_range(tokens.offsets, s, e)
        if rng is None:
            k = int(np.clip(np.searchsorted(tokens.offsets[:, 0], s), 0, max(0, len(tokens) - 1)))
            rng = (k, k)
        ranges.append(rng)
    return ranges
