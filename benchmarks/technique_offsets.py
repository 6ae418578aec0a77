"""Technique offsets, a prior correction for the rare techniques (``evaluation.cues.tune_technique_offsets``):
the decoding tuned with them against the decoding tuned without them, each judged on articles it was not tuned on.

    python benchmarks/technique_offsets.py                     # part 1
    python benchmarks/technique_offsets.py --cv runs/cv-minilm  # part 2 (its own section)

1. The shipped models on the 50 `validation` articles, cross-fitted (decoding tuned on four fifths, scored on the
   fifth, five times), with and without the offsets in the tuning.
2. With ``--cv``: the fold models of a ``propwatch crossval`` run (trained; its scoring need not have finished),
   each fold decoded with the decoding tuned on the other folds, with and without the offsets. This is the judge
   issue 12 asks for (321 articles); the first part is the only one `accurate` can have.

The rule was fixed before any of these figures were measured (``RULE``). The two tunings of each comparison run
in two processes (two cores), on the same model outputs.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _folds import (
    GAIN,
    TOLERANCE,
    both_ways,
    figure_row,
    fold_runs,
    judged_folds,
    table_header,
    two_way_tables,
    verdict,
)
from _report import PTC, require_ptc, write_section
from propwatch.evaluation.crossval import fold_outputs
from propwatch.evaluation.cues import (
    MAX_OFFSET_MICRO_COST,
    MIN_OFFSET_GAIN,
    OFFSET_TAUS,
    tune_repetition_cue,
    tune_technique_offsets,
)
from propwatch.evaluation.run import run_model
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model

RULE = (f"adopt the offsets where TC macro-F1 rises by at least {GAIN} and SI, TC micro, end-to-end and sentence "
        f"F1 each fall by at most {TOLERANCE} (pooled over the held-out articles)")

def on_validation() -> list[str]:
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    lines = ["**1. The shipped models on the 50 `validation` articles**, cross-fitted: each fifth decoded with the "
             "decoding tuned on the other four fifths, five times; pooled over the 50 articles (mean ± standard "
             "deviation over the fifths). The tau chosen on all 50 is what a model tuned there would ship.", ""]
    lines += table_header("model, tuning")
    notes = []
    for name in ("fast", "accurate"):
        model = load_model(name)
        outputs = run_model(model, articles, keep_hidden=True)
        labelled = [o for o in outputs if o.gold is not None]
        cue, _ = tune_repetition_cue(model, labelled)
        _, info = tune_technique_offsets(model, labelled, cue)
        print(f"{name}: cross-fitting both ways")
        without, with_offsets = both_ways(kind="crossfit", model=model, outputs=outputs)
        label = f"`{name}` ({model.name} {model.version})"
        lines += [figure_row(f"{label}, without offsets", without), figure_row(f"{label}, with offsets", with_offsets)]
        passes, change = verdict(without, with_offsets)
        notes.append(f"- `{name}`: tau chosen on all 50 articles {info['tau']:g} (TC macro-F1 there "
                     f"{info['tc_macro_f1_without']:.3f} → {info['tc_macro_f1_with']:.3f}). Cross-fitted, with against "
                     f"without: {change}. Rule: **{'passes' if passes else 'fails'}**.")
    return lines + [""] + notes + [""]


def on_folds(cv: Path) -> list[str]:
    finished = cv / "crossval.json"
    run = json.loads(finished.read_text(encoding="utf-8")) if finished.exists() else {}
    window, stride = run.get("window", 382), run.get("stride", 320)  # `fast`'s windows, the crossval defaults
    plan, runs = fold_runs(cv, window, stride)
    print(f"running {len(runs)} fold models on their held-out articles")
    folds = fold_outputs(runs)
    without, with_offsets = both_ways(kind="nested", folds=folds, models=[m for m, _ in runs])
    passes, change = verdict(without, with_offsets)
    # what each fold's held-out articles, as tuning articles for the others, choose
    taus = []
    for (model, _), outputs in zip(runs, folds):
        labelled = [o for o in outputs if o.gold is not None]
        cue, _ = tune_repetition_cue(model, labelled)
        taus.append(tune_technique_offsets(model, labelled, cue)[1]["tau"])
    total = sum(map(len, plan["folds"]))
    judged = judged_folds(plan, runs, folds, "; each fold model was trained on the other two folds' articles")
    lines = [f"**2. The `fast` recipe (6 epochs, BiLSTM head of 192) on cross-validation folds of the {total} `train` "
             f"articles** (`{cv.name}`: seed {plan['seed']}, the fold models of `propwatch crossval`, read on "
             f"{window}-token windows every {stride}), judged on {judged}: each fold decoded with the decoding tuned "
             "on the other judged folds' held-out articles. Pooled over the folds (mean ± standard deviation over "
             "the folds).", ""]
    lines += two_way_tables("tuning", ("without offsets (the shipped recipe)", without), ("with offsets", with_offsets))
    lines += ["", f"Tau chosen on each fold's held-out articles (the tuning articles of the other): "
              f"{', '.join(f'{t:g}' for t in taus)}" + (" (no tau added 0.01 of TC macro-F1 within the TC micro-F1 "
                                                        "budget, so the offsets stayed off)" if not any(taus) else "")
              + ".", f"With against without: {change}. Rule: **{'passes' if passes else 'fails'}**.", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", default=None, help="a propwatch crossval --out folder whose fold models are trained")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    if args.cv:
        lines = on_folds(Path(args.cv))
        lines.append(f"Time: {time.perf_counter() - started:.0f} s.")
        write_section("technique-offsets-folds", "Technique offsets on the cross-validation folds", "\n".join(lines),
                      after="technique-offsets")
        return
    lines = ["The span head names a technique for each span; trained with plain cross-entropy on spans where loaded "
             "language outnumbers each rare technique twenty to one, it favours the frequent techniques. The offsets "
             "add -tau × log(share of the annotated spans) to each technique's log-probability (a prior correction, "
             "`model.spans.apply_technique_offsets`), tau chosen from "
             f"{', '.join(f'{t:g}' for t in OFFSET_TAUS)} for TC macro-F1 on the tuning articles, at most "
             f"{MAX_OFFSET_MICRO_COST} of TC micro-F1 spent, kept only where it adds {MIN_OFFSET_GAIN} there "
             "(`propwatch crossval --technique-offsets`). No shipped model is tuned with them.",
             "", f"Rule, fixed before these figures were measured: {RULE}.", ""]
    lines += on_validation()
    lines.append(f"Time: {time.perf_counter() - started:.0f} s.")
    write_section("technique-offsets", "Technique offsets: a prior correction for the rare techniques",
                  "\n".join(lines), after="crossval-experiments")


if __name__ == "__main__":
    main()
