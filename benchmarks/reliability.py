"""What readers are told about the spans: the strength thresholds (strong / moderate / weak) and each
technique's recall and precision, measured by cross-validation on the PTC validation IDs, so that every span
is judged by a decoding and calibration tuned without its article (``propwatch.evaluation.reliability``).
It also measures what each technique is mistaken for (``propwatch.evaluation.confusions``: the technique the
model names each annotated span, each fold with the Repetition cue chosen on the others), in a section of its
own; ``--confusions-only`` measures and writes that section alone (about half a minute). ``--store`` also
writes the figures into the model folder's ``config.json``, as ``propwatch reliability`` does.

``--cv FOLDER`` (the ``--out`` of ``propwatch crossval``, ``make crossval``) judges the model's decoding on the
cross-validation folds instead: each fold of the PTC ``train`` IDs read by the fold's model, trained without it,
with the decoding as the model ships, or tuned on the other folds where the shipped one was tuned on all of them
(``reliability.measure_reliability_on_folds``). That is six times the
articles of ``validation``, none of them seen by what judges them, so ``fast`` takes its legend and strength
thresholds from there when the folds are of its recipe (``fast`` 1.1.1's are); a fold's model saw a third fewer
articles than the shipped one, so its figures lean low. The confusions keep their ``validation`` measure.

    python benchmarks/reliability.py [--model NAME_OR_PATH] [--folds 5] [--store] [--confusions-only] [--cv FOLDER]
"""

from __future__ import annotations

import argparse
import json

from _report import PTC, require_ptc, write_section
from propwatch.evaluation.confusions import confusions_of, store_confusions
from propwatch.evaluation.crossval import finished_folds, tuned_on_folds
from propwatch.evaluation.reliability import (
    DEFAULT_FOLDS,
    measure_reliability,
    measure_reliability_on_folds,
    store_reliability,
)
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model
from propwatch.model.strength import NEVER
from propwatch.techniques import get


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="fast", help="Name or folder (default: fast).")
    parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
    parser.add_argument("--store", action="store_true", help="Write the results into the model's config.json.")
    parser.add_argument("--confusions-only", action="store_true", help="Measure and write only the confusions.")
    parser.add_argument("--cv", default=None, help="propwatch crossval's --out folder: judge on its folds.")
    args = parser.parse_args()
    require_ptc()
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    model = load_model(args.model)
    if args.confusions_only:
        confusions, record = confusions_of(model, articles, args.folds)
        if args.store:
            store_confusions(model.path, confusions, record)
        write_confusions(args.model, model, confusions, record)
        print(json.dumps({"confusions": confusions, **record}, indent=2))
        return
    if args.cv:
        train = read_corpus(PTC / "train", read_split(PTC / "splits.json", "train"))
        measured = measure_reliability_on_folds(model, finished_folds(args.cv, train))
    else:
        measured = measure_reliability(model, articles, folds=args.folds, say=print)
    if args.store:
        store_reliability(model.path, measured)
    record, (strong, moderate) = measured.record, measured.thresholds
    levels, check = record["levels"], record["levels_with_thresholds_chosen_on_other_folds"]
    rows = [f"| {level} | {_range(level, strong, moderate)} | {levels[level]['spans']} | {levels[level]['right']:.2f} "
            f"| {check[level]['spans']} | {check[level]['right']:.2f} |" for level in ("strong", "moderate", "weak")]
    techniques = sorted(measured.reliability.items(), key=lambda kv: -kv[1]["support"])
    found = record["spans_per_technique"]
    per_technique = [f"| {get(t).name} | {r['support']} | {r['recall']:.2f} | {found[t]} | "
                     f"{r['precision']:.2f} |" if found[t] else f"| {get(t).name} | {r['support']} | "
                     f"{r['recall']:.2f} | 0 | – |" for t, r in techniques]
    judged_on = (
        f"{record['articles']} PTC `train` articles, the {record['folds']} folds of `make crossval`: each fold read "
        "by the fold's model (MiniLM trained with the `fast` recipe on the other folds, so it saw neither these "
        "articles nor `validation`), "
        + ("with the decoding and calibration tuned on the other folds (`fast` ships the decoding tuned on all of "
           "them, `propwatch crossval --store`)" if tuned_on_folds(model) else
           "with the decoding `fast` ships, tuned on `validation`")
        + f" ({record['spans']} spans in all). A fold's model saw a third fewer articles than `fast`, so these "
        "figures lean low; nothing that judges them was chosen on them"
        if args.cv else
        f"{record['articles']} `validation` articles, {record['folds']}-fold cross-validation by article: each fold "
        f"decoded with the decoding and calibration tuned on the other folds ({record['spans']} spans in all)")
    body = "\n".join([
        f"`{args.model}`: {model.name} {model.version}. {judged_on}. A span is right when it overlaps an "
        "annotated span of its technique.",
        "",
        (f"Strength thresholds: **strong** from a score of {strong:.3f} (spans scored so were right at least "
         f"{record['strong_precision']:.0%} of the time)" if strong < NEVER else
         f"Strength thresholds: **strong** for no span (no score reached {record['strong_precision']:.0%} right; "
         "the threshold is stored as 1, which no span is given)")
        + f", **moderate** from {moderate:.3f} (at least one in three), **weak** below.",
        "",
        "| strength | scores | spans | share right | spans (thresholds chosen on the other folds) | share right |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Per technique (the legend's \"the model finds about N%\"): recall is the share of annotated spans that a "
        "span of the technique overlaps; precision the share of the technique's spans that overlap an annotated "
        "one. Techniques with few annotated spans have wide error bars.",
        "",
        "| technique | annotated spans | recall | spans found | precision |",
        "|---|---|---|---|---|",
        *per_technique,
        "",
        "Stored in the model's `config.json` (`strength_thresholds`, `reliability`, the record under "
        "`validation.reliability`) by `propwatch reliability` or this script with `--store`"
        + (f" (here `--cv {args.cv}`)." if args.cv else "."),
    ])
    suffix = "" if args.model == "fast" else f"-{args.model}"  # each model its own sections
    write_section(f"reliability{suffix}", "What readers are told: strength and reliability"
                  + (f" (`{args.model}`)" if suffix else ""), body, after="calibration")
    if measured.confusions:
        write_confusions(args.model, model, measured.confusions, measured.confusions_record)
    print(json.dumps({"thresholds": measured.thresholds, **record}, indent=2))


