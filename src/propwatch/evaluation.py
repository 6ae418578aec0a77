"""Run a model over a corpus folder and score it with the SemEval-2020 Task 11 metrics.

One path for ``propwatch evaluate``, ``propwatch predict``, decoding tuning at the end of training and the
benchmarks, so every figure in BENCHMARKS.md comes from the code the product runs. Articles go through the
model in chunks and the large per-token encoder states are dropped after each chunk (unless tuning needs
them), so memory stays flat on corpora of any size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Callable

import numpy as np

from .inputs import CorpusArticle
from .metrics import (
    EvaluationReport, end_to_end, expected_calibration_error, reliability_bins, sentence_f1, span_identification,
    technique_classification,
)
from .model.calibration import fit_calibration
from .model.decode import (
    DecodingConfig, RawSpan, detect_spans, keep_confident, label_spans, nested_spans, propaganda_spans,
    sentence_scores,
)
from .model.ensemble import EnsembleModel
from .model.runtime import ModelBase, TokenPredictions
from .model.spans import apply_repetition_cue, earlier_occurrences
from .model.windows import TokenizedText
from .sentences import split_sentences
from .techniques import TECHNIQUE_IDS


@dataclass
class ArticleOutput:
    """What the model said about one corpus article."""

    id: str
    text: str
    tokens: TokenizedText
    probs: np.ndarray  # [N, 15]
    gold: list | None
    tc_labels: list[tuple[int, int, str]]  # one technique per gold line, on the gold spans
    spans: list[RawSpan]  # decoded with the model's decoding config
    si: list[tuple[int, int]]
    hidden: np.ndarray | None = None  # kept only for tuning


def assign_gold_techniques(gold, probs: np.ndarray, spans: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """One predicted technique per gold line: a span listed k times (k techniques) gets the model's top k."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for g in gold:
        counts[(g.start, g.end)] += 1
    out = []
    for (s, e), row in zip(spans, probs):
        for k in np.argsort(-row)[: counts[(s, e)]]:
            out.append((s, e, TECHNIQUE_IDS[int(k)]))
    return out


def si_spans(text, pred_tokens, probs, spans: list[RawSpan], cfg: DecodingConfig) -> list[tuple[int, int]]:
    if cfg.si_source == "all":
        return [(s.start, s.end) for s in spans]
    return [(s.start, s.end) for s in propaganda_spans(text, pred_tokens, probs, cfg)]


def _classifier(model: ModelBase, text: str, pred: TokenPredictions):
    return lambda spans: model.classify_spans(text, pred, spans)


def _gold_spans(gold) -> list[tuple[int, int]]:
    """The distinct gold spans of an article (a span with two techniques is listed twice in PTC)."""
    return sorted({(g.start, g.end) for g in gold})


def _gold_tc_labels(model: ModelBase, text: str, pred: TokenPredictions, gold) -> list[tuple[int, int, str]]:
    """The TC answer on the gold spans, with the model's decoding (its Repetition cue)."""
    if not gold:
        return []
    spans = _gold_spans(gold)
    return assign_gold_techniques(gold, model.classify_spans(text, pred, spans), spans)


def run_model(
    model: ModelBase,
    articles: list[CorpusArticle],
    chunk: int = 8,
    on_progress: Callable[[int], None] | None = None,
    keep_hidden: bool = False,
) -> list[ArticleOutput]:
    cfg = model.decoding
    outputs = []
    for i in range(0, len(articles), chunk):
        part = articles[i : i + chunk]
        preds = model.predict_many([c.article.text for c in part])
        for c, pred in zip(part, preds):
            text = c.article.text
            labels = _gold_tc_labels(model, text, pred, c.gold)
            found = detect_spans(text, pred.tokens, pred.probs, _classifier(model, text, pred), cfg)
            outputs.append(ArticleOutput(
                c.article.id, text, pred.tokens, pred.probs, c.gold, labels, found,
                si_spans(text, pred.tokens, pred.probs, found, cfg), pred.hidden if keep_hidden else None,
            ))
        if on_progress:
            on_progress(len(part))
    return outputs


def gold_tables(outputs):
    si, spans = {}, {}
    for o in outputs:
        if o.gold is None:
            continue
        si[o.id] = [(g.start, g.end) for g in o.gold]
        spans[o.id] = [(g.start, g.end, g.technique) for g in o.gold]
    return si, spans


