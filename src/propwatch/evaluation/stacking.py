"""Fitting the span stacker (``model.stacker.SpanStacker``) on held-out articles' annotated spans, and deciding
whether it earns its place against the hand-shaped chain it would replace (neighbour vote, offsets, Repetition
cue).

The stacker must be fitted on articles the model was not trained on, for the same reason as the cue: on its own
training articles the span head is right almost always, and a regression fitted there learns to trust it blindly.
Cross-validation folds give such articles for every training article (``propwatch crossval --stacker``).
"""

from __future__ import annotations

import numpy as np

from ..metrics import technique_classification
from ..model.decode import NeighbourVote
from ..model.runtime import ModelBase
from ..model.spans import apply_repetition_cue, apply_technique_offsets, mix_neighbour_votes, neighbour_votes
from ..model.stacker import N_TECHNIQUES, SpanStacker, feature_names, stack_features
from ..techniques import TECHNIQUE_IDS
from .cues import CUE_FOLDS, head_on_gold_spans
from .run import ArticleOutput, assign_gold_techniques

# The grid, fixed before any figure (runs/session-log.md, 2026-12-07): the inverse regularisation strength, and
# how far each technique's rows are up-weighted against its share (0: not at all, 0.5: by 1 / sqrt(share)).
STACKER_CS = (0.03, 0.1, 0.3, 1.0)
STACKER_BALANCES = (0.0, 0.5)
# What the stacker must add over the chain on the tuning articles, both cross-fitted: the mean of TC micro- and
# macro-F1, as for the neighbour vote.
MIN_STACKER_GAIN = 0.005


def _rows(gold, spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """(index into ``spans``, technique index) per gold line: a span with two techniques gives two rows."""
    at = {s: i for i, s in enumerate(spans)}
    pairs = [(at[(g.start, g.end)], TECHNIQUE_IDS.index(g.technique)) for g in gold]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def fit_stacker(x: np.ndarray, y: np.ndarray, c: float, balance: float, names: tuple[str, ...],
                record: dict | None = None) -> SpanStacker:
    """Standardise ``x`` and fit a multinomial logistic regression of ``y`` (technique indices) on it; a
    technique absent from ``y`` keeps a bias that never chooses it."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    counts = np.bincount(y, minlength=N_TECHNIQUES).astype(np.float64)
    weight = (counts.sum() / np.maximum(counts, 1)) ** balance
    clf = LogisticRegression(C=c, max_iter=3000).fit((x - mean) / scale, y, sample_weight=weight[y] / weight[y].mean())
    w = np.zeros((x.shape[1], N_TECHNIQUES), dtype=np.float32)
    b = np.full(N_TECHNIQUES, -30.0, dtype=np.float32)
    w[:, clf.classes_] = clf.coef_.T
    b[clf.classes_] = clf.intercept_
    return SpanStacker(names, mean.astype(np.float32), scale.astype(np.float32), w, b, record or {})


def tune_stacker(model: ModelBase, labelled: list[ArticleOutput], vote: NeighbourVote | None,
                 cue: tuple[float, float], offsets: dict[str, float]) -> tuple[SpanStacker | None, dict]:
    """The stacker (of the ``STACKER_CS`` x ``STACKER_BALANCES`` grid) with the best mean of TC micro- and
    macro-F1 on the gold spans of ``labelled`` (run with ``keep_hidden=True``), each setting judged by fitting on
    four fifths of the articles and scoring the fifth, five times over; None unless that beats the chain it would
    replace (``vote``, ``offsets`` and ``cue``, as tuned on all of ``labelled``: which flatters the chain, not the
    stacker) by ``MIN_STACKER_GAIN``. The stacker returned is fitted on all of ``labelled``."""
    gold_spans, spans_of, probs, earlier = head_on_gold_spans(model, labelled)
    by_id = {o.id: o for o in labelled}
    ids = [o.id for o in labelled if spans_of[o.id]]
    votes: dict[str, np.ndarray | None] = {i: None for i in ids}
    if vote is not None:
        for i in ids:
            found = model.nearest_examples(by_id[i].text, by_id[i].predictions(), spans_of[i], vote.k)
            votes[i] = neighbour_votes(*found, vote.k, vote.temperature, vote.balance) if found is not None else None
        if any(v is None for v in votes.values()):
            votes = {i: None for i in ids}
            vote = None
    names = feature_names(vote is not None)
    x = {i: stack_features(by_id[i].text, by_id[i].tokens, by_id[i].probs, spans_of[i], probs[i], votes[i])
         for i in ids}
    rows = {i: _rows(by_id[i].gold, spans_of[i]) for i in ids}

    def chain(i: str) -> np.ndarray:
        p = probs[i]
        if vote is not None:
            p = mix_neighbour_votes(p, votes[i], vote.weight)  # type: ignore[arg-type]
        return apply_repetition_cue(apply_technique_offsets(p, offsets), earlier[i], cue)

    def training(among: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return (np.concatenate([x[i][rows[i][0]] for i in among]),
                np.concatenate([np.asarray(rows[i][1], dtype=int) for i in among]))

    def tc(answer: dict[str, np.ndarray]):
        return technique_classification(
            {i: gold_spans[i] for i in ids},
            {i: assign_gold_techniques(by_id[i].gold, answer[i], spans_of[i]) for i in ids})

    parts = [ids[k::CUE_FOLDS] for k in range(CUE_FOLDS)]
    scored = {}
    for c in STACKER_CS:
        for balance in STACKER_BALANCES:
            answer = {}
            for held_out in parts:
                fitted = fit_stacker(*training([i for i in ids if i not in set(held_out)]), c, balance, names)
                answer.update({i: fitted.probabilities(x[i]) for i in held_out})
            r = tc(answer)
            scored[(c, balance)] = (r.micro_f1, r.macro_f1)
    base = tc({i: chain(i) for i in ids})
    best = max(scored, key=lambda s: (sum(scored[s]) / 2, -s[0], -s[1]))
    gain = sum(scored[best]) / 2 - (base.micro_f1 + base.macro_f1) / 2
    info = {"chosen": {"c": best[0], "balance": best[1]} if gain >= MIN_STACKER_GAIN else None,
            "tc_micro_f1_chain": base.micro_f1, "tc_macro_f1_chain": base.macro_f1,
            "tc_micro_f1_crossfit": scored[best][0], "tc_macro_f1_crossfit": scored[best][1],
            "grid": [{"c": c, "balance": b, "tc_micro_f1_crossfit": m, "tc_macro_f1_crossfit": a}
                     for (c, b), (m, a) in scored.items()],
            "spans": int(sum(len(rows[i][1]) for i in ids)), "with_vote": vote is not None}
    if gain < MIN_STACKER_GAIN:
        return None, info
    record = {"c": best[0], "balance": best[1], "spans": info["spans"],
              "tc_micro_f1_crossfit": scored[best][0], "tc_macro_f1_crossfit": scored[best][1]}
    return fit_stacker(*training(ids), best[0], best[1], names, record), info
