"""An ensemble's token weights: how much each member's token probabilities count in the mix
(``model.ensemble.EnsembleModel.combine`` mixes them; this module chooses the weights)."""

from __future__ import annotations

from dataclasses import replace

from ..metrics import span_identification
from ..model.ensemble import EnsembleModel
from .run import ArticleOutput, gold_tables
from .tuning import propaganda_span_grid

# The first member's share of the token mix an ensemble tries; the others share the rest equally.
FIRST_MEMBER_WEIGHTS = (0.5, 0.6, 2 / 3, 0.75, 0.8, 0.9, 1.0)
WEIGHT_FOLDS = 5


def tune_token_weights(model: EnsembleModel, outputs: list[ArticleOutput]) -> tuple[list[float], dict]:
    """The token weights of an ensemble (``model.ensemble.EnsembleModel``) that maximise span-identification F1
    of its propaganda spans on ``outputs`` (run with ``keep_hidden=True``, so each holds its members'
    predictions), over ``FIRST_MEMBER_WEIGHTS`` and the first tuning step's (gap, low, peak) grid.

    As with the Repetition cue, the report adds an honest figure: weights and grid point chosen on four fifths
    of the articles, scored on the fifth, five times over.
    """
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, _ = gold_tables(labelled)
    n = len(model.members)
    candidates = [[w] + [(1 - w) / (n - 1)] * (n - 1) for w in FIRST_MEMBER_WEIGHTS] if n > 1 else [[1.0]]
    found = {}  # (candidate index, gap, low, peak) -> {article id: spans}
    for c, weights in enumerate(candidates):
        mixed = [replace(o, probs=model.combine(o.hidden.members, weights).probs) for o in labelled]
        for point, pred in propaganda_span_grid(mixed).items():
            found[(c, *point)] = pred

    def si(key, ids) -> float:
        return span_identification({i: gold_si[i] for i in ids}, {i: found[key][i] for i in ids}).f1

    def choose(ids):
        return max(found, key=lambda key: (si(key, ids), -abs(candidates[key[0]][0] - 0.5), -key[1], key[2], key[3]))

    ids = [o.id for o in labelled]
    chosen = choose(ids)
    crossfit = {}
    for k in range(WEIGHT_FOLDS):
        held_out = set(ids[k::WEIGHT_FOLDS])
        picked = choose([i for i in ids if i not in held_out])
        crossfit.update({i: found[picked][i] for i in held_out})
    by_weight = {f"{candidates[c][0]:.3f}": max(si(key, ids) for key in found if key[0] == c)
                 for c in range(len(candidates))}
    info = {"token_weights": [round(w, 4) for w in candidates[chosen[0]]],
            "si_f1_by_first_member_weight": by_weight,
            "si_f1": si(chosen, ids),
            "si_f1_crossfit": span_identification(gold_si, crossfit).f1}
    return candidates[chosen[0]], info
