"""Run an exported attribution model folder: ``model.onnx`` (token logits over ``labels``), ``tokenizer.json``
and ``config.json`` (``kind: "attribution"``, ``window``, ``stride``, ``labels``). onnxruntime and tokenizers
only, no torch. Articles are windowed like the technique model's (``propwatch.model.windows``), one window
per run so an article's result never depends on what else is analysed with it.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ...errors import ModelError
from ...model.config import ModelConfig
from ...model.windows import SpecialTokens, build_batch, load_tokenizer, merge_windows, tokenize, window_starts
from . import Attribution, find_attributions

KIND = "attribution"


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


class AttributionModel:
    def __init__(self, path: str | Path, onnx_file: str = "model.onnx", threads: int | None = None):
        import onnxruntime as ort

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
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        threads = threads or int(os.environ.get("PROPWATCH_THREADS", "0"))
        if threads:
            options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.path / onnx_file), sess_options=options,
                                            providers=["CPUExecutionProvider"])
        self.tokenizer = load_tokenizer(self.path / "tokenizer.json")
        self.special = SpecialTokens.of(self.tokenizer)

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def version(self) -> str:
        return self.config.version

    def token_probabilities(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """``(offsets [N, 2], probabilities [N, len(labels)])`` for the tokens of ``text``."""
        toks = tokenize(self.tokenizer, text)
        n = len(toks)
        if n == 0:
            return toks.offsets, np.zeros((0, len(self.labels)), np.float32)
        starts = window_starts(n, self.window, self.stride)
        outs = []
        for s in starts:
            ids, mask = build_batch(toks.ids, [s], self.window, self.special)
            outs.append(self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0][0])
        width = max(o.shape[0] for o in outs)
        stacked = np.zeros((len(outs), width, len(self.labels)), np.float32)
        for k, o in enumerate(outs):
            stacked[k, : o.shape[0]] = o
        # Windows are averaged as log-probabilities (the same merge the training script scored on dev).
        logp = np.log(np.clip(_softmax(stacked), 1e-12, 1.0))
        merged = merge_windows(n, starts, logp, self.window, self.stride)
        return toks.offsets, _softmax(merged)

    def __call__(self, text: str) -> list[Attribution]:
        offsets, probs = self.token_probabilities(text)
        return find_attributions(text, offsets, probs, self.labels)
