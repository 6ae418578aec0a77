"""What readers are told about a model's spans, measured on articles it was not tuned on: the strength
thresholds (``model.strength``) and each technique's recall and precision (the legend's "the model finds about
N% of appeals to authority").

A model's decoding and score calibration are tuned on the same labelled articles its reported figures come
from, and the model was trained on the rest, so no labelled article is unseen by both. The figures here are
cross-validated instead: the articles are cut into folds (by article); for each fold the whole tuning
(``tuning.tune_decoding``: thresholds, nested channels, Repetition cue, calibration) is redone on the other
folds, and the fold is decoded with that tuning and judged. Every span is thus scored by a decoding and a
calibration that never saw its article. A model whose decoding was chosen on other articles altogether
(``propwatch crossval --store``: its config says where, ``validation.tuned_on``) is judged with that decoding as
it ships, since it never saw these articles: the folds then only matter for judging the threshold rule. On the
cross-validation folds themselves (``measure_reliability_on_folds``), such a decoding is re-tuned fold by fold,
as it was tuned on them. From the pooled held-out spans:

- **Strength thresholds**: an isotonic fit of right (0/1) on the held-out score gives the share of spans right
  at each score; ``strong`` starts at the lowest score where it reaches ``STRONG_PRECISION``, ``moderate`` at
  the lowest where it reaches ``WEAK_PRECISION``. How the rule does on articles it was not chosen on is
  recorded too: thresholds chosen on all folds but one, judged on that one.
- **Reliability** per technique: recall, the share of annotated spans of the technique that a span of that
  technique overlaps (found at all, however its edges fall); precision, the share of the technique's spans
  that overlap an annotated span of it (what ``calibration`` calls right).
- **Confusions** per technique: what its annotated spans are most often named instead, from the same runs
  (``evaluation.confusions``).

Fitting needs scikit-learn (the ``[train]`` extra), like tuning.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ..inputs import CorpusArticle
from ..model.config import ModelConfig
from ..model.decode import RawSpan
from ..model.runtime import ModelBase
from ..model.strength import strength_of
from ..techniques import TECHNIQUE_IDS
from .calibration import require_calibration_fit
from .confusions import measure_confusions
from .crossval import decoded_without_each, tuned_on_folds
from .run import ArticleOutput, ArticleProgress, no_progress, redecode, run_model
from .tuning import tune_decoding, tuning_steps

DEFAULT_FOLDS = 5
STRONG_PRECISION = 0.6  # strong: spans scored so were right at least this often
WEAK_PRECISION = 1 / 3  # weak: right less often than this
LEVELS = ("strong", "moderate", "weak")


@dataclass(frozen=True)
class HeldOutSpan:
    """A span decoded by a tuning that never saw its article, and whether it was right."""

    article: str
    span: RawSpan
    right: bool


@dataclass(frozen=True)
class Measured:
    thresholds: tuple[float, float]  # strong_min, moderate_min
    reliability: dict[str, dict[str, float]]  # technique -> recall, precision, support
    record: dict  # how they were measured, and how the thresholds do on folds they were not chosen on
    confusions: dict[str, dict] = field(default_factory=dict)  # technique -> support, mistaken_for
    confusions_record: dict = field(default_factory=dict)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def is_right(span: RawSpan, gold) -> bool:
    return any(g.technique == span.technique and overlaps((g.start, g.end), (span.start, span.end)) for g in gold)


def tuned_elsewhere(model: ModelBase) -> bool:
    """Whether ``model``'s decoding was chosen on articles other than those it is judged on here."""
    return bool((model.config.validation or {}).get("tuned_on"))


