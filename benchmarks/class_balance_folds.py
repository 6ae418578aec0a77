"""A class-balanced span-head loss (``propwatch train --span-class-balance``) judged on the cross-validation folds:
two finished ``propwatch crossval`` runs on the same folds and seed, the shipped recipe's and the class-balanced
one's, compared under the rule written in runs/session-log.md before the class-balanced folds were trained.

    python benchmarks/class_balance_folds.py --shipped runs/cv-minilm --balanced runs/cv-cb50

Both runs' figures are read from their crossval.json (each fold decoded with the decoding tuned on the other
folds' held-out articles, neighbour vote included): nothing is run again, so the section restates what the two
``propwatch crossval`` commands measured.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _folds import GAIN, TOLERANCE, figure_row, rare_table, table_header, verdict
from _report import write_section
from propwatch.evaluation.crossval import CrossValidated, read_finished

RULE = (f"adopt the class-balanced loss where TC macro-F1 rises by at least {GAIN} and SI, TC micro, end-to-end and "
        f"sentence F1 each fall by at most {TOLERANCE} (pooled over the held-out articles; the technique offsets' rule)")


def nested(cv: Path) -> tuple[dict, dict, CrossValidated]:
    plan, run = read_finished(cv)
    return plan, run, CrossValidated.from_json(run["nested"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipped", required=True, help="the shipped recipe's finished propwatch crossval folder")
    parser.add_argument("--balanced", required=True, help="the class-balanced recipe's, same folds and seed")
    args = parser.parse_args()
    (plan, run, shipped), (plan_b, run_b, balanced) = nested(Path(args.shipped)), nested(Path(args.balanced))
    if plan["folds"] != plan_b["folds"] or plan["seed"] != plan_b["seed"]:
        raise SystemExit("the two runs must share their folds and seed (propwatch crossval --seed, --folds)")
    for name, r in (("--shipped", run), ("--balanced", run_b)):
        if not r.get("neighbour_vote") or r.get("head_lstm") != 192:
            raise SystemExit(f"{name}: expected the shipped recipe's crossval options (--head-lstm 192 --neighbour-vote)")
    if run.get("span_class_balance") or not run_b.get("span_class_balance"):
        raise SystemExit("--shipped must be trained with the plain span loss and --balanced with a class-balanced one")
    passes, change = verdict(shipped, balanced)
    balance = run_b["span_class_balance"]
    total = sum(map(len, plan["folds"]))
    lines = [
        "The span head's loss weighs every annotated span alike, so the six rare techniques, a few percent of the "
        f"spans each, pull little on it. `--span-class-balance {balance:g}` weighs technique c's spans by "
        f"(n / (14 n_c)) ^ {balance:g}, normalised so the average span still weighs 1 (`training.train`). Both "
        f"recipes below are the shipped `fast` recipe (MiniLM-L6, 6 epochs, 254-token windows, a bidirectional LSTM of "
        f"192 units, the last epoch), trained once a fold on {plan['k']}-fold cross-validation of the {total} `train` "
        f"articles (seed {plan['seed']}), each fold decoded with the decoding tuned on the other folds' held-out "
        f"articles (neighbour vote included) and read on {run['window']}-token windows every {run['stride']}. Pooled "
        "(mean ± standard deviation over the folds).", "",
        f"Rule, written in runs/session-log.md before the class-balanced folds were trained: {RULE}.", ""]
    lines += table_header("span-head loss")
    lines += [figure_row(f"plain (the shipped recipe, `{Path(args.shipped).name}`)", shipped),
              figure_row(f"class-balanced {balance:g} (`{Path(args.balanced).name}`)", balanced), ""]
    lines += rare_table(shipped, balanced)
    lines += ["", f"Class-balanced against plain: {change}. Rule: **{'passes' if passes else 'fails'}**.", "",
              "Commands: `propwatch crossval --data ../shared/ptc/train --split-file ../shared/ptc/splits.json --out "
              f"runs/{Path(args.shipped).name} --head-lstm 192 --neighbour-vote` and the same with `--out "
              f"runs/{Path(args.balanced).name} "
              f"--span-class-balance {balance:g}` (about 25 minutes a fold on two cores)."]
    write_section("class-balance-folds", "A class-balanced span loss on the cross-validation folds", "\n".join(lines),
                  after="span-stacker")


if __name__ == "__main__":
    main()
