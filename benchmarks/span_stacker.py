"""The span stacker (``evaluation.stacking.tune_stacker``): one logistic regression over the span head's answer,
the neighbour vote and the signals beside them, fitted on held-out articles' annotated spans, against the chain
of hand-shaped corrections it would replace, judged on cross-validation folds.

    python benchmarks/span_stacker.py --cv runs/cv-minilm

The fold models of a ``propwatch crossval`` run (trained, and given the span examples of the articles they were
trained on); each fold is decoded with the decoding tuned on the other folds' held-out articles, the shipped
recipe's way (neighbour vote, Repetition cue) and with the stacker fitted there too, the two tunings in parallel on
the same fold outputs. The rule was written in runs/session-log.md before any fold figure was measured.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _folds import fold_runs, in_parallel, two_way_tables, verdict
from _report import require_ptc, write_section
from propwatch.evaluation.crossval import CrossValidated, figures_of, fold_outputs, nested_scores, tune_across
from propwatch.evaluation.run import redecode, score
from propwatch.evaluation.stacking import MIN_STACKER_GAIN, STACKER_BALANCES, STACKER_CS
from propwatch.evaluation.tuning import TuningSteps
from propwatch.model.stacker import SIGNALS

RULE = ("adopt the stacker where TC macro-F1 rises by at least 0.01 and SI, TC micro, end-to-end and sentence F1 each "
        "fall by at most 0.005 (pooled over the held-out articles; the technique offsets' rule)")


def stacked_folds(folds, models) -> tuple[CrossValidated, list[dict]]:
    """Each fold decoded with the decoding (vote and stacker included) tuned on the other folds, and what each
    tuning's stacker step found."""
    decoded, records = [], []
    for k, (outputs, model) in enumerate(zip(folds, models)):
        others = [f for j, f in enumerate(folds) if j != k]
        print(f"fold {k + 1}: tuning on {sum(map(len, others))} held-out articles of the other folds")
        chosen, info = tune_across(others, [m for j, m in enumerate(models) if j != k],
                                   TuningSteps(neighbours=True, stacker=True))
        records.append(info.get("stacker", {}))
        decoded.append(redecode(model.with_decoding(chosen), outputs))
    pooled = score([o for fold in decoded for o in fold])
    return CrossValidated([figures_of(score(f)) for f in decoded], figures_of(pooled), [len(f) for f in folds],
                          pooled), records


def _plain(job: dict) -> tuple[CrossValidated, list[dict]]:
    return nested_scores(job["folds"], job["models"], steps=TuningSteps(neighbours=True, stacker=False)), []


def _stacked(job: dict) -> tuple[CrossValidated, list[dict]]:
    return stacked_folds(job["folds"], job["models"])


def _choice(record: dict) -> str:
    if not record.get("chosen"):
        return (f"none (cross-fitted mean {(record['tc_micro_f1_crossfit'] + record['tc_macro_f1_crossfit']) / 2:.3f} "
                f"against the chain's {(record['tc_micro_f1_chain'] + record['tc_macro_f1_chain']) / 2:.3f})")
    c = record["chosen"]
    return (f"C {c['c']:g}, balance {c['balance']:g}, {record['spans']} spans (cross-fitted TC micro "
            f"{record['tc_micro_f1_crossfit']:.3f} / macro {record['tc_macro_f1_crossfit']:.3f} against the chain's "
            f"{record['tc_micro_f1_chain']:.3f} / {record['tc_macro_f1_chain']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", required=True, help="a finished propwatch crossval --neighbour-vote --out folder")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    cv = Path(args.cv)
    finished = cv / "crossval.json"
    run = json.loads(finished.read_text(encoding="utf-8")) if finished.exists() else {}
    window, stride = run.get("window", 382), run.get("stride", 320)  # `fast`'s windows, the crossval defaults
    plan, runs = fold_runs(cv, window, stride)
    if len(runs) != plan["k"] or not all(m.examples.available for m, _ in runs):
        raise SystemExit(f"{cv}: every fold model must be trained and hold its span examples (propwatch crossval "
                         "--neighbour-vote gives them)")
    print(f"running {len(runs)} fold models on their held-out articles")
    (without, _), (with_stacker, records) = in_parallel([_plain, _stacked], folds=fold_outputs(runs),
                                                        models=[m for m, _ in runs])
    passes, change = verdict(without, with_stacker)
    total = sum(map(len, plan["folds"]))
    lines = [
        "The span head's answer is corrected by three hand-shaped steps fitted on unseen articles (the neighbour "
        "vote, the technique offsets where chosen, the Repetition cue). The stacker replaces them with one "
        "multinomial logistic regression fitted on the tuning articles' annotated spans (`model.stacker`, "
        "`evaluation.stacking`): its inputs are the span head's log-probabilities, the neighbour vote, the token "
        f"tagger's 14 technique channels over the span (mean and max) and {len(SIGNALS)} signals of the span's words "
        f"and sentence ({', '.join(f'`{s}`' for s in SIGNALS)}), standardised. C from "
        f"{', '.join(map(str, STACKER_CS))} and class balance from {', '.join(map(str, STACKER_BALANCES))}, chosen "
        "by fitting on four fifths of the tuning articles and scoring the fifth; kept only where its cross-fitted "
        f"mean of TC micro- and macro-F1 beats the chain's by {MIN_STACKER_GAIN} (`propwatch crossval --stacker`).",
        "", f"Rule, written in runs/session-log.md before the fold figures were measured: {RULE}.", "",
        f"**The `fast` recipe on {plan['k']}-fold cross-validation of the {total} `train` articles** (`{cv.name}`, seed "
        f"{plan['seed']}, read on {window}-token windows every {stride}): each fold decoded with the "
        "decoding tuned on the other folds' held-out articles. Pooled (mean ± standard deviation over the folds).", ""]
    lines += two_way_tables("tuning", ("the shipped recipe (vote, cue)", without), ("with the stacker", with_stacker))
    lines += ["", "Stacker each tuning chose: " + "; ".join(f"for fold {k + 1}: {_choice(r)}"
                                                          for k, r in enumerate(records)) + ".",
              f"With against without: {change}. Rule: **{'passes' if passes else 'fails'}**.", "",
              f"Time: {time.perf_counter() - started:.0f} s."]
    write_section("span-stacker", "The span stacker on the cross-validation folds", "\n".join(lines),
                  after="neighbour-vote-folds")


if __name__ == "__main__":
    main()
