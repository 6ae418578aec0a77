"""The web server under load: ``propwatch serve`` in its own process on loopback, and 32 concurrent clients
(asyncio + httpx, in this process) posting ~1,000-word articles to ``POST /api/v1/analyze`` for 60 s.

A client that gets 429 or 503 waits the ``Retry-After`` the server asked for and tries again: those answers are
the server protecting itself, counted apart. Anything else that is not a 200 (another status, a dropped
connection, a timeout) is a failure, and the script exits non-zero if there is one. Written: throughput,
p50/p99 latency of answered requests, the 429/503 counts, the server's peak RSS (VmHWM), and the latency of
light requests in a row on one kept-alive connection.

    python benchmarks/load.py [--clients 32] [--duration 60] [--workers N] [--max-waiting 16]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from _report import ROOT, write_section

EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    status: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def failures(self) -> int:
        bad = sum(n for code, n in self.status.items() if code not in (200, 429, 503))
        return bad + sum(self.errors.values())


def start_server(workers: int | None, max_waiting: int, db: Path) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "propwatch.cli.app", "serve", "--port", "0", "--db", str(db),
               "--max-waiting", str(max_waiting)]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "PROPWATCH_API_TOKEN": ""}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    match = re.search(r"serving on (http://\S+)", line)
    if not match:
        proc.kill()
        sys.exit(f"the server did not start: {line}{proc.stderr.read()}")
    base = match.group(1)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    sys.exit("the server did not become ready within 120 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def busy_elsewhere() -> float:
    """The 1-minute load average before the run: how much of the CPU other programs were already using."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def rss_kib(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


async def client(n: int, base: str, text: str, deadline: float, tally: Tally, http: httpx.AsyncClient) -> None:
    i = 0
    while time.monotonic() < deadline:
        i += 1
        body = {"text": f"Report {n}-{i}: {text}", "store": True}
        started = time.perf_counter()
        try:
            r = await http.post(base + "/api/v1/analyze", json=body)
        except httpx.HTTPError as exc:
            name = type(exc).__name__
            tally.errors[name] = tally.errors.get(name, 0) + 1
            continue
        elapsed = time.perf_counter() - started
        tally.status[r.status_code] = tally.status.get(r.status_code, 0) + 1
        if r.status_code == 200:
            tally.latencies.append(elapsed)
        elif r.status_code in (429, 503):
            wait = float(r.headers.get("Retry-After", "1"))
            await asyncio.sleep(max(0.0, min(wait, deadline - time.monotonic())))


async def load(base: str, clients: int, duration: float, text: str, pid: int) -> tuple[Tally, float, int]:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    peak_rss = 0
    async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(120.0)) as http:
        started = time.monotonic()
        deadline = started + duration
        tasks = [asyncio.create_task(client(n, base, text, deadline, tally, http)) for n in range(clients)]
        while not all(t.done() for t in tasks):
            peak_rss = max(peak_rss, rss_kib(pid, "VmRSS"))
            await asyncio.sleep(0.5)
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
    return tally, elapsed, peak_rss


