"""The model experiments of issue 5, measured and kept in one table: what was tried, the exact command, the
validation figures, and whether it was kept.

Training runs take up to hours on two CPU cores, so their figures are recorded from each run's
``training_report.json`` (written by ``propwatch train``: validation figures after the decoding was tuned)
into ``benchmarks/experiments.json``; rerunning a row's command reproduces it. Inference-only experiments
(window length, stride) are measured live by this script.

    python benchmarks/experiments.py --record ID --report RUN/training_report.json --change "..." \
        --command "propwatch train ..." --verdict "kept: ..."       # add or update one row
    python benchmarks/experiments.py --windows [--model NAME]      # measure window/stride variants
    python benchmarks/experiments.py                               # rewrite the BENCHMARKS.md section
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from _report import PTC, ROOT, cell, require_ptc, short_note, write_section

LOG = ROOT / "benchmarks" / "experiments.json"


def _load() -> list[dict]:
    return json.loads(LOG.read_text()) if LOG.exists() else []


def _figures(report: dict) -> dict:
    v = report["validation"]
    f = v["figures"][v["precision"]]
    return {"si_f1": f["si"]["f1"], "tc_micro_f1": f["tc"]["micro_f1"], "tc_macro_f1": f["tc"]["macro_f1"],
            "end_to_end_f1": f["end_to_end"]["f1"], "sentence_f1": (f.get("sentence") or {}).get("f1")}


def record(args) -> None:
    rows = [r for r in _load() if r["id"] != args.record]
    report = json.loads(Path(args.report).read_text())
    rows.append({"id": args.record, "change": args.change, "command": args.command, "verdict": args.verdict,
                 "best_epoch": report.get("best_epoch"), "precision": report["validation"]["precision"],
                 **_figures(report)})
    LOG.write_text(json.dumps(rows, indent=2) + "\n")


def _trained_window(folder: Path) -> int:
    """The window length the model was trained on (``training.window``; older configs only have ``window``)."""
    from propwatch.model import ModelConfig

    config = ModelConfig.read(folder)
    return (config.training or {}).get("window", config.window)


def windows(model_name: str | None) -> list[dict]:
    """The same trained model run with other window lengths and strides (config.json only)."""
    from propwatch.evaluation.run import run_model, score
    from propwatch.inputs import read_corpus, read_split
    from propwatch.model import ModelConfig, OnnxModel, resolve_model

    source = resolve_model(model_name)
    articles = read_corpus(PTC / "train", read_split(PTC / "splits.json", "validation"))
    texts = [a.article.text for a in articles]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for window, stride in ((254, 192), (254, 224), (382, 320), (510, 448)):
            folder = Path(tmp) / f"w{window}-s{stride}"
            shutil.copytree(source, folder)
            replace(ModelConfig.read(folder), window=window, stride=stride).write(folder)
            model = OnnxModel(folder)
            r = score(run_model(model, articles))
            started = time.perf_counter()
            model.predict_many(texts)
            ms = (time.perf_counter() - started) * 1000 / len(texts)
            out.append({"window": window, "stride": stride, "si_f1": r.si.f1, "tc_micro_f1": r.tc.micro_f1,
                        "end_to_end_f1": r.end_to_end.f1, "sentence_f1": r.sentence.f1, "encoder_ms": ms,
                        "trained_window": _trained_window(source)})
    (ROOT / "benchmarks" / "experiments-windows.json").write_text(json.dumps(out, indent=2) + "\n")
    return out


def render(restamp: bool = False) -> None:
    """Rewrite the BENCHMARKS.md section from ``experiments.json`` (and ``experiments-windows.json``): one short
    table row per experiment, numbered, and below it each experiment's change, verdict and command in full.
    ``restamp``: whether this run measured something (``--windows``), so the section's machine and date change."""
    rows = _load()
    fmt = lambda v: "–" if v is None else f"{v:.3f}"  # noqa: E731
    lines = [
        "Every model trained on the PTC `train` IDs; figures on the 50 `validation` IDs after the decoding was "
        "tuned there (as `propwatch train` does at export), from each run's `training_report.json`. "
        "The outcome column is the gist; what each experiment changed, its verdict in full and the command that "
        "reproduces it are listed under the table by the same number.",
        "",
        "| # | experiment | SI F1 | TC micro-F1 | TC macro-F1 | end-to-end F1 | sentence F1 | outcome |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(rows, 1):
        lines.append(f"| {n} | **{r['id']}** | {fmt(r['si_f1'])} | {fmt(r['tc_micro_f1'])} | "
                     f"{fmt(r['tc_macro_f1'])} | {fmt(r['end_to_end_f1'])} | {fmt(r['sentence_f1'])} | "
                     f"{cell(short_note(r['verdict']))} |")
    lines += ["", "What each experiment changed, the verdict, and the command:", ""]
    for n, r in enumerate(rows, 1):
        lines += [f"{n}. **{r['id']}**: {r['change']}", f"   - Verdict: {r['verdict']}",
                  f"   - Command: `{r['command']}`"]
    path = ROOT / "benchmarks" / "experiments-windows.json"
    if path.exists():
        w = json.loads(path.read_text())
        lines += [
            "", f"Window length and stride at inference (the same model, trained on {w[0]['trained_window']}-token "
            "windows, decoding as tuned for the shipped window; encoder time per validation article on this machine; "
            "`python benchmarks/experiments.py --windows`):",
            "", "| window / stride | SI F1 | TC micro-F1 | end-to-end F1 | sentence F1 | encoder ms / article |",
            "|---|---|---|---|---|---|",
        ]
        lines += [f"| {x['window']} / {x['stride']} | {x['si_f1']:.3f} | {x['tc_micro_f1']:.3f} | "
                  f"{x['end_to_end_f1']:.3f} | {x['sentence_f1']:.3f} | {x['encoder_ms']:.0f} |" for x in w]
    write_section("experiments", "Model experiments: what was tried, what was kept", "\n".join(lines),
                  command="python benchmarks/experiments.py", restamp=restamp)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--record")
    parser.add_argument("--report")
    parser.add_argument("--change", default="")
    parser.add_argument("--command", default="")
    parser.add_argument("--verdict", default="")
    parser.add_argument("--windows", action="store_true")
    parser.add_argument("--model", default=None)
    args = parser.parse_args()
    if args.record:
        record(args)
    if args.windows:
        require_ptc()
        print(json.dumps(windows(args.model), indent=2))
    render(restamp=args.windows)


if __name__ == "__main__":
    main()
