"""Spans gated by their sentence's sentence-channel score (``decode.DecodingConfig.sentence_gate``): does it earn
its place?

    python benchmarks/sentence_gate.py --cv runs/cv-minilm   # both judges, the section

The decoder finds a propaganda span where single tokens of the "any technique" channel peak; the model also has a
sentence channel, trained on "this sentence holds propaganda", which reads the sentence as a whole. The tuning step
``gate`` (``tuning._choose_sentence_gate``) keeps a span only where its sentence's mean sentence-channel probability
reaches a gate, chosen with the span thresholds on the tuning articles (a gate that drops false alarms can make a
lower peak pay), and adopted only where it raises their SI F1.

1. The judge of issue 12: the fold models of a ``propwatch crossval --head-lstm 192 --neighbour-vote`` run, each
   fold decoded with the decoding tuned on the other folds' held-out articles (the neighbour vote included, as
   `fast` ships), tuned without and with the step; pooled over the held-out articles. The rule: ``_folds.verdict``
   with the gain on SI F1, at least ``SI_GAIN``.
2. The 50 `validation` articles. `fast`: its shipped weights with the decoding tuned on all judged folds' held-out
   articles without and with the step (nothing about either was chosen on these articles). `accurate`: cross-fitted
   (its decoding is tuned on these articles: tuned on four fifths, scored on the fifth, five times) without and
   with the step. SI F1 must not fall, end-to-end F1 not by more than ``E2E_COST``.
Both were written down before any figure of them was measured (RULE). Like the other fold judges it is run by hand
after ``propwatch crossval``, not by ``run_all.py``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from _folds import (
    TOLERANCE,
    decoded_without_each_fold,
    in_parallel,
    judge_one_lines,
    judged_outputs,
    scored_folds,
    tuned_on_all,
    two_judges,
    two_way_tables,
    validation_both_ways,
    verdict,
)
from propwatch.evaluation.crossval import CrossValidated

SI_GAIN = 0.005  # what the step must add to pooled SI F1 on the folds (judge 1)
E2E_COST = 0.005  # what it may cost end-to-end F1 on the validation articles (judge 2)
RULE = (f"ship only if, on the cross-validation folds (pooled), SI F1 rises by at least {SI_GAIN} while TC micro-, "
        f"TC macro-, end-to-end and sentence F1 each fall by at most {TOLERANCE}, and on the 50 validation articles "
        f"SI F1 does not fall and end-to-end F1 falls by at most {E2E_COST} (for `fast` and, to ship there too, "
        "`accurate`)")


def _decoded_folds(gate: bool, job: dict) -> tuple[CrossValidated, list[dict]]:
    """Each fold decoded with the decoding tuned on the other folds (vote included), with or without the step,
    scored (the decoded outputs hold the encoder states: only figures go back to the parent process), and each
    tuning's record of the gate (the best gated and ungated SI F1 on its tuning articles, the gate kept)."""
    decoded, tunings = decoded_without_each_fold(job, second=False, gate=gate)
    return scored_folds(decoded), [record.get("sentence_gate", {}) for _, record in tunings]


def _gate_words(record: dict) -> str:
    if "si_f1_gated" not in record:
        return f"none ({record.get('why', 'not tried')})"
    kept = "none" if record["gate"] is None else f"{record['gate']:g}"
    return (f"{kept} (SI F1 on its tuning articles: ungated {record['si_f1_ungated']:.4f}, best gated "
            f"{record['si_f1_gated']:.4f} at {record['gate_tried']:g})")


def on_folds(cv: Path) -> tuple[list[str], bool, dict]:
    plan, runs, done, folds, models = judged_outputs(cv)
    print("tuning each fold on the others, without and with the step (two processes)", flush=True)
    (without, _), (with_step, records) = in_parallel(
        [partial(_decoded_folds, False), partial(_decoded_folds, True)], folds=folds, models=models)
    print("tuning on every judged fold, without and with the step (two processes)", flush=True)
    (all_off, _), (all_on, all_record) = in_parallel([partial(tuned_on_all, {"second": False, "gate": False}),
                                                      partial(tuned_on_all, {"second": False, "gate": True})],
                                                     folds=folds, models=models)
    passes, change = verdict(without, with_step, gain_on="si", gain=SI_GAIN)
    tables = two_way_tables("tuning", ("without the step (the shipped recipe)", without),
                            ("with the sentence gate", with_step))
    chosen = "; ".join(f"fold {k + 1}: {_gate_words(r)}" for k, r in zip(done, records))
    said = [f"Gate each fold's tuning chose (on the other folds): {chosen}. Tuned on every judged fold's "
            f"held-out articles: {_gate_words(all_record.get('sentence_gate', {}))}."]
    return judge_one_lines(cv, plan, runs, folds, tables, said, passes, change), passes, {"without": all_off,
                                                                                         "with": all_on}


def main() -> None:
    intro = ("The decoder finds a highlighted span where single tokens of its \"any technique\" channel peak; the "
             "model's sentence channel, trained on \"this sentence holds propaganda\", reads the whole sentence. A "
             "tuning step keeps a span only where its sentence's mean sentence-channel probability reaches a gate, "
             "chosen with the span thresholds on the tuning articles and adopted only where it raises their SI F1 "
             "(`decode.sentence_means`, `tuning._choose_sentence_gate`).")
    two_judges(on_folds, lambda tuned: validation_both_ways(
        "the sentence gate", "gate", tuned, lambda change: change["si"] >= 0 and change["end_to_end"] >= -E2E_COST),
        intro, RULE, ("sentence-gate", "Spans gated by their sentence's sentence-channel score", "second-labels"))


if __name__ == "__main__":
    main()
