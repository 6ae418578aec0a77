"""What the fold judges of issue 12 share: the fold models of a ``propwatch crossval`` run with their held-out
articles, a decoding tuned with and without one step on the same outputs (two processes, two cores), the rule every
such step is held to (one figure, TC macro-F1 unless the rule names another, up by ``GAIN``, nothing else down by
more than ``TOLERANCE``, pooled), and the tables the sections print (``technique_offsets.py``, ``neighbour_vote.py``,
``span_stacker.py``, ``recipe_folds.py``)."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from _report import PTC, require_ptc, write_section
from propwatch.evaluation.crossval import (
    FIGURE_NAMES,
    FIGURES,
    CrossValidated,
    build_fold_examples,
    cross_fit,
    figures_of,
    fold_outputs,
    load_fold_model,
    nested_scores,
    tune_across,
)
from propwatch.evaluation.run import redecode, run_model, score
from propwatch.evaluation.tuning import TuningSteps
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model
from propwatch.techniques import TECHNIQUES
from rare_cues import RARE

GAIN = 0.01  # what a step must add to the figure it is for (pooled; TC macro-F1 unless its rule names another)...
TOLERANCE = 0.005  # ...while no other figure (pooled) falls by more than this
# How `fast`'s decoding is tuned (the neighbour vote in, the technique offsets and the stacker out): the recipe a
# step is judged against, with that one step switched
FAST_STEPS = TuningSteps(offsets=False, neighbours=True, stacker=False)

_JOB: dict = {}  # what the forked workers read (set before the fork: outputs are shared, not copied)


def _call(task: Callable[[dict], Any]) -> Any:
    return task(_JOB)


def in_parallel(tasks: list[Callable[[dict], Any]], **job) -> list:
    """Each task called with ``job`` in a forked process of its own (a tuning a core): the model outputs in
    ``job`` are shared by the fork, not pickled. A task must be a module-level function or a partial of one."""
    _JOB.clear()
    _JOB.update(job)
    with multiprocessing.get_context("fork").Pool(len(tasks)) as pool:
        return pool.map(_call, tasks)


def _scores(steps: TuningSteps, job: dict) -> CrossValidated:
    if job["kind"] == "crossfit":
        return cross_fit(job["model"], job["outputs"], steps=steps)
    return nested_scores(job["folds"], job["models"], steps=steps)


def both_ways(switch: str = "offsets", **job) -> tuple[CrossValidated, CrossValidated]:
    """(without, with) the tuning step ``switch`` (a field of ``tuning.TuningSteps``: ``offsets``, ``neighbours``),
    the two tunings in parallel."""
    without, with_step = in_parallel([partial(_scores, TuningSteps(**{switch: False})),
                                      partial(_scores, TuningSteps(**{switch: True}))], **job)
    return without, with_step


def scored_folds(decoded: list) -> CrossValidated:
    """Folds already decoded (each with the decoding tuned on the others) scored: per fold, and pooled."""
    pooled = score([o for fold in decoded for o in fold])
    return CrossValidated([figures_of(score(f)) for f in decoded], figures_of(pooled), [len(f) for f in decoded],
                          pooled)


def verdict(without: CrossValidated, with_step: CrossValidated, gain_on: str = "tc_macro",
            gain: float = GAIN) -> tuple[bool, str]:
    """Whether ``with_step`` passes the rule against ``without`` (pooled figures: ``gain_on`` up by ``gain``, the
    others down by at most ``TOLERANCE``), and the changes in words."""
    change = {k: with_step.pooled[k] - without.pooled[k] for k in FIGURES}
    passes = change[gain_on] >= gain and all(change[k] >= -TOLERANCE for k in FIGURES if k != gain_on)
    text = ", ".join(f"{FIGURE_NAMES[k]} {round(change[k], 4) + 0:+.4f}" for k in FIGURES)
    return passes, text


def figure_row(label: str, result: CrossValidated) -> str:
    """A table row: each figure pooled (bold), then its mean ± spread over the folds."""
    return (f"| {label} | {sum(result.articles)} | "
            + " | ".join(f"**{result.pooled[k]:.3f}** ({result.mean[k]:.3f} ± {result.spread[k]:.3f})"
                         for k in FIGURES) + " |")


def table_header(first: str) -> list[str]:
    return [f"| {first} | articles | " + " | ".join(FIGURE_NAMES[k] for k in FIGURES) + " |",
            "|---|---|" + "---|" * len(FIGURES)]


def two_way_tables(first: str, without: tuple[str, CrossValidated], with_step: tuple[str, CrossValidated]) -> list[str]:
    """The figures table of a judgement (two rows: ``(label, result)`` without and with the step), a blank line,
    then the rare techniques' table."""
    return [*table_header(first), figure_row(*without), figure_row(*with_step), "", *rare_table(without[1], with_step[1])]


