"""The attribution model on PolNeAR dev, through the product's own component (``propwatch evaluate --task
attribution``), cross-checked with the independent scorer ``../shared/tools/attrib_score.py``, and the time it
adds to the analysis of a ~1,000-word article.

    python benchmarks/attributions.py [--split dev]

Exact match is CofeNet's protocol (word spans with punctuation trimmed from both ends); overlap F1 gives partial
credit. The model was selected on dev (its epoch), so these figures are dev figures, not held-out ones.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import ROOT, write_section
from propwatch import load_analyzer
from propwatch.components.attributions.component import AttributionFinder
from propwatch.evaluation.attributions import evaluate_attributions, prediction_rows

POLNEAR = ROOT.parent / "shared" / "polnear"
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
TARGETS = {"source": 0.82, "cue": 0.75, "content": 0.72}
COFENET = {"source": 0.832, "cue": 0.753, "content": 0.729}


def crosscheck(model, compartment: Path) -> dict | None:
    """The independent scorer's figures on the same predictions (gold: one annotator per article)."""
    scorer = ROOT.parent / "shared" / "tools" / "attrib_score.py"
    if not scorer.exists():
        return None
    from propwatch.inputs.polnear import annotation_files

    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold"
        (gold / "text").mkdir(parents=True)
        (gold / "attributions").mkdir()
        for name, ann in annotation_files(compartment).items():
            (gold / "text" / f"{name}.txt").symlink_to(compartment / "text" / f"{name}.txt")
            (gold / "attributions" / f"{name}.ann").symlink_to(ann)
        pred = Path(tmp) / "pred.jsonl"
        pred.write_text("".join(json.dumps(r) + "\n" for r in prediction_rows(model, gold)))
        out = subprocess.run([sys.executable, str(scorer), str(gold), str(pred)], capture_output=True, text=True,
                             check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    compartment = POLNEAR / args.split
    if not (compartment / "text").is_dir():
        sys.exit(f"benchmark skipped: PolNeAR is not at {POLNEAR}")
    finder = AttributionFinder.load()
    model = finder.model
    started = time.perf_counter()
    scores = evaluate_attributions(model, compartment)
    seconds = time.perf_counter() - started
    check = crosscheck(model, compartment)

    text = EXAMPLE.read_text(encoding="utf-8")
    analyzer = load_analyzer()
    for _ in range(2):
        analyzer(text)  # warm
    runs = [analyzer(text).timings_ms for _ in range(9)]
    attribution_ms = statistics.median(t["attributions"] for t in runs)
    total_ms = statistics.median(sum(t.values()) for t in runs)

    lines = [
        f"Model `{model.name}` {model.version} (`src/propwatch/models/attributions-v1`, "
        f"{model.config.precision or '?'}), {len(list((compartment / 'text').glob('*.txt')))} PolNeAR `{args.split}` "
        f"articles, one annotator per article; the training epoch was chosen on `{args.split}`. "
        f"Scored in {seconds:.0f} s.",
        "",
        "| role | exact P | exact R | **exact F1** | overlap F1 | target (fast) | CofeNet (BERT-base, test) |",
        "|---|---|---|---|---|---|---|",
    ]
    for role in ("source", "cue", "content"):
        e, o = scores.exact[role], scores.overlap[role]
        lines.append(f"| {role} | {e.precision:.3f} | {e.recall:.3f} | **{e.f1:.3f}** | {o.f1:.3f} | "
                     f"{TARGETS[role]:.2f} | {COFENET[role]:.3f} |")
    accuracy = scores.source_type_accuracy
    lines += [
        "",
        f"Whole attributions (same source, cue and content): F1 {scores.attribution.f1:.3f}. Source type "
        f"(`named`/`anonymous`/`none`) where PolNeAR marks it (`none`: no source): accuracy "
        f"{'-' if accuracy is None else f'{accuracy:.3f}'} over {scores.source_type_pairs} attributions whose cue "
        "matches a gold cue.",
        "",
        f"Time on the bundled example article ({len(text.split())} words), median of 9 warm runs on this machine: "
        f"the attributions component {attribution_ms:.0f} ms, the whole analysis {total_ms:.0f} ms.",
    ]
    if check:
        figures = ", ".join(f"{role} {check[role]['exact']['f1']:.3f} (overlap {check[role]['overlap']['f1']:.3f})"
                            for role in ("source", "cue", "content"))
        lines += ["", f"Cross-check with `../shared/tools/attrib_score.py` on the same predictions, exact F1: {figures}."]
    write_section("attributions", "Attributions: who says so, on PolNeAR", "\n".join(lines), after="boundaries")
    print(json.dumps(scores.to_dict(), indent=2))


if __name__ == "__main__":
    main()