def kept_alive_ms(base: str, n: int = 50) -> list[float]:
    """Milliseconds of ``n`` light requests in a row on one kept-alive connection (``GET /healthz``, idle server):
    what a client making many small calls waits per call. Nagle's algorithm against the client's delayed ACK
    shows here as ~40 ms per request after a connection's first."""
    times = []
    with httpx.Client(base_url=base, timeout=10) as http:
        for _ in range(n):
            started = time.perf_counter()
            http.get("/healthz").raise_for_status()
            times.append(1000 * (time.perf_counter() - started))
    return times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--max-waiting", type=int, default=16)
    args = parser.parse_args()

    example = EXAMPLE.read_text(encoding="utf-8")
    words = len(example.split())
    cores = len(os.sched_getaffinity(0))
    background = busy_elsewhere()
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(args.workers, args.max_waiting, Path(tmp) / "load.sqlite3")
        try:
            idle_rss = rss_kib(proc.pid, "VmRSS")
            ready = httpx.get(base + "/readyz").json()
            light = kept_alive_ms(base)
            cpu_before = cpu_seconds(proc.pid)
            tally, elapsed, sampled_peak = asyncio.run(load(base, args.clients, args.duration, example, proc.pid))
            server_cpu = (cpu_seconds(proc.pid) - cpu_before) / (elapsed * cores)
            peak_rss = max(sampled_peak, rss_kib(proc.pid, "VmHWM"))
            after = httpx.get(base + "/readyz").json()
            stored = httpx.get(base + "/api/v1/analyses", params={"limit": 1}).json()["total"]
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()

    ok = tally.status.get(200, 0)
    lat = tally.latencies
    summary = {
        "clients": args.clients, "duration_s": round(elapsed, 1), "workers": ready["workers"],
        "max_waiting": ready["max_waiting"], "ok": ok, "status": tally.status, "errors": tally.errors,
        "failures": tally.failures, "throughput_per_s": round(ok / elapsed, 2),
        "p50_ms": round(1000 * statistics.median(lat)) if lat else None,
        "p99_ms": round(1000 * percentile(lat, 0.99)) if lat else None,
        "idle_rss_mib": round(idle_rss / 1024), "peak_rss_mib": round(peak_rss / 1024), "stored": stored,
        "left_running": after["running"], "left_waiting": after["waiting"],
        "load_average_before": background, "server_cpu_share": round(server_cpu, 2),
        "kept_alive_p50_ms": round(statistics.median(light), 1), "kept_alive_p99_ms": round(percentile(light, 0.99), 1),
    }
    print(json.dumps(summary, indent=2))

    rejected = tally.status.get(429, 0) + tally.status.get(503, 0)
    kept_row = (f"a light request on a kept-alive connection (`GET /healthz`, {len(light)} in a row, before the run), "
                "p50 / p99")
    body = f"""\
`propwatch serve` in its own process on 127.0.0.1 ({ready['workers']} inference workers, at most
{ready['max_waiting']} requests waiting), and {args.clients} concurrent clients in a second process (asyncio +
httpx) posting the bundled example article ({words} words, a different title line each time) to
`POST /api/v1/analyze` for {args.duration:g} s. A client answered 429 or 503 waits the `Retry-After` the server
asked for, then tries again; every analysis is stored in the history (SQLite), as in normal use.

| measure | value |
| --- | --- |
| requests answered 200 | {ok} |
| throughput | {summary['throughput_per_s']} articles/s |
| latency of answered requests, p50 | {summary['p50_ms']} ms |
| latency of answered requests, p99 | {summary['p99_ms']} ms |
| refused to protect the server (429 queue full / 503 busy) | {tally.status.get(429, 0)} / {tally.status.get(503, 0)} |
| failed requests (any other status, dropped connections, time-outs) | {tally.failures} |
| server RSS: idle (model loaded) / peak during the run | {summary['idle_rss_mib']} / {summary['peak_rss_mib']} MiB |
| analyses in the history afterwards | {stored} |
| share of the machine's {cores} cores the server used during the run | {server_cpu:.0%} |
| 1-minute load average just before the run (other programs) | {background:.2f} |
| {kept_row} | {summary['kept_alive_p50_ms']} / {summary['kept_alive_p99_ms']} ms |

Latency includes the time a request waits for a worker: with {args.clients} clients and
{ready['workers']} workers most of it is queueing, which is what the 429s ({rejected} refusals in all) keep
bounded. The server's memory stays flat because at most {ready['workers']} analyses hold tensors at once
whatever arrives. Throughput is bounded by the CPU the server gets: a load average near or above the number of
cores before the run means other programs (a training job, say) were competing for it, and the figures above
are lower than on an idle machine. The kept-alive row is the cost of HTTP itself: it was about 44 ms before the
server turned Nagle's algorithm off on its connections (every answer is two writes, and the second waited for
the client's delayed ACK), about 1 ms after.
"""
    write_section("load", "Web server under load", body)
    if tally.failures:
        sys.exit(f"{tally.failures} requests failed: {tally.status} {tally.errors}")


if __name__ == "__main__":
    main()
