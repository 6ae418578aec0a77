"""Scores that mean what they say: a span shown at 80% should be right about 80% of the time.

The raw numbers the decoder produces (a span's mean propaganda probability times the span head's technique
probability, or a technique channel's mean) rank spans well but are not probabilities of being right: the
token channels are trained with a positive weight, and the product of two probabilities is not calibrated.
When a model is tuned, a monotone map from raw score to observed precision is fitted on the validation
articles by isotonic regression (``evaluation.calibration``: one map per span channel, since labelled and
nested spans score on different scales; one for sentences). It is stored in the model's ``config.json`` as
breakpoints and applied with ``numpy.interp``, so inference needs nothing but numpy. Being monotone, it never
changes which of two spans ranks higher, only what the number says. This module is the runtime half: the map,
not its fitting.

"Right" for a span means it overlaps a gold span of the same technique (the partial-overlap scorers give it
credit); for a sentence, that a gold span overlaps the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibration:
    """A monotone piecewise-linear map from raw score to probability, given by its breakpoints."""

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, raw):
        return np.interp(raw, self.x, self.y)

    def to_dict(self) -> dict:
        return {"x": [round(v, 6) for v in self.x], "y": [round(v, 6) for v in self.y]}

    @classmethod
    def from_dict(cls, d: dict) -> "Calibration":
        x, y = tuple(float(v) for v in d["x"]), tuple(float(v) for v in d["y"])
        if len(x) != len(y) or not x or any(b < a for a, b in zip(x, x[1:])):
            raise ValueError("a calibration needs matching, non-empty, increasing breakpoints")
        return cls(x, y)
