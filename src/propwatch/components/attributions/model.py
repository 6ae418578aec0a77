"""Run an exported attribution model folder: ``model.onnx`` (token logits over ``labels``), ``tokenizer.json``
and ``config.json`` (``kind: "attribution"``, ``window``, ``stride``, ``labels``). onnxruntime and tokenizers
only, no torch. Articles are windowed like the technique model's (``propwatch.model.windows``), one window
per run so an article's result never depends on what else is analysed with it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ...errors import ModelError
from ...model.config import ModelConfig
from ...model.runtime import onnx_session
from ...model.windows import SpecialTokens, WindowProgress, count_windows, load_tokenizer, run_windows, tokenize
from . import Attribution, find_attributions

KIND = "attribution"
# A line that ends without punctuation: a headline, a caption, a promotional line.
_OPEN_LINE_END = re.compile(r"(?<=[\w%$])[ \t]*(\n)")


def model_view(text: str) -> str:
    """``text`` as the tagger reads it: a line break after a line that ends on a word becomes a full stop (one
    character for one, so every offset stays put). The tokenizer takes a line break for a space, and the tagger
    read "…Talks Are Over\nSecretary of State Mike Pompeo said" as one run-on sentence: the name after a headline or
    a caption went into the content, and the cue was left without its source."""
    return _OPEN_LINE_END.sub(lambda m: m.group(0)[:-1] + ".", text)


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


class AttributionModel:
    def __init__(self, path: str | Path, onnx_file: str = "model.onnx", threads: int | None = None):
        self.path = Path(path)
        if not (self.path / "config.json").exists():
            raise ModelError(f"{self.path} holds no config.json: not a model folder")
        self.config = ModelConfig.read(self.path)
        if self.config.kind != KIND:
            raise ModelError(f"{self.path} is not an attribution model (kind {self.config.kind!r})")
        if not self.config.labels or not self.config.window or not self.config.stride:
            raise ModelError(f"the attribution model {self.path} names no labels, window or stride")
        self.labels = self.config.labels
        self.window = self.config.window
        self.stride = self.config.stride
        self.session = onnx_session(self.path / onnx_file, threads)
        self.tokenizer = load_tokenizer(self.path / "tokenizer.json")
        self.special = SpecialTokens.of(self.tokenizer)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def version(self) -> str:
        return self.config.version

    def count_windows(self, text: str) -> int:
        """How many windows ``token_probabilities(text)`` runs (for progress)."""
        return count_windows(len(tokenize(self.tokenizer, model_view(text))), self.window, self.stride)

    def token_probabilities(self, text: str, progress: WindowProgress | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(offsets [N, 2], probabilities [N, len(labels)])`` for the tokens of ``text``; ``progress`` is told
        (windows done, windows in all) as they run."""
        toks = tokenize(self.tokenizer, model_view(text))
        if len(toks) == 0:
            return toks.offsets, np.zeros((0, len(self.labels)), np.float32)

        def log_probs(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray]:
            logits = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            return (np.log(np.clip(_softmax(logits), 1e-12, 1.0)),)

        # Windows are averaged as log-probabilities (the same merge the training script scored on dev), one
        # window per run so an article's result never depends on what else is analysed with it.
        (merged,) = run_windows([toks], self.window, self.stride, self.special, log_probs, progress=progress)[0]
        return toks.offsets, _softmax(merged)

    def __call__(self, text: str) -> list[Attribution]:
        offsets, probs = self.token_probabilities(text)
        return find_attributions(text, offsets, probs, self.labels)