def fast_recipe_intro(number: int, cv: Path, plan: dict, judged: str, compared: str) -> str:
    """The opening of a fold judgement's section on the `fast` recipe (``compared``: how the two sides differ,
    e.g. "without and with the rule")."""
    total = sum(map(len, plan["folds"]))
    return (f"**{number}. The `fast` recipe on cross-validation folds of the {total} `train` articles** (`{cv.name}`: "
            f"seed {plan['seed']}, the fold models of `propwatch crossval --head-lstm 192 --neighbour-vote`, read on "
            f"382-token windows every 320), judged on {judged}: each fold decoded with the decoding (neighbour vote "
            f"included) tuned on the other judged folds' held-out articles, {compared}. Pooled (mean ± standard "
            "deviation over the folds).")


def rare_table(without: CrossValidated, with_step: CrossValidated) -> list[str]:
    """The six rare techniques' TC recall and end-to-end F1, pooled, without and with a tuning step."""
    lines = ["| rare technique | gold spans | TC recall without | TC recall with | end-to-end F1 without | "
             "end-to-end F1 with |", "|---|---|---|---|---|---|"]
    before, after = without.per_technique(), with_step.per_technique()
    names = {t.id: t.name for t in TECHNIQUES}
    for t in RARE:
        b, a = before.get(t), after.get(t)
        if b and a:
            lines.append(f"| {names[t]} | {int(b['support'])} | {b['tc_recall']:.3f} | {a['tc_recall']:.3f} | "
                         f"{b['end_to_end_f1']:.3f} | {a['end_to_end_f1']:.3f} |")
    return lines


def judged_outputs(cv: Path) -> tuple[dict, list, list[int], list, list]:
    """What a two-judge step judgement reads of a ``propwatch crossval`` run: its plan, the trained folds' (model,
    held-out articles) pairs, the folds judged, each fold model's outputs on its held-out articles (run on `fast`'s
    windows, as ``propwatch crossval`` scores them, with the span examples the vote reads) and the models."""
    plan, runs = fold_runs(cv, 382, 320)
    done = give_examples(cv, plan, runs)
    return plan, runs, done, fold_outputs(runs), [m for m, _ in runs]


def judge_one_lines(cv: Path, plan: dict, runs: list, folds: list, tables: list[str], chosen: list[str],
                    passes: bool, change: str) -> list[str]:
    """Judge 1's part of a step's section: the intro, the ``tables`` (``two_way_tables``), the lines on what the
    tunings ``chosen``, and the change with its verdict."""
    judged_words = judged_folds(plan, runs, folds, "; each tuned on the other's held-out articles")
    return [fast_recipe_intro(1, cv, plan, judged_words, "tuned without and with the step"), "", *tables, "", *chosen,
            f"With against without: {change}. Judge 1: **{'passes' if passes else 'fails'}**.", ""]


