"""Fitting and judging the score calibration (``model/calibration.py`` is the map the runtime applies).

Fitting needs scikit-learn (the ``[train]`` extra): it happens when a model is tuned, never at inference.
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ..metrics import expected_calibration_error, reliability_bins
from ..model.calibration import Calibration
from ..model.decode import DecodingConfig, detect_spans, sentence_scores
from ..model.runtime import ModelBase
from ..sentences import split_sentences
from .run import ArticleOutput, span_classifier

Samples = dict[str, tuple[list[float], list[bool]]]


def require_calibration_fit() -> None:
    """Tuning ends with the score calibration fit, which needs scikit-learn: say so before running the model."""
    try:
        import sklearn  # noqa: F401
    except ImportError as exc:
        raise ModelError(f"tuning needs the [train] extra ({exc.name} is missing): "
                         "pip install 'propwatch[train]'") from exc


def fit_calibration(raw, correct, min_items: int = 20) -> Calibration | None:
    """Isotonic regression of ``correct`` (0/1) on ``raw`` scores; None when there is too little to fit."""
    from sklearn.isotonic import IsotonicRegression

    raw = np.asarray(raw, dtype=np.float64)
    correct = np.asarray(correct, dtype=np.float64)
    if raw.size < min_items or correct.min(initial=1) == correct.max(initial=0):
        return None
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, correct)
    x, y = iso.X_thresholds_, iso.y_thresholds_
    # Keep the map strictly informative at the ends: scores below/above the fitted range are clipped.
    return Calibration(tuple(float(v) for v in x), tuple(float(v) for v in y))


def calibration_samples(model: ModelBase, outputs: list[ArticleOutput], cfg: DecodingConfig) -> Samples:
    """Raw scores and right/wrong outcomes on labelled ``outputs`` (run with ``keep_hidden=True``), decoded
    with ``cfg`` uncalibrated and every span kept: ``{"labelled": (scores, hits), "second": ..., "nested": ...,
    "sentence": ...}``.

    A span is right when it overlaps a gold span of its technique; a sentence, when a gold span overlaps it.
    """
    raw = cfg.uncalibrated()
    samples: Samples = {"labelled": ([], []), "second": ([], []), "nested": ([], []), "sentence": ([], [])}
    for o in outputs:
        pred, gold = o.predictions(), o.gold or []
        for s in detect_spans(o.text, o.tokens, o.probs, span_classifier(model, o.text, pred), raw, floor=0.0):
            hit = any(g.technique == s.technique and g.start < s.end and s.start < g.end for g in gold)
            samples[s.channel][0].append(s.score)
            samples[s.channel][1].append(hit)
        sentences = split_sentences(o.text)
        for (a, b), score in zip(sentences, sentence_scores(o.text, sentences, o.tokens, o.probs, [])):
            samples["sentence"][0].append(score)
            samples["sentence"][1].append(any(g.start < b and a < g.end for g in gold))
    return samples


def fit_score_calibration(model: ModelBase, outputs: list[ArticleOutput], cfg: DecodingConfig) -> dict:
    """One isotonic map per span channel and one for sentences, each kept only where it helps: fitted on one
    half of the articles and judged on the other (both ways round), it must give a lower expected calibration
    error than the raw scores. A map fitted on 50 articles can also make scores worse: the accurate ensemble's
    raw span scores were calibrated already, and a map made them less so on articles it was not fitted on
    (``benchmarks/calibration.py`` measures both models)."""
    halves = [calibration_samples(model, outputs[k::2], cfg) for k in (0, 1)]
    fitted = {}
    for channel in halves[0]:
        cal = calibration_that_helps(halves[0][channel], halves[1][channel])
        if cal is not None:
            fitted[channel] = cal
    return fitted


def calibration_that_helps(first: tuple[list, list], second: tuple[list, list]) -> Calibration | None:
    """The isotonic map fitted on both halves' (scores, hits), or None where there is too little to fit or
    where maps fitted on one half do not lower the other half's expected calibration error (both ways round)."""
    scores, hits = first[0] + second[0], first[1] + second[1]
    cal = fit_calibration(scores, hits)
    if cal is None:
        return None
    mapped = []
    for fit_on, judge in ((second, first), (first, second)):
        fold = fit_calibration(*fit_on)
        mapped += [float(fold(x)) if fold is not None else x for x in judge[0]]
    before = expected_calibration_error(np.clip(scores, 0, 1), hits)
    return cal if expected_calibration_error(np.clip(mapped, 0, 1), hits) < before else None


def calibration_report(model: ModelBase, outputs: list[ArticleOutput], n_bins: int = 10) -> dict:
    """How well scores match outcomes on labelled ``outputs`` (run with ``keep_hidden=True``).

    ``raw``: the uncalibrated scores read as probabilities. ``calibrated``: two-fold cross-fitted, so the
    figure is honest: maps fitted on half of the articles score the other half (the shipped map is fitted on
    all of them). ``shipped``: the maps the model ships, which is the honest figure where they were fitted on
    other articles (``propwatch crossval --store``) and an optimistic one where fitted on these. For spans (both
    channels together) and sentences: the expected calibration error and the reliability bins behind it.
    """
    labelled = [o for o in outputs if o.gold is not None]
    folds = [labelled[0::2], labelled[1::2]]
    cfg = model.decoding
    result = {}
    raw_all = calibration_samples(model, labelled, cfg)
    crossfit: Samples = {"spans": ([], []), "sentence": ([], [])}
    for k in (0, 1):
        fit_on, judge = folds[1 - k], folds[k]
        maps = fit_score_calibration(model, fit_on, cfg)
        judged = calibration_samples(model, judge, cfg)
        for channel, (scores, hits) in judged.items():
            cal = maps.get(channel)
            mapped = [float(cal(s)) if cal is not None else s for s in scores]
            key = "sentence" if channel == "sentence" else "spans"
            crossfit[key][0].extend(mapped)
            crossfit[key][1].extend(hits)
    shipped_maps = cfg.calibration
    for key, channels in (("spans", ("labelled", "second", "nested")), ("sentence", ("sentence",))):
        raw_scores = np.clip([s for c in channels for s in raw_all[c][0]], 0, 1)
        hits = [h for c in channels for h in raw_all[c][1]]
        # the maps the model ships, on these articles: honest only where they were fitted on other articles
        shipped = np.clip([float(shipped_maps[c](s)) if c in shipped_maps else s
                           for c in channels for s in raw_all[c][0]], 0, 1)
        crossfit_scores, crossfit_hits = np.clip(crossfit[key][0], 0, 1), crossfit[key][1]
        result[key] = {
            "items": len(raw_scores),
            "ece_raw": expected_calibration_error(raw_scores, hits, n_bins),
            "ece_calibrated_crossfit": expected_calibration_error(crossfit_scores, crossfit_hits, n_bins),
            "ece_shipped": expected_calibration_error(shipped, hits, n_bins),
            "bins_raw": [b.__dict__ for b in reliability_bins(raw_scores, hits, n_bins)],
            "bins_calibrated_crossfit": [b.__dict__ for b in reliability_bins(crossfit_scores, crossfit_hits, n_bins)],
        }
    return result
