"""Choosing a model's decoding on labelled articles: the thresholds that turn token probabilities into spans,
the per-technique decisions, the nested channels, the Repetition cue (``cues``) and the score calibration
(``calibration``). ``tune_and_score`` is the step every recipe takes (``propwatch tune``, ``propwatch
ensemble``, training's export): tune, decode again with the result, score.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from ..metrics import CorpusScores, end_to_end, sentence_f1, span_identification
from ..model.decode import (
    SENTENCE,
    DecodingConfig,
    RawSpan,
    detect_spans,
    gate_score,
    keep_confident,
    labelled_by,
    nested_spans,
    propaganda_spans,
    second_choices,
    sentence_means,
    span_rows,
)
from ..model.runtime import ModelBase
from ..sentences import split_sentences
from ..techniques import TECHNIQUE_IDS
from .calibration import fit_score_calibration
from .cues import tune_repetition_cue, tune_technique_offsets
from .neighbours import tune_neighbour_vote
from .run import ArticleOutput, gold_tables, identified_spans, redecode, score, span_classifier
from .stacking import tune_stacker

# A nested channel must earn its place: it raises end-to-end F1 by at least MIN_GAIN on validation, and at
# least MIN_NESTED_PRECISION of what it adds (partial-overlap precision) is right, because users judge the
# product by its false alarms.
MIN_GAIN = 0.002
MIN_NESTED_PRECISION = 0.3
MAX_SI_COST = 0.002
MIN_SCORES = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
LOWS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
PEAKS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
GATES = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)  # sentence gates tried (``decode.DecodingConfig.sentence_gate``)


@dataclass(frozen=True)
class TuningSteps:
    """The optional steps of ``tune_decoding`` to take (its docstring says what each does): ``offsets`` (the
    technique offsets), ``neighbours`` (the neighbour vote), ``stacker`` (the span stacker), ``second`` (second
    techniques), ``gate`` (the sentence gate). A step left None is taken where the model's own decoding shows it
    (``tuning_steps``). One value handed down, not a keyword per step threaded through every judge (cross-fitting,
    the folds, the CLI): a new step is one field here."""

    offsets: bool | None = None
    neighbours: bool | None = None
    stacker: bool | None = None
    second: bool | None = None
    gate: bool | None = None

    def filled_from(self, shown: TuningSteps) -> TuningSteps:
        """These steps, each one left None taken from ``shown``."""
        return TuningSteps(**{f.name: getattr(shown, f.name) if getattr(self, f.name) is None
                              else getattr(self, f.name) for f in fields(self)})


def tuning_steps(decoding: DecodingConfig) -> TuningSteps:
    """The optional steps of ``tune_decoding`` that a stored decoding shows it was tuned with: a judge that tunes a
    model's decoding again on other articles must take the same steps, or it judges another recipe."""
    return TuningSteps(offsets=bool(decoding.technique_offsets), neighbours=decoding.neighbour_vote is not None,
                       stacker=decoding.stacker is not None, second=bool(decoding.second_labels),
                       gate=decoding.sentence_gate is not None)