def score(outputs: list[ArticleOutput]) -> EvaluationReport:
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, gold_spans = gold_tables(labelled)
    pred_si = {o.id: o.si for o in labelled}
    return EvaluationReport(
        si=span_identification(gold_si, pred_si),
        tc=technique_classification(gold_spans, {o.id: o.tc_labels for o in labelled}),
        end_to_end=end_to_end(gold_spans, {o.id: [(s.start, s.end, s.technique) for s in o.spans] for o in labelled}),
        sentence=sentence_f1(gold_si, pred_si, {o.id: split_sentences(o.text) for o in labelled}),
        articles=len(labelled),
    )


def evaluate(model: ModelBase, articles: list[CorpusArticle], on_progress=None) -> EvaluationReport:
    """The model's SemEval figures on labelled ``articles``, with the decoding stored in the model."""
    return score(run_model(model, articles, on_progress=on_progress))


# A nested channel must earn its place: it raises end-to-end F1 by at least MIN_GAIN on validation, and at
# least MIN_NESTED_PRECISION of what it adds (partial-overlap precision) is right, because users judge the
# product by its false alarms.
MIN_GAIN = 0.002
MIN_NESTED_PRECISION = 0.3
MAX_SI_COST = 0.002
MIN_SCORES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
LOWS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
PEAKS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# Spans under this calibrated probability of being right are not reported (``DecodingConfig.report_floor``).
# A product rule, not a tuned figure: a round 1-in-10 chosen for readers, not searched on validation. On the
# validation articles it costs no figure (benchmarks/experiments.py records the before and after): `fast`
# showed its weakest spans (2% to 10%, mostly rare techniques whose threshold was dropped to spare sentence F1)
# at a precision far below the rest.
REPORT_FLOOR = 0.10


def tune_decoding(model: ModelBase, outputs: list[ArticleOutput]) -> tuple[DecodingConfig, dict]:
    """Choose the decoding on ``outputs`` (the validation articles, run with ``keep_hidden=True``).

    0. The Repetition cue (``tune_repetition_cue``), since every later step labels spans with it.
    1. ``any_low``/``any_peak``/``gap`` that maximise span-identification F1 of the propaganda spans.
    2. Label those spans with the span head; per technique, a decision threshold drops its weak spans where
       that raises end-to-end F1 (by ``MIN_GAIN``) at no more than ``MAX_SI_COST`` of SI F1.
    3. Technique by technique, add nested spans from that
       technique's channel with the (low, peak) that most raises end-to-end F1 (by at least ``MIN_GAIN``, with
       at least ``MIN_NESTED_PRECISION`` of the added spans right); other channels add nothing.
    4. SI spans: the propaganda spans alone, or with the nested ones, whichever scores higher.
    5. Score calibration, fitted on the final decoding's spans and on the sentences.
    6. The report floor (``REPORT_FLOOR``) on the calibrated scores.
    """
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, gold_spans = gold_tables(labelled)
    found = _propaganda_span_grid(labelled)
    best_si, neg_gap, low, peak = max((span_identification(gold_si, pred).f1, -gap, low, peak)
                                      for (gap, low, peak), pred in found.items())
    cue, cue_info = tune_repetition_cue(model, labelled)
    cfg = DecodingConfig(any_low=low, any_peak=peak, gap=-neg_gap, repetition_cue=cue)
    # The span labels below use the cue. (This sets the model's decoding; callers set the final one after.)
    model = model.with_decoding(cfg)
    current = {}
    for o in labelled:
        pred = TokenPredictions(o.tokens, o.probs, o.hidden)
        current[o.id] = label_spans(propaganda_spans(o.text, o.tokens, o.probs, cfg), _classifier(model, o.text, pred))

    def e2e(table):
        return end_to_end(gold_spans, {k: [(s.start, s.end, s.technique) for s in v] for k, v in table.items()}).f1

    def si(table):
        return span_identification(gold_si, {k: [(s.start, s.end) for s in v] for k, v in table.items()}).f1

    # Per-technique decision thresholds on the labelled spans: a technique's weak spans go when that raises
    # end-to-end F1 without costing span identification (users judge the product by its false alarms).
    labelled_all, min_scores = current, {}
    f_current, si_current = e2e(current), si(current)
    for technique in TECHNIQUE_IDS:
        best = (f_current + MIN_GAIN, None, None)
        for threshold in MIN_SCORES:
            trial = {k: keep_confident(v, {**min_scores, technique: threshold}) for k, v in labelled_all.items()}
            f = e2e(trial)
            if f > best[0] and si(trial) >= si_current - MAX_SI_COST:
                best = (f, threshold, trial)
        if best[1] is not None:
            f_current, min_scores[technique], current = best[0], best[1], best[2]
            si_current = si(current)
    cfg = replace(cfg, min_scores=min_scores)
    base_e2e = f_current
    channels, nested_precision = {}, {}
    for technique in TECHNIQUE_IDS:
        gold_t = {o.id: [(g.start, g.end) for g in o.gold if g.technique == technique] for o in labelled}
        best = (f_current + MIN_GAIN, None, None, 0.0)
        for low in LOWS:
            for peak in PEAKS:
                if peak < low:
                    continue
                added = {
                    o.id: nested_spans(o.text, o.tokens, o.probs, current[o.id], technique, low, peak, cfg.gap)
                    for o in labelled
                }
                precision = span_identification(gold_t, {k: [(s.start, s.end) for s in v] for k, v in added.items()}).precision
                if precision < MIN_NESTED_PRECISION:
                    continue
                trial = {k: current[k] + added[k] for k in current}
                f = e2e(trial)
                if f > best[0]:
                    best = (f, (low, peak), trial, precision)
        if best[1] is not None:
            f_current, channels[technique], current = best[0], best[1], best[2]
            nested_precision[technique] = best[3]
    with_nested = span_identification(gold_si, {k: [(s.start, s.end) for s in v] for k, v in current.items()}).f1
    cfg = replace(cfg, channels=channels, si_source="all" if with_nested > best_si else "any")
    cfg, dropped = _spare_sentences(model, labelled, cfg)
    cfg = replace(cfg, calibration=fit_score_calibration(model, labelled, cfg), report_floor=REPORT_FLOOR)
    info = {"si_f1_propaganda_spans": best_si, "si_f1_with_nested": with_nested,
            "end_to_end_f1_labelled_only": base_e2e, "end_to_end_f1_with_nested": f_current,
            "nested_precision": nested_precision, "calibrated": sorted(cfg.calibration),
            "repetition_cue": cue_info, "thresholds_dropped_for_sentence_f1": dropped}
    return cfg, info