def held_out_spans(model: ModelBase, outputs: list[ArticleOutput], folds: int,
                   say: Callable[[str], object] = lambda message: None) -> list[list[HeldOutSpan]]:
    """Per fold, its articles' spans decoded with the tuning of the other folds (``outputs`` run with
    ``keep_hidden=True``; fold ``k`` holds every ``folds``-th article from the ``k``-th), or with the model's
    own decoding where that was chosen elsewhere (``tuned_elsewhere``)."""
    per_fold = []
    for k in range(folds):
        judge, tune_on = outputs[k::folds], [o for i, o in enumerate(outputs) if i % folds != k]
        if tuned_elsewhere(model):
            decoded = redecode(model, judge)
        else:
            say(f"fold {k + 1} of {folds}: tuning on {len(tune_on)} articles, judging {len(judge)}")
            decoding, _ = tune_decoding(model, tune_on)
            decoded = redecode(model.with_decoding(decoding), judge)
        per_fold.append([HeldOutSpan(o.id, s, is_right(s, o.gold or [])) for o in decoded for s in o.spans])
    return per_fold


def choose_thresholds(scores, right, strong: float = STRONG_PRECISION,
                      weak: float = WEAK_PRECISION) -> tuple[float, float]:
    """``(strong_min, moderate_min)``: the lowest scores from which spans were right at least ``strong`` and
    ``weak`` of the time, by an isotonic (monotone) fit of right on score; 1.0 where no score reaches it."""
    from sklearn.isotonic import IsotonicRegression

    x = np.asarray(scores, np.float64)
    y = np.asarray(right, np.float64)
    if x.size == 0:
        return 1.0, 1.0
    fitted = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x, y).predict(x)

    def lowest(level: float) -> float:
        reached = x[fitted >= level]
        return round(float(reached.min()), 3) if reached.size else 1.0

    strong_min = lowest(strong)
    return strong_min, min(lowest(weak), strong_min)


def per_technique(spans: list[HeldOutSpan], gold_by_article: dict[str, list]) -> dict[str, dict[str, float]]:
    """Recall, precision and support (annotated spans) of each technique over held-out ``spans``."""
    out = {}
    for technique in TECHNIQUE_IDS:
        mine = [s for s in spans if s.span.technique == technique]
        found = support = 0
        for article, gold in gold_by_article.items():
            annotated = {(g.start, g.end) for g in gold if g.technique == technique}
            spans_here = [(s.span.start, s.span.end) for s in mine if s.article == article]
            support += len(annotated)
            found += sum(any(overlaps(a, p) for p in spans_here) for a in annotated)
        out[technique] = {
            "recall": round(found / support, 4) if support else 0.0,
            "precision": round(sum(s.right for s in mine) / len(mine), 4) if mine else 0.0,
            "support": support,
        }
    return out


def level_figures(judged: list[tuple[str | None, bool]]) -> dict[str, dict[str, float]]:
    """For each strength level: how many of the ``(level, right)`` pairs it holds and the share right."""
    out = {}
    for level in LEVELS:
        held = [right for lv, right in judged if lv == level]
        out[level] = {"spans": len(held), "right": round(sum(held) / len(held), 4) if held else 0.0}
    return out


def measure_reliability(model: ModelBase, articles: list[CorpusArticle], folds: int = DEFAULT_FOLDS,
                        progress: ArticleProgress = no_progress,
                        say: Callable[[str], object] = lambda message: None) -> Measured:
    """Strength thresholds and per-technique reliability of ``model`` on labelled ``articles``, cross-validated
    over ``folds`` folds by article (see the module's docstring)."""
    require_calibration_fit()
    labelled = [a for a in articles if a.gold is not None]
    if len(labelled) < 2 * folds:
        raise ValueError(f"{len(labelled)} labelled articles are too few for {folds} folds")
    with progress(len(labelled)) as advance:
        outputs = run_model(model, labelled, keep_hidden=True, on_progress=advance)
    per_fold = held_out_spans(model, outputs, folds, say)
    method = (f"the decoding as shipped (chosen on {(model.config.validation or {})['tuned_on']}); strength "
              "thresholds "
              f"judged by {folds}-fold cross-validation by article" if tuned_elsewhere(model) else
              f"{folds}-fold cross-validation by article: decoding and calibration tuned on the other folds")
    thresholds, reliability, record = summarise(per_fold, {o.id: o.gold or [] for o in outputs}, method)
    confusions, confusions_record = measure_confusions(model, outputs, folds)
    return Measured(thresholds, reliability, record, confusions, confusions_record)


