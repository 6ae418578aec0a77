"""An ensemble's reasons: cues from the members' mixed probabilities, examples from the first member that ships
them, with that member's own token states."""

import json
import shutil

import pytest

from propwatch.analyzer import Analyzer
from propwatch.components.techniques import TechniqueDetector
from propwatch.errors import ModelError
from propwatch.model import OnnxModel, load_model
from propwatch.model.examples import EXAMPLES_FILE
from propwatch.model.registry import DEFAULT_MODEL, SHIPPED, member_folders
from propwatch.training.ensemble import build_ensemble

TEXT = ("A title\n\nThe corrupt regime of the so-called leaders will destroy our great nation. "
        "Everyone knows it. The corrupt regime lies again and again, and the corrupt regime must go.")


@pytest.fixture(scope="module")
def twin(tmp_path_factory):
    """The shipped model twice, with its own decoding: its reasons must be the model's."""
    folder = build_ensemble(["fast", SHIPPED / DEFAULT_MODEL], tmp_path_factory.mktemp("ens") / "twin",
                            name="twin", version="0.1")
    config = json.loads((folder / "config.json").read_text())
    config["decoding"] = json.loads((SHIPPED / DEFAULT_MODEL / "config.json").read_text())["decoding"]
    (folder / "config.json").write_text(json.dumps(config))
    return folder


def reasons(model):
    return [(s.start, s.end, s.technique, s.cues, [e.text for e in s.examples])
            for s in Analyzer([TechniqueDetector(model)]).analyze_text(TEXT).spans]


def test_an_ensemble_of_a_model_with_itself_gives_the_models_reasons(twin):
    mine, theirs = reasons(load_model(twin)), reasons(OnnxModel())
    assert mine and mine == theirs
    assert all(examples for *_, examples in mine)


def test_examples_come_from_the_first_member_that_has_them(twin, tmp_path):
    folder = tmp_path / "twin"
    shutil.copytree(twin, folder)
    first, second = member_folders(folder)
    (first / EXAMPLES_FILE).unlink()
    ensemble = load_model(folder)
    pred = ensemble.predict(TEXT)
    source, _ = ensemble.example_source(pred)
    assert source.path == second
    assert all(examples for *_, examples in reasons(ensemble))
    (second / EXAMPLES_FILE).unlink()
    with pytest.raises(ModelError, match="neighbour vote"):  # its decoding (fast's) votes with the examples
        reasons(load_model(folder))
    config = json.loads((folder / "config.json").read_text())
    del config["decoding"]["neighbour_vote"]
    (folder / "config.json").write_text(json.dumps(config))
    assert load_model(folder).example_source(pred) is None
    assert all(not examples for *_, examples in reasons(load_model(folder)))
