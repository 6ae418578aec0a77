"""Ensembles (``model/ensemble.py``): projecting one tokenizer's probabilities onto another's tokens, building
and resolving an ensemble folder, and an ensemble of one model with itself answering exactly as that model."""

import json
import shutil

import numpy as np
import pytest

from propwatch.analyzer import Analyzer
from propwatch.components.techniques import TechniqueDetector
from propwatch.errors import ModelError
from propwatch.model import EnsembleModel, OnnxModel, load_model, resolve_model
from propwatch.model.ensemble import project_probabilities
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED
from propwatch.training.ensemble import build_ensemble

TEXT = ("The corrupt regime of the so-called leaders will destroy our great nation. "
        "Everyone knows it. The corrupt regime lies again and again, and the corrupt regime must go.")


def offsets(*pairs):
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)


def test_projection_onto_the_same_tokens_is_the_identity():
    probs = np.random.default_rng(0).random((5, 3)).astype(np.float32)
    tokens = offsets((0, 3), (4, 9), (9, 12), (13, 20), (21, 22))
    assert np.allclose(project_probabilities(tokens, tokens, probs), probs)


def test_projection_averages_the_overlapped_pieces_and_falls_back_to_the_nearest():
    # target "unbelievable" as one token; source splits it in three pieces; then a character the source skips
    target = offsets((0, 12), (13, 14), (15, 19))
    source = offsets((0, 2), (2, 8), (8, 12), (15, 19))
    probs = np.array([[0.1], [0.4], [0.7], [0.9]], np.float32)
    out = project_probabilities(target, source, probs)
    assert out[0, 0] == pytest.approx(0.4)  # mean of the three pieces
    assert out[1, 0] == pytest.approx(0.9)  # no source token overlaps (13, 14): the next one
    assert out[2, 0] == pytest.approx(0.9)
    # and the other way round: every small target token takes the one big source token
    assert np.allclose(project_probabilities(source[:3], target[:1], np.array([[0.5]], np.float32)), 0.5)


def test_projection_of_nothing():
    assert project_probabilities(offsets(), offsets((0, 1)), np.ones((1, 2), np.float32)).shape == (0, 2)
    assert project_probabilities(offsets((0, 1)), offsets(), np.ones((0, 2), np.float32)).shape == (1, 2)


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    """The shipped model twice, with the shipped model's own decoding: it must answer as the model does."""
    folder = build_ensemble(["fast", SHIPPED / DEFAULT_MODEL], tmp_path_factory.mktemp("ens") / "twin",
                            name="twin", version="0.1")
    config = json.loads((folder / "config.json").read_text())
    config["decoding"] = json.loads((SHIPPED / DEFAULT_MODEL / "config.json").read_text())["decoding"]
    config["members"][0]["token_weight"], config["members"][1]["token_weight"] = 3.0, 1.0
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def test_an_ensemble_of_a_model_with_itself_answers_as_the_model(twin):
    single = OnnxModel()
    ensemble = load_model(twin)
    assert isinstance(ensemble, EnsembleModel) and ensemble.name == "twin"
    assert np.allclose(ensemble.token_weights, [0.75, 0.25])
    (mine,), (theirs,) = ensemble.predict_many([TEXT]), single.predict_many([TEXT])
    assert np.allclose(mine.probs, theirs.probs, atol=1e-6)
    spans = [(4, 18), (54, 67)]
    assert np.allclose(ensemble.classify_spans(TEXT, mine, spans), single.classify_spans(TEXT, theirs, spans),
                       atol=1e-6)
    a, b = (Analyzer([TechniqueDetector(m)]).analyze_text(TEXT) for m in (ensemble, single))
    assert a.model.name == "twin"
    assert [(s.start, s.end, s.technique) for s in a.spans] == [(s.start, s.end, s.technique) for s in b.spans]
    assert [s.score for s in a.sentences] == pytest.approx([s.score for s in b.sentences], abs=1e-3)


def test_token_weights_change_the_mix(twin):
    ensemble = load_model(twin)
    members = ensemble.predict(TEXT).hidden.members
    halved = [type(m)(m.tokens, m.probs * (0.5 if k else 1.0), m.hidden) for k, m in enumerate(members)]
    mixed = ensemble.combine(tuple(halved), weights=[1.0, 1.0])
    assert np.allclose(mixed.probs, members[0].probs * 0.75, atol=1e-6)
    # with_token_weights gives a new model with the weights in its config; this one keeps its own
    even = ensemble.with_token_weights([1.0, 1.0])
    assert np.allclose(ensemble.token_weights, [0.75, 0.25]) and np.allclose(even.token_weights, [0.5, 0.5])
    assert [m.token_weight for m in even.config.members] == [0.5, 0.5] and even.members is ensemble.members


def test_an_ensemble_folder_copies_its_members_and_is_checked_on_loading(twin, tmp_path):
    config = json.loads((twin / "config.json").read_text())
    assert config["kind"] == "ensemble" and [m["folder"] for m in config["members"]] == ["members/0-minilm-v1",
                                                                                          "members/1-minilm-v1"]
    assert resolve_model(twin) == twin
    broken = tmp_path / "broken"
    shutil.copytree(twin, broken)
    (broken / "members" / "1-minilm-v1" / "model.onnx").unlink()
    with pytest.raises(ModelError, match="incomplete: missing model.onnx"):
        load_model(broken)
    with pytest.raises(ModelError, match="is an ensemble"):
        OnnxModel(twin)


def test_build_refuses_a_single_member_and_nested_ensembles(twin, tmp_path):
    with pytest.raises(ModelError, match="at least two"):
        build_ensemble(["fast"], tmp_path / "one", name="x", version="1")
    with pytest.raises(ModelError, match="ensemble already"):
        build_ensemble([twin, "fast"], tmp_path / "nested", name="x", version="1")
    assert not (tmp_path / "nested").exists() and not (tmp_path / ".nested.building").exists()


def test_an_ensemble_hands_over_every_members_encoder_states(twin):
    """The role model reads MiniLM's states: inside an ensemble (accurate) it finds them among the members'."""
    ensemble = load_model(twin)
    pred = ensemble.predict(TEXT)
    states = ensemble.encoder_states(pred)
    assert [s.onnx for s in states] == [m.onnx_path for m in ensemble.members]
    assert all(np.array_equal(s.states, own.hidden) for s, own in zip(states, pred.hidden.members))
    single = OnnxModel()
    assert ensemble.encoder_states(single.predict(TEXT)) == ()  # not the ensemble's own predictions
