"""Speed of the pieces around the model that run on every article or every evaluation: sentence splitting,
the English check, the SI metric and reading the PTC training folder. These used to be timed assertions in
the test suite, which failed on a busy CI machine without saying anything about the code; here they are
measured (best of several runs) and compared with the budgets the code was written for.

    python benchmarks/components.py
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from _report import PTC, write_section
from propwatch.inputs import read_corpus
from propwatch.language import english_warning
from propwatch.metrics import span_identification
from propwatch.sentences import split_sentences

EXAMPLE = Path(__file__).resolve().parent.parent / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


def best_of(fn, repeats: int = 5) -> float:
    fn()  # warm caches (compiled regexes, imports)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    rows = []

    paragraph = ("Mr. Smith said the U.S. would act. “We will win!” he said. Prices rose 3.5 percent (again). "
                 "Why? Nobody knows… The end.\n")
    megabyte = paragraph * (1_000_000 // len(paragraph) + 1)
    rows.append(("split_sentences, 1 MB of text", best_of(lambda: split_sentences(megabyte)), 0.5))

    words = EXAMPLE.read_text(encoding="utf-8").split()
    article = " ".join((words * (1000 // len(words) + 1))[:1000])
    rows.append(("english_warning, one 1,000-word article", best_of(lambda: english_warning(article), 20), 0.005))

    rng = random.Random(0)
    gold = {str(a): [(s, s + rng.randint(1, 80)) for s in (rng.randrange(20_000) for _ in range(300))]
            for a in range(50)}
    pred = {str(a): [(s, s + rng.randint(1, 80)) for s in (rng.randrange(20_000) for _ in range(300))]
            for a in range(50)}
    rows.append(("SI metric, 50 articles x 300 gold and 300 predicted spans",
                 best_of(lambda: span_identification(gold, pred)), 0.1))

    if (PTC / "train" / "articles").is_dir():
        rows.append(("read_corpus, the 371 articles and labels of `ptc/train`",
                     best_of(lambda: read_corpus(PTC / "train"), 3), 1.0))

    lines = ["Best of several warm runs, one process, no model loaded.", "",
             "| piece | time | budget | within |", "|---|---|---|---|"]
    for name, seconds, budget in rows:
        lines.append(f"| {name} | {seconds * 1000:.1f} ms | {budget * 1000:.0f} ms | "
                     f"{'yes' if seconds <= budget else '**no**'} |")
    print("\n".join(lines))
    write_section("components", "Speed of the text pieces around the model", "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
