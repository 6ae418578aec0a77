import json

from propwatch.render import to_json
from propwatch.schema import Analysis


def test_round_trips_to_an_equal_analysis(analysis):
    for a in (analysis, analysis.filtered(0.6, frozenset({"loaded_language", "doubt"}))):
        text = to_json(a)
        assert Analysis.model_validate_json(text) == a


def test_is_pretty_and_complete(analysis):
    text = to_json(analysis)
    assert text.startswith('{\n  "article": {')
    data = json.loads(text)
    assert len(data["spans"]) == len(analysis.spans)
    assert data["model"] == {"name": "fake-model", "version": "9.9.9", "reliability": {},
                             "strength_thresholds": None}


def test_keeps_the_calibrated_score_beside_the_strength_and_reasons(analysis):
    import propwatch_test_fakes as fakes

    explained = fakes.explained(analysis)
    data = json.loads(to_json(explained))
    first = data["spans"][0]
    assert first["score"] == analysis.spans[0].score and first["strength"] == "strong"
    assert first["cues"] and first["examples"][0]["before"]
    assert data["model"]["strength_thresholds"] == list(fakes.STRENGTH_THRESHOLDS)
    assert Analysis.model_validate_json(to_json(explained)) == explained
