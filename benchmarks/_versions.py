"""Two versions of a model side by side in one process: the earlier one read from git, both timed in turn.

Speed depends on the CPU more than on the model, so a version's own cost is only its ratio to the version before,
measured on one machine; alternating the two round by round makes a drifting machine slow both alike. Used by
``version_cost.py`` (the `fast` technique model) and ``attribution_cost.py`` (`accurate`'s attribution ensemble).
"""

from __future__ import annotations

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