def tune_decoding(model: ModelBase, outputs: list[ArticleOutput],
                  steps: TuningSteps = TuningSteps()) -> tuple[DecodingConfig, dict]:
    """Choose the decoding on ``outputs`` (the validation articles, run with ``keep_hidden=True``).

    0. The Repetition cue (``tune_repetition_cue``), and with ``offsets`` the technique offsets
       (``tune_technique_offsets``), since every later step labels spans with them. The offsets are off unless
       asked for: no shipped model was tuned with them (an experiment, BENCHMARKS.md "Technique offsets"), and
       the judges that re-tune a shipped model's decoding must tune it the way it was tuned. With ``neighbours``
       the neighbour vote too (``neighbours.tune_neighbour_vote``: the nearest training examples' vote mixed into
       the span head's answer), off unless asked for, for the same reason. Left as None, each step is taken
       where ``model``'s own decoding shows it (``tuning_steps``): a judge re-tuning a shipped model tunes it as
       it was tuned. With ``stacker`` (off unless asked for, or shown by the model's decoding, as the vote), the
       span stacker (``stacking.tune_stacker``) is fitted after them and replaces them where it beats them.
    1. ``any_low``/``any_peak``/``gap`` that maximise span-identification F1 of the propaganda spans. With
       ``gate`` (off unless asked for, or shown by the model's decoding, as the vote), chosen jointly with a
       sentence gate from ``GATES`` (``_choose_sentence_gate``), kept where it raises that F1 by ``MIN_GAIN``.
    2. Label those spans with the span head; per technique, a decision threshold drops its weak spans where
       that raises end-to-end F1 (by ``MIN_GAIN``) at no more than ``MAX_SI_COST`` of SI F1.
    2b. With ``second`` (off unless asked for, or shown by the model's decoding, as the vote), technique by
       technique, the threshold from which a kept span also carries the head's second choice
       (``decode.second_choices``), chosen as the nested channels below are.
    3. Technique by technique, add nested spans from that
       technique's channel with the (low, peak) that most raises end-to-end F1 (by at least ``MIN_GAIN``, with
       at least ``MIN_NESTED_PRECISION`` of the added spans right); other channels add nothing.
    4. SI spans: the propaganda spans alone, or with the nested ones, whichever scores higher.
    5. Score calibration, fitted on the final decoding's spans and on the sentences.

    The report floor is no part of it: a product rule (``model.decode.REPORT_FLOOR``), not a tuned figure.
    """
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, gold_spans = gold_tables(labelled)
    found = propaganda_span_grid(labelled)
    best_si, neg_gap, low, peak = max((span_identification(gold_si, pred).f1, -gap, low, peak)
                                      for (gap, low, peak), pred in found.items())
    steps = steps.filled_from(tuning_steps(model.decoding))
    sentence_gate, gate_info = None, None
    if steps.gate:
        sentence_gate, (best_si, neg_gap, low, peak), gate_info = _choose_sentence_gate(
            labelled, found, gold_si, (best_si, neg_gap, low, peak))
    cue, cue_info = tune_repetition_cue(model, labelled)
    shifts, offset_info = tune_technique_offsets(model, labelled, cue) if steps.offsets else ({}, None)
    vote, vote_info = tune_neighbour_vote(model, labelled, cue, shifts) if steps.neighbours else (None, None)
    stacked, stacker_info = tune_stacker(model, labelled, vote, cue, shifts) if steps.stacker else (None, None)
    cfg = DecodingConfig(any_low=low, any_peak=peak, gap=-neg_gap, repetition_cue=cue, technique_offsets=shifts,
                         neighbour_vote=vote, stacker=stacked, sentence_gate=sentence_gate)
    model = model.with_decoding(cfg)  # the span labels below use the cue, the offsets and the vote
    current: Table = {}
    rows: Rows = {}
    for o in labelled:
        classify = span_classifier(model, o.text, o.predictions())
        spans = propaganda_spans(o.text, o.tokens, o.probs, cfg)
        rows[o.id] = (spans, span_rows(spans, classify))
        current[o.id] = labelled_by(*rows[o.id])
    gold = _Gold(gold_si, gold_spans)
    min_scores, current, base_e2e = _choose_thresholds(current, gold)
    cfg = replace(cfg, min_scores=min_scores)
    f_second, second_precision = base_e2e, dict[str, float]()
    if steps.second:
        second_labels, second_precision, current, f_second = _choose_second_labels(labelled, current, rows, gold,
                                                                                   base_e2e)
        cfg = replace(cfg, second_labels=second_labels)
    channels, nested_precision, current, f_current = _choose_nested_channels(labelled, current, cfg.gap, gold, f_second)
    with_nested = gold.si(current)
    cfg = replace(cfg, channels=channels, si_spans="all" if with_nested > best_si else "any")
    cfg, dropped = _spare_sentences(model, labelled, cfg)
    cfg = replace(cfg, calibration=fit_score_calibration(model, labelled, cfg))
    info = {"si_f1_propaganda_spans": best_si, "si_f1_with_nested": with_nested,
            "end_to_end_f1_labelled_only": base_e2e, "end_to_end_f1_with_nested": f_current,
            "nested_precision": nested_precision, "calibrated": sorted(cfg.calibration),
            "repetition_cue": cue_info, "thresholds_dropped_for_sentence_f1": dropped}
    if offset_info is not None:
        info["technique_offsets"] = offset_info
    if vote_info is not None:
        info["neighbour_vote"] = vote_info
    if stacker_info is not None:
        info["stacker"] = stacker_info
    if gate_info is not None:
        info["sentence_gate"] = gate_info
    if steps.second:
        info["second_labels"] = {"thresholds": cfg.second_labels, "precision": second_precision,
                                 "end_to_end_f1_with_second": f_second}
    return cfg, info


