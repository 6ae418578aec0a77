"""A second technique for a highlighted span (``decode.second_choices``): does it earn its place?

    python benchmarks/second_labels.py --cv runs/cv-minilm   # both judges, the section

PTC's annotators often give one stretch of text two techniques (the same span on two lines); the decoder gives each
propaganda span the span head's first choice only. The tuning step ``second`` (``tuning._choose_second_labels``)
lets a kept span also carry the head's second choice, technique by technique, from a threshold chosen on the tuning
articles as the nested channels are chosen.

1. The judge of issue 12: the fold models of a ``propwatch crossval --head-lstm 192 --neighbour-vote`` run, each
   fold decoded with the decoding tuned on the other folds' held-out articles (the neighbour vote included, as
   `fast` ships), tuned without and with the step; pooled over the held-out articles. The rule: ``_folds.verdict``
   with the gain on end-to-end F1 (the one figure a second label can move: it adds no highlight, so SI and the
   flagged sentences stay, and TC names gold spans one technique each).
2. The 50 `validation` articles. `fast`: its shipped weights with the decoding tuned on all judged folds' held-out
   articles without and with the step (nothing about either was chosen on these articles). `accurate`: cross-fitted
   (its decoding is tuned on these articles: tuned on four fifths, scored on the fifth, five times) without and
   with the step. End-to-end F1 must not fall, SI F1 not by more than ``SI_COST``.
Both were written down before any figure of them was measured (RULE). Like the other fold judges it is run by hand
after ``propwatch crossval``, not by ``run_all.py``.
"""

from __future__ import annotations

import argparse
import json
import time
from functools import partial
from pathlib import Path

from _folds import (
    decoded_without_each_fold,
    fast_recipe_intro,
    fold_runs,
    give_examples,
    in_parallel,
    judged_folds,
    scored_folds,
    ship_verdict,
    tuned_on_all,
    two_way_tables,
    validation_both_ways,
    verdict,
)
from _report import require_ptc, write_section
from propwatch.evaluation.crossval import (
    CrossValidated,
    cross_fit,
    fold_outputs,
)

SI_COST = 0.005  # what the step may cost SI F1 on the validation articles (judge 2)
RULE = ("ship only if, on the cross-validation folds (pooled), end-to-end F1 rises by at least 0.01 while SI, TC "
        "micro-, TC macro- and sentence F1 each fall by at most 0.005, and on the 50 validation articles end-to-end "
        f"F1 does not fall and SI F1 falls by at most {SI_COST} (for `fast` and, to ship there too, `accurate`)")


def _decoded_folds(second: bool, job: dict) -> tuple[CrossValidated, int, list[dict]]:
    """Each fold decoded with the decoding tuned on the other folds (vote included), with or without the step,
    scored (the decoded outputs hold the encoder states: only figures go back to the parent process); the
    second techniques shown, and the step's thresholds each tuning chose."""
    decoded, tunings = decoded_without_each_fold(job, second=second)
    return scored_folds(decoded), second_count(decoded), [chosen.second_labels for chosen, _ in tunings]


def second_count(decoded: list) -> int:
    return sum(1 for fold in decoded for o in fold for s in o.spans if s.channel == "second")


def on_folds(cv: Path) -> tuple[list[str], bool, dict]:
    plan, runs = fold_runs(cv, 382, 320)  # `fast`'s windows, as `propwatch crossval` scores its folds
    done = give_examples(cv, plan, runs)
    folds = fold_outputs(runs)
    models = [m for m, _ in runs]
    print("tuning each fold on the others, without and with the step (two processes)")
    (without, _, _), (with_step, shown, thresholds) = in_parallel(
        [partial(_decoded_folds, False), partial(_decoded_folds, True)], folds=folds, models=models)
    print("tuning on every judged fold, without and with the step (two processes)")
    (all_off, _), (all_on, _) = in_parallel([partial(tuned_on_all, {"second": False}),
                                             partial(tuned_on_all, {"second": True})], folds=folds, models=models)
    passes, change = verdict(without, with_step, gain_on="end_to_end")
    n = sum(map(len, folds))
    judged_words = judged_folds(plan, runs, folds, "; each tuned on the other's held-out articles")
    lines = [fast_recipe_intro(1, cv, plan, judged_words, "tuned without and with the step"), ""]
    lines += two_way_tables("tuning", ("without the step (the shipped recipe)", without),
                            ("with second techniques", with_step))
    chosen = "; ".join(f"fold {k + 1}: " + (", ".join(f"{t} ≥ {v:g}" for t, v in sorted(th.items())) or "none")
                       for k, th in zip(done, thresholds))
    lines += ["", f"Second techniques shown over the {n} held-out articles: {shown}. Thresholds each "
              f"fold's tuning chose (on the other folds): {chosen}.",
              f"With against without: {change}. Judge 1: **{'passes' if passes else 'fails'}**.", ""]
    return lines, passes, {"without": all_off, "with": all_on}


def _cross_fit(second: bool, job: dict) -> CrossValidated:
    return cross_fit(job["model"], job["outputs"], second=second)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", required=True, help="a propwatch crossval --out folder with at least two fold models")
    parser.add_argument("--store", help="write the fold-tuned decodings (without, with) to this JSON file")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    intro = ["PTC's annotators often give one stretch of text two techniques (the same span on two lines); the "
             "decoder gave each highlighted span the span head's first choice only. A tuning step lets a kept span "
             "also carry the head's second choice where its score with it reaches a threshold chosen per technique "
             "on the tuning articles, as the nested channels are chosen (`decode.second_choices`, "
             "`tuning._choose_second_labels`). It adds no highlight: SI and the flagged sentences stay, TC does "
             "not read it; end-to-end F1 is the figure it is for.", "",
             f"Rule, written before the figures below were measured: {RULE}.", ""]
    fold_lines, folds_pass, tuned = on_folds(Path(args.cv))
    if args.store:
        Path(args.store).write_text(json.dumps({k: v.to_dict() for k, v in tuned.items()}, indent=1),
                                    encoding="utf-8")
    validation_lines, validation_pass = validation_both_ways(
        "second techniques", tuned, _cross_fit, lambda change: change["end_to_end"] >= 0 and change["si"] >= -SI_COST)
    body = intro + fold_lines + validation_lines + [ship_verdict(folds_pass, validation_pass), "", f"Time: {time.perf_counter() - started:.0f} s."]
    write_section("second-labels", "A second technique for a highlighted span", "\n".join(body),
                  after="repeated-phrases")
    print(json.dumps({"folds": folds_pass, "validation": validation_pass}))


if __name__ == "__main__":
    main()
