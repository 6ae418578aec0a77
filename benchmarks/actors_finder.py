"""The actor finder alone (issue 14): how many of the SemEval-2025 Task 10 annotated mentions its actors cover,
on `validation` and on `train`, and what it costs an article: spaCy's pipeline step by step and the finder's own
work, on the example article (median of warm runs).

    python benchmarks/actors_finder.py [--runs 10]

Data: ../shared/framing (or $PROPWATCH_FRAMING); the recall rows are left out with a message where absent.
Writes the section "actor-finder" of BENCHMARKS.md, after the roles section.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from _report import ROOT, write_section
from propwatch.components.actors import find_actors
from propwatch.components.actors.finder import load_spacy
from propwatch.evaluation.roles import finder_recall
from propwatch.inputs.framing import read_framing

FRAMING = Path(os.environ.get("PROPWATCH_FRAMING", ROOT.parent / "shared" / "framing"))
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


def median_ms(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs, after one warm-up (default 10)")
    args = parser.parse_args()

    lines = []
    figures: dict[str, object] = {}
    if (FRAMING / "subtask-1-annotations.txt").exists():
        lines += [
            "Annotated mentions of SemEval-2025 Task 10 subtask 1 (English, `../shared/framing`) that a found actor's "
            "mention overlaps, and that one matches exactly; annotated (article, entity) pairs with at least one "
            "mention overlapped. The finder is not trained, but its alias table and rules were written while "
            "reading the misses of both splits: neither is held out for it.",
            "",
            "| split | articles | annotated mentions | overlapped | same span | entities | actors an article |",
            "|---|---|---|---|---|---|---|",
        ]
        for split in ("validation", "train"):
            r = finder_recall(read_framing(FRAMING, split))
            figures[split] = r.to_dict()
            lines.append(f"| {split} | {r.articles} | {r.mentions} | **{r.overlap:.3f}** | {r.exact:.3f} | "
                         f"{r.entities:.3f} | {r.actors_per_article:.1f} |")
        lines.append("")
    else:
        print(f"{FRAMING} not found: recall left out")

    text = EXAMPLE.read_text(encoding="utf-8")
    nlp = load_spacy()
    find_actors(text)  # warm: the pipeline loaded, the alias pattern compiled
    doc = nlp(text)
    steps = []
    for name, pipe in nlp.pipeline:
        before = nlp.make_doc(text)
        for earlier, p in nlp.pipeline:
            if earlier == name:
                break
            before = p(before)
        steps.append((name, median_ms(lambda p=pipe, d=before: p(d), args.runs)))
    finder_only = median_ms(lambda: find_actors(text, doc=doc), args.runs)
    total = median_ms(lambda: find_actors(text), args.runs)
    figures["timing_ms"] = {"find_actors": total, "finder_on_parsed_doc": finder_only, **dict(steps)}
    words = len(text.split())
    lines += [
        f"Time on the example article ({words} words), median of {args.runs} warm runs, one process: `find_actors` "
        f"**{total:.0f} ms**; of which spaCy's steps (`en_core_web_sm` without its lemmatizer and attribute ruler, "
        "which the finder does not read) and the finder's own work on the parsed text:",
        "",
        "| step | ms |",
        "|---|---|",
        *[f"| spaCy `{name}` | {ms:.0f} |" for name, ms in steps],
        f"| finder: alias table, entities, noun phrases, merging | {finder_only:.0f} |",
        "",
        "The tagger and parser stay: the finder reads the fine tags (plural heads, adjectival demonyms) and the "
        "dependencies (who acts, what is only a place, noun phrases); the entity recognizer runs its own "
        "embedding, so leaving out `tok2vec` would cost the parse, not the entities.",
    ]
    write_section("actor-finder", "The actor finder: recall of annotated mentions and time", "\n".join(lines),
                  after="roles")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