Table = dict[str, list[RawSpan]]  # article id -> its decoded spans
Rows = dict[str, tuple[list[RawSpan], np.ndarray]]  # article id -> its propaganda spans, the span head's rows


@dataclass(frozen=True)
class _Gold:
    """The gold tables of the tuning articles, and the two figures each tuning step judges a table of spans by."""

    si_table: dict
    spans_table: dict

    def e2e(self, table: Table) -> float:
        return end_to_end(self.spans_table, {k: [(s.start, s.end, s.technique) for s in v]
                                             for k, v in table.items()}).f1

    def si(self, table: Table) -> float:
        return span_identification(self.si_table, {k: [(s.start, s.end) for s in v] for k, v in table.items()}).f1


def _choose_thresholds(labelled_all: Table, gold: _Gold) -> tuple[dict[str, float], Table, float]:
    """Per-technique decision thresholds on the labelled spans: a technique's weak spans go when that raises
    end-to-end F1 without costing span identification (users judge the product by its false alarms). Returns
    the thresholds, the spans they keep and their end-to-end F1."""
    min_scores: dict[str, float] = {}
    current = labelled_all
    f_current, si_current = gold.e2e(current), gold.si(current)
    for technique in TECHNIQUE_IDS:
        best_f = f_current + MIN_GAIN
        chosen: tuple[float, Table] | None = None  # threshold, spans
        for threshold in MIN_SCORES:
            trial = {k: keep_confident(v, {**min_scores, technique: threshold}) for k, v in labelled_all.items()}
            f = gold.e2e(trial)
            if f > best_f and gold.si(trial) >= si_current - MAX_SI_COST:
                best_f, chosen = f, (threshold, trial)
        if chosen is not None:
            f_current = best_f
            min_scores[technique], current = chosen
            si_current = gold.si(current)
    return min_scores, current, f_current


def _choose_second_labels(
    labelled: list[ArticleOutput], current: Table, rows: Rows, gold: _Gold, f_current: float
) -> tuple[dict[str, float], dict[str, float], Table, float]:
    """Technique by technique, the threshold from which a kept span also carries that technique when the span
    head names it second (``decode.second_choices``), where it most raises end-to-end F1 by at least
    ``MIN_GAIN`` with at least ``MIN_NESTED_PRECISION`` of the added spans right, the bar the nested channels
    meet. Returns the thresholds, the precision of what each adds, the spans with them and their end-to-end F1."""
    thresholds: dict[str, float] = {}
    precision_of: dict[str, float] = {}
    for technique in TECHNIQUE_IDS:
        gold_t = {o.id: [(g.start, g.end) for g in o.gold or [] if g.technique == technique] for o in labelled}
        best_f = f_current + MIN_GAIN
        chosen: tuple[float, Table, float] | None = None  # threshold, spans, precision
        for threshold in MIN_SCORES:
            added = {o.id: second_choices(*rows[o.id], current[o.id], {technique: threshold}) for o in labelled}
            if not any(added.values()):
                continue
            precision = span_identification(gold_t, {k: [(s.start, s.end) for s in v]
                                                     for k, v in added.items()}).precision
            if precision < MIN_NESTED_PRECISION:
                continue
            trial = {k: current[k] + added[k] for k in current}
            f = gold.e2e(trial)
            if f > best_f:
                best_f, chosen = f, (threshold, trial, precision)
        if chosen is not None:
            f_current = best_f
            thresholds[technique], current, precision_of[technique] = chosen
    return thresholds, precision_of, current, f_current


