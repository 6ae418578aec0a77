"""``evaluation.cues.tune_repetition_cue`` on the real validation articles: the cue it chooses must earn its
place on articles it was not chosen on (the cross-fitted figure), and ``redecode`` must apply it to TC. The
technique offsets (``tune_technique_offsets``), the neighbour vote (``tune_neighbour_vote``) and the span stacker
(``tune_stacker``) keep to their bounds and reach the TC answers. The report floor
must cost the shipped model no headline figure."""

import json
from dataclasses import replace

import numpy as np
import pytest

from propwatch.evaluation.cues import (
    MAX_OFFSET_MICRO_COST,
    MIN_CUE_GAIN,
    MIN_OFFSET_GAIN,
    technique_offsets,
    technique_shares,
    tune_repetition_cue,
    tune_technique_offsets,
)
from propwatch.evaluation.neighbours import MIN_VOTE_GAIN, tune_neighbour_vote
from propwatch.evaluation.run import distinct_gold_spans, gold_tables, redecode, run_model, score, span_classifier
from propwatch.evaluation.stacking import MIN_STACKER_GAIN, STACKER_BALANCES, STACKER_CS, fit_stacker, tune_stacker
from propwatch.evaluation.tuning import TuningSteps, tuning_steps
from propwatch.inputs import read_corpus
from propwatch.model import OnnxModel
from propwatch.model.decode import (
    REPORT_FLOOR,
    NeighbourVote,
    keep_confident,
    labelled_by,
    propaganda_spans,
    second_choices,
    span_rows,
)
from propwatch.model.stacker import feature_names
from propwatch.techniques import TECHNIQUE_IDS


@pytest.fixture(scope="module")
def validation_outputs(ptc_dir, analyzer):
    ids = json.loads((ptc_dir / "splits.json").read_text())["validation"]
    model = OnnxModel()
    return model, run_model(model, read_corpus(ptc_dir / "train", ids), keep_hidden=True)


def test_the_repetition_cue_helps_technique_classification_on_unseen_articles(validation_outputs):
    model, outputs = validation_outputs
    cue, info = tune_repetition_cue(model, outputs)
    assert cue != (0.0, 0.0)
    assert info["tc_micro_f1_with"] >= info["tc_micro_f1_without"] + MIN_CUE_GAIN
    # Chosen on four fifths, scored on the fifth: still better than no cue.
    assert info["tc_micro_f1_crossfit"] > info["tc_micro_f1_without"]


def test_redecode_applies_the_cue_to_the_gold_span_labels(validation_outputs):
    model, outputs = validation_outputs
    shipped = model.decoding
    without = score(redecode(model.with_decoding(replace(shipped, repetition_cue=(0.0, 0.0))), outputs))
    strong = score(redecode(model.with_decoding(replace(shipped, repetition_cue=(20.0, 0.0))), outputs))
    assert model.decoding is shipped  # with_decoding made new models; this one is as it was
    repetition = "repetition"
    # A huge bonus labels every recurring phrase Repetition: its recall rises, and TC changes.
    assert strong.tc.per_technique[repetition]["recall"] > without.tc.per_technique[repetition]["recall"]
    assert strong.tc.micro_f1 != without.tc.micro_f1


def test_technique_offsets_favour_the_rare_techniques_and_keep_to_their_bounds(validation_outputs):
    model, outputs = validation_outputs
    labelled = [o for o in outputs if o.gold is not None]
    shares = technique_shares(labelled)
    assert abs(sum(shares.values()) - 1) < 1e-9 and min(shares.values()) > 0
    assert technique_offsets(shares, 0.0) == {}
    offsets = technique_offsets(shares, 0.5)
    assert abs(sum(offsets.values())) < 1e-3  # shifted to average 0
    assert offsets["loaded_language"] == min(offsets.values())  # the commonest technique is weighed down most
    assert offsets["slogans"] > 0 > offsets["name_calling"]
    chosen, info = tune_technique_offsets(model, labelled, model.decoding.repetition_cue)
    if chosen:  # where it chose some, they earned their place on the tuning articles within the micro-F1 budget
        assert info["tc_macro_f1_with"] >= info["tc_macro_f1_without"] + MIN_OFFSET_GAIN
        assert info["tc_micro_f1_with"] >= info["tc_micro_f1_without"] - MAX_OFFSET_MICRO_COST
    else:
        assert info["tau"] == 0.0
    # Offsets in the decoding reach the TC answers: strong ones turn some annotated spans to rarer techniques.
    strong = score(redecode(model.with_decoding(replace(model.decoding, technique_offsets=technique_offsets(
        shares, 1.0))), outputs))
    plain = score(redecode(model, outputs))
    assert strong.tc.per_technique["loaded_language"]["recall"] < plain.tc.per_technique["loaded_language"]["recall"]


