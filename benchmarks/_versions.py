"""Two versions of a model side by side in one process: the earlier one read from git, both timed in turn.

Speed depends on the CPU more than on the model, so a version's own cost is only its ratio to the version before,
measured on one machine; alternating the two round by round makes a drifting machine slow both alike. Used by
``version_cost.py`` (the `fast` technique model) and ``attribution_cost.py`` (`accurate`'s attribution ensemble).
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable

from _report import ROOT


def git_file(commit: str, path: str) -> bytes:
    """The bytes of ``path`` at ``commit`` (exits with the reason where git cannot give them)."""
    shown = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=ROOT, capture_output=True)
    if shown.returncode != 0:
        raise SystemExit(f"cannot read {path} at {commit} from git (a shallow clone?): "
                         f"{shown.stderr.decode(errors='replace').strip()}")
    return shown.stdout


def alternated(calls: dict[str, Callable[[], object]], rounds: int, per_round: int = 3) -> dict[str, list[float]]:
    """Milliseconds of each call: one warm-up each, then ``rounds`` rounds of ``per_round`` runs of each in turn."""
    for call in calls.values():
        call()
    times: dict[str, list[float]] = {k: [] for k in calls}
    for _ in range(rounds):
        for key, call in calls.items():
            for _ in range(per_round):
                started = time.perf_counter()
                call()
                times[key].append((time.perf_counter() - started) * 1000)
    return times


def medians(times: dict[str, list[float]]) -> dict[str, float]:
    return {k: statistics.median(v) for k, v in times.items()}


def comparison(lead: str, columns: list[str], rows: list[str], median: dict[str, float], what: str) -> str:
    """The section's text: ``lead``, a table of ``columns`` holding ``rows`` (earlier version, then the shipped
    one), and the ratio of the two medians, which is what carries from one CPU to another."""
    return "\n".join([
        lead,
        "",
        "| " + " | ".join(columns) + " |",
        "|" + "---|" * len(columns),
        *rows,
        "",
        f"The shipped {what} takes {median['now'] / median['before']:.2f} times the time of the earlier one on this "
        "machine; compare the ratio, not the milliseconds, with runs on other CPUs.",
    ])
