"""Run every benchmark script in turn (``make benchmarks``); each rewrites its own section of BENCHMARKS.md."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in ("quality.py", "calibration.py", "models.py", "speed.py", "load.py", "batch.py"):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True, cwd=HERE)
