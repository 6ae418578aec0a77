"""Shipping a model in pieces (``training.ship``): every file under the cap, the same answers, and a weight too
large for a piece refused; and an ensemble shipped beside its members names them, pinned by version."""

import json
import shutil

import numpy as np
import pytest

from propwatch.errors import ModelError
from propwatch.model import OnnxModel, load_model
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED
from propwatch.training import ensemble as ensemble_recipe
from propwatch.training.ship import PIECE_PREFIX, ship_model

pytest.importorskip("onnx")
TEXT = "The corrupt elites betrayed the nation. Wake up, patriots, before it is too late!"


def test_a_shipped_model_is_in_pieces_under_the_cap_and_answers_the_same(tmp_path):
    folder = ship_model(SHIPPED / DEFAULT_MODEL, "pieces", root=tmp_path, max_piece_bytes=12_500_000)
    pieces = sorted(p.name for p in folder.iterdir() if p.name.startswith(PIECE_PREFIX))
    assert len(pieces) >= 2  # 23 MB of weights in pieces of at most 12.5 MB
    assert all(p.stat().st_size <= 12_500_000 for p in folder.iterdir() if p.name.startswith(PIECE_PREFIX))
    assert (folder / "model.onnx").stat().st_size < 1_000_000  # the graph, without its weights
    assert (folder / "config.json").read_text() == (SHIPPED / DEFAULT_MODEL / "config.json").read_text()
    assert not list(tmp_path.glob(".*"))  # no staging left behind
    (mine,), (theirs,) = OnnxModel(folder).predict_many([TEXT]), OnnxModel().predict_many([TEXT])
    assert np.array_equal(mine.probs, theirs.probs)
    # shipping a shipped (split) model again reads its pieces
    again = ship_model(folder, "again", root=tmp_path, max_piece_bytes=20_000_000)
    assert np.array_equal(OnnxModel(again).predict_many([TEXT])[0].probs, theirs.probs)


def test_a_weight_larger_than_a_piece_is_refused_and_nothing_is_left(tmp_path):
    with pytest.raises(ModelError, match="more than a piece may hold"):
        ship_model(SHIPPED / DEFAULT_MODEL, "too-small", root=tmp_path, max_piece_bytes=1_000_000)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ModelError, match="cannot be a model name"):
        ship_model(SHIPPED / DEFAULT_MODEL, "../x", root=tmp_path)


def test_an_ensemble_shipped_beside_its_members_names_them_and_checks_their_version(tmp_path, monkeypatch):
    root = tmp_path / "models"
    root.mkdir()
    shutil.copytree(SHIPPED / DEFAULT_MODEL, root / "member")
    monkeypatch.setattr(ensemble_recipe, "SHIPPED", root)
    folder = ensemble_recipe.build_ensemble([root / "member", root / "member"], root / "pair", name="pair",
                                            version="1")
    config = json.loads((folder / "config.json").read_text())
    assert [m["folder"] for m in config["members"]] == ["../member", "../member"]
    assert not (folder / "members").exists()  # named, not copied
    assert len(load_model(folder).members) == 2
    (folder / "MODEL_CARD.md").write_text("# the card\n")
    folder = ensemble_recipe.build_ensemble([root / "member", root / "member"], root / "pair", name="pair",
                                            version="1")
    assert (folder / "MODEL_CARD.md").read_text() == "# the card\n"  # a rebuild in place keeps the card
    member_config = json.loads((root / "member" / "config.json").read_text())
    weights = member_config.get("weights_version") or member_config["version"]  # the weights the ensemble pins
    # a new decoding alone (propwatch crossval --store) keeps the weights the ensemble was tuned with
    (root / "member" / "config.json").write_text(json.dumps({**member_config, "version": "9.9.8",
                                                             "weights_version": weights}))
    assert len(load_model(folder).members) == 2
    member_config["version"] = "9.9.9"  # the member was retrained: the ensemble's tuning no longer fits it
    member_config.pop("weights_version", None)  # new weights are their own version
    (root / "member" / "config.json").write_text(json.dumps(member_config))
    with pytest.raises(ModelError, match="was tuned with propwatch-minilm .* holds version 9.9.9"):
        load_model(folder)
    # built anywhere else, an ensemble copies its members as before
    elsewhere = ensemble_recipe.build_ensemble([root / "member", "fast"], tmp_path / "copy", name="c", version="1")
    assert (elsewhere / "members" / "0-member" / "model.onnx").exists()
