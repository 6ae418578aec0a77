"""Hand-made tag probabilities: one "token" per scorer word, each tagged with the given role spans."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from propwatch.components.attributions import LABELS

ROOT = Path(__file__).resolve().parents[3]
POLNEAR = Path(os.environ.get("PROPWATCH_POLNEAR", ROOT.parent / "shared" / "polnear"))


def tagged(text: str, spans: list[tuple[str, str]], confidence: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """``(offsets, probs)`` over the words of ``text`` where each ``(role, phrase)`` tags the first occurrence of
    ``phrase`` after the previous one (so repeated phrases are tagged in order)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
    tags = ["O"] * len(words)
    cursor = 0
    for role, phrase in spans:
        s = text.index(phrase, cursor)
        e = s + len(phrase)
        cursor = e
        inside = [i for i, (a, b) in enumerate(words) if a >= s and b <= e]
        for k, i in enumerate(inside):
            tags[i] = ("B-" if k == 0 else "I-") + role
    probs = np.full((len(words), len(LABELS)), (1 - confidence) / (len(LABELS) - 1), dtype=np.float32)
    for i, t in enumerate(tags):
        probs[i, LABELS.index(t)] = confidence
    return np.asarray(words, dtype=np.int64).reshape(-1, 2), probs


@pytest.fixture(scope="session")
def polnear() -> Path:
    if not (POLNEAR / "dev" / "text").is_dir():
        pytest.skip(f"PolNeAR not found at {POLNEAR} (set PROPWATCH_POLNEAR to run these tests)")
    return POLNEAR


TINY_TAGS = {"smith": "B-source", "said": "B-cue", "the": "B-content", "plan": "I-content", "is": "I-content",
             "dead": "I-content"}


def build_tiny_model(folder, window=6, stride=4, tags=None, version="0", margin=4.0, vocab_extra=()):
    """A word-level tokenizer and an ONNX graph whose logits are a lookup table per token: "said" is a cue,
    capitalised names are sources, words inside quotes are content (or the ``tags`` given, each word's logit
    ``margin`` above the rest). Enough to run the whole runtime."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    from propwatch.components.attributions import LABELS

    words = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "smith", "said", "“", "”", "the", "plan", "is", "dead", ".", ",",
             *vocab_extra]
    vocab = {w: i for i, w in enumerate(words)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    tok.save(str(folder / "tokenizer.json"))
    table = np.full((len(words), len(LABELS)), -margin / 2, dtype=np.float32)
    table[:, LABELS.index("O")] = margin / 2
    for w, label in (TINY_TAGS if tags is None else tags).items():
        table[vocab[w]] = -margin / 2
        table[vocab[w], LABELS.index(label)] = margin / 2
    graph = helper.make_graph(
        [helper.make_node("Gather", ["table", "input_ids"], ["logits"], axis=0)],
        "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "tokens", len(LABELS)])],
        [helper.make_tensor("table", TensorProto.FLOAT, table.shape, table.flatten().tolist())],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "config.json").write_text(json.dumps({
        "format_version": 1, "kind": "attribution", "name": "tiny", "version": version, "labels": list(LABELS),
        "window": window, "stride": stride}))
    return folder


@pytest.fixture
def tiny_model():
    """``build_tiny_model``: a tiny attribution model folder, written where the test says."""
    return build_tiny_model
