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
from propwatch.training.bases import resolve_base  # noqa: E402
from propwatch.training.train import TrainConfig, train  # noqa: E402

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
        for _ in range(3):
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


def test_a_finished_run_exports_again_in_int8_when_asked(tmp_path, tiny_base):
    """--int8: a model that must fit the file caps ships int8 whatever its measured loss; rerunning a finished
    run only exports again, and both precisions' figures are kept."""
    cfg = _config(tmp_path, tiny_base, epochs=1)
    train(cfg, progress=False)
    cfg.force_int8 = True
    folder = train(cfg, progress=False)
    config = json.loads((folder / "config.json").read_text())
    assert config["precision"] == "int8" and {"fp32", "int8"} <= set(config["validation"]["figures"])
    assert config["validation"]["precision"] == "int8"
    report = json.loads((folder.parent / "training_report.json").read_text())
    assert [h["epoch"] for h in report["history"]] == [1]  # nothing trained twice


def test_a_tagger_with_an_lstm_head_exports_the_token_logits_torch_gives(tmp_path, tiny_base):
    """--head-lstm: the token channels read a bidirectional LSTM over the encoder; the exported graph answers as
    torch does (a padded batch included), its hidden states stay the encoder's (the span head and the roles model
    read them), and the exported folder analyses articles with the unchanged runtime."""
    import numpy as np
    import onnxruntime as ort

    from propwatch import load_analyzer
    from propwatch.training.network import TechniqueTagger, lstm_units

    cfg = _config(tmp_path, tiny_base, head_lstm=8, quantize=False)
    folder = train(cfg, progress=False)
    state = torch.load(Path(cfg.out) / "checkpoints" / "best.pt", weights_only=False)["model"]
    assert lstm_units(state) == 8
    tagger = TechniqueTagger(transformers.AutoModel.from_pretrained(str(tiny_base)), lstm=8)
    tagger.load_state_dict(state)
    tagger.eval()
    assert json.loads((folder / "config.json").read_text())["precision"] == "fp32"
    session = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    ids = torch.randint(1000, 2000, (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    with torch.no_grad():
        logits, hidden = tagger(ids, mask)
        encoder = tagger.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
    got_logits, got_hidden = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    assert np.allclose(got_logits, logits.numpy(), atol=1e-4)
    assert np.allclose(got_hidden, encoder.numpy(), atol=1e-4) and np.allclose(hidden, encoder)
    # The LSTM's initial states are not fixed to the export's batch of two: one window, and three, answer too.
    for batch in (ids[:1], torch.randint(1000, 2000, (3, 20))):
        with torch.no_grad():
            expected = tagger(batch, torch.ones_like(batch))[0].numpy()
        (got, _) = session.run(None, {"input_ids": batch.numpy(), "attention_mask": np.ones_like(batch.numpy())})
        assert np.allclose(got, expected, atol=1e-4)

    analysis = load_analyzer(folder).analyze_text("Title\n\nThe corrupt elite lied to you again.\n", id="t")
    assert analysis.model.name == "tiny"


def test_the_lstm_head_is_part_of_the_fingerprint_only_when_used():
    plain = TrainConfig(data="d", out="o")
    assert plain.fingerprint(["1"]) == TrainConfig(data="d", out="o", head_lstm=0).fingerprint(["1"])
    assert plain.fingerprint(["1"]) != TrainConfig(data="d", out="o", head_lstm=8).fingerprint(["1"])


def test_resume_refuses_a_checkpoint_from_another_configuration(tmp_path, tiny_base):
    cfg = _config(tmp_path, tiny_base, quantize=False)
    train(cfg, progress=False)
    cfg.seed = 99
    with pytest.raises(ModelError, match="different configuration"):
        train(cfg, progress=False)


def test_unknown_base_is_a_clear_error():
    with pytest.raises(ModelError, match="unknown base model"):
        resolve_base("no-such-model")


def test_distillation_softens_targets_and_learns_unlabelled_articles(tmp_path, tiny_base):
    """A trained tiny model teaches another: targets mix gold and teacher, unlabelled articles get the
    teacher's token probabilities and spans, and the student trains and exports as usual."""
    import numpy as np

    from propwatch.model.windows import load_tokenizer
    from propwatch.training.data import prepare_article
    from propwatch.training.distill import Teacher

    teacher_folder = train(_config(tmp_path / "t", tiny_base, epochs=1, quantize=False), progress=False)
    unlabeled = tmp_path / "unlabeled"
    (unlabeled / "articles").mkdir(parents=True)
    (unlabeled / "articles" / "article7.txt").write_text("Title\n\nThe corrupt elite lied to you again.\n")

    teacher = Teacher([str(teacher_folder)])
    tokenizer = load_tokenizer(tiny_base / "tokenizer.json")
    text = "Title\n\nThe corrupt elite lied.\n"
    gold = [type("G", (), {"start": 11, "end": 18, "technique": "loaded_language"})()]
    plain = prepare_article("1", text, gold, tokenizer)
    soft = prepare_article("1", text, gold, tokenizer, teacher, alpha=0.5)
    view = teacher.view(text, plain.tokens, [(11, 18)])
    assert np.allclose(soft.token_labels, 0.5 * plain.token_labels + 0.5 * view.token_probs, atol=1e-6)
    assert np.allclose(soft.span_targets.sum(1), 1.0, atol=1e-5)
    alone = prepare_article("7", text, None, tokenizer, teacher, alpha=0.5)
    assert np.allclose(alone.token_labels, view.token_probs, atol=1e-6)  # unlabelled: the teacher alone

    # an ensemble folder teaches as its mix: of the teacher with itself, exactly as the teacher alone
    from propwatch.training.ensemble import build_ensemble

    twin = build_ensemble([teacher_folder, teacher_folder], tmp_path / "twin", name="twin", version="1")
    twin_view = Teacher([str(twin)]).view(text, plain.tokens, [(11, 18)])
    assert np.allclose(twin_view.token_probs, view.token_probs, atol=1e-6)
    assert np.allclose(twin_view.span_probs, view.span_probs, atol=1e-6)

    cfg = _config(tmp_path / "s", tiny_base, epochs=1, quantize=False, teachers=[str(teacher_folder)],
                  unlabeled=str(unlabeled))
    folder = train(cfg, progress=False)
    assert json.loads((folder / "config.json").read_text())["training"]["teachers"] == [str(teacher_folder)]


def test_teacher_outputs_move_to_student_tokens_through_character_offsets():
    import numpy as np

    from propwatch.model.windows import TokenizedText
    from propwatch.training.distill import to_student_tokens

    teacher = TokenizedText(np.arange(3), np.array([[0, 3], [3, 6], [7, 9]]))  # "abc" "def" "gh"
    student = TokenizedText(np.arange(2), np.array([[0, 6], [7, 9]]))  # "abcdef" "gh"
    probs = np.array([[0.2], [0.4], [0.9]], dtype=np.float32)
    assert np.allclose(to_student_tokens(teacher, probs, student), [[0.3], [0.9]])


def test_sentence_channel_marks_every_token_of_a_sentence_with_propaganda(tiny_base):
    from propwatch.model.windows import load_tokenizer
    from propwatch.training.data import prepare_article
    from propwatch.training.network import ANY_CHANNEL, SENTENCE_CHANNEL

    text = "Title\n\nThe corrupt elite lied. The weather was mild."
    gold = [type("G", (), {"start": 11, "end": 18, "technique": "loaded_language"})()]  # "corrupt"
    art = prepare_article("1", text, gold, load_tokenizer(tiny_base / "tokenizer.json"))
    words = [text[s:e] for s, e in art.tokens.offsets]
    in_first = [i for i, (s, _) in enumerate(art.tokens.offsets) if 7 <= s < 30]
    assert words[in_first[0]] == "the" or words[in_first[0]] == "The"
    assert art.token_labels[in_first, SENTENCE_CHANNEL].tolist() == [1.0] * len(in_first)
    assert art.token_labels[[i for i in range(len(words)) if i not in in_first], SENTENCE_CHANNEL].sum() == 0
    assert art.token_labels[:, ANY_CHANNEL].sum() == 1  # "corrupt" is one token


def test_class_balanced_span_weights_lean_towards_rare_techniques():
    from types import SimpleNamespace

    import numpy as np

    from propwatch.training.train import span_class_weights

    targets = np.zeros((10, 14), np.float32)
    targets[:8, 0] = 1.0  # technique 0: 8 spans
    targets[8:, 1] = 1.0  # technique 1: 2 spans
    articles = [SimpleNamespace(span_targets=targets[:5]), SimpleNamespace(span_targets=targets[5:]),
                SimpleNamespace(span_targets=np.zeros((0, 14), np.float32))]
    assert torch.equal(span_class_weights(articles, 0.0), torch.ones(14))
    w = span_class_weights(articles, 1.0)
    assert w[1] / w[0] == pytest.approx(4.0)  # fully balanced: inverse frequency
    assert float((w[:2] * torch.tensor([8.0, 2.0])).sum()) == pytest.approx(10.0)  # same total mass
    assert w[5] == pytest.approx(float(w.max()))  # absent techniques get the largest weight
    half = span_class_weights(articles, 0.5)
    assert half[1] / half[0] == pytest.approx(2.0)


def test_class_balance_changes_the_fingerprint_only_when_used():
    plain = TrainConfig(data="d", out="o")
    assert plain.fingerprint(["1"]) == TrainConfig(data="d", out="o", span_class_balance=0.0).fingerprint(["1"])
    assert plain.fingerprint(["1"]) != TrainConfig(data="d", out="o", span_class_balance=0.5).fingerprint(["1"])


def test_training_runs_in_bf16_only_where_the_cpu_computes_it():
    """bf16 autocast is emulated, and many times slower than fp32, on CPUs without AVX-512 (``precision``): the
    default follows what oneDNN says of this CPU, and the choice is part of what a resumed run must match."""
    from propwatch.training.attribution_train import AttributionTrainConfig
    from propwatch.training.precision import bf16_native

    assert TrainConfig(data="d", out="o").bf16 is bf16_native()
    assert AttributionTrainConfig(data="d", out="o").bf16 is bf16_native()
    assert TrainConfig(data="d", out="o", bf16=True).fingerprint(["1"]) != TrainConfig(
        data="d", out="o", bf16=False).fingerprint(["1"])


def test_the_lstm_runs_in_fp32_under_bf16_autocast():
    """The head's LSTM leaves autocast: oneDNN's bf16 LSTM is a slow reference path without AVX-512."""
    from propwatch.training.network import run_lstm, sequence_lstm

    lstm = sequence_lstm(6, 4)
    hidden = torch.randn(2, 5, 6, requires_grad=True)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        out = run_lstm(lstm, hidden.to(torch.bfloat16), torch.ones(2, 5))
    assert out.dtype == torch.float32 and out.shape == (2, 5, 8)
    out.sum().backward()
    assert hidden.grad is not None and lstm.weight_hh_l0.grad is not None


def test_span_jitter_adds_moved_extents_for_the_span_head_only(tiny_base):
    import numpy as np

    from propwatch.model.windows import load_tokenizer
    from propwatch.training.data import prepare_article

    text = "Title\n\nThe corrupt elite lied to all of us again. The weather was mild and calm today."
    gold = [type("G", (), {"start": 11, "end": 24, "technique": "loaded_language"})()]  # "corrupt elite"
    tokenizer = load_tokenizer(tiny_base / "tokenizer.json")
    plain = prepare_article("1", text, gold, tokenizer)
    moved = prepare_article("1", text, gold, tokenizer, jitter=3, seed=13)
    assert len(plain.span_first) == 1 and 2 <= len(moved.span_first) <= 4
    assert np.array_equal(plain.token_labels, moved.token_labels)  # the tagger's targets stay the annotators'
    assert moved.span_targets[1:].sum(1) == pytest.approx([1 / 3] * (len(moved.span_first) - 1))
    extents = {(int(a), int(b)) for a, b in zip(moved.span_first[1:], moved.span_last[1:])}
    assert (int(plain.span_first[0]), int(plain.span_last[0])) not in extents
    sentence_end = text.index(".", 11)
    assert all(moved.tokens.offsets[b][1] <= sentence_end + 1 for _, b in extents)  # never past the sentence
    again = prepare_article("1", text, gold, tokenizer, jitter=3, seed=13)
    assert np.array_equal(again.span_first, moved.span_first)  # drawn from the seed: resumable, reproducible