def summarise(per_fold: list[list[HeldOutSpan]], gold_by_article: dict[str, list],
              method: str) -> tuple[tuple[float, float], dict[str, dict[str, float]], dict]:
    """The thresholds, per-technique reliability and record from each fold's held-out spans."""
    pooled = [s for fold in per_fold for s in fold]
    thresholds = choose_thresholds([s.span.score for s in pooled], [s.right for s in pooled])
    # The threshold rule judged on articles it was not chosen on: thresholds from all folds but one.
    judged: list[tuple[str | None, bool]] = []
    for k, fold in enumerate(per_fold):
        others = [s for j, f in enumerate(per_fold) if j != k for s in f]
        chosen = choose_thresholds([s.span.score for s in others], [s.right for s in others])
        judged += [(strength_of(s.span.score, chosen), s.right) for s in fold]
    found = {t: sum(s.span.technique == t for s in pooled) for t in TECHNIQUE_IDS}
    record = {
        "method": method, "articles": len(gold_by_article), "folds": len(per_fold), "spans": len(pooled),
        "strong_precision": STRONG_PRECISION, "weak_precision": round(WEAK_PRECISION, 4),
        "levels": level_figures([(strength_of(s.span.score, thresholds), s.right) for s in pooled]),
        "levels_with_thresholds_chosen_on_other_folds": level_figures(judged),
        "spans_per_technique": found,  # a precision of 0 over no spans says nothing
    }
    return thresholds, per_technique(pooled, gold_by_article), record


def measure_reliability_on_folds(model: ModelBase, folds: Sequence[tuple[ModelBase, list[CorpusArticle]]],
                                 progress: ArticleProgress = no_progress,
                                 say: Callable[[str], object] = lambda message: None) -> Measured:
    """Strength thresholds and per-technique reliability of ``model``'s decoding, judged on the held-out articles
    of cross-validation folds (``propwatch crossval``): each fold's model, trained without its articles, reads
    them with ``model``'s decoding as it ships, or, where that decoding was tuned on these folds
    (``crossval.tuned_on_folds``), with the decoding tuned the same way on the other folds only, so that no span
    is judged by a decoding or calibration that saw its article. Many more articles than ``measure_reliability``'s; a
    fold's model saw fewer articles than the shipped one, so its figures lean low. The confusions are not
    measured here (``Measured.confusions`` is empty)."""
    require_calibration_fit()
    nested = tuned_on_folds(model)
    labelled = [(m, [a for a in articles if a.gold is not None]) for m, articles in folds]
    with progress(sum(len(articles) for _, articles in labelled)) as advance:
        outputs = [run_model(fold_model if nested else fold_model.with_decoding(model.decoding), articles,
                             on_progress=advance, keep_hidden=nested) for fold_model, articles in labelled]
    if nested:
        outputs = decoded_without_each(outputs, [m for m, _ in labelled], say, tuning_steps(model.decoding))
    per_fold = [[HeldOutSpan(o.id, s, is_right(s, o.gold or [])) for o in fold for s in o.spans] for fold in outputs]
    gold_by_article = {o.id: o.gold or [] for fold in outputs for o in fold}
    method = (f"{len(folds)}-fold cross-validation of the training recipe by article (propwatch crossval): each "
              "fold's model, trained without the fold, reads it with "
              + ("the decoding and calibration tuned on the other folds (the shipped decoding was tuned on all "
                 "of them)" if nested else "the decoding as shipped"))
    thresholds, reliability, record = summarise(per_fold, gold_by_article, method)
    return Measured(thresholds, reliability, record, {}, {})


def store_reliability(folder: str | Path, measured: Measured) -> ModelConfig:
    """Write the thresholds, the reliability, the confusions (where measured) and their records into
    ``folder``'s ``config.json`` (the records go under ``validation.reliability`` and ``validation.confusions``,
    beside the tuning record they depend on)."""
    config = ModelConfig.read(folder)
    validation = {**(config.validation or {}), "reliability": measured.record}
    if measured.confusions:
        validation["confusions"] = measured.confusions_record
    stored = replace(config, strength_thresholds=measured.thresholds, reliability=measured.reliability,
                     confusions=measured.confusions or config.confusions, validation=validation)
    stored.write(folder)
    return stored
