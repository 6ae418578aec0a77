"""The neighbour vote (``evaluation.neighbours.tune_neighbour_vote``): the span head's answer mixed with a vote of
the training examples most like the span, against the decoding tuned without it, each judged on articles it was
not tuned on.

    python benchmarks/neighbour_vote.py                     # part 1
    python benchmarks/neighbour_vote.py --cv runs/cv-minilm  # part 2 (its own section; the judge)
    python benchmarks/neighbour_vote.py --cv runs/cv-minilm --without-only  # part 2's side without the vote, kept

1. The shipped models on the 50 `validation` articles, cross-fitted (decoding tuned on four fifths, scored on the
   fifth, five times), with and without the vote in the tuning. A probe of the vote on these articles came first
   (it suggested the idea), so this part is not the judge.
2. With ``--cv``: the fold models of a ``propwatch crossval`` run, each given the span examples of the articles it
   was trained on, each fold decoded with the decoding (vote included) tuned on the other folds' held-out
   articles, with and without the vote. This is the judge (``RULE``, fixed before any fold figure was measured).
   After ``propwatch crossval --neighbour-vote`` the side with the vote is read from its ``crossval.json``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _folds import (
    both_ways,
    figure_row,
    fold_runs,
    give_examples,
    judged_folds,
    table_header,
    trained_folds,
    two_way_tables,
)
from _report import PTC, require_ptc, write_section
from propwatch.evaluation.crossval import (
    FIGURE_NAMES,
    FIGURES,
    CrossValidated,
    fold_outputs,
    nested_scores,
)
from propwatch.evaluation.cues import tune_repetition_cue
from propwatch.evaluation.neighbours import (
    MIN_VOTE_GAIN,
    VOTE_BALANCES,
    VOTE_KS,
    VOTE_TEMPERATURES,
    VOTE_WEIGHTS,
    tune_neighbour_vote,
)
from propwatch.evaluation.run import run_model
from propwatch.evaluation.tuning import TuningSteps
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model

MICRO_GAIN, MACRO_GAIN = 0.005, 0.01  # TC micro- and macro-F1 (pooled) the vote must add...
TOLERANCE = 0.005  # ...while SI, end-to-end and sentence F1 (pooled) fall by no more than this
RULE = (f"adopt the vote where TC micro-F1 rises by at least {MICRO_GAIN} and TC macro-F1 by at least {MACRO_GAIN}, "
        f"and SI, end-to-end and sentence F1 each fall by at most {TOLERANCE} (pooled over the held-out articles)")


def verdict(without: CrossValidated, with_vote: CrossValidated) -> tuple[bool, str]:
    change = {k: with_vote.pooled[k] - without.pooled[k] for k in FIGURES}
    passes = (change["tc_micro"] >= MICRO_GAIN and change["tc_macro"] >= MACRO_GAIN
              and all(change[k] >= -TOLERANCE for k in ("si", "end_to_end", "sentence")))
    return passes, ", ".join(f"{FIGURE_NAMES[k]} {round(change[k], 4) + 0:+.4f}" for k in FIGURES)


def _vote(info: dict) -> str:
    v = info.get("vote")
    if not v:
        return "none (no setting added its gain)"
    return (f"weight {v['weight']:g}, {v['k']} neighbours, temperature {v['temperature']:g}, balance "
            f"{v['balance']:g}")


def on_validation() -> list[str]:
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    lines = ["**1. The shipped models on the 50 `validation` articles**, cross-fitted: each fifth decoded with the "
             "decoding tuned on the other four fifths, five times; pooled over the 50 articles (mean ± standard "
             "deviation over the fifths). A probe of the vote on these articles suggested it, so they are not its "
             "judge (part 2 is).", ""]
    lines += table_header("model, tuning")
    notes = []
    for name in ("fast", "accurate"):
        model = load_model(name)
        outputs = run_model(model, articles, keep_hidden=True)
        labelled = [o for o in outputs if o.gold is not None]
        cue, _ = tune_repetition_cue(model, labelled)
        _, info = tune_neighbour_vote(model, labelled, cue, model.decoding.technique_offsets)
        print(f"{name}: cross-fitting both ways")
        without, with_vote = both_ways("neighbours", kind="crossfit", model=model, outputs=outputs)
        label = f"`{name}` ({model.name} {model.version})"
        lines += [figure_row(f"{label}, without the vote", without), figure_row(f"{label}, with the vote", with_vote)]
        passes, change = verdict(without, with_vote)
        notes.append(f"- `{name}`: vote chosen on all 50 articles: {_vote(info)} (TC micro-F1 there "
                     f"{info['tc_micro_f1_without']:.3f} → {info['tc_micro_f1_with']:.3f}, macro "
                     f"{info['tc_macro_f1_without']:.3f} → {info['tc_macro_f1_with']:.3f}). Cross-fitted, with "
                     f"against without: {change}. By the rule: {'passes' if passes else 'fails'}.")
    return lines + [""] + notes + [""]


def nested_without_vote(cv: Path, folds, models) -> CrossValidated:
    """The folds decoded the shipped recipe's way (no vote), computed once and kept in the run folder."""
    cache = cv / "nested-without-vote.json"
    if cache.exists():
        return CrossValidated.from_json(json.loads(cache.read_text(encoding="utf-8")))
    without = nested_scores(folds, models, say=print, steps=TuningSteps(neighbours=False))
    cache.write_text(json.dumps(without.to_json(), indent=1), encoding="utf-8")
    return without


