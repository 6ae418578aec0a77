"""Corpus throughput of ``propwatch batch`` on the 461 articles of ``../shared/ptc`` (train + unlabeled):
one worker, two workers and Ray on this machine; peak memory; the time to resume a run killed at 50%; and,
from the measured per-core throughput, a paper estimate of time and cost for a million articles on N cores.

Every figure is a fresh ``propwatch batch`` process, timed from start to exit as a user would see it
(start-up, scanning and model loading included). Memory is the peak of the summed RSS of the whole process
tree (driver, workers, Ray's processes), sampled every 0.1 s.

    python benchmarks/batch.py [--price-per-core-hour 0.045]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from _report import PTC, machine, require_ptc, write_section

MILLION = 1_000_000
CORES_FOR_ESTIMATE = (16, 64, 256, 1024)


def corpus(folder: Path) -> int:
    """The 461 PTC articles copied into one folder with a sub-folder per part of PTC (so ``source`` works)."""
    count = 0
    for part in ("train", "unlabeled"):
        target = folder / part
        target.mkdir(parents=True)
        for path in sorted((PTC / part / "articles").glob("article*.txt")):
            shutil.copy(path, target / path.name)
            count += 1
    return count


def run(args: list[str], kill_at: float | None = None, total_parts: int | None = None) -> dict:
    """Run ``propwatch batch ARGS``; with ``kill_at``, SIGKILL it once that share of parts is done.

    CPU time is that of the process and the workers it waited for (``RUSAGE_CHILDREN``): exact for the local
    engine; Ray's daemons and actors are not all waited for by the command, so it is not given for Ray."""
    before = _cpu()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "propwatch.cli.app", "batch", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    root = psutil.Process(process.pid)
    peak = 0
    out = Path(args[args.index("--out") + 1])
    while process.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        if kill_at is not None and (out / "parts").is_dir():
            done = sum(1 for n in os.listdir(out / "parts") if not n.startswith("."))
            if done >= kill_at * total_parts:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                return {"seconds": time.perf_counter() - started, "parts_done": done, "peak_mb": peak / 2**20,
                        "cpu": _cpu() - before}
        time.sleep(0.1)
    _, stderr = process.communicate()
    if process.returncode != 0:
        sys.exit(f"propwatch batch {' '.join(args)} failed:\n{stderr}")
    return {"seconds": time.perf_counter() - started, "peak_mb": peak / 2**20, "stderr": stderr, "cpu": _cpu() - before}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def part_seconds(out: Path) -> float:
    return sum(json.loads(p.read_text())["seconds"] for p in (out / "parts").glob("*.json"))


