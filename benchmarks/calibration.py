"""Are the scores probabilities? Expected calibration error of span and sentence scores on the PTC validation
IDs, before calibration (raw scores read as probabilities) and after (two-fold cross-fitted: maps fitted on
half of the articles judge the other half), and a reliability plot per model (``benchmarks/reliability.png``
for ``fast``, ``benchmarks/reliability-accurate.png`` for ``accurate`` where it is built).

A span is right when it overlaps a gold span of its technique; a sentence, when a gold span overlaps it.

    python benchmarks/calibration.py [--model NAME_OR_PATH ...]
"""

from __future__ import annotations

import argparse
import json

from _report import PTC, ROOT, decoding_chosen_on, require_ptc, write_section
from propwatch.errors import ModelError
from propwatch.evaluation.calibration import calibration_report
from propwatch.evaluation.run import run_model
from propwatch.inputs import read_corpus, read_split
from propwatch.model import load_model


def plot_path(name: str, first: bool):
    """The first model's plot keeps the name the README links to."""
    return ROOT / "benchmarks" / ("reliability.png" if first else f"reliability-{name.replace('/', '_')}.png")


def plot(report: dict, title: str, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2), sharey=True)
    for ax, key, label in ((axes[0], "spans", "technique spans"), (axes[1], "sentence", "sentences")):
        ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="perfect calibration")
        for variant, colour, name in (("bins_raw", "#D55E00", "raw score"),
                                      ("bins_calibrated_crossfit", "#0072B2", "calibrated (cross-fitted)")):
            bins = [b for b in report[key][variant] if b["count"]]
            ax.plot([b["mean_confidence"] for b in bins], [b["accuracy"] for b in bins], marker="o", color=colour,
                    label=f"{name}, ECE {report[key]['ece_' + variant[5:]]:.3f}")
        ax.set_title(f"{label} ({report[key]['items']})")
        ax.set_xlabel("score")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(loc="upper left", fontsize=8)
    axes[0].set_ylabel("share right")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", action="append", default=None, help="Name or folder; repeatable.")
    args = parser.parse_args()
    require_ptc()
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    rows, plots, notes, results = [], [], [], {}
    for name in args.model or ["fast", "accurate"]:
        try:
            model = load_model(name)
        except ModelError as exc:
            notes.append(f"- `{name}`: not measured here ({exc}).")
            continue
        report = calibration_report(model, run_model(model, articles, keep_hidden=True))
        path = plot_path(name, first=not rows)
        plot(report, f"{model.name} {model.version} on the {len(articles)} PTC validation articles", path)
        s, t = report["spans"], report["sentence"]
        label = f"`{name}`: {model.name} {model.version} (maps {decoding_chosen_on(model)})"
        rows += [f"| {label} | technique spans | {s['items']} | {s['ece_raw']:.3f} | **{s['ece_calibrated_crossfit']:.3f}** "
                 f"| {s['ece_shipped']:.3f} |",
                 f"| {label} | sentences | {t['items']} | {t['ece_raw']:.3f} | **{t['ece_calibrated_crossfit']:.3f}** "
                 f"| {t['ece_shipped']:.3f} |"]
        plots.append(f"![reliability plot of {name}](benchmarks/{path.name})")
        results[name] = {key: {m: v for m, v in r.items() if not m.startswith("bins")} for key, r in report.items()}
    body = "\n".join([
        f"{len(articles)} `validation` articles. A span is right when it overlaps a gold span of its technique; a "
        "sentence, when any gold span overlaps it. ECE: 10 equal-width bins.",
        "",
        "| model | scores | items | ECE, raw | ECE, calibrated (2-fold cross-fitted) | ECE, the shipped maps |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        "Each model applies maps fitted where its decoding was chosen (isotonic regression, one per span source "
        "and one for sentences, stored in its `config.json`), each kept only where maps fitted on half of those "
        "articles lower the other half's ECE (so a model whose raw scores are calibrated already keeps them). "
        "The cross-fitted column refits maps on half of these articles to judge the other half; the last column "
        "applies the shipped maps, an honest figure for a model whose maps were fitted on other articles (chosen "
        "by cross-validation on `train`) and an optimistic one for a model whose maps were fitted on these.",
        *(["", *notes] if notes else []),
        "",
        *plots,
    ])
    write_section("calibration", "Calibration of span and sentence scores", body)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