def write_confusions(label: str, model, confusions: dict, record: dict) -> None:
    """The section of the techniques page's "often mistaken for X (k%)"."""
    def named(entry: dict | None) -> str:
        return f"{get(entry['technique']).name} | {entry['spans']} ({entry['share']:.0%})" if entry else "– | –"

    rows = []
    for technique, c in sorted(confusions.items(), key=lambda kv: -kv[1]["support"]):
        first, second = (c["mistaken_for"] + [None, None])[:2]
        rows.append(f"| {get(technique).name} | {c['support']} | {named(first)} | {named(second)} |")
    right = record["annotated_spans"] - record["mistaken"]
    body = "\n".join([
        f"`{label}`: {model.name} {model.version}. The technique the model names each annotated span of the "
        f"{record['articles']} `validation` articles (technique classification, the SemEval TC task: the model is "
        f"handed the annotated spans), {record['folds']}-fold cross-validation by article: each fold classified "
        "with the Repetition cue chosen on the other folds, the only tuned setting that changes a TC answer. "
        f"{right} of the {record['annotated_spans']} annotated spans are named right "
        f"({right / record['annotated_spans']:.1%}); the table gives, per technique, the two techniques its "
        "spans are most often named instead, with how many spans and their share of the technique's annotated "
        "spans. The web app's techniques page (`/techniques`) says \"often mistaken for\" from these figures.",
        "",
        "| technique | annotated spans | most often named instead | spans (share) | next | spans (share) |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Stored in the model's `config.json` (`confusions`, the record under `validation.confusions`) by "
        "`propwatch reliability` (or `--confusions-only`) or this script with `--store`. Where a technique has few "
        "annotated spans, its shares rest on a handful of them: read them as hints, not rates.",
    ])
    suffix = "" if label == "fast" else f"-{label}"
    write_section(f"confusions{suffix}", "What each technique is mistaken for" + (f" (`{label}`)" if suffix else ""),
                  body, after=f"reliability{suffix}")


def _range(level: str, strong: float, moderate: float) -> str:
    if strong >= NEVER:
        return {"strong": "none", "moderate": f"≥ {moderate:.3f}", "weak": f"< {moderate:.3f}"}[level]
    return {"strong": f"≥ {strong:.3f}", "moderate": f"{moderate:.3f} – {strong:.3f}",
            "weak": f"< {moderate:.3f}"}[level]


if __name__ == "__main__":
    main()
