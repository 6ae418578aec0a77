"""Training end to end on a tiny randomly initialised BERT and a handful of sentences: train, checkpoint,
resume, export to ONNX, tune thresholds, and analyse with the exported folder without torch in the loop.
Fast (seconds) so the suite stays quick; the real model's quality is measured in benchmarks/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

torch = pytest.importorskip("torch", reason="training tests need the [train] extra")
transformers = pytest.importorskip("transformers")

from propwatch.errors import ModelError  # noqa: E402
from propwatch.model.training.bases import resolve_base  # noqa: E402
from propwatch.model.training.train import TrainConfig, train  # noqa: E402

SENTENCES = [
    ("The corrupt elite lied to you again.", [("Loaded_Language", 4, 11), ("Name_Calling,Labeling", 4, 16)]),
    ("Officials published the budget on Monday.", []),
    ("Only traitors would doubt our glorious army.", [("Flag-Waving", 24, 43), ("Loaded_Language", 28, 36)]),
    ("Can we really trust these so-called experts?", [("Doubt", 0, 44), ("Name_Calling,Labeling", 26, 43)]),
    ("The weather was mild and the trains ran on time.", []),
]


def _write_corpus(root: Path, n_articles: int = 4) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "labels").mkdir()
    ids = []
    for k in range(n_articles):
        aid = str(1000 + k)
        ids.append(aid)
        text, labels = f"Title number {k}\n\n", []
        for rep in range(3):
            for sent, spans in SENTENCES[k % 2 :]:
                base = len(text)
                text += sent + "\n"
                labels += [f"{aid}\t{t}\t{base + s}\t{base + e}" for t, s, e in spans]
        (root / "articles" / f"article{aid}.txt").write_text(text, encoding="utf-8")
        (root / "labels" / f"article{aid}.task2-TC.labels").write_text("\n".join(labels) + "\n")
    (root.parent / "splits.json").write_text(json.dumps({"train": ids[:3], "validation": ids[3:]}))
    return root


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT with the MiniLM vocabulary (random weights: we test the machinery)."""
    try:
        minilm = resolve_base("minilm")
    except ModelError as exc:
        pytest.skip(str(exc))
    out = tmp_path_factory.mktemp("tiny-bert")
    config = transformers.BertConfig(vocab_size=30522, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=64, max_position_embeddings=128)
    torch.manual_seed(0)
    transformers.BertModel(config).save_pretrained(out)
    shutil.copy(minilm / "tokenizer.json", out / "tokenizer.json")
    return out


def _config(tmp_path, tiny_base, **overrides) -> TrainConfig:
    data = _write_corpus(tmp_path / "ptc" / "train")
    values = dict(data=str(data), out=str(tmp_path / "run"), split_file=str(tmp_path / "ptc" / "splits.json"),
                  base=str(tiny_base), epochs=1, batch_size=4, window=24, stride=16, lr=1e-3, bf16=False,
                  name="tiny", version="0.0.1")
    values.update(overrides)
    return TrainConfig(**values)


def test_train_exports_a_model_that_analyses_articles(tmp_path, tiny_base):
    from propwatch import load_analyzer

    folder = train(_config(tmp_path, tiny_base, epochs=2), progress=False)
    config = json.loads((folder / "config.json").read_text())
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "span_head.npz", "tokenizer.json"]
    assert config["name"] == "tiny" and config["precision"] in {"int8", "fp32"}
    assert {"any_low", "any_peak", "gap", "channels", "si_source"} <= set(config["decoding"])
    assert "si" in config["validation"]["figures"][config["precision"]]
    report = json.loads((folder.parent / "training_report.json").read_text())
    assert [h["epoch"] for h in report["history"]] == [1, 2]

    analysis = load_analyzer(folder).analyze_text("Title\n\nThe corrupt elite lied to you again.\n", id="t")
    assert analysis.model.name == "tiny"
    for span in analysis.spans:
        assert analysis.article.text[span.start : span.end] == span.text


def test_training_resumes_from_the_last_checkpoint(tmp_path, tiny_base):
    cfg = _config(tmp_path, tiny_base, epochs=1, quantize=False)
    train(cfg, progress=False)
    first = torch.load(Path(cfg.out) / "checkpoints" / "last.pt", weights_only=False)
    assert first["epoch"] == 0
    cfg.epochs = 2
    train(cfg, progress=False)
    second = torch.load(Path(cfg.out) / "checkpoints" / "last.pt", weights_only=False)
    assert second["epoch"] == 1 and [h["epoch"] for h in second["history"]] == [1, 2]


def test_resume_refuses_a_checkpoint_from_another_configuration(tmp_path, tiny_base):
    cfg = _config(tmp_path, tiny_base, quantize=False)
    train(cfg, progress=False)
    cfg.seed = 99
    with pytest.raises(ModelError, match="different configuration"):
        train(cfg, progress=False)


def test_unknown_base_is_a_clear_error():
    with pytest.raises(ModelError, match="unknown base model"):
        resolve_base("no-such-model")
