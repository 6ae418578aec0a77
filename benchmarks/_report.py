"""Write one section of BENCHMARKS.md (between markers), stamped with the command, the machine and the date,
so every figure in that file says how to reproduce it."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS_MD = ROOT / "BENCHMARKS.md"
PTC = Path(os.environ.get("PROPWATCH_PTC", ROOT.parent / "shared" / "ptc"))

HEADER = """# Benchmarks

Every figure here is written by a script in `benchmarks/`; rerun it to reproduce the figure
(`make benchmarks` runs them all). Each section names its command, the machine and the date.
Data: the Propaganda Techniques Corpus of SemEval-2020 Task 11 (Da San Martino et al., 2020; EMNLP 2019),
read from `../shared/ptc`, with its fixed `train`/`validation` split.
"""


def cpu_model() -> str:
    """The CPU's name and whether it has AVX-512 VNNI, which onnxruntime's int8 kernels use where it is there.
    The hosts this project ran on are all called "AMD EPYC", yet the same int8 technique model took 147 ms on one
    and 275 ms on another, and int8 figures moved in the third decimal: the name alone does not say which."""
    name, flags = "", ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and not name:
                name = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = line
    except OSError:
        pass
    if not name:
        return platform.processor() or platform.machine()
    return f"{name} ({'with' if 'avx512_vnni' in flags.split() else 'no'} AVX-512 VNNI)"


def machine() -> str:
    """Cores, CPU, Python, system and the onnxruntime version: int8 graphs answer a little differently from one
    onnxruntime release to another (the third decimal of a figure can move), so a figure names the one it ran on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import onnxruntime

    return (f"{cores} cores, {cpu_model()}, Python {platform.python_version()}, {platform.system()} "
            f"{platform.machine()}, onnxruntime {onnxruntime.__version__}")


def stamp(command: str) -> str:
    today = datetime.date.today().isoformat()
    return f"_Command: `{command}` · machine: {machine()} · date: {today}_\n"


def write_section(name: str, title: str, body: str, command: str | None = None, after: str | None = None,
                  restamp: bool = True) -> None:
    """Replace section ``name`` of BENCHMARKS.md, or add it: right after section ``after`` where that exists,
    else at the end. ``restamp=False`` keeps the section's existing command/machine/date line: for a section
    re-rendered from recorded figures, where this machine and today measured nothing."""
    command = command or "python " + " ".join([os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else HEADER
    pattern = re.compile(rf"<!-- {name}:start -->.*?<!-- {name}:end -->", re.S)
    line = stamp(command)
    if not restamp:
        old = pattern.search(text)
        kept = re.search(r"^_Command: .*_$", old.group(0), re.M) if old else None
        line = kept.group(0) + "\n" if kept else line
    block = f"<!-- {name}:start -->\n## {title}\n\n{line}\n{body.rstrip()}\n<!-- {name}:end -->"
    anchor = f"<!-- {after}:end -->" if after else None
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    elif anchor and anchor in text:
        text = text.replace(anchor, anchor + "\n\n" + block, 1)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    BENCHMARKS_MD.write_text(text)


def short_note(text: str, limit: int = 80) -> str:
    """The gist of a long note, for a table cell: its text up to the first colon or semicolon outside
    parentheses, without parenthetical remarks where it is still longer than ``limit``, cut at a word if need
    be. The full note belongs under the table."""
    depth, cut = 0, len(text)
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in ":;":
            cut = i
            break
    head = text[:cut].strip()
    if len(head) > limit:
        head = re.sub(r"\s*\([^()]*\)", "", head).strip()
    if len(head) > limit:
        head = head[:limit].rsplit(" ", 1)[0].rstrip(",;: ") + " …"
    return head


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def require_ptc() -> None:
    if not (PTC / "train" / "articles").is_dir():
        sys.exit(f"benchmark skipped: the PTC corpus is not at {PTC} (set PROPWATCH_PTC)")


def decoding_chosen_on(model) -> str:
    """Where a model's decoding was chosen, for a table: "cross-validation on train" where ``propwatch crossval
    --store`` gave it (config ``validation.tuned_on``), else the `validation` articles its export or ensemble was
    tuned on."""
    tuned_on = (model.config.validation or {}).get("tuned_on")
    return f"chosen on {tuned_on}" if tuned_on else "tuned on these `validation` articles"


def experiment_parser(description: str, source: str, source_help: str) -> argparse.ArgumentParser:
    """The options of a script that records experiments as rows of a JSON log: ``--record ID`` with ``source``
    (what the row is measured from) and the row's texts. Without ``--record`` such a script only re-renders."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--record", help=f"the row's id (measure {source} and add or replace the row)")
    parser.add_argument(source, help=source_help)
    parser.add_argument("--change", default="", help="what the experiment changed")
    parser.add_argument("--command", default="", help="the command that trains it")
    parser.add_argument("--verdict", default="", help="what was done with it, and why")
    return parser


def recorded(log: Path) -> list[dict]:
    return json.loads(log.read_text()) if log.exists() else []


def record_row(log: Path, args: argparse.Namespace, figures: dict) -> None:
    """Add the row ``args.record`` (its texts from ``args``, then ``figures``) to ``log``, replacing an older one."""
    rows = [r for r in recorded(log) if r["id"] != args.record]
    rows.append({"id": args.record, "change": args.change, "command": args.command, "verdict": args.verdict,
                 **figures})
    log.write_text(json.dumps(rows, indent=2) + "\n")
