"""Quality of a model on the PTC validation IDs (trained on the train IDs only), cross-checked with the
independent scorer ``../shared/tools/ptc_score.py`` through the SemEval submission files.

    python benchmarks/quality.py [--model NAME_OR_PATH]

The default model's section is "quality-<split>"; another model's is "quality-<split>-<model>", placed right
after it (``--model accurate`` where ``make accurate-model`` built it; skipped with a message where not).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _report import PTC, ROOT, decoding_chosen_on, require_ptc, write_section
from propwatch.errors import ModelError
from propwatch.evaluation.cues import tune_repetition_cue
from propwatch.evaluation.run import run_model, score
from propwatch.inputs import read_corpus, read_split, write_si, write_tc
from propwatch.model import load_model
from propwatch.techniques import TECHNIQUES


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=None)
    parser.add_argument("--split", default="validation")
    args = parser.parse_args()
    require_ptc()
    try:
        model = load_model(args.model)
    except ModelError as exc:
        print(f"benchmark skipped: {exc}")
        return
    ids = read_split(PTC / "splits.json", args.split)
    articles = read_corpus(PTC / "train", ids)
    outputs = run_model(model, articles, keep_hidden=True)  # token states: for the Repetition cue check
    cfg = model.config
    report = score(outputs)

    # Cross-check with the independent scorer.
    checks = {}
    scorer = ROOT.parent / "shared" / "tools" / "ptc_score.py"
    if scorer.exists():
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            gold = tmp / "gold.labels"
            gold.write_text("".join(
                (PTC / "train" / "labels" / f"article{i}.task2-TC.labels").read_text() for i in ids
            ))
            write_si([(o.id, s, e) for o in outputs for s, e in o.si], tmp / "si.txt")
            write_tc([(o.id, t, s, e) for o in outputs for s, e, t in o.tc_labels], tmp / "tc.txt")
            for task in ("si", "tc"):
                out = subprocess.run([sys.executable, str(scorer), task, str(gold), str(tmp / f"{task}.txt")],
                                     capture_output=True, text=True, check=True)
                checks[task] = json.loads(out.stdout)

    r = report
    lines = [
        f"Model `{model.name}` {model.version} (`{model.path.relative_to(ROOT) if model.path.is_relative_to(ROOT) else 'built locally: ' + model.path.name}`,"
        f" {cfg.precision or '?'}), {r.articles} `{args.split}` articles, decoding (thresholds, nested channels, "
        f"Repetition cue, calibration) {decoding_chosen_on(model)}.",
        "",
        "| metric | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| span identification (SI, partial overlap) | {r.si.precision:.4f} | {r.si.recall:.4f} | **{r.si.f1:.4f}** |",
        f"| end-to-end (span + technique) | {r.end_to_end.precision:.4f} | {r.end_to_end.recall:.4f} | **{r.end_to_end.f1:.4f}** |",
        f"| sentence level (any span overlaps) | {r.sentence.precision:.4f} | {r.sentence.recall:.4f} | **{r.sentence.f1:.4f}** |",
        f"| technique classification (TC, gold spans) | | micro-F1 | **{r.tc.micro_f1:.4f}** |",
        f"| | | macro-F1 | {r.tc.macro_f1:.4f} |",
        "",
    ]
    if checks:
        lines += [
            f"Cross-check with `../shared/tools/ptc_score.py`: SI F1 {checks['si']['f1']:.4f}, "
            f"TC micro-F1 {checks['tc']['micro_f1']:.4f}, TC macro-F1 {checks['tc']['macro_f1']:.4f} "
            "(its macro-F1 averages over the techniques present in the gold labels).",
            "",
        ]
    # The Repetition cue is chosen on validation; how it does on articles it was not chosen on, measured here.
    _, cue = tune_repetition_cue(model, [o for o in outputs if o.gold is not None])
    bonus, per_log = model.decoding.repetition_cue
    lines += [
        f"Repetition cue stored with the model: +{bonus:g} to Repetition's log-probability when the phrase occurred "
        f"earlier, +{per_log:g} per log(1 + earlier occurrences). TC micro-F1 on these articles without the cue "
        f"{cue['tc_micro_f1_without']:.4f}, with it {r.tc.micro_f1:.4f}; with a cue chosen on four fifths of the "
        f"articles and scored on the fifth (five times over) {cue['tc_micro_f1_crossfit']:.4f}.",
        "",
    ]
    e2e = r.end_to_end_per_technique()
    lines += ["| technique | gold spans | TC precision | TC recall | TC F1 | end-to-end F1 | nested channel (low, peak) |",
              "|---|---|---|---|---|---|---|"]
    channels = model.decoding.channels
    for t in TECHNIQUES:
        row = r.tc.per_technique[t.id]
        lines.append(f"| {t.name} | {row['support']} | {row['precision']:.3f} | {row['recall']:.3f} | "
                     f"{row['f1']:.3f} | {e2e.get(t.id, 0.0):.3f} | {channels.get(t.id, 'off')} |")
    section = f"quality-{args.split}" + (f"-{args.model}".replace("/", "_") if args.model else "")
    write_section(section, f"Quality: {model.name} {model.version} on PTC {args.split}", "\n".join(lines),
                  after=f"quality-{args.split}" if args.model else None)
    print(json.dumps({**r.to_json_dict(), "crosscheck": checks}, indent=2))


if __name__ == "__main__":
    main()
