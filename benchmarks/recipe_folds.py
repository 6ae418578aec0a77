"""A change to the training recipe judged on the cross-validation folds: two finished ``propwatch crossval`` runs on
the same folds and seed, the shipped recipe's and one with a single recipe option changed, compared under the rule
written in runs/session-log.md before the changed folds were trained.

    python benchmarks/recipe_folds.py --shipped runs/cv-minilm --variant runs/cv-cb50    # --span-class-balance 0.5
    python benchmarks/recipe_folds.py --shipped runs/cv-minilm --variant runs/cv-jit3    # --span-jitter 3

Both runs' figures are read from their crossval.json (each fold decoded with the decoding tuned on the other
folds' held-out articles, neighbour vote included): nothing is run again, so a section restates what the two
``propwatch crossval`` commands measured. Each option judged this way has its section, its explanation and the
figure its rule asks to rise (``RECIPES``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _folds import GAIN, TOLERANCE, two_way_tables, verdict
from _report import write_section
from propwatch.evaluation.crossval import FIGURE_NAMES, FIGURES, CrossValidated, read_finished


@dataclass(frozen=True)
class Recipe:
    """How one recipe option is judged and reported."""

    flag: str  # the option of propwatch crossval
    section: str
    title: str
    gain_on: str  # the figure the rule asks to rise by GAIN
    label: Callable[[float], str]  # the variant's row in the table
    why: Callable[[float], str]  # what the option does and why it was tried
    after: str  # the section it follows in BENCHMARKS.md


RECIPES = {
    "span_class_balance": Recipe(
        "--span-class-balance", "class-balance-folds", "A class-balanced span loss on the cross-validation folds",
        "tc_macro", lambda v: f"class-balanced {v:g}",
        lambda v: ("The span head's loss weighs every annotated span alike, so the six rare techniques, a few percent "
                   f"of the spans each, pull little on it. `--span-class-balance {v:g}` weighs technique c's spans by "
                   f"(n / (14 n_c)) ^ {v:g}, normalised so the average span still weighs 1 (`training.train`)."),
        "span-stacker"),
    "span_jitter": Recipe(
        "--span-jitter", "span-jitter-folds", "Moved extents for the span head on the cross-validation folds",
        "end_to_end", lambda v: f"{v:g} moved extents a span",
        lambda v: ("The span head learns on the annotators' extents but labels the tagger's, and they rarely agree: "
                   "on the first fold only 13% of the decoded highlights that overlap an annotated span share both "
                   "its edges, and giving each the technique of the annotated span it overlaps most would raise "
                   "end-to-end F1 from 0.235 to 0.368 with the places unchanged (runs/session-log.md). "
                   f"`--span-jitter {v:g}` also trains the span head on up to {v:g} extents around each annotated "
                   "span, each edge kept or moved by up to 3 or up to 12 whole words inside the span's sentences, "
                   "each labelled by the annotated spans it overlaps (by their share of it plus its share of them) "
                   f"and weighing 1/{v:g}; the tagger's targets are unchanged (`training.jitter`)."),
        "class-balance-folds"),
}


def nested(cv: Path) -> tuple[dict, dict, CrossValidated]:
    plan, run = read_finished(cv)
    return plan, run, CrossValidated.from_json(run["nested"])


def changed_option(shipped: dict, variant: dict) -> str:
    """The one recipe option of ``RECIPES`` that the variant sets and the shipped run does not."""
    changed = [k for k in RECIPES if variant.get(k) and not shipped.get(k)]
    others = [k for k in RECIPES if k not in changed and (shipped.get(k) or 0) != (variant.get(k) or 0)]
    if len(changed) != 1 or others:
        raise SystemExit(f"--variant must change exactly one of {', '.join(r.flag for r in RECIPES.values())} "
                         "against --shipped, which sets none of them")
    return changed[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipped", required=True, help="the shipped recipe's finished propwatch crossval folder")
    parser.add_argument("--variant", required=True, help="the changed recipe's, same folds and seed")
    args = parser.parse_args()
    (plan, run, shipped), (plan_v, run_v, variant) = nested(Path(args.shipped)), nested(Path(args.variant))
    if plan["folds"] != plan_v["folds"] or plan["seed"] != plan_v["seed"]:
        raise SystemExit("the two runs must share their folds and seed (propwatch crossval --seed, --folds)")
    for name, r in (("--shipped", run), ("--variant", run_v)):
        if not r.get("neighbour_vote") or r.get("head_lstm") != 192:
            raise SystemExit(f"{name}: expected the shipped recipe's crossval options (--head-lstm 192 --neighbour-vote)")
    key = changed_option(run, run_v)
    recipe, value = RECIPES[key], run_v[key]
    rest = [FIGURE_NAMES[k] for k in FIGURES if k != recipe.gain_on]
    rule = (f"adopt where {FIGURE_NAMES[recipe.gain_on]} rises by at least {GAIN} and {', '.join(rest[:-1])} and "
            f"{rest[-1]} each fall by at most {TOLERANCE} (pooled over the held-out articles)")
    passes, change = verdict(shipped, variant, recipe.gain_on)
    total = sum(map(len, plan["folds"]))
    lines = [
        recipe.why(value) + " Both recipes below are the shipped `fast` recipe (MiniLM-L6, 6 epochs, 254-token "
        f"windows, a bidirectional LSTM of 192 units, the last epoch), trained once a fold on {plan['k']}-fold "
        f"cross-validation of the {total} `train` articles (seed {plan['seed']}), each fold decoded with the decoding "
        f"tuned on the other folds' held-out articles (neighbour vote included) and read on {run['window']}-token "
        f"windows every {run['stride']}. Pooled (mean ± standard deviation over the folds).", "",
        f"Rule, written in runs/session-log.md before the changed folds were trained: {rule}.", ""]
    lines += two_way_tables("recipe", (f"the shipped recipe (`{Path(args.shipped).name}`)", shipped),
                            (f"{recipe.label(value)} (`{Path(args.variant).name}`)", variant))
    lines += ["", f"Changed against shipped: {change}. Rule: **{'passes' if passes else 'fails'}**.", "",
              "Commands: `propwatch crossval --data ../shared/ptc/train --split-file ../shared/ptc/splits.json --out "
              f"runs/{Path(args.shipped).name} --head-lstm 192 --neighbour-vote` and the same with `--out "
              f"runs/{Path(args.variant).name} {recipe.flag} {value:g}` (about 25 minutes a fold on two cores)."]
    write_section(recipe.section, recipe.title, "\n".join(lines), after=recipe.after)


if __name__ == "__main__":
    main()
