from __future__ import annotations

import pytest

from propwatch.metrics import sentence_f1
from propwatch.sentences import split_sentences

TEXT = "Aaaa bbb. Ccc ddd. Eee fff."
#       0        9 10     18 19     27


def test_three_sentences():
    sentences = {"a": split_sentences(TEXT)}
    assert sentences["a"] == [(0, 9), (10, 18), (19, 27)]
    # gold: [2,5) inside sentence 1; [12,21) crosses sentences 2 and 3 -> all three positive.
    # pred: [0,3) -> sentence 1; [18,19) is the space between 2 and 3 and overlaps neither
    # (18 < 18 is false, 19 > 19 is false). tp = 1, predicted positives 1, gold positives 3:
    # P = 1, R = 1/3, F1 = 0.5.
    r = sentence_f1({"a": [(2, 5), (12, 21)]}, {"a": [(0, 3), (18, 19)]}, sentences)
    assert (r.precision, r.recall, r.f1) == pytest.approx((1.0, 1 / 3, 0.5))
    assert (r.pred_spans, r.gold_spans) == (1, 3)


def test_false_positive_sentence_and_articles_without_spans():
    # a: gold positive {1}, pred positive {1, 3}; b: nothing anywhere (its sentences are true negatives).
    # tp = 1, P = 1/2, R = 1.
    sentences = {"a": [(0, 9), (10, 18), (19, 27)], "b": [(0, 4)]}
    r = sentence_f1({"a": [(0, 9, "doubt")]}, {"a": [(8, 9), (26, 27)]}, sentences)
    assert (r.precision, r.recall, r.f1) == pytest.approx((0.5, 1.0, 2 / 3))


def test_spans_without_sentences_are_an_error():
    with pytest.raises(ValueError, match="no sentences"):
        sentence_f1({"x": [(0, 3)]}, {}, {"a": [(0, 9)]})
