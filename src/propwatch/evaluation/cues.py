"""The Repetition cue: how much a phrase's earlier occurrences in the article raise Repetition's probability
(``model.spans.apply_repetition_cue`` applies it at run time; this module chooses it)."""

from __future__ import annotations

from ..metrics import technique_classification
from ..model.runtime import ModelBase
from ..model.spans import apply_repetition_cue, earlier_occurrences
from .run import ArticleOutput, assign_gold_techniques, distinct_gold_spans, gold_tables

# The cue's grid: log-probability bonus when the phrase occurred earlier, and per log(1 + count).
CUE_BONUSES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)
CUE_PER_LOG = (0.0, 0.5, 1.0, 2.0)
MIN_CUE_GAIN = 0.005  # TC micro-F1 the cue must add on the tuning articles, or it stays off
CUE_FOLDS = 5


def tune_repetition_cue(model: ModelBase, labelled: list[ArticleOutput]) -> tuple[tuple[float, float], dict]:
    """The (bonus, per-log) Repetition cue that maximises TC micro-F1 on the gold spans of ``labelled``.

    Two numbers chosen on the same articles they are scored on flatter themselves a little, so the report also
    gives an honest figure: choose on four fifths of the articles, score the fifth, five times over.
    """
    _, gold_spans = gold_tables(labelled)
    probs, earlier, spans_of = {}, {}, {}
    for o in labelled:
        spans_of[o.id] = distinct_gold_spans(o.gold)
        probs[o.id] = model.span_head_probabilities(o.text, o.predictions(), spans_of[o.id])
        earlier[o.id] = earlier_occurrences(o.text, spans_of[o.id])
    grid = [(b, k) for b in CUE_BONUSES for k in CUE_PER_LOG]
    answers = {
        cue: {o.id: assign_gold_techniques(o.gold, apply_repetition_cue(probs[o.id], earlier[o.id], cue),
                                           spans_of[o.id])
              for o in labelled}
        for cue in grid
    }

    def tc(cue, ids) -> float:
        return technique_classification({i: gold_spans[i] for i in ids}, {i: answers[cue][i] for i in ids}).micro_f1

    def choose(ids) -> tuple[float, float]:
        best = max(grid, key=lambda cue: (tc(cue, ids), -cue[0], -cue[1]))
        return best if tc(best, ids) >= tc((0.0, 0.0), ids) + MIN_CUE_GAIN else (0.0, 0.0)

    ids = [o.id for o in labelled]
    chosen = choose(ids)
    folds = [ids[k::CUE_FOLDS] for k in range(CUE_FOLDS)]
    crossfit = {}
    for held_out in folds:
        picked = choose([i for i in ids if i not in set(held_out)])
        crossfit.update({i: answers[picked][i] for i in held_out})
    info = {
        "cue": list(chosen),
        "tc_micro_f1_without": tc((0.0, 0.0), ids),
        "tc_micro_f1_with": tc(chosen, ids),
        "tc_micro_f1_crossfit": technique_classification(gold_spans, crossfit).micro_f1,
    }
    return chosen, info
