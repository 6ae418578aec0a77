"""The attribution model on PolNeAR dev, through the product's own component (``propwatch evaluate --task
attribution``), cross-checked with the independent scorer ``../shared/tools/attrib_score.py``, and the time it
adds to the analysis of a ~1,000-word article, for ``fast``'s attribution model and ``accurate``'s ensemble.

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
from propwatch.components.attributions.component import AttributionFinder, find_attribution_model
from propwatch.components.attributions.ensemble import AttributionEnsemble
from propwatch.evaluation.attributions import evaluate_attributions, prediction_rows

POLNEAR = ROOT.parent / "shared" / "polnear"
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
TARGETS = {"fast": {"source": 0.82, "cue": 0.75, "content": 0.72},
           "accurate": {"source": 0.85, "cue": 0.78, "content": 0.75}}
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


def example_times(model: str, text: str) -> tuple[float, float]:
    """Median ms of the attributions component and of the whole analysis over 9 warm runs of ``model``."""
    analyzer = load_analyzer(model)
    for _ in range(2):
        analyzer(text)  # warm
    runs = [analyzer(text).timings_ms for _ in range(9)]
    return statistics.median(t["attributions"] for t in runs), statistics.median(sum(t.values()) for t in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    compartment = POLNEAR / args.split
    if not (compartment / "text").is_dir():
        sys.exit(f"benchmark skipped: PolNeAR is not at {POLNEAR}")
    n_articles = len(list((compartment / "text").glob("*.txt")))
    text = EXAMPLE.read_text(encoding="utf-8")
    rows, notes, results = [], [], {}
    for tier in ("fast", "accurate"):
        finder = AttributionFinder.load(tier)
        model = finder.model
        started = time.perf_counter()
        scores = evaluate_attributions(model, compartment)
        seconds = time.perf_counter() - started
        folder = find_attribution_model(tier).relative_to(ROOT)
        if isinstance(model, AttributionEnsemble):
            kind = "the mean of " + " and ".join(f"{m.name} {m.version} ×{w:.2f}"
                                                 for m, w in zip(model.members, model.weights))
            if model.config.stride:
                kind += f", each read in windows of {model.members[0].window} tokens every {model.config.stride}"
        else:
            kind = model.config.precision or "int8"
        component_ms, total_ms = example_times(tier, text)
        results[tier] = scores.to_dict()
        for role in ("source", "cue", "content"):
            e, o = scores.exact[role], scores.overlap[role]
            rows.append(f"| `{tier}` | {role} | {e.precision:.3f} | {e.recall:.3f} | **{e.f1:.3f}** | {o.f1:.3f} | "
                        f"{TARGETS[tier][role]:.2f} | {COFENET[role]:.3f} |")
        accuracy = scores.source_type_accuracy
        notes += [
            f"- `{tier}`: `{model.name}` {model.version} (`{folder}`, {kind}), scored in {seconds:.0f} s. Whole "
            f"attributions (same source, cue and content): F1 {scores.attribution.f1:.3f}. Source type "
            f"(`named`/`anonymous`/`none`) where PolNeAR marks it (`none`: no source): accuracy "
            f"{'-' if accuracy is None else f'{accuracy:.3f}'} over {scores.source_type_pairs} attributions whose "
            f"cue matches a gold cue. Attributions given no source (`none`): {sum(scores.unsourced.values())}, of which "
            f"{scores.unsourced['unsourced']} overlap an annotated attribution with no source, "
            f"{scores.unsourced['source missed']} one whose source the model missed and "
            f"{scores.unsourced['not annotated']} no annotated attribution. "
            f"On the bundled example article ({len(text.split())} words, median of 9 warm "
            f"runs): the attributions component {component_ms:.0f} ms, the whole analysis with `--model {tier}` "
            f"{total_ms:.0f} ms.",
        ]
        check = crosscheck(model, compartment)
        if check:
            figures = ", ".join(f"{role} {check[role]['exact']['f1']:.3f} (overlap {check[role]['overlap']['f1']:.3f})"
                                for role in ("source", "cue", "content"))
            notes.append(f"  Cross-check with `../shared/tools/attrib_score.py` on the same predictions, exact F1: "
                         f"{figures}.")

    lines = [
        f"{n_articles} PolNeAR `{args.split}` articles, one annotator per article. Each member's training epoch was "
        f"chosen on `{args.split}`, and the ensemble's equal weights were fixed before its figures were measured, "
        "so these are dev figures, not held-out ones.",
        "",
        "| model | role | exact P | exact R | **exact F1** | overlap F1 | target | CofeNet (BERT-base, test) |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        *notes,
    ]
    write_section("attributions", "Attributions: who says so, on PolNeAR", "\n".join(lines), after="boundaries")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