def _propaganda_span_grid(labelled: list[ArticleOutput]) -> dict[tuple[int, float, float], dict[str, list]]:
    """Every (gap, low, peak) the first tuning step tries, with the propaganda spans it finds per article."""
    found = {}
    for gap in (1, 2, 3):
        for low in LOWS:
            for peak in PEAKS:
                if peak < low:
                    continue
                cfg = DecodingConfig(any_low=low, any_peak=peak, gap=gap)
                found[(gap, low, peak)] = {
                    o.id: [(s.start, s.end) for s in propaganda_spans(o.text, o.tokens, o.probs, cfg)] for o in labelled
                }
    return found


# The first member's share of the token mix an ensemble tries; the others share the rest equally.
FIRST_MEMBER_WEIGHTS = (0.5, 0.6, 2 / 3, 0.75, 0.8, 0.9, 1.0)
WEIGHT_FOLDS = 5


def tune_token_weights(model: EnsembleModel, outputs: list[ArticleOutput]) -> tuple[list[float], dict]:
    """The token weights of an ensemble (``model.ensemble.EnsembleModel``) that maximise span-identification F1
    of its propaganda spans on ``outputs`` (run with ``keep_hidden=True``, so each holds its members'
    predictions), over ``FIRST_MEMBER_WEIGHTS`` and the first tuning step's (gap, low, peak) grid.

    As with the Repetition cue, the report adds an honest figure: weights and grid point chosen on four fifths
    of the articles, scored on the fifth, five times over.
    """
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, _ = gold_tables(labelled)
    n = len(model.members)
    candidates = [[w] + [(1 - w) / (n - 1)] * (n - 1) for w in FIRST_MEMBER_WEIGHTS] if n > 1 else [[1.0]]
    found = {}  # (candidate index, gap, low, peak) -> {article id: spans}
    for c, weights in enumerate(candidates):
        mixed = [replace(o, probs=model.combine(o.hidden.members, weights).probs) for o in labelled]
        for point, pred in _propaganda_span_grid(mixed).items():
            found[(c, *point)] = pred

    def si(key, ids) -> float:
        return span_identification({i: gold_si[i] for i in ids}, {i: found[key][i] for i in ids}).f1

    def choose(ids):
        return max(found, key=lambda key: (si(key, ids), -abs(candidates[key[0]][0] - 0.5), -key[1], key[2], key[3]))

    ids = [o.id for o in labelled]
    chosen = choose(ids)
    crossfit = {}
    for k in range(WEIGHT_FOLDS):
        held_out = set(ids[k::WEIGHT_FOLDS])
        picked = choose([i for i in ids if i not in held_out])
        crossfit.update({i: found[picked][i] for i in held_out})
    by_weight = {f"{candidates[c][0]:.3f}": max(si(key, ids) for key in found if key[0] == c)
                 for c in range(len(candidates))}
    info = {"token_weights": [round(w, 4) for w in candidates[chosen[0]]],
            "si_f1_by_first_member_weight": by_weight,
            "si_f1": si(chosen, ids),
            "si_f1_crossfit": span_identification(gold_si, crossfit).f1}
    return candidates[chosen[0]], info