def _choose_nested_channels(
    labelled: list[ArticleOutput], current: Table, gap: int, gold: _Gold, f_current: float
) -> tuple[dict[str, tuple[float, float]], dict[str, float], Table, float]:
    """Technique by technique, the (low, peak) of that technique's channel whose nested spans most raise
    end-to-end F1 (see ``tune_decoding``). Returns the channels, the precision of what each adds, the spans
    with them and their end-to-end F1."""
    channels: dict[str, tuple[float, float]] = {}
    nested_precision: dict[str, float] = {}
    for technique in TECHNIQUE_IDS:
        gold_t = {o.id: [(g.start, g.end) for g in o.gold or [] if g.technique == technique] for o in labelled}
        best_f = f_current + MIN_GAIN
        chosen: tuple[tuple[float, float], Table, float] | None = None  # (low, peak), spans, precision
        for low in LOWS:
            for peak in PEAKS:
                if peak < low:
                    continue
                added = {
                    o.id: nested_spans(o.text, o.tokens, o.probs, current[o.id], technique, low, peak, gap)
                    for o in labelled
                }
                added_si = {k: [(s.start, s.end) for s in v] for k, v in added.items()}
                precision = span_identification(gold_t, added_si).precision
                if precision < MIN_NESTED_PRECISION:
                    continue
                trial = {k: current[k] + added[k] for k in current}
                f = gold.e2e(trial)
                if f > best_f:
                    best_f, chosen = f, ((low, peak), trial, precision)
        if chosen is not None:
            f_current = best_f
            channels[technique], current, nested_precision[technique] = chosen
    return channels, nested_precision, current, f_current


def propaganda_span_grid(labelled: list[ArticleOutput]) -> dict[tuple[int, float, float], dict[str, list]]:
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


def _choose_sentence_gate(
    labelled: list[ArticleOutput], found: dict[tuple[int, float, float], dict[str, list]], gold_si,
    ungated: tuple[float, int, float, float],
) -> tuple[float | None, tuple[float, int, float, float], dict]:
    """The sentence gate and the (gap, low, peak) it goes with: every gate of ``GATES`` on every span table of
    step 1 (``found``), the best SI F1 winning; no gate unless that beats the best ungated table (``ungated``:
    SI F1, -gap, low, peak) by ``MIN_GAIN``. Chosen jointly because a gate that drops false alarms can make a
    lower peak pay. Models without a sentence channel get no gate."""
    if not labelled:
        return None, ungated, {"gate": None, "why": "no labelled article"}
    if any(o.probs.shape[1] <= SENTENCE for o in labelled):
        return None, ungated, {"gate": None, "why": "no sentence channel"}
    outputs = {o.id: o for o in labelled}
    means = {o.id: sentence_means(o.text, o.tokens, o.probs) for o in labelled}
    best: tuple[float, int, float, float, float] | None = None
    for (gap, low, peak), table in found.items():
        read = {i: [gate_score(outputs[i].tokens, means[i], start) for start, _ in spans] for i, spans in table.items()}
        for g in GATES:
            kept = {i: [sp for sp, v in zip(spans, read[i]) if v >= g] for i, spans in table.items()}
            candidate = (span_identification(gold_si, kept).f1, -gap, low, peak, -g)
            if best is None or candidate > best:
                best = candidate
    assert best is not None
    info = {"si_f1_ungated": ungated[0], "si_f1_gated": best[0], "gate_tried": -best[4]}
    if best[0] < ungated[0] + MIN_GAIN:
        return None, ungated, {**info, "gate": None}
    return -best[4], (best[0], int(best[1]), best[2], best[3]), {**info, "gate": -best[4]}


def _spare_sentences(
    model: ModelBase, labelled: list[ArticleOutput], cfg: DecodingConfig
) -> tuple[DecodingConfig, list[str]]:
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
            classify = span_classifier(model, o.text, o.predictions())
            found = detect_spans(o.text, o.tokens, o.probs, classify, trial, floor=0.0)  # raw scores: no floor
            pred[o.id] = identified_spans(o.text, o.tokens, o.probs, found, trial)
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


@dataclass(frozen=True)
class Tuned:
    """A tuned decoding, the record of how it was chosen, the model with it, and its scores on the articles it
    was tuned on."""

    decoding: DecodingConfig
    record: dict
    model: ModelBase
    scores: CorpusScores


def tune_and_score(model: ModelBase, outputs: list[ArticleOutput], steps: TuningSteps = TuningSteps()) -> Tuned:
    """Tune ``model``'s decoding on ``outputs`` (run with ``keep_hidden=True``) with the optional ``steps``, decode
    them again with it and score them."""
    decoding, record = tune_decoding(model, outputs, steps)
    tuned = model.with_decoding(decoding)
    return Tuned(decoding, record, tuned, score(redecode(tuned, outputs)))
