"""Fitting the score calibration: isotonic maps that match observed rates, kept only where they help on
articles they were not fitted on."""

import numpy as np
import pytest

pytest.importorskip("sklearn", reason="fitting needs the [train] extra")

from propwatch.evaluation.calibration import calibration_that_helps, fit_calibration  # noqa: E402


def test_isotonic_fit_is_monotone_and_matches_observed_rates():
    rng = np.random.default_rng(0)
    raw = rng.uniform(0, 1, 4000)
    truth = rng.uniform(0, 1, 4000) < raw**2  # overconfident raw scores: the real rate is raw²
    cal = fit_calibration(raw, truth)
    grid = np.linspace(0, 1, 21)
    mapped = cal(grid)
    assert np.all(np.diff(mapped) >= 0)
    assert abs(float(cal(0.7)) - 0.49) < 0.08 and abs(float(cal(0.3)) - 0.09) < 0.06
    assert fit_calibration([0.5] * 5, [True] * 5) is None  # too little, and nothing to learn


def _halves(truth, n=600, seed=3):
    """Two halves of (scores, hits): scores uniform, each a hit with probability ``truth(score)``."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(2):
        scores = rng.random(n)
        out.append((scores.tolist(), (rng.random(n) < truth(scores)).tolist()))
    return out


def test_a_map_is_kept_only_where_it_helps_on_unseen_halves():
    overconfident = _halves(lambda s: s / 3)  # a score of 0.9 is right 30% of the time: a map helps
    assert calibration_that_helps(*overconfident) is not None
    calibrated = _halves(lambda s: s)  # already probabilities: a map fitted on noise only adds noise
    assert calibration_that_helps(*calibrated) is None
    assert calibration_that_helps(([0.5] * 5, [True] * 5), ([0.4] * 5, [False] * 5)) is None  # too little