def same_tables(a: Path, b: Path) -> bool:
    import pyarrow.parquet as pq

    for table, keys in (("articles", ["id"]), ("spans", ["article_id", "start", "end", "technique"]),
                        ("analyses", ["id"])):
        ta = pq.read_table(a / f"{table}.parquet").sort_by([(k, "ascending") for k in keys])
        tb = pq.read_table(b / f"{table}.parquet").sort_by([(k, "ascending") for k in keys])
        if not ta.equals(tb):
            return False
    return (a / "errors.jsonl").read_bytes() == (b / "errors.jsonl").read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--price-per-core-hour", type=float, default=0.045,
                        help="USD per core-hour for the estimate (default: a current on-demand x86 cloud vCPU)")
    parser.add_argument("--part-size", type=int, default=16)
    args = parser.parse_args()
    require_ptc()
    have_ray = importlib.util.find_spec("ray") is not None
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="propwatch-bench-") as tmp:
        tmp = Path(tmp)
        n = corpus(tmp / "ptc")
        parts = -(-n // args.part_size)
        common = [str(tmp / "ptc"), "--part-size", str(args.part_size)]
        results = {}
        for name, extra in (("1 worker", ["--workers", "1"]), ("2 workers", ["--workers", "2"]),
                            *((("Ray, local, 2 actors", ["--engine", "ray", "--workers", "2"]),) if have_ray else ())):
            out = tmp / name.replace(" ", "_").replace(",", "")
            print(f"== {name}", flush=True)
            results[name] = {**run([*common, "--out", str(out), *extra]), "out": out}
            print(f"   {results[name]['seconds']:.1f} s, peak {results[name]['peak_mb']:.0f} MB", flush=True)
        print("== kill at 50% and resume (2 workers)", flush=True)
        resumed_out = tmp / "resumed"
        killed = run([*common, "--out", str(resumed_out), "--workers", "2"], kill_at=0.5, total_parts=parts)
        resume = run([*common, "--out", str(resumed_out), "--workers", "2"])
        equal = same_tables(resumed_out, results["2 workers"]["out"])
        # CPU time, not wall time: under load the wall clock also counts the time other jobs had the cores.
        per_core = n / results["2 workers"]["cpu"]
        per_core_parts = n / part_seconds(results["2 workers"]["out"])
        words = sum(len(p.read_text(encoding="utf-8").split()) for p in (tmp / "ptc").rglob("*.txt"))
    load_after = os.getloadavg()[0]
    cores = len(os.sched_getaffinity(0))

    rows = []
    for name, r in results.items():
        cpu = "–" if "Ray" in name else f"{1000 * r['cpu'] / n:.0f} ms"
        rows.append(f"| {name} | {r['seconds']:.1f} s | **{n / r['seconds']:.1f} articles/s** | {cpu} | "
                    f"{r['peak_mb']:.0f} MB |")
    estimate = []
    for c in CORES_FOR_ESTIMATE:
        hours = MILLION / (per_core * c) / 3600
        estimate.append(f"| {c} | {hours:.1f} h | ${MILLION / per_core / 3600 * args.price_per_core_hour:,.0f} |")
    core_hours = MILLION / per_core / 3600
    # Only the load before the runs says whether other programs competed: the load after includes the
    # benchmark's own workers (a 2-worker run leaves the 1-minute average near 2 on its own).
    loaded = load_before > 0.5 * cores
    body = "\n".join([
        f"{n} PTC articles (`train` + `unlabeled`, {words:,} words, {words / n:.0f} per article), read as a folder "
        f"(`--part-size {args.part_size}`, {parts} parts); every run is a fresh `propwatch batch` process timed "
        "from start to exit (start-up, scanning, model loading and, for Ray, starting a local Ray included).",
        "",
        "| engine | wall time | throughput | CPU time per article | peak RSS (whole process tree) |",
        "|---|---|---|---|---|",
        *rows,
        f"| resume after `kill -9` at 50% ({killed['parts_done']} of {parts} parts done), 2 workers | "
        f"{resume['seconds']:.1f} s | {n - killed['parts_done'] * args.part_size} articles left | | "
        f"{resume['peak_mb']:.0f} MB |",
        "",
        "The resumed run's tables and errors file equal the uninterrupted 2-worker run's: "
        f"**{'yes' if equal else 'NO'}**.",
        "",
        f"**Per-core throughput**: {per_core:.2f} articles/s: articles ÷ the CPU time of the whole 2-worker run "
        "(driver and workers, start-up included; each worker runs one onnxruntime thread). CPU time rather than "
        "wall time, because under load the wall clock also counts the time other jobs held the cores. (From the "
        f"parts' wall times instead: {per_core_parts:.2f} articles/s per core.)",
        "",
        f"**One million articles, on paper** (articles of this length; time scales with words): "
        f"{core_hours:,.0f} core-hours. On N Ray actors of one CPU each, assuming the measured per-core rate "
        "holds (the work is embarrassingly parallel: parts share nothing; the driver only commits small Parquet "
        "files) and ignoring start-up (a minute or two):",
        "",
        "| cores (Ray actors) | time | cost at "
        f"${args.price_per_core_hour}/core-hour |",
        "|---|---|---|",
        *estimate,
        "",
        "Cost does not depend on N: the same core-hours are bought either way; more cores only finish sooner. "
        "Use `--part-size 500` or more at that scale (fewer, larger Parquet files). The price is an assumption "
        "(`--price-per-core-hour`): an on-demand x86 cloud vCPU; spot capacity costs a third of that or less, and a "
        "vCPU is often a hyper-thread, slower than the core measured here.",
        "",
        f"1-minute load average {load_before:.1f} just before the runs on {cores} cores ({load_after:.1f} "
        "just after, which includes the benchmark's own workers)"
        + (": **figures taken under load** (other programs shared the machine), so they understate "
           "what an idle machine does, and the wall-time rows are not comparable with each other (the other "
           "job's demand changes from minute to minute); CPU time per article is the steadier figure. Rerun "
           "`python benchmarks/batch.py` on a quiet machine for clean figures."
           if loaded else "."),
    ])
    write_section("batch", "Corpus batch runs: throughput, memory, resume, and a million articles", body)
    print(body)
    print(machine())


if __name__ == "__main__":
    main()
