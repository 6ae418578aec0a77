"""Choosing the neighbour vote (``model.decode.NeighbourVote``): how far the span head's answer is mixed with a
vote of the training examples most like the span, tuned on held-out articles' gold spans (the TC task).

The vote needs the examples a model ships (``examples.npz``, built from the articles it was trained on), so it is
tuned on articles the model was not trained on: the validation articles, or cross-validation folds whose models
each ship the examples of their own training articles (``propwatch crossval --neighbour-vote`` builds them).
"""

from __future__ import annotations

from ..metrics import technique_classification
from ..model.decode import NeighbourVote
from ..model.runtime import ModelBase
from ..model.spans import apply_repetition_cue, apply_technique_offsets, mix_neighbour_votes, neighbour_votes
from .cues import CUE_FOLDS, head_on_gold_spans
from .run import ArticleOutput, assign_gold_techniques

# The grid: the vote's weight in the mix, how many neighbours vote, the softmax temperature over their cosine
# similarities, and how far a technique's vote is divided by its share of the examples.
VOTE_WEIGHTS = (0.2, 0.4, 0.6)
VOTE_KS = (5, 10, 20)
VOTE_TEMPERATURES = (0.05, 0.1)
VOTE_BALANCES = (0.0, 0.5)
# What the vote must add on the tuning articles, or it stays off: the mean of TC micro-F1 (the share of spans
# labelled right) and TC macro-F1 (each technique alike, so the rare ones count).
MIN_VOTE_GAIN = 0.005


def vote_grid() -> list[NeighbourVote]:
    return [NeighbourVote(w, k, t, b) for w in VOTE_WEIGHTS for k in VOTE_KS for t in VOTE_TEMPERATURES
            for b in VOTE_BALANCES]


def tune_neighbour_vote(model: ModelBase, labelled: list[ArticleOutput], cue: tuple[float, float],
                        offsets: dict[str, float]) -> tuple[NeighbourVote | None, dict]:
    """The vote (of ``vote_grid``) that maximises the mean of TC micro- and macro-F1 on the gold spans of
    ``labelled`` (run with ``keep_hidden=True``), the Repetition cue ``cue`` and the technique ``offsets``
    applied after it as at run time; None where none adds ``MIN_VOTE_GAIN``, or the model ships no examples.

    Sixty-odd settings chosen on the articles they are scored on flatter themselves, so the record also gives
    the honest figure: chosen on four fifths of the articles, the fifth scored, five times over."""
    gold_spans, spans_of, probs, earlier = head_on_gold_spans(model, labelled)
    k_max = max(VOTE_KS)
    nearest = {o.id: model.nearest_examples(o.text, o.predictions(), spans_of[o.id], k_max) for o in labelled}
    if any(n is None for n in nearest.values()):
        return None, {"skipped": "the model ships no span examples"}
    by_id = {o.id: o for o in labelled}

    def answers(vote: NeighbourVote | None, ids) -> dict:
        out = {}
        for i in ids:
            p = probs[i]
            found = nearest[i]
            if vote is not None and found is not None:
                p = mix_neighbour_votes(p, neighbour_votes(*found, vote.k, vote.temperature, vote.balance),
                                        vote.weight)
            p = apply_repetition_cue(apply_technique_offsets(p, offsets), earlier[i], cue)
            out[i] = assign_gold_techniques(by_id[i].gold, p, spans_of[i])
        return out

    ids = [o.id for o in labelled]
    grid = vote_grid()
    settings: list[NeighbourVote | None] = [None, *grid]
    table = {v: answers(v, ids) for v in settings}

    def tc(vote: NeighbourVote | None, among) -> tuple[float, float]:
        r = technique_classification({i: gold_spans[i] for i in among}, {i: table[vote][i] for i in among})
        return r.micro_f1, r.macro_f1

    def choose(among) -> NeighbourVote | None:
        mean = {v: sum(tc(v, among)) / 2 for v in settings}
        best = max(grid, key=lambda v: (mean[v], -v.weight, -v.k))
        return best if mean[best] >= mean[None] + MIN_VOTE_GAIN else None

    chosen = choose(ids)
    crossfit: dict = {}
    for k in range(CUE_FOLDS):
        held_out = ids[k::CUE_FOLDS]
        picked = choose([i for i in ids if i not in set(held_out)])
        crossfit.update({i: table[picked][i] for i in held_out})
    honest = technique_classification(gold_spans, crossfit)
    (micro_without, macro_without), (micro_with, macro_with) = tc(None, ids), tc(chosen, ids)
    info = {
        "vote": chosen.to_dict() if chosen else None,
        "tc_micro_f1_without": micro_without, "tc_micro_f1_with": micro_with,
        "tc_micro_f1_crossfit": honest.micro_f1,
        "tc_macro_f1_without": macro_without, "tc_macro_f1_with": macro_with,
        "tc_macro_f1_crossfit": honest.macro_f1,
    }
    return chosen, info
