"""Span identification (SI) and end-to-end (span + technique) scores, as defined by SemEval-2020 Task 11.

Partial-overlap credit (Da San Martino et al., 2019/2020): within an article, the spans of each side are first
merged where they overlap (a span starting before the previous one ends joins it; spans that only touch stay
apart). Every predicted span ``s`` and gold span ``t`` then add ``|s ∩ t| / |s|`` to the precision numerator and
``|s ∩ t| / |t|`` to the recall numerator. Precision divides by the number of merged predicted spans, recall by
the number of merged gold spans, both summed over all articles (micro); F1 is their harmonic mean and every
undefined ratio is 0. An article that appears on one side only still counts its spans.

End-to-end applies the same credit only between spans of the same technique (merging per technique), micro over
techniques and articles, with the per-technique figures alongside.

Merged spans on each side are disjoint and sorted, so one sweep finds every overlapping pair in linear time.
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from ..techniques import TECHNIQUE_IDS
from ._input import SpanTable, bounds_table, labelled_table


class PRF(BaseModel):
    """Precision, recall and F1, with the span counts they were divided by.

    ``per_technique`` is filled by ``end_to_end`` (one ``PRF`` per technique id) and empty otherwise.
    """

    model_config = ConfigDict(frozen=True)

    precision: float
    recall: float
    f1: float
    pred_spans: int
    gold_spans: int
    per_technique: dict[str, "PRF"] = Field(default_factory=dict)

    @classmethod
    def from_sums(cls, p_num: float, pred: int, r_num: float, gold: int, **extra) -> "PRF":
        precision = p_num / pred if pred else 0.0
        recall = r_num / gold if gold else 0.0
        return cls(precision=precision, recall=recall, f1=f1_score(precision, recall),
                   pred_spans=pred, gold_spans=gold, **extra)


def f1_score(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def merge_spans(spans: list[tuple[int, int]]) -> list[list[int]]:
    """Sorted, disjoint ``[start, end]`` pairs: spans that overlap (start < previous end) become one."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return merged


def overlap_credit(pred: list[list[int]], gold: list[list[int]]) -> tuple[float, float]:
    """The precision and recall numerators of two merged (sorted, disjoint) span lists."""
    p_num = r_num = 0.0
    i = j = 0
    while i < len(pred) and j < len(gold):
        ps, pe = pred[i]
        gs, ge = gold[j]
        inter = min(pe, ge) - max(ps, gs)
        if inter > 0:
            p_num += inter / (pe - ps)
            r_num += inter / (ge - gs)
        # The span that ends first cannot overlap anything further on the other side.
        if pe <= ge:
            i += 1
        else:
            j += 1
    return p_num, r_num


def span_identification(gold: SpanTable, pred: SpanTable) -> PRF:
    """SI: partial-overlap precision, recall and F1 of ``pred`` against ``gold`` (techniques ignored).

    ``gold`` and ``pred`` map article ids to spans: ``(start, end)`` tuples, ``(start, end, technique)``
    tuples or objects with ``.start``/``.end``.
    """
    gold_b, pred_b = bounds_table(gold), bounds_table(pred)
    p_num = r_num = 0.0
    n_pred = n_gold = 0
    for article in gold_b.keys() | pred_b.keys():
        g = merge_spans(gold_b.get(article, []))
        p = merge_spans(pred_b.get(article, []))
        n_gold += len(g)
        n_pred += len(p)
        pn, rn = overlap_credit(p, g)
        p_num += pn
        r_num += rn
    return PRF.from_sums(p_num, n_pred, r_num, n_gold)


def end_to_end(gold: SpanTable, pred: SpanTable) -> PRF:
    """Partial-overlap credit between spans of the same technique only: a span in the right place with the
    wrong technique earns nothing. Micro over techniques and articles; ``per_technique`` has every id of
    ``TECHNIQUE_IDS`` (zeros where a technique has no spans on either side).

    Spans are ``(start, end, technique)`` tuples or objects with ``.start``/``.end``/``.technique``; a
    technique is an id or a PTC label.
    """
    by_technique: dict[str, dict[str, tuple[list, list]]] = defaultdict(lambda: defaultdict(lambda: ([], [])))
    for side, table in ((0, labelled_table(gold)), (1, labelled_table(pred))):
        for article, spans in table.items():
            for start, end, technique in spans:
                by_technique[technique][article][side].append((start, end))

    per_technique = {}
    p_total, pred_total, r_total, gold_total = 0.0, 0, 0.0, 0
    for technique in TECHNIQUE_IDS:
        p_num = r_num = 0.0
        n_pred = n_gold = 0
        for gold_spans, pred_spans in by_technique.get(technique, {}).values():
            g, p = merge_spans(gold_spans), merge_spans(pred_spans)
            n_gold += len(g)
            n_pred += len(p)
            pn, rn = overlap_credit(p, g)
            p_num += pn
            r_num += rn
        per_technique[technique] = PRF.from_sums(p_num, n_pred, r_num, n_gold)
        p_total += p_num
        pred_total += n_pred
        r_total += r_num
        gold_total += n_gold
    return PRF.from_sums(p_total, pred_total, r_total, gold_total, per_technique=per_technique)
