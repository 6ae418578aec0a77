"""Run every benchmark script in turn (``make benchmarks``); each rewrites its own section of BENCHMARKS.md."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# experiments.py --windows re-measures the window/stride table; the training runs it lists are recorded, not rerun
# (attribution_experiments.py and crossval_experiments.py likewise re-render their recorded runs).
# crossval.py reads the folds `make crossval` trained (it skips, saying so, where none were trained); where they
# are there, reliability.py judges fast on them, as fast's stored legend was measured (else on validation).
CV = HERE.parent / "runs" / "cv-minilm"
RELIABILITY = ("reliability.py", "--cv", "../runs/cv-minilm") if (CV / "crossval.json").is_file() else ("reliability.py",)
for script, *args in (("quality.py",), ("quality.py", "--model", "accurate"), ("calibration.py",), ("models.py",),
                      ("speed.py",), ("version_cost.py",), ("components.py",), ("experiments.py", "--windows"), ("load.py",),
                      ("boundaries.py",), RELIABILITY, ("attributions.py",), ("source_types.py",), ("attribution_choices.py",), ("cue_subjects.py",),
                      ("attribution_experiments.py",), ("attribution_cost.py",), ("attribution_cost.py", "--model", "fast"), ("attribution_shared_encoder.py",), ("neighbour_vote.py",),
                      ("authority.py",), ("slow_clients.py",), ("memory.py",), ("batch.py",), ("roles.py",), ("actors_finder.py",),
                      ("rare_cues.py",), ("crossval.py",), ("crossval_experiments.py",)):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args], check=True, cwd=HERE)
