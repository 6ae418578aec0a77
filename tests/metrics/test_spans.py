"""SI and end-to-end on cases small enough to work out by hand (the working is in the comments)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from propwatch.metrics import end_to_end, merge_spans, span_identification


@dataclass(frozen=True)
class Span:  # the shape of inputs.corpus.GoldSpan and schema.TechniqueSpan
    start: int
    end: int
    technique: str


def prf(r):
    return pytest.approx((r.precision, r.recall, r.f1))


def test_half_overlap():
    # gold [0,10), pred [5,15): |∩| = 5 -> P = 5/10, R = 5/10, F1 = 0.5
    r = span_identification({"a": [(0, 10)]}, {"a": [(5, 15)]})
    assert prf(r) == (0.5, 0.5, 0.5)
    assert (r.pred_spans, r.gold_spans) == (1, 1)


def test_overlapping_predictions_are_merged_touching_ones_are_not():
    # [0,6) and [4,10) overlap -> one predicted span [0,10) == gold: P = R = 1 with 1 predicted span.
    r = span_identification({"a": [(0, 10)]}, {"a": [(4, 10), (0, 6)]})
    assert prf(r) == (1.0, 1.0, 1.0) and r.pred_spans == 1
    # [0,5) and [5,10) only touch -> two spans, each fully inside gold: P = (5/5 + 5/5) / 2 = 1,
    # R = (5/10 + 5/10) / 1 = 1.
    r = span_identification({"a": [(0, 10)]}, {"a": [(0, 5), (5, 10)]})
    assert prf(r) == (1.0, 1.0, 1.0) and r.pred_spans == 2
    # Gold is merged too: gold [0,4) + [2,8) -> [0,8); pred [0,4): P = 4/4, R = 4/8.
    r = span_identification({"a": [(0, 4), (2, 8)]}, {"a": [(0, 4)]})
    assert prf(r) == (1.0, 0.5, 2 / 3) and r.gold_spans == 1


def test_merge_spans():
    assert merge_spans([(5, 7), (0, 3), (2, 4), (4, 5), (6, 9)]) == [[0, 4], [4, 5], [5, 9]]
    assert merge_spans([(0, 10), (2, 3)]) == [[0, 10]]


def test_prediction_over_two_gold_spans():
    # gold [0,4) and [6,10), pred [2,8): |∩| = 2 with each.
    # P = (2/6 + 2/6) / 1 = 2/3; R = (2/4 + 2/4) / 2 = 1/2; F1 = 2·(2/3)(1/2) / (2/3 + 1/2) = 4/7.
    r = span_identification({"a": [(0, 4), (6, 10)]}, {"a": [(2, 8)]})
    assert prf(r) == (2 / 3, 1 / 2, 4 / 7)


def test_empty_predictions_and_empty_everything():
    r = span_identification({"a": [(0, 10)]}, {})
    assert prf(r) == (0.0, 0.0, 0.0) and (r.pred_spans, r.gold_spans) == (0, 1)
    r = span_identification({"a": [(0, 10)]}, {"a": []})
    assert prf(r) == (0.0, 0.0, 0.0)
    r = span_identification({}, {})
    assert prf(r) == (0.0, 0.0, 0.0) and (r.pred_spans, r.gold_spans) == (0, 0)


def test_articles_on_one_side_only_count():
    # a: perfect (P num 1, R num 1); b only in pred: one more predicted span earning nothing.
    # P = 1/2, R = 1/1, F1 = 2/3.
    r = span_identification({"a": [(0, 10)]}, {"a": [(0, 10)], "b": [(0, 5)]})
    assert prf(r) == (0.5, 1.0, 2 / 3)
    # c only in gold: one more gold span never found. P = 1/1, R = 1/2.
    r = span_identification({"a": [(0, 10)], "c": [(3, 4)]}, {"a": [(0, 10)]})
    assert prf(r) == (1.0, 0.5, 2 / 3)


def test_micro_average_over_articles():
    # a: gold [0,10), pred [0,5): P num 1, R num 0.5. b: gold [0,4), pred [0,8): P num 0.5, R num 1.
    # P = 1.5/2, R = 1.5/2.
    r = span_identification({"a": [(0, 10)], "b": [(0, 4)]}, {"a": [(0, 5)], "b": [(0, 8)]})
    assert prf(r) == (0.75, 0.75, 0.75)


def test_accepts_triples_and_objects():
    gold = {"a": [Span(0, 10, "doubt")]}
    assert span_identification(gold, {"a": [(5, 15, "doubt")]}).f1 == pytest.approx(0.5)


def test_rejects_empty_spans():
    with pytest.raises(ValueError, match="article a"):
        span_identification({"a": [(3, 3)]}, {})


def test_right_span_wrong_technique_earns_nothing():
    r = end_to_end({"a": [(0, 10, "doubt")]}, {"a": [(0, 10, "loaded_language")]})
    assert prf(r) == (0.0, 0.0, 0.0) and (r.pred_spans, r.gold_spans) == (1, 1)
    assert prf(r.per_technique["doubt"]) == (0.0, 0.0, 0.0)
    assert r.per_technique["doubt"].gold_spans == 1
    assert r.per_technique["loaded_language"].pred_spans == 1


def test_end_to_end_micro_and_per_technique():
    # doubt: gold [0,10); pred [0,10) (exact) and [20,30) (no doubt there) -> P num 1 of 2 spans, R num 1 of 1.
    # loaded_language: gold [20,30), pred [25,35) -> |∩| = 5: P num 0.5 of 1, R num 0.5 of 1.
    # micro: P = 1.5/3 = 0.5, R = 1.5/2 = 0.75, F1 = 0.6.
    gold = {"a": [(0, 10, "doubt"), (20, 30, "loaded_language")]}
    pred = {"a": [(0, 10, "doubt"), (25, 35, "Loaded_Language"), (20, 30, "doubt")]}  # a PTC label works too
    r = end_to_end(gold, pred)
    assert prf(r) == (0.5, 0.75, 0.6)
    assert prf(r.per_technique["doubt"]) == (0.5, 1.0, 2 / 3)
    assert prf(r.per_technique["loaded_language"]) == (0.5, 0.5, 0.5)
    assert len(r.per_technique) == 14
    assert r.per_technique["slogans"].f1 == 0.0


def test_end_to_end_merges_per_technique():
    # doubt [0,6) + [4,10) merge to [0,10) == gold; the loaded_language span on the same text is not merged
    # with them and earns nothing. P = 1/2 (two predicted spans), R = 1/1.
    r = end_to_end({"a": [Span(0, 10, "doubt")]},
                   {"a": [(0, 6, "doubt"), (4, 10, "doubt"), (0, 10, "loaded_language")]})
    assert prf(r) == (0.5, 1.0, 2 / 3) and r.pred_spans == 2


def test_end_to_end_needs_techniques():
    with pytest.raises(ValueError, match="no technique"):
        end_to_end({"a": [(0, 10)]}, {})
    with pytest.raises(ValueError, match="unknown technique"):
        end_to_end({"a": [(0, 10, "propaganda")]}, {})


def _naive_credit(pred, gold):
    """The SemEval scorer's definition, character by character: slow, obviously right."""
    def chars(spans):
        return set().union(*(range(s, e) for s, e in spans)) if spans else set()

    p_num = sum(len(set(range(s, e)) & chars(gold)) / (e - s) for s, e in merge_spans(pred))
    r_num = sum(len(set(range(s, e)) & chars(pred)) / (e - s) for s, e in merge_spans(gold))
    return p_num, len(merge_spans(pred)), r_num, len(merge_spans(gold))


def test_si_equals_the_character_level_definition_on_random_articles():
    # Many overlapping spans per article, so the sweep's merging and credit are exercised; how fast it is
    # lives in benchmarks/components.py.
    rng = random.Random(0)
    gold, pred = {}, {}
    for a in range(20):
        gold[str(a)] = [(s, s + rng.randint(1, 40)) for s in (rng.randrange(1_000) for _ in range(30))]
        pred[str(a)] = [(s, s + rng.randint(1, 40)) for s in (rng.randrange(1_000) for _ in range(30))]
    totals = [0.0, 0, 0.0, 0]
    for a in gold:
        for i, value in enumerate(_naive_credit(pred[a], gold[a])):
            totals[i] += value
    precision, recall = totals[0] / totals[1], totals[2] / totals[3]
    result = span_identification(gold, pred)
    assert (result.precision, result.recall) == pytest.approx((precision, recall))
    assert 0 < result.f1 < 1