def two_judges(on_folds: Callable[[Path], tuple[list[str], bool, dict]], validation: Callable[[dict], tuple],
               intro: str, rule: str, section: tuple[str, str, str]) -> None:
    """A step's two-judge section from the command line (``--cv``, ``--store``): judge 1 (``on_folds``: its
    lines, whether it passes, the decodings tuned on all judged folds without and with the step), judge 2
    (``validation`` of those decodings: ``validation_both_ways``), the verdict; written to BENCHMARKS.md as
    ``section`` (marker, title, the marker it follows)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--cv", required=True, help="a propwatch crossval --out folder with at least two fold models")
    parser.add_argument("--store", help="write the fold-tuned decodings (without, with) to this JSON file")
    args = parser.parse_args()
    require_ptc()
    started = time.perf_counter()
    head = [intro, "", f"Rule, written before the figures below were measured: {rule}.", ""]
    fold_lines, folds_pass, tuned = on_folds(Path(args.cv))
    if args.store:
        Path(args.store).write_text(json.dumps({k: v.to_dict() for k, v in tuned.items()}, indent=1),
                                    encoding="utf-8")
    validation_lines, validation_pass = validation(tuned)
    body = head + fold_lines + validation_lines + [ship_verdict(folds_pass, validation_pass), "",
                                                   f"Time: {time.perf_counter() - started:.0f} s."]
    marker, title, after = section
    write_section(marker, title, "\n".join(body), after=after)
    print(json.dumps({"folds": folds_pass, "validation": validation_pass}))


def decoded_without_each_fold(job: dict, **switch: bool) -> tuple[list, list[tuple[Any, dict]]]:
    """Each fold of ``job`` decoded with the decoding tuned on the other folds' held-out articles as `fast` is
    tuned (``FAST_STEPS``) with the steps ``switch`` set (``second=True``, ``gate=True``), and each tuning's
    (decoding, record)."""
    folds, models = job["folds"], job["models"]
    decoded, tunings = [], []
    for k, (model, outputs) in enumerate(zip(models, folds)):
        others = [f for j, f in enumerate(folds) if j != k]
        chosen, record = tune_across(others, [m for j, m in enumerate(models) if j != k],
                                     replace(FAST_STEPS, **switch))
        decoded.append(redecode(model.with_decoding(chosen), outputs))
        tunings.append((chosen, record))
    return decoded, tunings


def tuned_on_all(switch: dict[str, bool], job: dict):
    """The decoding tuned on every judged fold's held-out articles as `fast` is tuned (``FAST_STEPS``), with the
    steps ``switch`` set (what `fast` would ship with the step on or off), and its record."""
    return tune_across(job["folds"], job["models"], replace(FAST_STEPS, **switch))


def validation_both_ways(step: str, switch: str, tuned: dict,
                         passes: Callable[[dict[str, float]], bool]) -> tuple[list[str], dict[str, bool]]:
    """Judge 2 of a decoding step, on the 50 `validation` articles. `fast`: its shipped weights with ``tuned``
    ``["without"]`` and ``["with"]`` (decodings tuned on all judged folds' held-out articles, nothing chosen on
    these). `accurate`: cross-fitted on them (tuned on four fifths, scored on the fifth, five times), without and
    with the step ``switch`` (a field of ``tuning.TuningSteps``, as ``both_ways`` takes it). ``passes`` reads each
    model's changes (with minus without, per figure); ``step`` names the step in the table ("second techniques")."""
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    lines = ["**2. The 50 `validation` articles.** `fast`: its shipped weights with the decoding tuned on all judged "
             "folds' held-out articles, without and with the step (nothing chosen on these articles). `accurate`: "
             "cross-fitted, its decoding tuned on four fifths of these articles and scored on the fifth, five times, "
             "without and with the step.", ""]
    lines += table_header("model, tuning")
    ok = {}
    notes = []
    for name in ("fast", "accurate"):
        model = load_model(name)
        outputs = run_model(model, articles, keep_hidden=True)
        if name == "fast":
            figures = {on: figures_of(score(redecode(model.with_decoding(tuned["with" if on else "without"]),
                                                     outputs))) for on in (False, True)}
        else:
            results = both_ways(switch, kind="crossfit", model=model, outputs=outputs)
            figures = {on: r.pooled for on, r in zip((False, True), results)}
        rows, change = two_rows(f"`{name}` ({model.name} {model.version})", step, len(articles), figures)
        lines += rows
        ok[name] = passes(change)
        notes.append(change_note(name, change, "Judge 2", ok[name]))
    return lines + [""] + notes + [""], ok


