"""Agreement with the independent reference scorer (``shared/tools/ptc_score.py``) on random data, to 1e-9."""

from __future__ import annotations

import random

import pytest

from propwatch.metrics import end_to_end, span_identification, technique_classification
from propwatch.techniques import TECHNIQUES

LABELS = [t.ptc_label for t in TECHNIQUES]
ID_OF = {t.ptc_label: t.id for t in TECHNIQUES}


def random_spans(rng: random.Random, n: int, length: int = 3000) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        start = rng.randrange(length)
        out.append((start, start + rng.choice((1, 2, rng.randint(1, 40), rng.randint(1, 300)))))
    return out


def random_si(seed: int):
    """Gold and predictions (ptc_score's ("propaganda", start, end) rows) with articles on one side only,
    empty articles, nested, touching and duplicated spans."""
    rng = random.Random(seed)
    gold, pred = {}, {}
    for a in range(rng.randint(1, 25)):
        g = random_spans(rng, rng.randint(0, 30))
        p = [(s + rng.randint(-20, 20), e + rng.randint(-20, 20)) for s, e in g if rng.random() < 0.6]
        p = [(max(0, s), e) for s, e in p if e > max(0, s)] + random_spans(rng, rng.randint(0, 10))
        p += [(e, e + rng.randint(1, 9)) for s, e in p[:2]]  # touching
        side = rng.random()
        if side > 0.1:
            gold[str(a)] = [("propaganda", s, e) for s, e in g]
        if side < 0.9:
            pred[str(a)] = [("propaganda", s, e) for s, e in p]
    return gold, pred


@pytest.mark.parametrize("seed", range(40))
def test_si_matches_reference(ptc_score, seed):
    gold, pred = random_si(seed)
    ours = span_identification({a: [(s, e) for _, s, e in v] for a, v in gold.items()},
                                {a: [(s, e) for _, s, e in v] for a, v in pred.items()})
    ref = ptc_score.si(gold, pred)
    assert (ours.pred_spans, ours.gold_spans) == (ref["pred_spans"], ref["gold_spans"])
    for key in ("precision", "recall", "f1"):
        assert getattr(ours, key) == pytest.approx(ref[key], abs=1e-9)


@pytest.mark.parametrize("seed", range(20))
def test_end_to_end_is_si_per_technique_pooled(ptc_score, seed):
    # End-to-end == SI run on each technique alone, numerators and counts pooled over techniques.
    rng = random.Random(1000 + seed)
    gold_si, pred_si = random_si(seed)
    gold = {a: [(rng.choice(LABELS), s, e) for _, s, e in v] for a, v in gold_si.items()}
    pred = {a: [(rng.choice(LABELS[:5]), s, e) for _, s, e in v] for a, v in pred_si.items()}
    ours = end_to_end({a: [(s, e, ID_OF[t]) for t, s, e in v] for a, v in gold.items()},
                      {a: [(s, e, ID_OF[t]) for t, s, e in v] for a, v in pred.items()})
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for label in LABELS:
        ref = ptc_score.si({a: [x for x in v if x[0] == label] for a, v in gold.items()},
                           {a: [x for x in v if x[0] == label] for a, v in pred.items()})
        mine = ours.per_technique[ID_OF[label]]
        assert (mine.precision, mine.recall, mine.f1) == pytest.approx(
            (ref["precision"], ref["recall"], ref["f1"]), abs=1e-9)
        p_num += ref["precision"] * ref["pred_spans"]
        r_num += ref["recall"] * ref["gold_spans"]
        n_pred += ref["pred_spans"]
        n_gold += ref["gold_spans"]
    assert (ours.pred_spans, ours.gold_spans) == (n_pred, n_gold)
    assert ours.precision == pytest.approx(p_num / n_pred if n_pred else 0.0, abs=1e-9)
    assert ours.recall == pytest.approx(r_num / n_gold if n_gold else 0.0, abs=1e-9)


def random_tc(seed: int):
    """Gold lines covering all 14 labels, some spans with two or three techniques; predictions on most gold
    spans (0-3 each, any order), some off the gold spans, and an article with predictions only."""
    rng = random.Random(seed)
    gold, pred = {}, {}
    labels = LABELS * 2 + [rng.choice(LABELS) for _ in range(rng.randint(20, 200))]
    rng.shuffle(labels)
    articles = [str(a) for a in range(rng.randint(3, 20))]
    for label in labels:
        a = rng.choice(articles)
        rows = gold.setdefault(a, [])
        if rows and rng.random() < 0.25:
            _, s, e = rng.choice(rows)  # a second technique on an existing span
        else:
            (s, e), = random_spans(rng, 1)
        rows.append((label, s, e))
    for a, rows in gold.items():
        p = []
        for s, e in dict.fromkeys((s, e) for _, s, e in rows):
            k = rng.choice((0, 1, 1, 1, 2, 2, 3))
            p += [(rng.choice([t for t, ss, ee in rows if (ss, ee) == (s, e)] + LABELS), s, e) for _ in range(k)]
        p += [(rng.choice(LABELS), s, e) for s, e in random_spans(rng, rng.randint(0, 3))]
        rng.shuffle(p)
        pred[a] = p
    pred["only-pred"] = [(rng.choice(LABELS), 0, 10)]
    return gold, pred


@pytest.mark.parametrize("seed", range(40))
def test_tc_matches_reference(ptc_score, seed):
    gold, pred = random_tc(seed)
    assert {t for v in gold.values() for t, _, _ in v} == set(LABELS)
    ours = technique_classification({a: [(s, e, ID_OF[t]) for t, s, e in v] for a, v in gold.items()},
                                    {a: [(s, e, t) for t, s, e in v] for a, v in pred.items()})  # labels work too
    ref = ptc_score.tc(gold, pred)
    assert ours.gold_spans == ref["gold_spans"]
    assert ours.micro_f1 == pytest.approx(ref["micro_f1"], abs=1e-9)
    assert ours.macro_f1 == pytest.approx(ref["macro_f1"], abs=1e-9)
    assert ours.macro_f1_gold_labels == pytest.approx(ref["macro_f1"], abs=1e-9)


@pytest.mark.parametrize("seed", range(10))
def test_tc_gold_labels_macro_matches_reference_with_labels_missing(ptc_score, seed):
    gold, pred = random_tc(seed)
    dropped = set(random.Random(seed).sample(LABELS, 5))
    gold = {a: [x for x in v if x[0] not in dropped] for a, v in gold.items()}
    ours = technique_classification({a: [(s, e, t) for t, s, e in v] for a, v in gold.items()},
                                    {a: [(s, e, t) for t, s, e in v] for a, v in pred.items()})
    ref = ptc_score.tc(gold, pred)
    assert ours.micro_f1 == pytest.approx(ref["micro_f1"], abs=1e-9)
    assert ours.macro_f1_gold_labels == pytest.approx(ref["macro_f1"], abs=1e-9)
    assert ours.macro_f1 == pytest.approx(ref["macro_f1"] * 9 / 14, abs=1e-9)
