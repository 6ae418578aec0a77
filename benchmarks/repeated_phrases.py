"""Repetition where a highlighted phrase comes back (``model.repeats``): does it earn its place?

    python benchmarks/repeated_phrases.py --cv runs/cv-minilm   # the rate, both judges, the section

1. The rate (``repeats.REPEAT_RATE``), counted on the gold of PTC's 321 `train` articles: of the later occurrences
   of an annotated phrase that no span of another technique covers, the share annotated Repetition.
2. The judge of issue 12: the fold models of a ``propwatch crossval --head-lstm 192 --neighbour-vote`` run, each fold
   decoded with the decoding tuned on the other folds' held-out articles (the neighbour vote included, as `fast`
   ships), with and without the rule; pooled over the held-out articles. The rule: ``_folds.verdict`` with the gain on
   end-to-end F1 (the figure a Repetition span found where none was counts for).
3. The 50 `validation` articles, the shipped models with the decoding they ship, with and without the rule:
   end-to-end F1 must not fall, SI F1 not by more than ``SI_COST``.
The rule is shipped (``"repeats": true`` in both models' decoding) only where 2 and 3 pass; both were written down
before any figure of them was measured (RULE). Like the other fold judges (``neighbour_vote.py --cv``,
``span_stacker.py --cv``) it is run by hand after ``propwatch crossval``, not by ``run_all.py``.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

from _folds import (
    FAST_STEPS,
    change_note,
    fast_recipe_intro,
    fold_runs,
    give_examples,
    judged_folds,
    scored_folds,
    table_header,
    two_rows,
    two_way_tables,
    verdict,
)
from _report import PTC, decoding_chosen_on, require_ptc, write_section
from propwatch.evaluation.crossval import (
    CrossValidated,
    figures_of,
    fold_outputs,
    tune_across,
)
from propwatch.evaluation.run import redecode, run_model, score
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model
from propwatch.model.repeats import REPEAT_RATE, occurrences, phrase_words

SI_COST = 0.005  # what the rule may cost SI F1 on the validation articles (judge 3)
RULE = ("ship only if, on the cross-validation folds (pooled), end-to-end F1 rises by at least 0.01 while SI, TC "
        "micro-, TC macro- and sentence F1 each fall by at most 0.005, and on the 50 validation articles end-to-end "
        f"F1 does not fall and SI F1 falls by at most {SI_COST}, for `fast` and for `accurate`")


def gold_rate() -> tuple[int, int]:
    """(Repetition, all): the later occurrences of an annotated phrase in the `train` articles' gold that no span
    of another technique covers, and how many of them are annotated Repetition."""
    repetition = total = 0
    for c in read_corpus(PTC / "train", read_split(PTC / "splits.json", "train")):
        text, gold = c.article.text, c.gold or []
        others = [(g.start, g.end) for g in gold if g.technique != "repetition"]
        repeats = [(g.start, g.end) for g in gold if g.technique == "repetition"]
        seen: set[tuple[str, ...]] = set()
        for g in sorted(gold, key=lambda g: g.start):
            words = phrase_words(text[g.start:g.end])
            if not words or tuple(words) in seen:
                continue
            seen.add(tuple(words))
            for a, b in occurrences(text, words):
                if a < g.end or any(x < b and a < y for x, y in others):
                    continue
                total += 1
                repetition += any(x < b and a < y for x, y in repeats)
    return repetition, total


def with_and_without(models, folds) -> tuple[CrossValidated, CrossValidated, int]:
    """Each fold decoded with the decoding tuned on the others (vote included), without and with the rule."""
    sides: dict[bool, list] = {False: [], True: []}
    for k, (model, outputs) in enumerate(zip(models, folds)):
        others = [f for j, f in enumerate(folds) if j != k]
        print(f"fold {k + 1}: tuning on the other folds' {sum(map(len, others))} held-out articles")
        chosen, _ = tune_across(others, [m for j, m in enumerate(models) if j != k], FAST_STEPS)
        for on in (False, True):
            sides[on].append(redecode(model.with_decoding(replace(chosen, repeats=on)), outputs))
    added = sum(1 for fold in sides[True] for o in fold for s in o.spans if s.technique == "repetition") - sum(
        1 for fold in sides[False] for o in fold for s in o.spans if s.technique == "repetition")

    return scored_folds(sides[False]), scored_folds(sides[True]), added


def on_folds(cv: Path) -> tuple[list[str], bool]:
    plan, runs = fold_runs(cv, 382, 320)  # `fast`'s windows, as `propwatch crossval` scores its folds
    give_examples(cv, plan, runs)
    folds = fold_outputs(runs)
    without, with_rule, added = with_and_without([m for m, _ in runs], folds)
    passes, change = verdict(without, with_rule, gain_on="end_to_end")
    n = sum(map(len, folds))
    judged = judged_folds(plan, runs, folds, "; each tuned on the other's held-out articles")
    lines = [fast_recipe_intro(2, cv, plan, judged, "without and with the rule"), ""]
    lines += two_way_tables("decoding", ("as tuned (the shipped recipe)", without), ("with the repeats", with_rule))
    rep_before = without.per_technique().get("repetition", {})
    rep_after = with_rule.per_technique().get("repetition", {})
    lines += ["", f"Repetition's end-to-end F1: {rep_before.get('end_to_end_f1', 0):.3f} without, "
              f"{rep_after.get('end_to_end_f1', 0):.3f} with ({added} Repetition spans added over {n} articles).",
              f"With against without: {change}. Judge 2: **{'passes' if passes else 'fails'}**.", ""]
    return lines, passes


def on_validation() -> tuple[list[str], bool]:
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    lines = ["**3. The shipped models on the 50 `validation` articles**, with the decoding they ship, without and "
             "with the rule (where each decoding was chosen is in its row: `accurate`'s on these articles, so its "
             "rows are no unseen-article figures):", ""]
    lines += table_header("model, decoding")
    ok = True
    notes = []
    for name in ("fast", "accurate"):
        model = load_model(name)
        outputs = run_model(model, articles, keep_hidden=True)
        sides = {on: redecode(model.with_decoding(replace(model.decoding, repeats=on)), outputs)
                 for on in (False, True)}
        figures = {on: figures_of(score(sides[on])) for on in sides}
        label = f"`{name}` ({model.name} {model.version}, decoding {decoding_chosen_on(model)})"
        rows, change = two_rows(label, "the repeats", len(articles), figures)
        lines += rows
        passes = change["end_to_end"] >= 0 and change["si"] >= -SI_COST
        ok = ok and passes
        notes.append(change_note(name, change, "Judge 3", passes))
    return lines + [""] + notes + [""], ok


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", required=True, help="a propwatch crossval --out folder with at least two fold models")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    repetition, total = gold_rate()
    intro = ["A phrase the decoding highlighted gives a Repetition span at each later place it recurs with nothing "
             "highlighted there (`model/repeats.py`), scored as the source span's probability times the rate below. "
             "PTC's annotators mark Repetition where a phrase comes back; the span channel rarely proposes a plain "
             "word's second coming.", "",
             f"**1. The rate**, from the gold of the 321 `train` articles: of the later occurrences of an annotated "
             f"phrase that no span of another technique covers, {repetition} of {total} are annotated Repetition "
             f"({repetition / total:.2f}; `REPEAT_RATE` = {REPEAT_RATE}).", "",
             f"Rule, written before the figures below were measured: {RULE}.", ""]
    fold_lines, folds_pass = on_folds(Path(args.cv))
    validation_lines, validation_pass = on_validation()
    verdict_line = (f"Verdict: **{'ships' if folds_pass and validation_pass else 'not shipped'}** (judge 2 "
                    f"{'passes' if folds_pass else 'fails'}, judge 3 {'passes' if validation_pass else 'fails'}).")
    body = intro + fold_lines + validation_lines + [verdict_line, "", f"Time: {time.perf_counter() - started:.0f} s."]
    write_section("repeated-phrases", "Repetition where a highlighted phrase comes back", "\n".join(body),
                  after="span-stacker")
    print(json.dumps({"folds": folds_pass, "validation": validation_pass}))


if __name__ == "__main__":
    main()