def _spare_sentences(model: ModelBase, labelled: list[ArticleOutput], cfg: DecodingConfig) -> tuple[DecodingConfig, list[str]]:
    """Drop decision thresholds, each time the one whose removal recovers most sentence F1, until together they
    cost at most ``MAX_SI_COST`` of sentence F1 under the final decoding.

    Thresholds are chosen for end-to-end F1 before the nested channels exist, so their cost to the flagged
    sentences (a headline figure, and what the margin strip shows readers) is only known here.
    """
    sentences = {o.id: split_sentences(o.text) for o in labelled}
    gold_si, _ = gold_tables(labelled)

    def sentence_of(min_scores) -> float:
        trial = replace(cfg, min_scores=min_scores)
        pred = {}
        for o in labelled:
            classify = _classifier(model, o.text, TokenPredictions(o.tokens, o.probs, o.hidden))
            pred[o.id] = si_spans(o.text, o.tokens, o.probs, detect_spans(o.text, o.tokens, o.probs, classify, trial), trial)
        return sentence_f1(gold_si, pred, sentences).f1

    floor = sentence_of({}) - MAX_SI_COST
    min_scores, dropped = dict(cfg.min_scores), []
    current = sentence_of(min_scores) if min_scores else floor
    while min_scores and current < floor:
        current, technique = max(
            ((sentence_of({k: v for k, v in min_scores.items() if k != t}), t) for t in min_scores),
            key=lambda candidate: candidate[0],
        )
        del min_scores[technique]
        dropped.append(technique)
    return replace(cfg, min_scores=min_scores), dropped


