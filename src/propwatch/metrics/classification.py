"""Technique classification (TC) given the gold spans, as scored in SemEval-2020 Task 11.

Per article, gold lines are grouped by their exact ``(start, end)``; the predictions for that exact span form a
pool. Each gold line, in the order given, is correct when its technique is still in the pool (and takes it out);
otherwise it is a false negative of its technique and the first prediction left in the pool, if any, is a
false positive of the predicted technique (and is taken out). Predictions at spans that are not gold, and
articles with no gold, are not scored: the task hands the system the gold spans.

``micro_f1`` is the share of gold lines classified correctly (the task's official figure). ``macro_f1`` is
the mean F1 over all 14 techniques of ``TECHNIQUE_IDS``, so a technique missing from a small evaluation set
counts as 0 rather than silently vanishing and the figure is comparable between sets. The reference scorer
(``shared/tools/ptc_score.py``) averages over the techniques present in the gold only; that figure is
``macro_f1_gold_labels``, and the two agree whenever all 14 techniques occur in the gold.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from pydantic import BaseModel, ConfigDict

from ..techniques import TECHNIQUE_IDS
from ._input import SpanTable, labelled_table
from .spans import f1_score


class TCResult(BaseModel):
    """TC scores. ``per_technique[id]`` is ``{"precision", "recall", "f1", "support"}`` (support: gold lines)."""

    model_config = ConfigDict(frozen=True)

    micro_f1: float
    macro_f1: float
    macro_f1_gold_labels: float
    correct: int
    gold_spans: int
    per_technique: dict[str, dict[str, float | int]]


def technique_classification(gold: SpanTable, pred: SpanTable) -> TCResult:
    """Score ``pred`` techniques on the gold spans; both map article ids to ``(start, end, technique)`` tuples
    (or objects with ``.start``/``.end``/``.technique``), techniques as ids or PTC labels."""
    gold_t, pred_t = labelled_table(gold), labelled_table(pred)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    correct = total = 0
    for article, gold_spans in gold_t.items():
        pool: dict[tuple[int, int], list[str]] = defaultdict(list)
        for start, end, technique in pred_t.get(article, []):
            pool[(start, end)].append(technique)
        by_span: dict[tuple[int, int], list[str]] = defaultdict(list)
        for start, end, technique in gold_spans:
            by_span[(start, end)].append(technique)
        for span, gold_techniques in by_span.items():
            left = list(pool.get(span, ()))
            for technique in gold_techniques:
                total += 1
                if technique in left:
                    left.remove(technique)
                    correct += 1
                    tp[technique] += 1
                else:
                    fn[technique] += 1
                    if left:
                        fp[left.pop(0)] += 1

    per_technique: dict[str, dict[str, float | int]] = {}
    for t in TECHNIQUE_IDS:
        precision = tp[t] / (tp[t] + fp[t]) if tp[t] + fp[t] else 0.0
        recall = tp[t] / (tp[t] + fn[t]) if tp[t] + fn[t] else 0.0
        per_technique[t] = {
            "precision": precision,
            "recall": recall,
            "f1": f1_score(precision, recall),
            "support": tp[t] + fn[t],
        }
    present = [t for t in TECHNIQUE_IDS if per_technique[t]["support"]]
    return TCResult(
        micro_f1=correct / total if total else 0.0,
        macro_f1=sum(per_technique[t]["f1"] for t in TECHNIQUE_IDS) / len(TECHNIQUE_IDS),
        macro_f1_gold_labels=sum(per_technique[t]["f1"] for t in present) / len(present) if present else 0.0,
        correct=correct,
        gold_spans=total,
        per_technique=per_technique,
    )
