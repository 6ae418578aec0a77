"""A span's strength: what readers are shown instead of its score.

The calibrated score is a probability of being right, and most spans a model finds are right less often than
not: a highlight labelled "29%" reads as "probably wrong" even where it is among the model's better-supported
ones. Three levels say what the score means for a reader: **strong** where spans scored so were right about
60% of the time or more, **weak** where they were right less than about a third of the time, **moderate**
between. The two thresholds are chosen on articles the model was not tuned on (``evaluation.reliability``)
and stored in the model's ``config.json``; a model without them gives no strength.
"""

from __future__ import annotations

from ..schema import Strength

NEVER = 1.0  # the threshold of a level no score reached


def strength_of(score: float, thresholds: tuple[float, float] | None) -> Strength | None:
    """``strong`` at or above ``thresholds[0]``, ``moderate`` at or above ``thresholds[1]``, else ``weak``;
    None without thresholds. A threshold of 1 is a level no score reached when it was chosen
    (``evaluation.reliability.choose_thresholds``): no span is given it, not even one scored 1, since the
    spans scored 1 were right less often than the level asks."""
    if thresholds is None:
        return None
    strong_min, moderate_min = thresholds
    if score >= strong_min and strong_min < NEVER:
        return "strong"
    if score >= moderate_min and moderate_min < NEVER:
        return "moderate"
    return "weak"
