"""``propwatch train --task attribution`` end to end on a tiny randomly initialised BERT and a made-up PolNeAR
folder: tagging, training, checkpoint and resume (the former script's run folders too), export to an int8 model
folder that the product's ``AttributionModel`` loads and answers with, and the errors a person can meet. The
real model's quality is measured in benchmarks/attributions.py."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

torch = pytest.importorskip("torch", reason="training tests need the [train] extra")
transformers = pytest.importorskip("transformers")

from propwatch.cli.app import app  # noqa: E402
from propwatch.components.attributions import LABELS  # noqa: E402
from propwatch.components.attributions.model import AttributionModel  # noqa: E402
from propwatch.errors import ModelError  # noqa: E402
from propwatch.inputs.polnear import AttributedArticle, GoldAttribution, read_compartment  # noqa: E402
from propwatch.metrics.attributions import word_range as scorer_word_range  # noqa: E402
from propwatch.metrics.attributions import words_of  # noqa: E402
from propwatch.model.windows import load_tokenizer  # noqa: E402
from propwatch.training.attribution_data import (  # noqa: E402
    TaggingStats,
    decode_words,
    tag_article,
    tag_transitions,
    word_range,
)
from propwatch.training.bases import resolve_base  # noqa: E402

runner = CliRunner()

# (source, cue, content) of each sentence; None: a sentence with no attribution, or an attribution with no source.
SENTENCES = [
    ("Officials", "said", "the plan would fail"),
    None,
    ("Senator Smith", "told reporters", "taxes would rise next year"),
    (None, "Reportedly", "the talks collapsed"),
    ("The agency", "believes", "the figures are wrong"),
]
FILLER = "The weather was mild and the trains ran on time."


def _article(k: int) -> tuple[str, str]:
    """The text of article ``k`` and its brat annotation (T lines for the roles, an E line per attribution)."""
    text, lines, t, e = f"Headline number {k}\n\n", [], 0, 0
    for i in range(6):
        parts = SENTENCES[(i + k) % len(SENTENCES)]
        if parts is None:
            text += FILLER + " "
            continue
        source, cue, content = parts
        spans = []
        sentence = " ".join(p for p in (source, cue, content) if p) + ". "
        base = len(text)
        text += sentence
        for role, phrase in (("Source", source), ("Cue", cue), ("Content", content)):
            if phrase:
                start = base + sentence.index(phrase)
                t += 1
                lines.append(f"T{t}\t{role} {start} {start + len(phrase)}\t{phrase}")
                spans.append(f"{role}:T{t}")
        e += 1
        lines.append(f"E{e}\tAttribution:T{t} " + " ".join(spans))
    return text, "\n".join(lines) + "\n"


def write_polnear(root: Path, train: int = 4, dev: int = 2) -> Path:
    for name, count, offset in (("train", train, 0), ("dev", dev, 100)):
        (root / name / "text").mkdir(parents=True)
        (root / name / "attributions").mkdir()
        for k in range(offset, offset + count):
            text, ann = _article(k)
            (root / name / "text" / f"art{k}.txt").write_text(text, encoding="utf-8")
            (root / name / "attributions" / f"art{k}_aa01.ann").write_text(ann, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny_base(tmp_path_factory) -> Path:
    """A 2-layer, 32-wide BERT with the MiniLM vocabulary (random weights: the machinery is what is tested)."""
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


@pytest.fixture(scope="module")
def polnear(tmp_path_factory) -> Path:
    return write_polnear(tmp_path_factory.mktemp("polnear"))


def _train(polnear: Path, out: Path, base: Path, *extra: str):
    args = ["train", "--task", "attribution", "--data", str(polnear), "--out", str(out), "--base", str(base),
            "--window", "32", "--stride", "24", "--train-stride", "32", "--batch-size", "4", "--lr", "1e-3",
            "--no-bf16", "--name", "tiny-attrib", "--version-tag", "0.0.1", *extra]
    return runner.invoke(app, args)


def test_fast_word_range_is_the_scorers():
    text = "“Smith,” he said, “will go” -- and (they) agreed; 3.5% of them... did."
    words = words_of(text)
    ends = np.asarray([w.end for w in words])
    rng = random.Random(0)
    for _ in range(500):
        s = rng.randrange(len(text))
        e = rng.randrange(s, len(text) + 1)
        assert word_range(words, ends, s, e) == scorer_word_range(words, s, e), (s, e)


def test_tags_follow_the_words_and_the_cue_wins_a_clash(tiny_base):
    tokenizer = load_tokenizer(tiny_base / "tokenizer.json")
    text = "Officials said the unfathomable plan would fail."
    clash = GoldAttribution(source=[(0, 9)], cue=[(10, 14)], content=[(10, 48)])  # the content overlaps the cue
    stats = TaggingStats()
    tagged = tag_article(AttributedArticle("a", text, [clash]), tokenizer, stats)
    first_tags = [LABELS[tagged.labels[t]] for t in tagged.first]
    assert first_tags == ["B-source", "B-cue", "B-content", "I-content", "I-content", "I-content", "I-content", "O"]
    assert stats.violating_spans == 1 and stats.violating_words == 1
    pieces = [LABELS[v] for t, v in enumerate(tagged.labels) if t not in set(tagged.first.tolist())]
    assert pieces and all(p.startswith("I-") for p in pieces)  # "unfathomable" is cut into pieces: I- continues
    assert tagged.gold["cue"] == {(1, 2)} and tagged.gold["content"] == {(1, 7)}
    assert decode_words(tagged.labels[tagged.first]) == {"source": {(0, 1)}, "cue": {(1, 2)}, "content": {(2, 7)}}


@pytest.mark.slow
def _one_step_run(polnear: Path, out: Path, base: Path, *extra: str) -> dict:
    """Train one step of one epoch (dev: one article), export, and return the checkpoint ``best.pt``."""
    result = _train(polnear, out, base, "--epochs", "1", "--max-steps", "1", "--dev-max", "1", *extra)
    assert result.exit_code == 0, result.output
    return torch.load(out / "best.pt", weights_only=False)


def test_train_export_resume_and_the_former_scripts_runs(tmp_path, polnear, tiny_base):
    out = tmp_path / "run"
    result = _train(polnear, out, tiny_base, "--epochs", "1")
    assert result.exit_code == 0, result.output
    folder = out / "model"
    assert sorted(p.name for p in folder.iterdir()) == ["config.json", "model.onnx", "tokenizer.json"]
    config = json.loads((folder / "config.json").read_text())
    assert config["format_version"] == 1 and config["kind"] == "attribution" and config["name"] == "tiny-attrib"
    assert config["labels"] == list(LABELS) and (config["window"], config["stride"]) == (32, 24)
    assert config["precision"] == "int8" and config["best_epoch"] == 1 and config["created"]
    assert config["training"]["lr"] == 1e-3 and config["training"]["train_stride"] == 32
    assert set(config["dev"]) == {"fp32", "int8"} and set(config["dev"]["int8"]["exact"]) == {"source", "cue",
                                                                                              "content"}
    assert [h["epoch"] for h in config["history"]] == [1]
    model = AttributionModel(folder)
    dev = read_compartment(polnear / "dev")
    offsets, probs = model.token_probabilities(dev[0].text)
    assert probs.shape == (len(offsets), len(LABELS)) and abs(float(probs.sum(1).mean()) - 1) < 1e-4
    assert isinstance(model(dev[0].text), list)

    again = _train(polnear, out, tiny_base, "--epochs", "1")
    assert again.exit_code == 0 and "all 1 epochs are done" in again.output

    # A run folder of the former tools/attributions/train_attrib.py: last.pt without the settings (they are in
    # best.pt's args); it resumes for one more epoch and exports.
    last = torch.load(out / "last.pt", weights_only=False)
    del last["args"]
    torch.save(last, out / "last.pt")
    longer = _train(polnear, out, tiny_base, "--epochs", "2")
    assert longer.exit_code == 0, longer.output
    assert "resuming after epoch 1 of 2" in longer.output
    history = json.loads((out / "history.json").read_text())
    assert [h["epoch"] for h in history] == [1, 2]
    assert [h["epoch"] for h in json.loads((folder / "config.json").read_text())["history"]] == [1, 2]

    other = _train(polnear, out, tiny_base, "--epochs", "3", "--seed", "7")
    assert other.exit_code == 1 and "--seed 13 (given 7)" in other.output.replace("\n", " ")


@pytest.mark.slow
def test_export_only_exports_a_run_cut_short(tmp_path, polnear, tiny_base):
    out = tmp_path / "run"
    missing = _train(polnear, out, tiny_base, "--epochs", "2", "--export-only")
    assert missing.exit_code == 1 and "holds no best.pt" in missing.output
    first = _train(polnear, out, tiny_base, "--epochs", "1", "--max-steps", "1", "--dev-max", "1")
    assert first.exit_code == 0, first.output
    (out / "model").rename(tmp_path / "first-model")
    result = _train(polnear, out, tiny_base, "--epochs", "3", "--max-steps", "1", "--dev-max", "1", "--export-only")
    assert result.exit_code == 0, result.output
    assert "resuming" not in result.output and json.loads((out / "history.json").read_text())[-1]["epoch"] == 1
    assert (out / "model" / "model.onnx").read_bytes() == (tmp_path / "first-model" / "model.onnx").read_bytes()


def test_encoder_layers_keeps_only_the_lowest_layers(tmp_path, polnear, tiny_base):
    from propwatch.training.attribution_export import layers_in

    out = tmp_path / "run"
    state = _one_step_run(polnear, out, tiny_base, "--encoder-layers", "1")
    assert layers_in(state["model"]) == 1 and state["args"]["encoder_layers"] == 1  # the tiny base has 2
    config = json.loads((out / "model" / "config.json").read_text())
    assert config["training"]["encoder_layers"] == 1 and config["base"].endswith(", lowest 1 layer")
    text = read_compartment(polnear / "dev")[0].text
    offsets, probs = AttributionModel(out / "model").token_probabilities(text)  # the exported 1-layer graph runs
    assert probs.shape == (len(offsets), len(LABELS))
    other = _train(polnear, out, tiny_base, "--epochs", "2", "--encoder-layers", "2")
    assert other.exit_code == 1 and "--encoder-layers 1 (given 2)" in other.output.replace("\n", " ")


def test_gold_source_types_follow_the_products_rules():
    from propwatch.training.attribution_export import gold_source_types

    text = "Officials said the plan would fail. John Smith told reporters it would not. Reportedly, it did."
    gold = [GoldAttribution(source=[(0, 9)], cue=[(10, 14)], content=[(15, 34)]),
            GoldAttribution(source=[(36, 46)], cue=[(47, 61)], content=[(62, 74)]),
            GoldAttribution(cue=[(76, 86)], content=[(88, 95)])]
    assert [text[s:e] for a in gold for s, e in a.source] == ["Officials", "John Smith"]
    assert gold_source_types(text, gold) == ["anonymous", "named", "none"]


POLNEAR_TRAIN = Path(__file__).resolve().parents[3] / "shared" / "polnear" / "train"


@pytest.mark.skipif(not (POLNEAR_TRAIN / "text").is_dir(), reason="PolNeAR is not in ../shared")
def test_the_decodings_tag_transitions_are_polnear_trains():
    """The counts the product's Viterbi pass weighs (``decode.TAG_TRANSITIONS``) are recounted from the corpus, so
    they cannot drift from what the docstring says they are."""
    from propwatch.components.attributions.decode import TAG_TRANSITIONS

    tokenizer = load_tokenizer(Path(__file__).resolve().parents[2] / "src" / "propwatch" / "models"
                               / "attributions-v1" / "tokenizer.json")
    counts = tag_transitions([tag_article(a, tokenizer) for a in read_compartment(POLNEAR_TRAIN)])
    assert counts.tolist() == [list(row) for row in TAG_TRANSITIONS]


def test_tag_transitions_count_word_after_word(tiny_base):
    text = "Officials said the plan would fail."
    article = AttributedArticle("a", text, [GoldAttribution(source=[(0, 9)], cue=[(10, 14)], content=[(15, 34)])])
    tagged = tag_article(article, load_tokenizer(tiny_base / "tokenizer.json"))
    counts = tag_transitions([tagged])
    index = LABELS.index
    assert counts[index("B-source"), index("B-cue")] == 1 and counts[index("B-cue"), index("B-content")] == 1
    assert counts[index("I-content"), index("O")] == 1  # the full stop
    assert counts.sum() == len(tagged.first) - 1


def test_head_lstm_trains_exports_and_answers_as_torch_does(tmp_path, polnear, tiny_base):
    from propwatch.training.attribution_export import export_onnx
    from propwatch.training.attribution_train import AttributionTagger
    from propwatch.training.network import lstm_units

    out = tmp_path / "run"
    state = _one_step_run(polnear, out, tiny_base, "--head-lstm", "8")
    assert lstm_units(state["model"]) == 8 and state["args"]["head_lstm"] == 8
    assert json.loads((out / "model" / "config.json").read_text())["training"]["head_lstm"] == 8

    # The fp32 graph gives torch's logits, for a window alone and for the shorter window of a padded batch.
    tagger = AttributionTagger(transformers.AutoModel.from_pretrained(str(tiny_base)), lstm=8)
    tagger.load_state_dict(state["model"])
    tagger.eval()
    graph = tmp_path / "fp32.onnx"
    export_onnx(state["model"], tiny_base, graph)
    import onnxruntime as ort

    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    ids = torch.randint(1000, 2000, (2, 12))
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0
    with torch.no_grad():
        expected = tagger(ids, mask).numpy()
    (got,) = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    assert got.shape == (2, 12, len(LABELS)) and np.allclose(got, expected, atol=1e-4)

    # The shipped graph has the LSTM's weights in int8 too (onnxruntime's quantiser skipped it until its input was
    # typed); a graph made without that, as 1.11.0 was, is brought there by quantise_lstm, answering as before.
    import onnx

    from propwatch.training.attribution_export import quantise_lstm
    from propwatch.training.export import quantise

    def ops(path):
        return {n.op_type for n in onnx.load(str(path)).graph.node}

    shipped = ops(out / "model" / "model.onnx")
    assert "DynamicQuantizeLSTM" in shipped and "LSTM" not in shipped
    old = tmp_path / "old"
    shutil.copytree(out / "model", old)
    quantise(graph, old / "model.onnx", only=["MatMul"])  # the LSTM left in fp32
    assert "LSTM" in ops(old / "model.onnx") and "MatMulInteger" in ops(old / "model.onnx")
    new = quantise_lstm(old, tmp_path / "new", "9.9.9")
    assert "DynamicQuantizeLSTM" in ops(new / "model.onnx") and not list(new.glob("*.typed.onnx"))
    assert json.loads((new / "config.json").read_text())["version"] == "9.9.9"
    answers = [ort.InferenceSession(str(f / "model.onnx"), providers=["CPUExecutionProvider"])
               .run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0] for f in (old, new)]
    assert np.allclose(answers[0], answers[1], atol=0.1)

    other = _train(polnear, out, tiny_base, "--epochs", "2", "--head-lstm", "16")
    assert other.exit_code == 1 and "--head-lstm 8 (given 16)" in other.output.replace("\n", " ")


def test_a_run_from_before_the_lstm_option_resumes_as_one_without(tmp_path, polnear, tiny_base):
    out = tmp_path / "run"
    _one_step_run(polnear, out, tiny_base)
    for name in ("last.pt", "best.pt"):  # the settings as 1.4.0's run saved them: no head_lstm, no teacher
        state = torch.load(out / name, weights_only=False)
        for key in ("head_lstm", "teacher", "distill_alpha"):
            del state["args"][key]
        torch.save(state, out / name)
    longer = _train(polnear, out, tiny_base, "--epochs", "2", "--max-steps", "1", "--dev-max", "1")
    assert longer.exit_code == 0 and "resuming after epoch 1 of 2" in longer.output
    # The resumed run saved its settings again, with the LSTM option as it ran: none.
    refused = _train(polnear, out, tiny_base, "--epochs", "3", "--max-steps", "1", "--head-lstm", "8")
    assert refused.exit_code == 1 and "--head-lstm 0 (given 8)" in refused.output.replace("\n", " ")


def test_soft_targets_sit_where_collate_puts_the_tokens_and_one_hot_targets_give_the_gold_loss():
    from propwatch.training.attribution_data import collate, soft_batch
    from propwatch.training.attribution_train import soft_loss

    rows = [(np.array([5, 6, 7]), np.array([1, 2, 0])), (np.array([8]), np.array([3]))]
    ids, mask, labels = collate(rows, load_tokenizer_special())
    soft = soft_batch([np.eye(len(LABELS), dtype=np.float32)[lab] for _, lab in rows], labels.shape[1])
    assert soft.shape == (2, labels.shape[1], len(LABELS))
    assert torch.equal(soft.argmax(-1)[labels >= 0], labels[labels >= 0])  # the same places as the gold tags
    assert float(soft[labels < 0].abs().sum()) == 0.0  # nothing at [CLS], [SEP] or padding
    logits = torch.randn(*labels.shape, len(LABELS))
    gold = torch.nn.functional.cross_entropy(logits.reshape(-1, len(LABELS)), labels.reshape(-1), ignore_index=-100)
    assert torch.allclose(soft_loss(logits, soft, labels), gold, atol=1e-5)
    uniform = torch.full_like(soft, 1 / len(LABELS))
    assert not torch.allclose(soft_loss(logits, uniform, labels), gold, atol=1e-3)


def load_tokenizer_special():
    from propwatch.model.windows import SpecialTokens

    return SpecialTokens.of(load_tokenizer(resolve_base("minilm") / "tokenizer.json"))


def test_a_teachers_probabilities_are_cached_on_the_students_tokens_and_recorded(tmp_path, polnear, tiny_base):
    teacher_run = tmp_path / "teacher"
    _one_step_run(polnear, teacher_run, tiny_base)
    out = tmp_path / "student"
    state = _one_step_run(polnear, out, tiny_base, "--teacher", str(teacher_run / "model"), "--distill-alpha", "0.3")
    assert state["args"]["teacher"] == str(teacher_run / "model") and state["args"]["distill_alpha"] == 0.3
    config = json.loads((out / "model" / "config.json").read_text())
    assert config["training"]["teacher"] == str(teacher_run / "model")
    cache = np.load(out / "teacher.npz")
    train = read_compartment(polnear / "train")
    assert list(cache["names"]) == [a.name for a in train] and str(cache["teacher"]) == "tiny-attrib 0.0.1"
    tokenizer = load_tokenizer(tiny_base / "tokenizer.json")
    teacher = AttributionModel(teacher_run / "model")
    for k, article in enumerate(train):
        student = tag_article(article, tokenizer)
        probs = cache[f"p{k}"]
        assert probs.shape == (len(student.ids), len(LABELS)) and np.allclose(probs.sum(1), 1, atol=1e-5)
        # The teacher reads the text as the product does (a line end read as a full stop adds a token there);
        # every token both tokenisations share gets the teacher's own probabilities.
        offsets, own = teacher.token_probabilities(article.text)
        theirs = {tuple(o): p for o, p in zip(offsets.tolist(), own)}
        shared = [t for t, o in enumerate(student.tokens.offsets.tolist()) if tuple(o) in theirs]
        assert len(shared) >= 0.9 * len(student.ids)
        for t in shared:
            assert np.allclose(probs[t], theirs[tuple(student.tokens.offsets[t].tolist())], atol=1e-5)
    # Resuming with another teacher mixes two trainings: refused.
    other = _train(polnear, out, tiny_base, "--epochs", "2", "--max-steps", "1", "--teacher", "fast")
    assert other.exit_code == 1 and "--teacher" in other.output.replace("\n", " ")
    # The cache of another teacher is refused rather than mixed in.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "teacher.npz").write_bytes((out / "teacher.npz").read_bytes())
    mixed = _train(polnear, fresh, tiny_base, "--epochs", "1", "--max-steps", "1", "--teacher", "fast")
    assert mixed.exit_code == 1 and "another teacher" in mixed.output.replace("\n", " ")
