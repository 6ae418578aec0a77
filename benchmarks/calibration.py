"""Are the scores probabilities? Expected calibration error of span and sentence scores on the PTC validation
IDs, before calibration (raw scores read as probabilities) and after (two-fold cross-fitted: maps fitted on
half of the articles judge the other half), and a reliability plot (``benchmarks/reliability.png``).

A span is right when it overlaps a gold span of its technique; a sentence, when a gold span overlaps it.

    python benchmarks/calibration.py [--model NAME_OR_PATH]
"""

from __future__ import annotations

import argparse
import json

from _report import PTC, ROOT, require_ptc, write_section

from propwatch.evaluation import calibration_report, run_model
from propwatch.inputs import read_corpus, read_split
from propwatch.model.registry import load_model

PLOT = ROOT / "benchmarks" / "reliability.png"


def plot(report: dict, title: str) -> None:
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
    fig.savefig(PLOT, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    require_ptc()
    model = load_model(args.model)
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    report = calibration_report(model, run_model(model, articles, keep_hidden=True))
    title = f"{model.name} {model.version} on the {len(articles)} PTC validation articles"
    plot(report, title)
    s, t = report["spans"], report["sentence"]
    body = "\n".join([
        f"Model `{model.name}` {model.version}, {len(articles)} `validation` articles. A span is right when it "
        "overlaps a gold span of its technique; a sentence, when any gold span overlaps it. ECE: 10 equal-width bins.",
        "",
        "| scores | items | ECE, raw | ECE, calibrated (2-fold cross-fitted) |",
        "|---|---|---|---|",
        f"| technique spans | {s['items']} | {s['ece_raw']:.3f} | **{s['ece_calibrated_crossfit']:.3f}** |",
        f"| sentences | {t['items']} | {t['ece_raw']:.3f} | **{t['ece_calibrated_crossfit']:.3f}** |",
        "",
        "The shipped model applies maps fitted on all validation articles (isotonic regression, one per span source "
        "and one for sentences, stored in its `config.json`); the cross-fitted figure is the honest estimate of "
        "how they do on articles they were not fitted on.",
        "",
        "![reliability plot](benchmarks/reliability.png)",
    ])
    write_section("calibration", "Calibration of span and sentence scores", body)
    print(json.dumps({k: {m: v for m, v in r.items() if not m.startswith("bins")} for k, r in report.items()}, indent=2))


if __name__ == "__main__":
    main()