# The Repetition cue's grid: log-probability bonus when the phrase occurred earlier, and per log(1 + count).
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
        spans_of[o.id] = _gold_spans(o.gold)
        pred = TokenPredictions(o.tokens, o.probs, o.hidden)
        probs[o.id] = model.span_head_probabilities(o.text, pred, spans_of[o.id])
        earlier[o.id] = earlier_occurrences(o.text, spans_of[o.id])
    grid = [(b, k) for b in CUE_BONUSES for k in CUE_PER_LOG]
    answers = {
        cue: {o.id: assign_gold_techniques(o.gold, apply_repetition_cue(probs[o.id], earlier[o.id], cue), spans_of[o.id])
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
    for k, held_out in enumerate(folds):
        picked = choose([i for i in ids if i not in set(held_out)])
        crossfit.update({i: answers[picked][i] for i in held_out})
    info = {
        "cue": list(chosen),
        "tc_micro_f1_without": tc((0.0, 0.0), ids),
        "tc_micro_f1_with": tc(chosen, ids),
        "tc_micro_f1_crossfit": technique_classification(gold_spans, crossfit).micro_f1,
    }
    return chosen, info


def calibration_samples(model: ModelBase, outputs: list[ArticleOutput], cfg: DecodingConfig):
    """Raw scores and right/wrong outcomes on labelled ``outputs`` (run with ``keep_hidden=True``), decoded
    with ``cfg`` uncalibrated: ``{"labelled": (scores, hits), "nested": ..., "sentence": ...}``.

    A span is right when it overlaps a gold span of its technique; a sentence, when a gold span overlaps it.
    """
    raw = cfg.uncalibrated()
    samples: dict[str, tuple[list[float], list[bool]]] = {"labelled": ([], []), "nested": ([], []), "sentence": ([], [])}
    for o in outputs:
        pred = TokenPredictions(o.tokens, o.probs, o.hidden)
        for s in detect_spans(o.text, o.tokens, o.probs, _classifier(model, o.text, pred), raw):
            hit = any(g.technique == s.technique and g.start < s.end and s.start < g.end for g in o.gold)
            samples[s.source][0].append(s.score)
            samples[s.source][1].append(hit)
        sentences = split_sentences(o.text)
        for (a, b), score in zip(sentences, sentence_scores(sentences, o.tokens, o.probs, [])):
            samples["sentence"][0].append(score)
            samples["sentence"][1].append(any(g.start < b and a < g.end for g in o.gold))
    return samples


def fit_score_calibration(model: ModelBase, outputs: list[ArticleOutput], cfg: DecodingConfig) -> dict:
    """One isotonic map per span source and one for sentences (see ``model/calibration.py``), each kept only
    where it helps: fitted on one half of the articles and judged on the other (both ways round), it must give
    a lower expected calibration error than the raw scores. A map fitted on 50 articles can also make scores
    worse: the accurate ensemble's raw span scores were calibrated already, and a map made them less so on
    articles it was not fitted on (``benchmarks/calibration.py`` measures both models)."""
    halves = [calibration_samples(model, outputs[k::2], cfg) for k in (0, 1)]
    fitted = {}
    for source in halves[0]:
        cal = calibration_that_helps(halves[0][source], halves[1][source])
        if cal is not None:
            fitted[source] = cal
    return fitted


def calibration_that_helps(first: tuple[list, list], second: tuple[list, list]):
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
    helps = expected_calibration_error(np.clip(mapped, 0, 1), hits) < expected_calibration_error(np.clip(scores, 0, 1), hits)
    return cal if helps else None


def calibration_report(model: ModelBase, outputs: list[ArticleOutput], n_bins: int = 10) -> dict:
    """How well scores match outcomes on labelled ``outputs`` (run with ``keep_hidden=True``).

    ``raw``: the uncalibrated scores read as probabilities. ``calibrated``: two-fold cross-fitted, so the
    figure is honest: maps fitted on half of the articles score the other half (the shipped map is fitted on
    all of them). For spans (both sources together) and sentences: the expected calibration error and the
    reliability bins behind it.
    """
    labelled = [o for o in outputs if o.gold is not None]
    folds = [labelled[0::2], labelled[1::2]]
    cfg = model.decoding
    result = {}
    raw_all = calibration_samples(model, labelled, cfg)
    crossfit: dict[str, tuple[list[float], list[bool]]] = {"spans": ([], []), "sentence": ([], [])}
    for k in (0, 1):
        fit_on, judge = folds[1 - k], folds[k]
        maps = fit_score_calibration(model, fit_on, cfg)
        judged = calibration_samples(model, judge, cfg)
        for source, (scores, hits) in judged.items():
            cal = maps.get(source)
            mapped = [float(cal(s)) if cal is not None else s for s in scores]
            key = "sentence" if source == "sentence" else "spans"
            crossfit[key][0].extend(mapped)
            crossfit[key][1].extend(hits)
    for key, sources in (("spans", ("labelled", "nested")), ("sentence", ("sentence",))):
        scores = [s for src in sources for s in raw_all[src][0]]
        hits = [h for src in sources for h in raw_all[src][1]]
        result[key] = {
            "items": len(scores),
            "ece_raw": expected_calibration_error(np.clip(scores, 0, 1), hits, n_bins),
            "ece_calibrated_crossfit": expected_calibration_error(np.clip(crossfit[key][0], 0, 1), crossfit[key][1], n_bins),
            "bins_raw": [b.__dict__ for b in reliability_bins(np.clip(scores, 0, 1), hits, n_bins)],
            "bins_calibrated_crossfit": [b.__dict__ for b in reliability_bins(np.clip(crossfit[key][0], 0, 1), crossfit[key][1], n_bins)],
        }
    return result


def redecode(model: ModelBase, outputs: list[ArticleOutput]) -> list[ArticleOutput]:
    """Decode kept outputs again with the model's (new) decoding, without running the encoder again."""
    cfg = model.decoding
    out = []
    for o in outputs:
        pred = TokenPredictions(o.tokens, o.probs, o.hidden)
        found = detect_spans(o.text, o.tokens, o.probs, _classifier(model, o.text, pred), cfg)
        out.append(replace(o, spans=found, si=si_spans(o.text, o.tokens, o.probs, found, cfg),
                           tc_labels=_gold_tc_labels(model, o.text, pred, o.gold) if o.hidden is not None else o.tc_labels))
    return out
