"""What each technique is mistaken for: the techniques page's "often mistaken for loaded language (23%)".

Measured as the SemEval technique-classification task (TC) measures the model: it is handed the annotated spans
of labelled articles and names a technique for each (``run.gold_tc_labels``). An annotated span of technique
``t`` that it names ``u`` is one "``t`` mistaken for ``u``"; the share is over all annotated spans of ``t``. The
pairing of annotations with answers is the scorer's (``metrics.classification``): on a span annotated with
several techniques, an answer that matches one of them is no confusion.

Like the reliability figures (``evaluation.reliability``), the answers are cross-validated by article: the only
tuned part of the decoding that changes a TC answer is the Repetition cue, so each fold's spans are classified
with the cue chosen on the other folds (``cues.tune_repetition_cue``, the first step of ``tune_decoding``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

from ..inputs import CorpusArticle
from ..model.config import ModelConfig
from ..model.runtime import ModelBase
from ..techniques import TECHNIQUE_IDS
from .cues import tune_repetition_cue
from .run import ArticleOutput, ArticleProgress, gold_tc_labels, no_progress, run_model

TOP = 2  # techniques named per technique


def confusion_counts(outputs: list[ArticleOutput]) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Annotated spans per technique, and how many of technique ``t`` were named ``u`` (``(t, u)``), from each
    output's gold lines and its TC answers (``tc_labels``: one per gold line, on the gold spans)."""
    support: Counter[str] = Counter()
    mistaken: Counter[tuple[str, str]] = Counter()
    for o in outputs:
        if not o.gold:
            continue
        answers: dict[tuple[int, int], list[str]] = defaultdict(list)
        for start, end, technique in o.tc_labels:
            answers[(start, end)].append(technique)
        annotated: dict[tuple[int, int], list[str]] = defaultdict(list)
        for g in o.gold:
            annotated[(g.start, g.end)].append(g.technique)
        for span, techniques in annotated.items():
            left = list(answers.get(span, ()))
            wrong = []
            for technique in techniques:
                support[technique] += 1
                if technique in left:
                    left.remove(technique)
                else:
                    wrong.append(technique)
            for technique in wrong:  # paired with the answers no annotation took, in order, as the scorer does
                if left:
                    mistaken[(technique, left.pop(0))] += 1
    return support, mistaken


def top_confusions(support: Counter[str], mistaken: Counter[tuple[str, str]],
                   top: int = TOP) -> dict[str, dict]:
    """Per technique with annotated spans: ``{"support": n, "mistaken_for": [{"technique", "spans", "share"}]}``,
    the ``top`` techniques it was most often named instead (most first, ties by technique order)."""
    out = {}
    for technique in TECHNIQUE_IDS:
        n = support[technique]
        if not n:
            continue
        named = sorted(((count, other) for (t, other), count in mistaken.items() if t == technique and count),
                       key=lambda pair: (-pair[0], TECHNIQUE_IDS.index(pair[1])))
        out[technique] = {"support": n, "mistaken_for": [
            {"technique": other, "spans": count, "share": round(count / n, 4)} for count, other in named[:top]]}
    return out


def held_out_answers(model: ModelBase, outputs: list[ArticleOutput], folds: int) -> list[ArticleOutput]:
    """``outputs`` (run with ``keep_hidden=True``) with their TC answers given by a Repetition cue chosen on the
    other folds (fold ``k`` holds every ``folds``-th article from the ``k``-th, as in ``reliability``)."""
    labelled = [o for o in outputs if o.gold is not None]
    answered = []
    for k in range(folds):
        judge = labelled[k::folds]
        tune_on = [o for i, o in enumerate(labelled) if i % folds != k]
        cue, _ = tune_repetition_cue(model, tune_on)
        fold_model = model.with_decoding(replace(model.decoding, repetition_cue=cue))
        answered += [replace(o, tc_labels=gold_tc_labels(fold_model, o.text, o.predictions(), o.gold))
                     for o in judge]
    return answered


def measure_confusions(model: ModelBase, outputs: list[ArticleOutput], folds: int) -> tuple[dict[str, dict], dict]:
    """The confusions of ``model`` on labelled ``outputs`` (run with ``keep_hidden=True``), cross-validated over
    ``folds`` folds, and a record of how they were measured."""
    support, mistaken = confusion_counts(held_out_answers(model, outputs, folds))
    record = {"method": f"technique classification of the annotated spans, {folds}-fold cross-validation by "
                        "article: the Repetition cue chosen on the other folds",
              "articles": sum(o.gold is not None for o in outputs), "folds": folds,
              "annotated_spans": sum(support.values()), "mistaken": sum(mistaken.values())}
    return top_confusions(support, mistaken), record


def confusions_of(model: ModelBase, articles: list[CorpusArticle], folds: int,
                  progress: ArticleProgress = no_progress) -> tuple[dict[str, dict], dict]:
    """``measure_confusions`` of ``model`` on labelled corpus ``articles``: runs the model first."""
    labelled = [a for a in articles if a.gold is not None]
    if len(labelled) < 2 * folds:
        raise ValueError(f"{len(labelled)} labelled articles are too few for {folds} folds")
    with progress(len(labelled)) as advance:
        outputs = run_model(model, labelled, keep_hidden=True, on_progress=advance)
    return measure_confusions(model, outputs, folds)


def store_confusions(folder: str | Path, confusions: dict[str, dict], record: dict) -> ModelConfig:
    """Write the confusions into ``folder``'s ``config.json`` (the record under ``validation.confusions``),
    leaving everything else as it was."""
    config = ModelConfig.read(folder)
    stored = replace(config, confusions=confusions, validation={**(config.validation or {}), "confusions": record})
    stored.write(folder)
    return stored
