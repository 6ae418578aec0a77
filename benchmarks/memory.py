"""Peak memory of the largest article one analysis accepts (``max_words``, 30,000 words and symbols by default):
each case runs in a fresh process, so its peak resident set (``VmHWM``) is that article's and nothing else's.

Two articles at the bound: the bundled example repeated (real prose, about 30,000 words and symbols), and the
pathological one, 30,000 ``&`` (each one a word-and-symbol and at least one model token, with no sentence
breaks). Written: the process's RSS once the model is loaded, its peak during the analysis, and the time.

    python benchmarks/memory.py
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from _report import ROOT, write_section

EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
_WORDS_AND_SYMBOLS = re.compile(r"\w+|[^\w\s]")


def status_kib(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return 0


def article(case: str, max_words: int) -> str:
    """The text of ``case`` with exactly ``max_words`` words and symbols (the most an analysis accepts)."""
    if case == "ampersands":
        return "Ampersands\n\n" + "&" * (max_words - 1)
    example = EXAMPLE.read_text(encoding="utf-8")
    title, _, body = example.partition("\n\n")
    text = title + "\n\n" + body
    while len(_WORDS_AND_SYMBOLS.findall(text)) < max_words:
        text += "\n\n" + body
    end = list(_WORDS_AND_SYMBOLS.finditer(text))[max_words - 1].end()
    return text[:end]


def measure(case: str) -> None:
    """In the child process: load the analyzer, analyse the case once, print the figures as JSON."""
    from propwatch import load_analyzer
    from propwatch.analyzer import check_length
    from propwatch.schema import Article

    analyzer = load_analyzer()
    text = article(case, analyzer.max_words)
    doc = Article.from_ptc_text(text, id=case)
    check_length(doc, analyzer.max_words)  # accepted: at the bound, not over it
    loaded = status_kib("VmRSS")
    started = time.perf_counter()
    analysis = analyzer.analyze(doc)
    seconds = time.perf_counter() - started
    print(json.dumps({
        "case": case, "chars": len(text), "words_and_symbols": len(_WORDS_AND_SYMBOLS.findall(text)),
        "loaded_mib": round(loaded / 1024), "peak_mib": round(status_kib("VmHWM") / 1024),
        "seconds": round(seconds, 1), "spans": len(analysis.spans), "max_words": analyzer.max_words,
    }))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--case":
        measure(sys.argv[2])
        return
    results = []
    for case in ("example", "ampersands"):
        out = subprocess.run([sys.executable, __file__, "--case", case], check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(results[-1]), flush=True)
    bound = results[0]["max_words"]
    names = {"example": "the bundled example, repeated", "ampersands": f"{bound:,} `&` (pathological)"}
    rows = "\n".join(
        f"| {names[r['case']]} | {r['words_and_symbols']:,} | {r['chars']:,} | {r['loaded_mib']} MiB | "
        f"{r['peak_mib']} MiB | {r['peak_mib'] - r['loaded_mib']} MiB | {r['seconds']} s |"
        for r in results
    )
    body = f"""\
Each article analysed once in a fresh process with the default (fast) model; the peak resident set (`VmHWM`)
is the whole process's, model included. Both articles are at the bound that `propwatch analyze`, `serve` and
`batch` accept by default (`--max-words {bound}`, counted in words and symbols); one more is refused with a
message saying how to split the article. A server holds at most `--workers` such analyses at once.

| article | words and symbols | characters | RSS, model loaded | peak RSS | added by the analysis | time |
| --- | --- | --- | --- | --- | --- | --- |
{rows}
"""
    write_section("memory", "Memory of the largest accepted article", body, after="load")


if __name__ == "__main__":
    main()