def two_rows(label: str, step: str, n: int, figures: dict[bool, dict[str, float]]) -> tuple[list[str], dict]:
    """A model's two table rows on ``n`` articles, without and with ``step`` (``figures[on]``: its figures), and
    the changes (with minus without, per figure)."""
    rows = [f"| {label}, {'with' if on else 'without'} {step} | {n} | "
            + " | ".join(f"**{figures[on][k]:.3f}**" for k in FIGURES) + " |" for on in (False, True)]
    return rows, {k: figures[True][k] - figures[False][k] for k in FIGURES}


def change_note(name: str, change: dict[str, float], judge: str, passes: bool) -> str:
    """A model's changes in words, and whether ``judge`` passes it."""
    return (f"- `{name}`: with against without: "
            + ", ".join(f"{FIGURE_NAMES[k]} {round(change[k], 4) + 0:+.4f}" for k in FIGURES)
            + f". {judge}: {'passes' if passes else 'fails'}.")


def ship_verdict(folds_pass: bool, validation_pass: dict[str, bool]) -> str:
    """The verdict line of a two-judge section: a model ships where judge 1 and its own judge 2 pass."""
    ships = {name: folds_pass and passed for name, passed in validation_pass.items()}
    return ("Verdict: " + ", ".join(f"`{name}` **{'ships' if s else 'not shipped'}**" for name, s in ships.items())
            + f" (judge 1 {'passes' if folds_pass else 'fails'}; judge 2: "
            + ", ".join(f"`{n}` {'passes' if p else 'fails'}" for n, p in validation_pass.items()) + ").")


def judged_folds(plan: dict, runs: list, folds: list, note: str = "") -> str:
    """How many folds a judgement read, in words: all of them, or those trained when it ran (``note`` is added
    to the count of articles in that case)."""
    if len(runs) == plan["k"]:
        return f"all {plan['k']} folds"
    n, total = sum(map(len, folds)), sum(map(len, plan["folds"]))
    return (f"the {len(runs)} of its {plan['k']} folds whose models were trained when this ran ({n} of the {total} "
            f"articles{note})")


def fold_runs(cv: Path, window: int, stride: int):
    """The plan and the folds whose models are trained (a run still training its last fold can be judged on the
    others: each of those is decoded with the decoding tuned on the others' held-out articles, which it never
    saw)."""
    plan = json.loads((cv / "folds.json").read_text(encoding="utf-8"))
    done = trained_folds(cv, plan)
    if len(done) < 2:
        raise SystemExit(f"{cv}: {len(done)} fold model(s) trained; nested judging needs at least two")
    ids = [i for k in done for i in plan["folds"][k]]
    by_id = {a.article.id: a for a in read_corpus(PTC / "train", ids)}
    return plan, [(load_fold_model(cv / f"fold-{k + 1}" / "model", window, stride),
                   [by_id[i] for i in plan["folds"][k]]) for k in done]


def trained_folds(cv: Path, plan: dict) -> list[int]:
    """The folds (0-based) of ``plan`` whose models are exported in ``cv``."""
    return [k for k in range(plan["k"]) if (cv / f"fold-{k + 1}" / "model" / "config.json").is_file()]


def give_examples(cv: Path, plan: dict, runs: list) -> list[int]:
    """Give each fold model of ``runs`` (``fold_runs``) that has none the span examples of the articles it was
    trained on (every other fold of the plan, judged or not), which the neighbour vote reads; returns the folds
    judged (``trained_folds``)."""
    done = trained_folds(cv, plan)
    by_id = {a.article.id: a for a in read_corpus(PTC / "train", [i for f in plan["folds"] for i in f])}
    trained = [(model, [by_id[i] for j, fold in enumerate(plan["folds"]) if j != k for i in fold])
               for k, (model, _) in zip(done, runs)]
    print(f"span examples for {build_fold_examples(trained)} fold model(s)")
    return done
