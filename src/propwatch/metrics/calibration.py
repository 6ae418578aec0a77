"""Calibration of span scores: does a span scored 0.8 turn out right about 80% of the time?

Equal-width bins over [0, 1]: bin ``i`` of ``n_bins`` holds confidences in ``[i/n, (i+1)/n)``, the last bin
also holds 1.0. The expected calibration error is the count-weighted mean gap between each bin's accuracy and
its mean confidence (Naeini et al., 2015; Guo et al., 2017).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class ReliabilityBin:
    """One bin of a reliability diagram; ``mean_confidence`` and ``accuracy`` are None when it is empty."""

    lower: float
    upper: float
    count: int
    mean_confidence: float | None
    accuracy: float | None


def _bin(confidences: ArrayLike, correct: ArrayLike, n_bins: int):
    conf = np.asarray(confidences, dtype=np.float64).reshape(-1)
    hit = np.asarray(correct, dtype=np.float64).reshape(-1)
    if conf.shape != hit.shape:
        raise ValueError(f"{conf.size} confidences but {hit.size} correctness values: give one of each per item")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, not {n_bins}")
    if conf.size and (np.isnan(conf).any() or conf.min() < 0.0 or conf.max() > 1.0):
        raise ValueError("confidences must lie in [0, 1]")
    index = np.minimum((conf * n_bins).astype(np.int64), n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    conf_sums = np.bincount(index, weights=conf, minlength=n_bins)
    hit_sums = np.bincount(index, weights=hit, minlength=n_bins)
    return counts, conf_sums, hit_sums


def reliability_bins(
    confidences: ArrayLike, correct: ArrayLike, n_bins: int = 10
) -> list[ReliabilityBin]:
    """Per equal-width bin: its bounds, how many items fell in it, their mean confidence and their accuracy."""
    counts, conf_sums, hit_sums = _bin(confidences, correct, n_bins)
    return [
        ReliabilityBin(
            lower=i / n_bins,
            upper=(i + 1) / n_bins,
            count=int(counts[i]),
            mean_confidence=float(conf_sums[i] / counts[i]) if counts[i] else None,
            accuracy=float(hit_sums[i] / counts[i]) if counts[i] else None,
        )
        for i in range(n_bins)
    ]


def expected_calibration_error(confidences: ArrayLike, correct: ArrayLike, n_bins: int = 10) -> float:
    """ECE = sum over bins of (count / total) * |accuracy - mean confidence|; 0.0 for no items."""
    counts, conf_sums, hit_sums = _bin(confidences, correct, n_bins)
    total = counts.sum()
    if not total:
        return 0.0
    # count * |acc - conf| == |hit_sum - conf_sum|, which also sidesteps dividing by empty bins.
    return float(np.abs(hit_sums - conf_sums).sum() / total)
