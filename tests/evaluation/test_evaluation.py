"""``evaluation.cues.tune_repetition_cue`` on the real validation articles: the cue it chooses must earn its
place on articles it was not chosen on (the cross-fitted figure), and ``redecode`` must apply it to TC. The
technique offsets (``tune_technique_offsets``) keep to their bounds and reach the TC answers. The report floor
must cost the shipped model no headline figure."""

import json
from dataclasses import replace

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
from propwatch.evaluation.run import redecode, run_model, score
from propwatch.inputs import read_corpus
from propwatch.model import OnnxModel
from propwatch.model.decode import REPORT_FLOOR


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


def test_the_report_floor_hides_only_spans_whose_absence_costs_no_figure(validation_outputs):
    model, outputs = validation_outputs
    unfloored = score(redecode(model, outputs, floor=0.0))
    floored_outputs = redecode(model, outputs)
    floored = score(floored_outputs)
    assert all(s.score >= REPORT_FLOOR for o in floored_outputs for s in o.spans)
    assert floored.end_to_end.pred_spans < unfloored.end_to_end.pred_spans  # it does hide spans...
    for figure in ("si", "end_to_end", "sentence"):  # ...and no headline figure drops for it
        assert getattr(floored, figure).f1 >= getattr(unfloored, figure).f1 - 0.002, figure
