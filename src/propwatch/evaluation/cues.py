"""The span head's two tuned adjustments (``model.spans`` applies them at run time; this module chooses them):
the Repetition cue, how much a phrase's earlier occurrences in the article raise Repetition's probability, and
the technique offsets, a prior correction for the rare techniques."""

from __future__ import annotations

import math
from collections import Counter

from ..metrics import technique_classification
from ..model.runtime import ModelBase
from ..model.spans import apply_repetition_cue, apply_technique_offsets, earlier_occurrences
from ..techniques import TECHNIQUE_IDS
from .run import ArticleOutput, assign_gold_techniques, distinct_gold_spans, gold_tables

# The cue's grid: log-probability bonus when the phrase occurred earlier, and per log(1 + count).
CUE_BONUSES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0)
CUE_PER_LOG = (0.0, 0.5, 1.0, 2.0)
MIN_CUE_GAIN = 0.005  # TC micro-F1 the cue must add on the tuning articles, or it stays off
CUE_FOLDS = 5
# The prior correction's strength: offsets are -tau * log(a technique's share of the annotated spans).
OFFSET_TAUS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)
MIN_OFFSET_GAIN = 0.01  # TC macro-F1 the offsets must add on the tuning articles, or they stay off
MAX_OFFSET_MICRO_COST = 0.005  # TC micro-F1 they may cost there: the rare techniques must not be bought too dear


def head_on_gold_spans(model: ModelBase, labelled: list[ArticleOutput]) -> tuple[dict, dict, dict, dict]:
    """What both tuners score on, computed once: per article the gold spans with their techniques, the distinct
    gold spans, the span head's probabilities for them (before any adjustment) and their earlier occurrences."""
    _, gold_spans = gold_tables(labelled)
    probs, earlier, spans_of = {}, {}, {}
    for o in labelled:
        spans_of[o.id] = distinct_gold_spans(o.gold)
        probs[o.id] = model.span_head_probabilities(o.text, o.predictions(), spans_of[o.id])
        earlier[o.id] = earlier_occurrences(o.text, spans_of[o.id])
    return gold_spans, spans_of, probs, earlier


def tune_repetition_cue(model: ModelBase, labelled: list[ArticleOutput]) -> tuple[tuple[float, float], dict]:
    """The (bonus, per-log) Repetition cue that maximises TC micro-F1 on the gold spans of ``labelled``.

    Two numbers chosen on the same articles they are scored on flatter themselves a little, so the report also
    gives an honest figure: choose on four fifths of the articles, score the fifth, five times over.
    """
    gold_spans, spans_of, probs, earlier = head_on_gold_spans(model, labelled)
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


def technique_shares(labelled: list[ArticleOutput]) -> dict[str, float]:
    """Each technique's share of the annotated spans of ``labelled`` (add-one smoothed: a technique the articles
    lack still gets a finite log)."""
    counts = Counter(g.technique for o in labelled for g in o.gold or ())
    total = sum(counts.values()) + len(TECHNIQUE_IDS)
    return {t: (counts[t] + 1) / total for t in TECHNIQUE_IDS}


def technique_offsets(shares: dict[str, float], tau: float) -> dict[str, float]:
    """The offsets ``-tau * log(share)``, shifted to average 0 (a common shift changes no probability) and
    rounded for the config; ``{}`` for tau 0."""
    if tau == 0:
        return {}
    raw = {t: -tau * math.log(p) for t, p in shares.items()}
    mean = sum(raw.values()) / len(raw)
    return {t: round(v - mean, 4) for t, v in raw.items()}


def tune_technique_offsets(model: ModelBase, labelled: list[ArticleOutput],
                           cue: tuple[float, float]) -> tuple[dict[str, float], dict]:
    """The prior correction (``OFFSET_TAUS``) that maximises TC macro-F1 on the gold spans of ``labelled``, with
    the Repetition cue ``cue`` applied, at a cost of at most ``MAX_OFFSET_MICRO_COST`` of TC micro-F1; none
    unless it adds ``MIN_OFFSET_GAIN``. The shares come from the same articles' annotations.

    Macro-F1 weighs each technique alike, so it is the figure the rare techniques move; on 50 articles a rare
    technique has a dozen spans, so the report adds the honest figure: tau and shares chosen on four fifths of
    the articles, the fifth scored, five times over.
    """
    gold_spans, spans_of, probs, earlier = head_on_gold_spans(model, labelled)

    def answers(offsets: dict[str, float], ids) -> dict:
        return {i: assign_gold_techniques(
            by_id[i].gold, apply_repetition_cue(apply_technique_offsets(probs[i], offsets), earlier[i], cue),
            spans_of[i]) for i in ids}

    def tc(offsets: dict[str, float], ids):
        return technique_classification({i: gold_spans[i] for i in ids}, answers(offsets, ids))

    def choose(ids) -> float:
        shares = technique_shares([by_id[i] for i in ids])
        scored = {tau: tc(technique_offsets(shares, tau), ids) for tau in OFFSET_TAUS}
        plain = scored[0.0]
        allowed = [tau for tau in OFFSET_TAUS if scored[tau].micro_f1 >= plain.micro_f1 - MAX_OFFSET_MICRO_COST]
        best = max(allowed, key=lambda tau: (scored[tau].macro_f1, -tau))
        return best if scored[best].macro_f1 >= plain.macro_f1 + MIN_OFFSET_GAIN else 0.0

    by_id = {o.id: o for o in labelled}
    ids = [o.id for o in labelled]
    tau = choose(ids)
    offsets = technique_offsets(technique_shares(labelled), tau)
    crossfit = {}
    for k in range(CUE_FOLDS):
        held_out = ids[k::CUE_FOLDS]
        tune_on = [i for i in ids if i not in set(held_out)]
        picked = technique_offsets(technique_shares([by_id[i] for i in tune_on]), choose(tune_on))
        crossfit.update(answers(picked, held_out))
    without, chosen = tc({}, ids), tc(offsets, ids)
    honest = technique_classification(gold_spans, crossfit)
    info = {
        "tau": tau,
        "tc_macro_f1_without": without.macro_f1, "tc_macro_f1_with": chosen.macro_f1,
        "tc_macro_f1_crossfit": honest.macro_f1,
        "tc_micro_f1_without": without.micro_f1, "tc_micro_f1_with": chosen.micro_f1,
        "tc_micro_f1_crossfit": honest.micro_f1,
    }
    return offsets, info
