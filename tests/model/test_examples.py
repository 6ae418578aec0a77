"""Span examples: the file format, the search, the shipped file, and folders without one."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from propwatch.errors import ModelError
from propwatch.model import OnnxModel
from propwatch.model.config import ModelConfig
from propwatch.model.examples import EXAMPLES_FILE, ExampleIndex, ExampleRecord, LazyExamples, write_examples
from propwatch.techniques import TECHNIQUE_IDS

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"


def unit(*values):
    v = np.asarray(values, np.float32)
    return v / np.linalg.norm(v)


@pytest.fixture
def index(tmp_path):
    records = [
        ExampleRecord("loaded_language", "brutal regime", "the", "again", "1"),
        ExampleRecord("loaded_language", "Brutal  regime!", "a", "", "2"),  # the same words as the first
        ExampleRecord("loaded_language", "savage attack", "", "", "3"),
        ExampleRecord("loaded_language", "cowardly", "", "", "4"),
        ExampleRecord("doubt", "so-called experts", "", "", "5"),
    ]
    vectors = np.stack([unit(1, 0, 0), unit(1, 0.01, 0), unit(0.8, 0.6, 0), unit(0, 1, 0), unit(1, 0, 0)])
    write_examples(tmp_path / EXAMPLES_FILE, vectors, records, "m 1")
    return ExampleIndex.load(tmp_path / EXAMPLES_FILE)


def test_nearest_examples_of_the_same_technique_most_similar_first(index):
    found = index.nearest(unit(1, -0.1, 0), "loaded_language")
    assert [e.text for e in found] == ["brutal regime", "savage attack", "cowardly"]  # the repeat is shown once
    assert found[0].before == "the" and found[0].after == "again" and found[0].article == "1"
    assert found[0].similarity > found[1].similarity > found[2].similarity
    assert [e.text for e in index.nearest(unit(1, 0, 0), "doubt")] == ["so-called experts"]
    assert index.nearest(unit(1, 0, 0), "slogans") == []
    assert index.model == "m 1" and len(index) == 5


def test_nearest_rows_of_any_technique_most_similar_first(index):
    similarities, techniques = index.nearest_rows(np.stack([unit(1, 0, 0), unit(0, 1, 0)]), 3)
    assert similarities.shape == techniques.shape == (2, 3)
    assert np.all(np.diff(similarities, axis=1) <= 0)  # most similar first
    assert TECHNIQUE_IDS[techniques[1, 0]] == "loaded_language" and np.isclose(similarities[1, 0], 1.0)  # "cowardly"
    assert "doubt" in {TECHNIQUE_IDS[t] for t in techniques[0]}  # every technique competes, repeats included
    assert index.nearest_rows(unit(1, 0, 0)[None, :], 50)[0].shape == (1, 5)  # no more than the index holds
    assert np.isclose(index.shares.sum(), 1.0) and np.isclose(index.shares[TECHNIQUE_IDS.index("doubt")], 0.2)
    with pytest.raises(ModelError, match="rebuild them"):
        index.nearest_rows(np.ones((1, 5), np.float32), 2)


def test_the_spans_own_text_is_never_its_example(index):
    found = index.nearest(unit(1, 0, 0), "loaded_language", own_text="Brutal, regime")
    assert "brutal regime" not in [e.text for e in found]
    assert "savage attack" not in [e.text for e in index.nearest(unit(1, 0, 0), "loaded_language", "Savage attack")]


def test_vectors_of_another_encoder_are_refused(index):
    with pytest.raises(ModelError, match="rebuild them"):
        index.nearest(np.ones(5, np.float32), "loaded_language")


def test_a_broken_file_is_refused_by_name(tmp_path):
    (tmp_path / EXAMPLES_FILE).write_bytes(b"not a zip")
    with pytest.raises(ModelError, match=EXAMPLES_FILE):
        ExampleIndex.load(tmp_path / EXAMPLES_FILE)


def test_a_folder_without_examples_gives_none(tmp_path):
    lazy = LazyExamples(tmp_path)
    assert not lazy.available and lazy.get() is None


def test_the_shipped_examples_are_small_and_of_the_shipped_model():
    path = SHIPPED / EXAMPLES_FILE
    assert path.stat().st_size <= 5_000_000
    index = ExampleIndex.load(path)
    config = ModelConfig.read(SHIPPED)
    assert index.model == f"{config.name} {config.weights_identity}"  # the vectors are the weights', not the decoding's
    assert len(index) > 1000
    assert set(index.by_technique) == set(TECHNIQUE_IDS)  # every technique has examples
    assert all(r[0].strip() and r[3] for r in index.records)


def test_an_old_model_folder_without_the_new_files_and_fields_still_runs(tmp_path):
    from propwatch.components.base import Draft
    from propwatch.components.techniques import TechniqueDetector
    from propwatch.schema import Article
    from propwatch.sentences import split_sentences

    old = tmp_path / "old"
    shutil.copytree(SHIPPED, old, ignore=shutil.ignore_patterns(EXAMPLES_FILE, "MODEL_CARD.md"))
    config = ModelConfig.read(old)
    raw = config.to_json()
    for key in ("strength_thresholds", "reliability"):
        raw.pop(key, None)
    raw["decoding"].pop("neighbour_vote", None)  # older than the vote, which reads the examples
    (old / "config.json").write_text(__import__("json").dumps(raw), encoding="utf-8")
    assert ModelConfig.read(old).strength_thresholds is None and ModelConfig.read(old).reliability is None

    detector = TechniqueDetector.load(old)
    text = "A title\n\nThe brutal regime of traitors will destroy our great nation, and everyone knows it."
    draft = Draft(Article.from_ptc_text(text), split_sentences(text))
    detector([draft])
    analysis = draft.to_analysis()
    assert analysis.model.reliability == {} and analysis.model.strength_thresholds is None
    assert analysis.spans and all(s.strength is None and not s.examples and s.cues for s in analysis.spans)


def test_a_model_whose_decoding_votes_without_its_examples_says_so_instead_of_skipping_the_vote(tmp_path):
    """Without ``examples.npz`` the vote cannot run: skipping it would silently give other spans than the measured
    ones. The model still loads (``propwatch examples`` must load it to write the file)."""
    folder = tmp_path / "no-examples"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns(EXAMPLES_FILE))
    model = OnnxModel(folder)
    assert model.decoding.neighbour_vote is not None  # the shipped fast votes
    text = "A title\n\nThe brutal regime of traitors will destroy our great nation, and everyone knows it."
    pred = model.predict(text)
    with pytest.raises(ModelError, match=EXAMPLES_FILE):
        model.classify_spans(text, pred, [(9, 30)])
