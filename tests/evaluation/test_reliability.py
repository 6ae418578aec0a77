"""Strength thresholds and per-technique reliability: the rules, on data where the answer is known."""

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="fitting needs the [train] extra")

from propwatch.evaluation.reliability import (  # noqa: E402
    HeldOutSpan,
    Measured,
    choose_thresholds,
    is_right,
    level_figures,
    per_technique,
    store_reliability,
)
from propwatch.inputs.corpus import GoldSpan  # noqa: E402
from propwatch.model.config import ModelConfig  # noqa: E402
from propwatch.model.decode import RawSpan  # noqa: E402

SHIPPED = Path(__file__).parents[2] / "src" / "propwatch" / "models" / "minilm-v1"


def test_thresholds_start_where_the_share_right_reaches_each_level():
    rng = np.random.default_rng(1)
    scores = rng.uniform(0, 1, 6000)
    right = rng.uniform(0, 1, 6000) < scores  # a calibrated score: right with probability = score
    strong, moderate = choose_thresholds(scores, right)
    assert abs(strong - 0.6) < 0.06 and abs(moderate - 1 / 3) < 0.06
    # Overconfident scores (right with probability score²) need higher scores for the same levels.
    strong2, moderate2 = choose_thresholds(scores, rng.uniform(0, 1, 6000) < scores**2)
    assert strong2 > strong + 0.1 and moderate2 > moderate + 0.1


def test_a_level_no_score_reaches_starts_at_one():
    assert choose_thresholds([0.1, 0.2, 0.3, 0.4], [False, False, True, False]) == (1.0, 0.3)  # 0.3-0.4: half
    assert choose_thresholds([], []) == (1.0, 1.0)


def held(article, start, end, technique, score, gold):
    span = RawSpan(start, end, technique, score)
    return HeldOutSpan(article, span, is_right(span, gold))


def test_recall_and_precision_count_overlaps_of_the_same_technique():
    gold = {"a": [GoldSpan(0, 10, "doubt"), GoldSpan(20, 30, "doubt"), GoldSpan(40, 50, "loaded_language")],
            "b": [GoldSpan(0, 5, "doubt")]}
    spans = [held("a", 5, 12, "doubt", 0.5, gold["a"]),  # overlaps the first doubt
             held("a", 40, 45, "doubt", 0.5, gold["a"]),  # overlaps loaded language only: wrong
             held("b", 100, 120, "doubt", 0.5, gold["b"])]  # overlaps nothing
    figures = per_technique(spans, gold)
    assert figures["doubt"] == {"recall": round(1 / 3, 4), "precision": round(1 / 3, 4), "support": 3}
    assert figures["loaded_language"] == {"recall": 0.0, "precision": 0.0, "support": 1}
    assert figures["slogans"]["support"] == 0


def test_level_figures_count_spans_and_share_right():
    judged = [("strong", True), ("strong", False), ("weak", False), (None, True)]
    assert level_figures(judged) == {"strong": {"spans": 2, "right": 0.5}, "moderate": {"spans": 0, "right": 0.0},
                                     "weak": {"spans": 1, "right": 0.0}}


def test_stored_in_config_beside_everything_else(tmp_path):
    shutil.copy(SHIPPED / "config.json", tmp_path / "config.json")
    before = ModelConfig.read(tmp_path)
    measured = Measured((0.5, 0.25), {"doubt": {"recall": 0.5, "precision": 0.4, "support": 10}}, {"folds": 5})
    store_reliability(tmp_path, measured)
    after = ModelConfig.read(tmp_path)
    assert after.strength_thresholds == (0.5, 0.25)
    assert after.reliability == {"doubt": {"recall": 0.5, "precision": 0.4, "support": 10}}
    assert after.validation["reliability"] == {"folds": 5}
    assert after.decoding == before.decoding and after.validation["figures"] == before.validation["figures"]


def test_a_decoding_chosen_elsewhere_is_judged_as_shipped_not_retuned(monkeypatch):
    """A model whose decoding was chosen by cross-validation on other articles (``tuned_on``) never saw the
    articles judged here: its spans are its own, no fold tunes anything."""
    from dataclasses import replace

    from propwatch.evaluation import reliability
    from propwatch.model import load_model

    model = load_model(SHIPPED)
    model.config = replace(model.config, validation={**(model.config.validation or {}), "tuned_on": "elsewhere"})
    assert reliability.tuned_elsewhere(model)

    def no_tuning(*args, **kwargs):
        raise AssertionError("a decoding chosen elsewhere is not retuned")

    monkeypatch.setattr(reliability, "tune_decoding", no_tuning)
    text = "The corrupt elite lied to you again and again. The weather was mild."
    outputs = reliability.run_model(model, [_article("1", text), _article("2", text)], keep_hidden=True)
    per_fold = reliability.held_out_spans(model, outputs, folds=2)
    assert len(per_fold) == 2


