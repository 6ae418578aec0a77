"""TC on the gold spans, worked by hand (comments), following the reference scorer's pairing procedure."""

from __future__ import annotations

import pytest

from propwatch.metrics import technique_classification
from propwatch.techniques import TECHNIQUE_IDS


def test_one_right_one_wrong():
    # [0,10) doubt -> predicted doubt: correct (tp doubt).
    # [20,30) loaded_language -> predicted doubt: fn loaded_language, fp doubt.
    # micro = 1/2. doubt: P = 1/2, R = 1, F1 = 2/3; loaded_language: 0.
    # macro over 14 = (2/3)/14; over the 2 gold techniques = (2/3)/2.
    gold = {"a": [(0, 10, "doubt"), (20, 30, "loaded_language")]}
    pred = {"a": [(0, 10, "doubt"), (20, 30, "doubt")]}
    r = technique_classification(gold, pred)
    assert r.micro_f1 == 0.5 and (r.correct, r.gold_spans) == (1, 2)
    assert r.per_technique["doubt"] == pytest.approx({"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1})
    assert r.per_technique["loaded_language"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r.macro_f1 == pytest.approx((2 / 3) / 14)
    assert r.macro_f1_gold_labels == pytest.approx((2 / 3) / 2)
    assert set(r.per_technique) == set(TECHNIQUE_IDS)


def test_span_with_two_gold_techniques_and_two_predictions():
    # Same span, gold {doubt, loaded_language}, predictions in the other order: both found. micro = 1.
    gold = {"a": [(0, 10, "doubt"), (0, 10, "loaded_language")]}
    pred = {"a": [(0, 10, "loaded_language"), (0, 10, "doubt")]}
    r = technique_classification(gold, pred)
    assert r.micro_f1 == 1.0 and r.per_technique["doubt"]["f1"] == 1.0


def test_span_with_two_gold_techniques_and_one_prediction():
    # Gold lines are taken in order. [loaded_language, doubt] with prediction loaded_language:
    # loaded_language correct; doubt finds the pool empty -> fn doubt, no fp. micro = 1/2.
    r = technique_classification({"a": [(0, 10, "loaded_language"), (0, 10, "doubt")]},
                                 {"a": [(0, 10, "loaded_language")]})
    assert (r.correct, r.gold_spans) == (1, 2)
    assert r.per_technique["loaded_language"]["precision"] == 1.0
    # [doubt, loaded_language] with the same prediction: doubt is not in the pool -> fn doubt and the first
    # prediction left (loaded_language) becomes an fp; then loaded_language finds the pool empty -> fn.
    # micro = 0: the reference scorer's procedure depends on the order of the gold lines.
    r = technique_classification({"a": [(0, 10, "doubt"), (0, 10, "loaded_language")]},
                                 {"a": [(0, 10, "loaded_language")]})
    assert (r.correct, r.gold_spans) == (0, 2)
    assert r.per_technique["loaded_language"]["precision"] == 0.0


def test_predictions_off_the_gold_spans_are_not_scored():
    # The prediction at [0,9) is not the gold span [0,10): the gold line is a fn with no fp;
    # article b has no gold at all and is ignored.
    r = technique_classification({"a": [(0, 10, "slogans")]},
                                 {"a": [(0, 9, "slogans")], "b": [(0, 5, "doubt")]})
    assert r.micro_f1 == 0.0
    assert r.per_technique["slogans"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert r.per_technique["doubt"]["support"] == 0


def test_no_gold():
    r = technique_classification({}, {"a": [(0, 5, "doubt")]})
    assert (r.micro_f1, r.macro_f1, r.macro_f1_gold_labels, r.gold_spans) == (0.0, 0.0, 0.0, 0)
