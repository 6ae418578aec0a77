"""The score calibration: fitted monotone maps, stored as breakpoints, applied to spans and sentences."""

import numpy as np
import pytest

from propwatch.model.calibration import Calibration, fit_calibration
from propwatch.model.decode import DecodingConfig, RawSpan, calibrate_span, sentence_scores
from propwatch.model.windows import TokenizedText


def test_isotonic_fit_is_monotone_and_matches_observed_rates():
    pytest.importorskip("sklearn", reason="fitting needs the [train] extra")
    rng = np.random.default_rng(0)
    raw = rng.uniform(0, 1, 4000)
    truth = rng.uniform(0, 1, 4000) < raw**2  # overconfident raw scores: the real rate is raw²
    cal = fit_calibration(raw, truth)
    grid = np.linspace(0, 1, 21)
    mapped = cal(grid)
    assert np.all(np.diff(mapped) >= 0)
    assert abs(float(cal(0.7)) - 0.49) < 0.08 and abs(float(cal(0.3)) - 0.09) < 0.06
    assert fit_calibration([0.5] * 5, [True] * 5) is None  # too little, and nothing to learn


def test_calibration_round_trips_through_the_decoding_config():
    cfg = DecodingConfig(calibration={"labelled": Calibration((0.1, 0.9), (0.0, 0.5))})
    back = DecodingConfig.from_dict(cfg.to_dict())
    assert back == cfg and back.uncalibrated().calibration == {}
    with pytest.raises(ValueError):
        Calibration.from_dict({"x": [0.5, 0.1], "y": [0.0, 1.0]})


def test_spans_and_sentences_are_mapped_by_their_source():
    cfg = DecodingConfig(calibration={"labelled": Calibration((0.0, 1.0), (0.0, 0.5))})
    assert calibrate_span(RawSpan(0, 4, "doubt", 0.8), cfg).score == pytest.approx(0.4)
    assert calibrate_span(RawSpan(0, 4, "doubt", 0.8, source="nested"), cfg).score == 0.8  # no map: raw

    text = "Evil thugs lie. Calm words."
    toks = TokenizedText(np.arange(5), np.array([[0, 4], [5, 10], [11, 15], [16, 20], [21, 27]]))
    probs = np.zeros((5, 16), dtype=np.float32)
    probs[:, 15] = [0.8, 0.8, 0.8, 0.2, 0.2]
    halve = Calibration((0.0, 1.0), (0.0, 0.5))
    assert np.allclose(sentence_scores([(0, 15), (16, 27)], toks, probs, [], halve), [0.4, 0.1])
    # A span in the sentence lifts its score to at least the span's.
    assert np.allclose(sentence_scores([(0, 15), (16, 27)], toks, probs, [RawSpan(0, 4, "doubt", 0.7)], halve),
                       [0.7, 0.1])


def _halves(truth, n=600, seed=3):
    """Two halves of (scores, hits): scores uniform, each a hit with probability ``truth(score)``."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        scores = rng.random(n)
        out.append((scores.tolist(), (rng.random(n) < truth(scores)).tolist()))
    return out


def test_a_map_is_kept_only_where_it_helps_on_unseen_halves():
    pytest.importorskip("sklearn", reason="fitting needs the [train] extra")
    from propwatch.evaluation import calibration_that_helps

    overconfident = _halves(lambda s: s / 3)  # a score of 0.9 is right 30% of the time: a map helps
    assert calibration_that_helps(*overconfident) is not None
    calibrated = _halves(lambda s: s)  # already probabilities: a map fitted on noise only adds noise
    assert calibration_that_helps(*calibrated) is None
    assert calibration_that_helps(([0.5] * 5, [True] * 5), ([0.4] * 5, [False] * 5)) is None  # too little
