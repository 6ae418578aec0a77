from __future__ import annotations

import pytest

from propwatch.metrics import expected_calibration_error, reliability_bins


def test_ece_by_hand():
    # bin 0: 0.05, wrong -> gap 0.05; bin 1: 0.15, wrong -> gap 0.15;
    # bin 9: 0.95, 0.95, 1.0 (1.0 falls in the last bin), 2 of 3 right -> |2/3 - 2.9/3| = 0.3.
    # ECE = (1·0.05 + 1·0.15 + 3·0.3) / 5 = 0.22.
    conf = [0.05, 0.15, 0.95, 0.95, 1.0]
    correct = [False, False, True, True, False]
    assert expected_calibration_error(conf, correct) == pytest.approx(0.22)
    bins = reliability_bins(conf, correct)
    assert len(bins) == 10 and [b.count for b in bins] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 3]
    assert bins[9].mean_confidence == pytest.approx(2.9 / 3) and bins[9].accuracy == pytest.approx(2 / 3)
    assert bins[2].mean_confidence is None and bins[2].accuracy is None
    assert (bins[0].lower, bins[0].upper) == (0.0, 0.1)


def test_perfectly_calibrated_and_empty():
    assert expected_calibration_error([0.5, 0.5], [1, 0]) == pytest.approx(0.0)
    assert expected_calibration_error([], []) == 0.0
    assert expected_calibration_error([0.3], [True], n_bins=1) == pytest.approx(0.7)


def test_bad_input():
    with pytest.raises(ValueError):
        expected_calibration_error([0.5], [True, False])
    with pytest.raises(ValueError):
        expected_calibration_error([1.5], [True])
    with pytest.raises(ValueError):
        reliability_bins([0.5], [True], n_bins=0)
