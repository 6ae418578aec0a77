"""The attribution ensemble: members mixed token by token, pinned by version, and run beside ``accurate``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from propwatch.components.attributions import LABELS, find_attributions
from propwatch.components.attributions.component import (
    ACCURATE_MODEL,
    DEFAULT_MODEL,
    AttributionFinder,
    find_attribution_model,
    model_files,
    model_for_techniques,
)
from propwatch.components.attributions.ensemble import AttributionEnsemble, load_attribution_model
from propwatch.components.attributions.model import AttributionModel
from propwatch.errors import ModelError
from propwatch.model.registry import SHIPPED

TEXT = "“The plan is dead,” Smith said."


def _ensemble(folder, members, weights=None):
    """An ensemble folder beside its ``members`` (folder name -> version)."""
    folder.mkdir()
    weights = weights or [1.0] * len(members)
    (folder / "config.json").write_text(json.dumps({
        "format_version": 1, "kind": "attribution-ensemble", "name": "tiny-ensemble", "version": "1",
        "members": [{"folder": f"../{name}", "name": "tiny", "version": version, "token_weight": w}
                    for (name, version), w in zip(members.items(), weights)]}))
    return folder


@pytest.fixture
def two_members(tmp_path, tiny_model):
    """Two taggers that disagree on "dead": the first calls it content, the second says nothing of it."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
    tiny_model(tmp_path / "a", version="1")
    tags = {"smith": "B-source", "said": "B-cue", "the": "B-content", "plan": "I-content", "is": "I-content"}
    tiny_model(tmp_path / "b", version="2", tags=tags, margin=2.0)
    return tmp_path


def test_mixes_the_members_as_weighted_log_probabilities(two_members):
    ensemble = load_attribution_model(_ensemble(two_members / "mix", {"a": "1", "b": "2"}, weights=[3.0, 1.0]))
    assert isinstance(ensemble, AttributionEnsemble)
    assert (ensemble.name, ensemble.version, ensemble.labels) == ("tiny-ensemble", "1", LABELS)
    assert ensemble.weights == [0.75, 0.25]
    offsets, probs = ensemble.token_probabilities(TEXT)
    (oa, pa), (ob, pb) = (AttributionModel(two_members / n).token_probabilities(TEXT) for n in ("a", "b"))
    assert np.array_equal(offsets, oa) and np.array_equal(offsets, ob)
    expected = np.exp(0.75 * np.log(pa) + 0.25 * np.log(pb))
    expected /= expected.sum(-1, keepdims=True)
    np.testing.assert_allclose(probs, expected, rtol=1e-5)
    assert np.allclose(probs.sum(-1), 1.0)
    assert AttributionFinder(ensemble).model_info.name == "tiny-ensemble"


def test_the_weights_decide_where_the_members_disagree(two_members):
    def content(weights, name):
        ensemble = AttributionEnsemble(_ensemble(two_members / name, {"a": "1", "b": "2"}, weights=weights))
        found = find_attributions(TEXT, *ensemble.token_probabilities(TEXT), ensemble.labels)
        return [c.text for a in found for c in a.content]

    assert content([3.0, 1.0], "a_leads") == ["The plan is dead"]
    assert content([1.0, 3.0], "b_leads") == ["The plan is"]


def test_reports_progress_over_every_members_windows(two_members):
    ensemble = AttributionEnsemble(_ensemble(two_members / "mix", {"a": "1", "b": "2"}))
    seen = []
    ensemble.token_probabilities(TEXT, progress=lambda done, total: seen.append((done, total)))
    total = ensemble.count_windows(TEXT)
    assert total == 2 * AttributionModel(two_members / "a").count_windows(TEXT)
    assert {t for _, t in seen} == {total} and seen[-1][0] == total


def test_a_member_of_another_version_is_refused(two_members):
    folder = _ensemble(two_members / "mix", {"a": "1", "b": "7"})
    with pytest.raises(ModelError, match="measured with tiny 7"):
        AttributionEnsemble(folder)


def test_a_missing_member_is_refused(two_members):
    folder = _ensemble(two_members / "mix", {"a": "1", "gone": "1"})
    with pytest.raises(ModelError, match="gone that is not there"):
        AttributionEnsemble(folder)


def test_members_with_different_tokenizers_are_refused(two_members, tiny_model):
    (two_members / "c").mkdir()
    tiny_model(two_members / "c", version="3", vocab_extra=("reports",))
    folder = _ensemble(two_members / "mix", {"a": "1", "c": "3"})
    with pytest.raises(ModelError, match="different tokenizers"):
        AttributionEnsemble(folder)


def test_an_ensemble_without_members_or_of_technique_models_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "config.json").write_text(json.dumps(
        {"format_version": 1, "kind": "attribution-ensemble", "name": "e", "version": "1"}))
    with pytest.raises(ModelError, match="names no members"):
        AttributionEnsemble(tmp_path / "empty")
    with pytest.raises(ModelError, match="not an attribution model"):
        load_attribution_model(SHIPPED / "minilm-v1")


def test_accurate_runs_the_shipped_ensemble_and_everything_else_the_single_tagger():
    assert model_for_techniques(None) == DEFAULT_MODEL
    assert model_for_techniques("fast") == DEFAULT_MODEL
    assert model_for_techniques("minilm-v1") == DEFAULT_MODEL
    assert model_for_techniques("accurate") == ACCURATE_MODEL
    assert model_for_techniques("mpnet-minilm-v1") == ACCURATE_MODEL  # what accurate names, by its own name
    accurate = find_attribution_model("accurate")
    assert accurate.name == ACCURATE_MODEL and find_attribution_model("fast").name == DEFAULT_MODEL
    # a batch run's identity covers every file the ensemble answers with
    files = model_files(accurate)
    assert files[0] == accurate / "config.json"
    assert {f.parent.name for f in files[1:]} == {"attributions-v1", "attributions-full-v1"}
    assert all(f.is_file() for f in files)


def test_the_pipeline_gives_accurate_the_ensemble():
    from propwatch.components.registry import COMPONENTS

    finder = COMPONENTS["attributions"]("accurate", 1)
    assert isinstance(finder.model, AttributionEnsemble)
    assert finder.model_info.name == "propwatch-attrib-ensemble"
    assert [m.version for m in finder.model.members] == ["1.11.1", "1.9.0"]
    assert COMPONENTS["attributions"]("fast", 1).model_info.name == "propwatch-attrib-minilm"


def test_an_ensemble_can_read_its_members_windows_closer_together(two_members):
    folder = _ensemble(two_members / "mix", {"a": "1", "b": "2"})
    config = json.loads((folder / "config.json").read_text())
    text = " ".join([TEXT] * 6)
    wide = load_attribution_model(folder)
    config["stride"] = 2
    (folder / "config.json").write_text(json.dumps(config))
    close = load_attribution_model(folder)
    assert [m.stride for m in close.members] == [2, 2]
    assert close.count_windows(text) > wide.count_windows(text)
    member = AttributionModel(two_members / "a")
    member.stride = 2
    assert member.count_windows(text) * 2 == close.count_windows(text)
    config["stride"] = 99  # wider than the members' windows of 6 tokens
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="stride"):
        load_attribution_model(folder)