def test_the_neighbour_vote_keeps_to_its_bounds_and_reaches_the_tc_answers(validation_outputs):
    model, outputs = validation_outputs
    labelled = [o for o in outputs if o.gold is not None]
    vote, info = tune_neighbour_vote(model, labelled, model.decoding.repetition_cue, {})
    mean = lambda which: (info[f"tc_micro_f1_{which}"] + info[f"tc_macro_f1_{which}"]) / 2  # noqa: E731
    if vote is not None:  # where it chose one, it earned its place on the tuning articles
        assert mean("with") >= mean("without") + MIN_VOTE_GAIN and info["vote"] == vote.to_dict()
    else:
        assert info["vote"] is None and mean("with") == mean("without")
    assert 0.0 <= info["tc_micro_f1_crossfit"] <= 1.0 and 0.0 <= info["tc_macro_f1_crossfit"] <= 1.0
    # The vote alone, from the one nearest example: each annotated span is labelled with that example's technique.
    nearest = replace(model.decoding, neighbour_vote=NeighbourVote(1.0, 1, 0.05), repetition_cue=(0.0, 0.0))
    decoded = redecode(model.with_decoding(nearest), outputs)
    article = next(o for o in labelled if len(distinct_gold_spans(o.gold)) >= 3)
    spans = distinct_gold_spans(article.gold)
    _, techniques, _ = model.nearest_examples(article.text, article.predictions(), spans, 1)
    answered = next(o for o in decoded if o.id == article.id).tc_labels
    single = [s for s in spans if sum((g.start, g.end) == s for g in article.gold) == 1]
    assert single and all((s, e, TECHNIQUE_IDS[techniques[spans.index((s, e)), 0]]) in answered for s, e in single)
    assert score(decoded).tc.micro_f1 != score(redecode(model, outputs)).tc.micro_f1


def test_judges_re_tune_a_decoding_with_the_steps_it_was_tuned_with(validation_outputs):
    model, _ = validation_outputs
    shipped = tuning_steps(model.decoding)
    assert shipped == TuningSteps(offsets=bool(model.decoding.technique_offsets),
                                  neighbours=model.decoding.neighbour_vote is not None,
                                  stacker=model.decoding.stacker is not None,
                                  second=bool(model.decoding.second_labels),
                                  gate=model.decoding.sentence_gate is not None)
    voted = replace(model.decoding, neighbour_vote=NeighbourVote(0.4, 10, 0.05), technique_offsets={"slogans": 0.3},
                    second_labels={"doubt": 0.2}, sentence_gate=0.3)
    assert tuning_steps(voted) == TuningSteps(offsets=True, neighbours=True, stacker=False, second=True, gate=True)
    # a step asked for wins over what the decoding shows; the rest are filled from it
    assert TuningSteps(neighbours=False).filled_from(tuning_steps(voted)) == TuningSteps(
        offsets=True, neighbours=False, stacker=False, second=True, gate=True)


def test_second_techniques_keep_to_their_bounds(validation_outputs):
    from propwatch.evaluation.tuning import MIN_GAIN, MIN_NESTED_PRECISION, MIN_SCORES, _choose_second_labels, _Gold

    model, outputs = validation_outputs
    labelled = [o for o in outputs if o.gold is not None]
    rows = {}
    for o in labelled:
        found = propaganda_spans(o.text, o.tokens, o.probs, model.decoding)
        rows[o.id] = (found, span_rows(found, span_classifier(model, o.text, o.predictions())))
    current = {k: keep_confident(labelled_by(*r), model.decoding.min_scores) for k, r in rows.items()}
    gold = _Gold(*gold_tables(labelled))
    base = gold.e2e(current)
    thresholds, precision, chosen, f = _choose_second_labels(labelled, current, rows, gold, base)
    added = {k: [s for s in chosen[k] if s not in current[k]] for k in chosen}
    assert all(s.channel == "second" for v in added.values() for s in v)
    shown = {k: {(s.start, s.end) for s in v} for k, v in current.items()}
    assert all((s.start, s.end) in shown[k] for k, v in added.items() for s in v)  # a label, never a new highlight
    if thresholds:  # each earned its place on these articles, from the grid, at the nested channels' precision
        assert f >= base + MIN_GAIN * len(thresholds) - 1e-9 and f == gold.e2e(chosen)
        assert set(thresholds.values()) <= set(MIN_SCORES)
        assert min(precision.values()) >= MIN_NESTED_PRECISION
    else:
        assert f == base and chosen == current
    # From a threshold of 0, every shown span also carries its second choice.
    everything = {t: 0.0 for t in TECHNIQUE_IDS}
    assert sum(len(second_choices(*rows[k], current[k], everything)) for k in rows) == sum(map(len, shown.values()))