def _article(id: str, text: str):
    from propwatch.inputs.corpus import CorpusArticle
    from propwatch.schema import Article

    return CorpusArticle(Article(id=id, text=text), [GoldSpan(4, 16, "loaded_language")])


def test_on_folds_each_fold_is_read_by_its_own_model_with_the_shipped_decoding(monkeypatch):
    """``measure_reliability_on_folds``: a fold's articles go through that fold's model only (trained without
    them), decoded as the judged model ships; nothing is tuned."""
    from propwatch.evaluation import reliability
    from propwatch.model import load_model

    shipped = load_model(SHIPPED)
    # a decoding chosen elsewhere (on validation, say), not on these folds
    shipped.config = replace(shipped.config, validation={
        k: v for k, v in (shipped.config.validation or {}).items() if k != "crossval"})
    read: list[tuple[str, str, object]] = []
    real_run = reliability.run_model

    def recording_run(model, articles, **kwargs):
        read.extend((model.fold_name, a.article.id, model.decoding) for a in articles)
        return real_run(model, articles, **kwargs)

    def no_tuning(*args, **kwargs):
        raise AssertionError("the shipped decoding is judged, not retuned")

    monkeypatch.setattr(reliability, "run_model", recording_run)
    monkeypatch.setattr(reliability, "tune_decoding", no_tuning)
    folds = []
    for name, ids in (("fold-1", ("1", "2")), ("fold-2", ("3",))):
        fold_model = load_model(SHIPPED).with_decoding(replace(shipped.decoding, any_low=0.9))  # its own decoding
        original = fold_model.with_decoding

        def with_decoding(decoding, original=original, name=name):
            decoded = original(decoding)
            decoded.fold_name = name
            return decoded

        fold_model.with_decoding = with_decoding
        text = "The corrupt elite lied to you again and again. The weather was mild."
        folds.append((fold_model, [_article(i, text) for i in ids]))
    measured = reliability.measure_reliability_on_folds(shipped, folds)
    assert [(fold, article) for fold, article, _ in read] == [("fold-1", "1"), ("fold-1", "2"), ("fold-2", "3")]
    assert all(decoding == shipped.decoding for _, _, decoding in read)
    assert measured.record["folds"] == 2 and measured.record["articles"] == 3
    assert "cross-validation of the training recipe" in measured.record["method"]
    assert set(measured.reliability) == set(reliability.TECHNIQUE_IDS) and measured.confusions == {}


def test_on_folds_a_decoding_tuned_on_the_folds_is_retuned_without_each_fold(monkeypatch):
    """A decoding ``propwatch crossval --store`` tuned on the folds' held-out articles would be judged on the
    articles it was chosen on: each fold is decoded with the decoding tuned on the other folds instead."""
    from propwatch.evaluation import crossval, reliability
    from propwatch.model import load_model

    shipped = load_model(SHIPPED)
    shipped.config = replace(shipped.config, validation={**(shipped.config.validation or {}),
                                                         "crossval": {"folds": 2}})
    tuned_on: list[list[str]] = []

    def recording_tune(folds, models, steps):
        # the judge tunes the steps the shipped decoding shows: no technique offsets, the neighbour vote where set
        assert steps.offsets is False and steps.neighbours is (shipped.decoding.neighbour_vote is not None)
        assert steps.stacker is (shipped.decoding.stacker is not None)
        assert steps.second is bool(shipped.decoding.second_labels)
        assert steps.gate is (shipped.decoding.sentence_gate is not None)
        tuned_on.append(sorted(o.id for outputs in folds for o in outputs))
        return replace(shipped.decoding, any_low=0.2 + 0.1 * len(tuned_on)), {}

    monkeypatch.setattr(crossval, "tune_across", recording_tune)
    text = "The corrupt elite lied to you again and again. The weather was mild."
    folds = [(load_model(SHIPPED), [_article(i, text) for i in ids]) for ids in (("1", "2"), ("3",))]
    measured = reliability.measure_reliability_on_folds(shipped, folds)
    assert tuned_on == [["3"], ["1", "2"]]  # fold 1 judged by a decoding tuned on fold 2 only, and back
    assert "tuned on the other folds" in measured.record["method"]
    assert measured.record["folds"] == 2 and measured.record["articles"] == 3
