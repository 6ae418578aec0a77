"""Cross-validated figures (issue 12, part 2): the `fast` recipe over folds of the PTC `train` IDs, the 50
`validation` articles as a judge nothing was tuned on, and both shipped models cross-fitted on `validation`.

    python benchmarks/crossval.py [--cv runs/cv-minilm]

Needs the fold models that `propwatch crossval` (`make crossval`) trains into `--cv` (about 27 minutes a fold on
two cores); without them it says so and writes nothing. What it measures:

1. Each fold's held-out articles decoded with the decoding tuned on the other folds' held-out articles: the
   recipe's cross-validated figures, per fold, mean ± standard deviation, and pooled.
2. On the same held-out outputs, the decoding chosen the way `fast` 1.0.3 chose it (tuned on the 50
   `validation` articles): the same articles judge both ways of choosing.
3. The shipped `fast` on the 50 `validation` articles with the decoding it ships (if that is the decoding the
   folds chose, nothing was tuned on them), beside the decoding tuned on them (the old, inflated way).
4. `fast` and `accurate` cross-fitted on `validation`: decoding tuned on four fifths, scored on the fifth.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from _report import PTC, ROOT, require_ptc, write_section
from propwatch.errors import ModelError
from propwatch.evaluation.crossval import (
    FIGURE_NAMES,
    FIGURES,
    CrossValidated,
    cross_fit,
    figures_of,
    read_finished,
)
from propwatch.evaluation.run import redecode, run_model, score
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model
from propwatch.model.decode import DecodingConfig
from propwatch.techniques import TECHNIQUES

GOALS = {"fast": {"si": 0.42, "tc_micro": 0.64, "tc_macro": 0.50, "end_to_end": 0.26, "sentence": 0.60},
         "accurate": {"si": 0.47, "tc_micro": 0.68, "end_to_end": 0.30, "sentence": 0.64}}


def _row(label: str, result: CrossValidated, pooled: bool = True) -> str:
    mean, sd = result.mean, result.spread
    cells = [f"{mean[k]:.3f} ± {sd[k]:.3f}" for k in FIGURES]
    pooled_cells = " | ".join(f"{result.pooled[k]:.3f}" for k in FIGURES) if pooled else ""
    return f"| {label} | {sum(result.articles)} | " + " | ".join(cells) + (f" | {pooled_cells} |" if pooled else " |")


def _plain(label: str, articles: int, figures: dict[str, float]) -> str:
    return f"| {label} | {articles} | " + " | ".join(f"{figures[k]:.3f}" for k in FIGURES) + " |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", default=str(ROOT / "runs" / "cv-minilm"), help="propwatch crossval's --out folder")
    args = parser.parse_args()
    require_ptc()
    cv = Path(args.cv)
    if not (cv / "crossval.json").exists():
        print(f"benchmark skipped: no finished cross-validation in {cv} (run `make crossval` first: "
              "about 30 minutes a fold on two cores)")
        return
    started = time.perf_counter()
    plan, run = read_finished(cv)
    window, stride = run["window"], run["stride"]
    # Sections 1 and 4 are what `propwatch crossval` measured when it trained and scored the folds (recorded in
    # crossval.json, about 20 minutes of tuning on two cores); recomputing them here would repeat that work.
    nested = CrossValidated.from_json(run["nested"])
    # with the neighbour vote, `benchmarks/neighbour_vote.py --cv` keeps the same folds tuned without it
    voted = bool(run.get("neighbour_vote"))
    kept = cv / "nested-without-vote.json"
    without_vote = (CrossValidated.from_json(json.loads(kept.read_text(encoding="utf-8")))
                    if voted and kept.exists() else None)
    the_old_way = CrossValidated.from_json(run["reference"]) if run.get("reference") else None

    val_articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    fast = load_model("fast")
    val_outputs = run_model(fast, val_articles, keep_hidden=True)
    shipped_on_val = score(val_outputs)
    # the row that is `fast` as it ships: the folds' decoding where it was stored into fast, else fast's own
    ships_cv = bool((fast.config.validation or {}).get("tuned_on"))
    # the decoding the folds chose, on the shipped weights: nothing about it was chosen on these articles
    cv_on_val = shipped_on_val if ships_cv else score(
        redecode(fast.with_decoding(DecodingConfig.from_dict(run["decoding"])), val_outputs))
    print("cross-fitting fast on validation")
    fast_fit = cross_fit(fast, val_outputs, say=print)
    try:
        accurate = load_model("accurate")
    except ModelError as exc:
        accurate, accurate_fit = None, None
        print(f"accurate skipped: {exc}")
    else:
        print("cross-fitting accurate on validation")
        accurate_fit = cross_fit(accurate, run_model(accurate, val_articles, keep_hidden=True), say=print)
    tuned_on = (fast.config.validation or {}).get("tuned_on", "these 50 articles")
    k = len(plan["folds"])
    reference = run.get("compare_model") or run.get("compare")
    as_shipped = nested if ships_cv or the_old_way is None else the_old_way
    # The folds may be of an earlier recipe than the `fast` shipped now (a recipe change is cross-validated first,
    # then shipped; the folds are retrained by `make crossval` when someone has the two hours): say which.
    lstm = int(run.get("head_lstm") or 0)
    recipe = f"a bidirectional LSTM of {lstm} units a direction under the token channels" if lstm else "no LSTM head"
    fast_lstm = int((fast.config.training or {}).get("head_lstm") or 0)
    whose = ("`fast` as it ships" if fast_lstm == lstm else
             f"the recipe of these folds, not the one `fast` {fast.version} ships (see \"Cross-validated recipe "
             "experiments\")")

    # section 2's second row: the decoding tuned on these 50 articles, where there is one to compare with
    second_row = []
    if not ships_cv:
        second_row = [_plain(f"as shipped (tuned on {tuned_on})", len(val_articles), figures_of(shipped_on_val))]
    elif run.get("reference_decoding"):
        old = fast.with_decoding(DecodingConfig.from_dict(run["reference_decoding"]))
        second_row = [_plain(f"{reference}'s decoding (tuned on these 50 articles)", len(val_articles),
                             figures_of(score(redecode(old, val_outputs))))]

    head = "| how the decoding was chosen | articles | " + " | ".join(FIGURE_NAMES[f] for f in FIGURES)
    lines = [
        f"**1. The `fast` recipe, {k}-fold cross-validation over the {sum(map(len, plan['folds']))} PTC `train` "
        f"articles** (folds by article, seed {plan['seed']}). Each fold's model is MiniLM-L6 trained with the "
        f"recipe of the `make crossval` run read here ({run['epochs']} epochs, 254-token windows, {recipe}, the last epoch: "
        "nothing chosen on the "
        f"held-out fold) on the other folds, and run on {window}-token windows every {stride} as `fast` runs. "
        "Mean ± standard deviation over the folds, then all folds' articles pooled into one scorecard.",
        "",
        head + " | " + " | ".join(f"pooled {FIGURE_NAMES[f]}" for f in FIGURES) + " |",
        "|---|---|" + "---|" * (2 * len(FIGURES)),
        _row(f"tuned on the other {k - 1} folds' held-out articles" + (", with the neighbour vote" if voted else ""),
             nested),
        *([_row(f"tuned on the other {k - 1} folds' held-out articles, without the neighbour vote (the recipe "
                "before it)", without_vote)] if without_vote else []),
        *([_row(f"{reference}'s decoding, tuned on the 50 `validation` articles", the_old_way)]
          if the_old_way else []),
        "",
        "Goals (issue 12, `fast`): " + ", ".join(f"{FIGURE_NAMES[f]} ≥ {v:.2f}" for f, v in GOALS["fast"].items())
        + f". Met by {whose} ({'the first' if as_shipped is nested else 'the second'} row), "
        "cross-validated mean: " + (", ".join(
            FIGURE_NAMES[f] for f, v in GOALS["fast"].items() if as_shipped.mean[f] >= v) or "none") + ".",
        "",
        f"**2. The 50 `validation` articles as a judge.** The shipped `fast` ({fast.name} {fast.version}, trained "
        "on the 321 `train` IDs) with the decoding the folds chose (tuned on all their held-out articles: nothing "
        "about it was chosen on these 50)"
        + (", which is the decoding it ships, against the same weights with the decoding tuned on these 50 "
           "articles where the folds were compared with one:" if ships_cv else
           f", against the same weights with the decoding they ship, tuned on {tuned_on}:"),
        "",
        "| decoding | articles | " + " | ".join(FIGURE_NAMES[f] for f in FIGURES) + " |",
        "|---|---|" + "---|" * len(FIGURES),
        _plain(f"chosen by {k}-fold cross-validation on `train`" + (" (as shipped)" if ships_cv else ""),
               len(val_articles), figures_of(cv_on_val)),
        *second_row,
        "",
        "**3. Cross-fitted on `validation`** (the models as trained; decoding tuned on four fifths of the 50 "
        "articles and scored on the fifth, five times; mean ± standard deviation over the fifths). It measures "
        "what tuning on the scored articles inflates, not the training choices: all-mpnet-base-v2 takes over an "
        "hour a training on two cores, so `accurate` is not trained once a fold; its learning rate, windows and "
        "epochs were carried over from MiniLM's recipe and the experiments in \"Model experiments\".",
        "",
        head + " |",
        "|---|---|" + "---|" * len(FIGURES),
        _row("`fast`", fast_fit, pooled=False),
    ]
    if accurate_fit is not None and accurate is not None:
        lines.append(_row(f"`accurate` ({accurate.name} {accurate.version})", accurate_fit, pooled=False))
    lines += ["", "**4. Per technique**, pooled over the cross-validation folds, with the decoding `fast` ships "
              f"({'tuned on the other folds' if as_shipped is nested else 'tuned on the 50 validation articles'}):",
              "", "| technique | gold spans | TC recall | TC F1 | end-to-end F1 |", "|---|---|---|---|---|"]
    rows = as_shipped.per_technique()
    for t in TECHNIQUES:
        r = rows.get(t.id)
        if r:
            lines.append(f"| {t.name} | {int(r['support'])} | {r['tc_recall']:.3f} | {r['tc_f1']:.3f} | "
                         f"{r['end_to_end_f1']:.3f} |")
    def per_fold(result: CrossValidated) -> str:
        return "; ".join(f"fold {i + 1} ({n} articles) " + ", ".join(f"{FIGURE_NAMES[f]} {fig[f]:.3f}" for f in FIGURES)
                         for i, (n, fig) in enumerate(zip(result.articles, result.per_fold))) + "."

    lines += ["", "Per fold (decoding tuned on the other folds): " + per_fold(nested),
              *(["", f"Per fold ({reference}'s decoding, tuned on the 50 `validation` articles): "
                 + per_fold(the_old_way)] if the_old_way else []),
        "", f"Time: {time.perf_counter() - started:.0f} s for sections 2 and 3; sections 1 and 4 were measured by "
        f"`make crossval` (`propwatch crossval --folds {k} --seed {plan['seed']}`), which trained the folds, and are "
        f"read from its `{cv.name}/crossval.json`."]
    write_section("crossval", "Cross-validated figures", "\n".join(lines), after="models")
    print(json.dumps({"nested": nested.to_json(), "fast_crossfit": fast_fit.to_json(),
                      "accurate_crossfit": accurate_fit.to_json() if accurate_fit else None}, indent=1))


if __name__ == "__main__":
    main()
