"""The technique detector fills each span's reasons from the shipped model: cues inside the span, examples
of the same technique from the shipped file, strength from the stored thresholds, and the model's
reliability; and all of it survives a JSON round trip."""

from pathlib import Path

import pytest

from propwatch.model.examples import EXAMPLES_FILE, ExampleIndex
from propwatch.model.spans import normalise
from propwatch.model.strength import strength_of
from propwatch.schema import Analysis
from propwatch.techniques import TECHNIQUE_IDS

SHIPPED = Path(__file__).parents[3] / "src" / "propwatch" / "models" / "minilm-v1"
OPED = ("Destroying our nation\n\nThe corrupt elites have betrayed every patriotic American. Either you are with "
        "us, or you are with the traitors who want to destroy this great country. Enough is enough! These "
        "so-called experts are lying to you, and the radical mob will burn everything we love.")


@pytest.fixture(scope="module")
def analyses(analyzer, example_text):
    return [analyzer(example_text), analyzer(OPED)]


@pytest.fixture(scope="module")
def shipped_examples():
    return ExampleIndex.load(SHIPPED / EXAMPLES_FILE)


def test_cues_are_words_inside_their_span(analyses):
    spans = [s for a in analyses for s in a.spans]
    assert spans and all(1 <= len(s.cues) <= 3 for s in spans if any(c.isalpha() for c in s.text))
    for s in spans:
        words = normalise(s.text).split()
        assert all(normalise(c) and set(normalise(c).split()) <= set(words) for c in s.cues), (s.text, s.cues)


def test_examples_come_from_the_shipped_file_and_share_the_spans_technique(analyses, shipped_examples):
    by_text: dict[str, set[str]] = {}
    for record, technique in zip(shipped_examples.records, _techniques(shipped_examples)):
        by_text.setdefault(record[0], set()).add(technique)
    spans = [s for a in analyses for s in a.spans]
    assert all(s.examples for s in spans)
    for s in spans:
        assert 1 <= len(s.examples) <= 3
        assert all(s.technique in by_text[e.text] for e in s.examples)
        assert all(normalise(e.text) != normalise(s.text) for e in s.examples)
        sims = [e.similarity for e in s.examples]
        assert sims == sorted(sims, reverse=True)


def test_strength_follows_the_stored_thresholds(analyses):
    model = analyses[0].model
    assert model.strength_thresholds is not None
    for s in (s for a in analyses for s in a.spans):
        assert s.strength == strength_of(s.score, model.strength_thresholds)


def test_the_model_says_how_reliable_each_technique_is(analyses):
    reliability = analyses[0].model.reliability
    assert set(reliability) == set(TECHNIQUE_IDS)
    assert analyses[0].models["techniques"] == analyses[0].model


def test_json_round_trip_keeps_every_reason(analyses):
    for analysis in analyses:
        assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis


def _techniques(index: ExampleIndex) -> list[str]:
    out = [""] * len(index)
    for technique, (rows, _) in index.by_technique.items():
        for r in rows:
            out[int(r)] = technique
    return out
