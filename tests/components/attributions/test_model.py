from __future__ import annotations

import json

import pytest

from propwatch.components.attributions.model import AttributionModel, model_view
from propwatch.errors import ModelError


def test_a_folder_without_config_is_refused(tmp_path):
    with pytest.raises(ModelError, match="no config.json"):
        AttributionModel(tmp_path)


def test_a_technique_model_is_refused(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"format_version": 1, "name": "propwatch-minilm", "version": "1",
                                                           "techniques": []}))
    with pytest.raises(ModelError, match="not an attribution model"):
        AttributionModel(tmp_path)


def test_runs_a_model_folder_over_several_windows(tmp_path, tiny_model):
    model = AttributionModel(tiny_model(tmp_path))
    text = "“The plan is dead,” Smith said."
    found = model(text)
    assert len(found) == 1
    a = found[0]
    assert (a.source.text if a.source else None, a.cue.text, [c.text for c in a.content]) == (
        "Smith", "said", ["The plan is dead"])
    assert a.source_type == "named" and a.source_name == "Smith"
    assert model("") == []


@pytest.mark.parametrize("text, seen", [
    ("Talks Are Over\n\nMike Pompeo said.", "Talks Are Over.\nMike Pompeo said."),
    ("CLICK HERE FOR 100%  \nMay told reporters", "CLICK HERE FOR 100%  .May told reporters"),
    ("It ended.\nHe said so.\n“Yes,” she said:\nno", "It ended.\nHe said so.\n“Yes,” she said:\nno"),  # stay
])
def test_the_tagger_reads_an_open_line_end_as_a_full_stop_at_the_same_offsets(text, seen):
    assert model_view(text) == seen and len(seen) == len(text)
