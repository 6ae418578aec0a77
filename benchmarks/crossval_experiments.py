"""Technique-model recipes cross-validated beside the one ``make crossval`` last ran: each a ``propwatch crossval`` run (three
MiniLM trainings of about half an hour each on two cores) recorded into one table.

A run's fold models live in ``runs/`` (not part of the repository), so its figures are recorded into
``benchmarks/crossval-experiments.json`` when the run finishes; rerunning the row's command and ``--record``
reproduces it.

    python benchmarks/crossval_experiments.py --record ID --cv runs/cv-X --change "..." \
        --command "propwatch crossval ..." --verdict "..."    # read a finished run, add or update its row
    python benchmarks/crossval_experiments.py                 # rewrite the BENCHMARKS.md section

That recipe's figures are read from this file's "Cross-validated figures" section (``crossval.py``
writes it from the folds ``make crossval`` trained): the same folds, seed and scoring, so the rows compare.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from _report import BENCHMARKS_MD, ROOT, experiment_parser, record_row, recorded, write_section
from propwatch.evaluation.crossval import FIGURE_NAMES, FIGURES, read_finished
from rare_cues import RARE  # the six rare techniques of issue 12, as the cue-pattern benchmark counts them

LOG = ROOT / "benchmarks" / "crossval-experiments.json"
SHIPPED_ROWS = {"tuned on the other 2 folds' held-out articles": "decoding tuned on the other folds",
                "propwatch-minilm 1.0.3's decoding, tuned on the 50 `validation` articles": "propwatch-minilm 1.0.3's decoding"}


def shipped_recipe() -> tuple[str, dict[str, list[str]]]:
    """The ``make crossval`` recipe's mean ± spread cells, as ``crossval.py`` wrote them into BENCHMARKS.md, and
    what that recipe was (the section says; it can be older than the `fast` shipped now)."""
    text = BENCHMARKS_MD.read_text()
    section = re.search(r"<!-- crossval:start -->.*?<!-- crossval:end -->", text, re.S)
    body = section.group(0) if section else ""
    rows = {}
    for line in body.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] in SHIPPED_ROWS:
            rows[SHIPPED_ROWS[cells[0]]] = cells[2 : 2 + len(FIGURES)]
    what = re.search(r"254-token windows, ([^,]+), the last epoch", body)
    return (f"`make crossval` recipe ({what.group(1)})" if what else "`make crossval` recipe"), rows


def measured(cv: Path) -> dict:
    plan, run = read_finished(cv)
    figures = {}
    reference = run.get("compare_model") or run.get("compare") or "fast"
    for key, label in (("nested", "decoding tuned on the other folds"), ("reference", f"{reference}'s decoding")):
        if run.get(key):
            figures[label] = {"mean": run[key]["mean"], "spread": run[key]["spread"],
                              "articles": sum(run[key]["articles"])}
    techniques = run["nested"].get("per_technique", {})
    rare = [techniques[t]["tc_recall"] for t in RARE if t in techniques]
    return {"folds": plan["k"], "seed": plan["seed"], "epochs": run.get("epochs"), "head_lstm": run.get("head_lstm", 0),
            "figures": figures, "rare_tc_recall": sum(rare) / len(rare) if rare else None}


def _cells(f: dict) -> str:
    return " | ".join(f"{f['mean'][k]:.3f} ± {f['spread'][k]:.3f}" for k in FIGURES)


def render(command: str | None = None) -> None:
    rows = recorded(LOG)
    recipe, shipped = shipped_recipe()
    header = "| recipe | decoding | articles | " + " | ".join(FIGURE_NAMES[k] for k in FIGURES) + " |"
    lines = ["Each recipe trained once a fold on the 3 folds of the 321 PTC `train` articles that `make crossval` "
             "uses (seed 13, the last epoch, scored on 382-token windows), its held-out folds decoded both ways "
             "of \"Cross-validated figures\" section 1; mean ± standard deviation over the folds. The `make "
             "crossval` recipe's rows are copied from that section.", "", header, "|---|---|---|" + "---|" * len(FIGURES)]
    for label, cells in shipped.items():
        lines.append(f"| {recipe} | {label} | 321 | " + " | ".join(cells) + " |")
    for row in rows:
        for label, f in row["figures"].items():
            lines.append(f"| {row['id']} | {label} | {f['articles']} | {_cells(f)} |")
    for row in rows:
        rare = f"{row['rare_tc_recall']:.3f}" if row.get("rare_tc_recall") is not None else "n/a"
        lines += ["", f"**{row['id']}**: {row['change']}", "",
                  f"- Mean TC recall of the six rare techniques (pooled, decoding tuned on the other folds): {rare}.",
                  f"- Command: `{row['command']}`", f"- Verdict: {row['verdict']}"]
    write_section("crossval-experiments", "Cross-validated recipe experiments", "\n".join(lines),
                  command=command, after="crossval", restamp=command is not None)


def main() -> None:
    parser = experiment_parser(__doc__.split("\n\n")[0], "--cv", "the finished propwatch crossval --out folder")
    args = parser.parse_args()
    if args.record:
        if not args.cv or not (Path(args.cv) / "crossval.json").is_file():
            sys.exit("--record needs --cv, a finished propwatch crossval folder (with crossval.json)")
        record_row(LOG, args, measured(Path(args.cv)))
        render(f"python benchmarks/crossval_experiments.py --record {args.record} --cv {args.cv} --change ... "
               "--command ... --verdict ... (the row's texts are in benchmarks/crossval-experiments.json)")
    else:
        render()


if __name__ == "__main__":
    main()