def on_folds(cv: Path, without_only: bool = False) -> tuple[list[str], bool]:
    """The judge. Where ``propwatch crossval --neighbour-vote`` has scored the folds (its ``crossval.json``), the
    figures with the vote are the ones it measured when it tuned them (recomputing them would repeat a quarter of
    an hour of tuning); the figures without it are computed here once and kept in ``CV/nested-without-vote.json``
    (this part can run while the crossval command tunes: it needs no span examples)."""
    finished = cv / "crossval.json"
    run = json.loads(finished.read_text(encoding="utf-8")) if finished.exists() else {}
    window, stride = run.get("window", 382), run.get("stride", 320)  # `fast`'s windows, the crossval defaults
    plan, runs = fold_runs(cv, window, stride)
    done = trained_folds(cv, plan)
    print(f"running {len(runs)} fold models on their held-out articles")
    folds = fold_outputs(runs)
    models = [m for m, _ in runs]
    if without_only:
        nested_without_vote(cv, folds, models)
        return [], False
    if run.get("neighbour_vote") and len(runs) == plan["k"]:
        without = nested_without_vote(cv, folds, models)
        with_vote = CrossValidated.from_json(run["nested"])
    else:
        give_examples(cv, plan, runs)
        without, with_vote = both_ways("neighbours", kind="nested", folds=folds, models=models)
    passes, change = verdict(without, with_vote)
    votes = []
    for (model, _), outputs in zip(runs, folds):
        labelled = [o for o in outputs if o.gold is not None]
        cue, _ = tune_repetition_cue(model, labelled)
        votes.append(_vote(tune_neighbour_vote(model, labelled, cue, {})[1]))
    total = sum(map(len, plan["folds"]))
    judged = judged_folds(plan, runs, folds)
    lines = [f"**2. The `fast` recipe (6 epochs, BiLSTM head of 192) on cross-validation folds of the {total} `train` "
             f"articles** (`{cv.name}`: seed {plan['seed']}, the fold models of `propwatch crossval`, read on "
             f"{window}-token windows every {stride}; each fold model given the span examples of the articles it was "
             f"trained on), judged on {judged}: each fold decoded with the decoding tuned on the other judged folds' "
             "held-out articles. Pooled over the folds (mean ± standard deviation over the folds).", ""]
    lines += two_way_tables("tuning", ("without the vote (the shipped recipe)", without), ("with the vote", with_vote))
    lines += ["", "Vote each fold's held-out articles choose (as tuning articles for the others): "
              + "; ".join(f"fold {k + 1}: {v}" for k, v in zip(done, votes)) + ".",
              f"With against without: {change}. Rule: **{'passes' if passes else 'fails'}**.", ""]
    return lines, passes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", default=None, help="a propwatch crossval --out folder whose fold models are trained")
    parser.add_argument("--without-only", action="store_true", help="with --cv: only compute and keep the folds' "
                        "figures without the vote (while propwatch crossval --neighbour-vote measures them with it)")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    if args.without_only:
        on_folds(Path(args.cv), without_only=True)
        return
    intro = ["The span head names a technique for each span. The vote asks the training examples most like the span "
             "(the span examples each model ships to show readers its reasons, `examples.npz`, compared by the cosine "
             "of their mean token states): a softmax over the k nearest similarities at a temperature, summed by "
             "technique and divided by each technique's share of the examples to a power (the balance), mixed into "
             "the head's probabilities with a weight (`model.spans.neighbour_votes`). The settings come from weights "
             f"{', '.join(map(str, VOTE_WEIGHTS))}, k {', '.join(map(str, VOTE_KS))}, temperatures "
             f"{', '.join(map(str, VOTE_TEMPERATURES))} and balances {', '.join(map(str, VOTE_BALANCES))}, chosen for "
             f"the mean of TC micro- and macro-F1 on the tuning articles and kept only where they add {MIN_VOTE_GAIN} "
             "there (`propwatch crossval --neighbour-vote`).", "",
             f"Rule, fixed before the fold figures were measured: {RULE}.", ""]
    if args.cv:
        lines, _ = on_folds(Path(args.cv))
        lines.append(f"Time: {time.perf_counter() - started:.0f} s.")
        write_section("neighbour-vote-folds", "The neighbour vote on the cross-validation folds",
                      "\n".join(intro + lines), after="technique-offsets-folds")
        return
    lines = intro + on_validation()
    lines.append(f"Time: {time.perf_counter() - started:.0f} s.")
    write_section("neighbour-vote", "The neighbour vote: the nearest training examples' say on a span's technique",
                  "\n".join(lines), after="neighbour-vote-folds")


if __name__ == "__main__":
    main()
