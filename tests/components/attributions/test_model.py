from __future__ import annotations

import json

import pytest

from propwatch.components.attributions.model import AttributionModel
from propwatch.errors import ModelError


def test_a_folder_without_config_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no config.json"):
        AttributionModel(tmp_path)


def test_a_technique_model_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"format_version": 1, "name": "propwatch-minilm", "version": "1",
                                                           "techniques": []}))
    with pytest.raises(ModelError, match="not an attribution model"):
        AttributionModel(tmp_path)


def _tiny_model(folder, window=6, stride=4):
    """A word-level tokenizer and an ONNX graph whose logits are a lookup table per token: "said" is a cue,
    capitalised names are sources, words inside quotes are content. Enough to run the whole runtime."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    from propwatch.components.attributions import LABELS

    words = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "smith", "said", "“", "”", "the", "plan", "is", "dead", ".", ","]
    vocab = {w: i for i, w in enumerate(words)}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 1), ("[SEP]", 2)])
    tok.save(str(folder / "tokenizer.json"))
    table = np.full((len(words), len(LABELS)), -4.0, dtype=np.float32)
    table[:, LABELS.index("O")] = 4.0
    for w, label in {"smith": "B-source", "said": "B-cue", "the": "B-content", "plan": "I-content",
                     "is": "I-content", "dead": "I-content"}.items():
        table[vocab[w]] = -4.0
        table[vocab[w], LABELS.index(label)] = 4.0
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
        "format_version": 1, "kind": "attribution", "name": "tiny", "version": "0", "labels": list(LABELS),
        "window": window, "stride": stride}))
    return folder


def test_runs_a_model_folder_over_several_windows(tmp_path):
    model = AttributionModel(_tiny_model(tmp_path))
    text = "“The plan is dead,” Smith said."
    found = model(text)
    assert len(found) == 1
    a = found[0]
    assert (a.source.text if a.source else None, a.cue.text, [c.text for c in a.content]) == (
        "Smith", "said", ["The plan is dead"])
    assert a.source_type == "named" and a.source_name == "Smith"
    assert model("") == []
