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

from functools import partial
from pathlib import Path

from _folds import (
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
    plan, runs, done, folds, models = judged_outputs(cv)
    print("tuning each fold on the others, without and with the step (two processes)")
    (without, _, _), (with_step, shown, thresholds) = in_parallel(
        [partial(_decoded_folds, False), partial(_decoded_folds, True)], folds=folds, models=models)
    print("tuning on every judged fold, without and with the step (two processes)")
    (all_off, _), (all_on, _) = in_parallel([partial(tuned_on_all, {"second": False}),
                                             partial(tuned_on_all, {"second": True})], folds=folds, models=models)
    passes, change = verdict(without, with_step, gain_on="end_to_end")
    n = sum(map(len, folds))
    tables = two_way_tables("tuning", ("without the step (the shipped recipe)", without),
                            ("with second techniques", with_step))
    chosen = "; ".join(f"fold {k + 1}: " + (", ".join(f"{t} ≥ {v:g}" for t, v in sorted(th.items())) or "none")
                       for k, th in zip(done, thresholds))
    said = [f"Second techniques shown over the {n} held-out articles: {shown}. Thresholds each "
            f"fold's tuning chose (on the other folds): {chosen}."]
    return judge_one_lines(cv, plan, runs, folds, tables, said, passes, change), passes, {"without": all_off,
                                                                                         "with": all_on}


def main() -> None:
    intro = ("PTC's annotators often give one stretch of text two techniques (the same span on two lines); the "
             "decoder gave each highlighted span the span head's first choice only. A tuning step lets a kept span "
             "also carry the head's second choice where its score with it reaches a threshold chosen per technique "
             "on the tuning articles, as the nested channels are chosen (`decode.second_choices`, "
             "`tuning._choose_second_labels`). It adds no highlight: SI and the flagged sentences stay, TC does "
             "not read it; end-to-end F1 is the figure it is for.")
    two_judges(on_folds, lambda tuned: validation_both_ways(
        "second techniques", "second", tuned, lambda change: change["end_to_end"] >= 0 and change["si"] >= -SI_COST),
        intro, RULE, ("second-labels", "A second technique for a highlighted span", "repeated-phrases"))


if __name__ == "__main__":
    main()