def test_a_sentence_gate_is_chosen_only_where_it_raises_si(validation_outputs):
    from propwatch.evaluation.tuning import GATES, MIN_GAIN, _choose_sentence_gate, propaganda_span_grid
    from propwatch.metrics import span_identification

    model, outputs = validation_outputs
    labelled = [o for o in outputs if o.gold is not None]
    gold_si, _ = gold_tables(labelled)
    found = propaganda_span_grid(labelled)
    ungated = max((span_identification(gold_si, pred).f1, -gap, low, peak) for (gap, low, peak), pred in found.items())
    gate, chosen, info = _choose_sentence_gate(labelled, found, gold_si, ungated)
    assert info["si_f1_ungated"] == ungated[0] and 0.0 <= info["si_f1_gated"] <= 1.0 and info["gate_tried"] in GATES
    if gate is None:
        assert chosen == ungated
    else:  # it earned its place, and the decoder reproduces the figure it was chosen for
        assert gate in GATES and chosen[0] >= ungated[0] + MIN_GAIN
        cfg = replace(model.decoding, any_low=chosen[2], any_peak=chosen[3], gap=-chosen[1], sentence_gate=gate)
        pred = {o.id: [(s.start, s.end) for s in propaganda_spans(o.text, o.tokens, o.probs, cfg)] for o in labelled}
        assert abs(span_identification(gold_si, pred).f1 - chosen[0]) < 1e-9
    # A model without the sentence channel is never gated.
    bare = [replace(o, probs=o.probs[:, :-1]) for o in labelled]
    assert _choose_sentence_gate(bare, found, gold_si, ungated)[:2] == (None, ungated)


def test_the_report_floor_hides_only_spans_whose_absence_costs_no_figure(validation_outputs):
    model, outputs = validation_outputs
    unfloored = score(redecode(model, outputs, floor=0.0))
    floored_outputs = redecode(model, outputs)
    floored = score(floored_outputs)
    assert all(s.score >= REPORT_FLOOR for o in floored_outputs for s in o.spans)
    assert floored.end_to_end.pred_spans < unfloored.end_to_end.pred_spans  # it does hide spans...
    for figure in ("si", "end_to_end", "sentence"):  # ...and no headline figure drops for it
        assert getattr(floored, figure).f1 >= getattr(unfloored, figure).f1 - 0.002, figure


def test_the_stacker_keeps_to_its_bounds_and_reaches_the_tc_answers(validation_outputs):
    model, outputs = validation_outputs
    labelled = [o for o in outputs if o.gold is not None]
    stacker, info = tune_stacker(model, labelled, model.decoding.neighbour_vote, model.decoding.repetition_cue, {})
    mean = lambda which: (info[f"tc_micro_f1_{which}"] + info[f"tc_macro_f1_{which}"]) / 2  # noqa: E731
    assert len(info["grid"]) == len(STACKER_CS) * len(STACKER_BALANCES)
    assert info["spans"] == sum(len(o.gold) for o in labelled) and info["with_vote"]
    if stacker is not None:  # where it chose one, it beat the chain on the tuning articles, cross-fitted
        assert mean("crossfit") >= mean("chain") + MIN_STACKER_GAIN and stacker.uses_vote
    else:
        assert info["chosen"] is None
    # A stacker fitted on all these spans, whatever its cross-fitted figure, answers their TC task itself.
    names = feature_names(True)
    fitted = fit_stacker(np.zeros((len(TECHNIQUE_IDS), len(names)), np.float32), np.arange(len(TECHNIQUE_IDS)),
                         1.0, 0.0, names)
    flat = score(redecode(model.with_decoding(replace(model.decoding, stacker=fitted)), outputs))
    assert flat.tc.micro_f1 != score(redecode(model, outputs)).tc.micro_f1
