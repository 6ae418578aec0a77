"""Slow clients against a token-protected server: ``propwatch serve`` with a token, in its own process on
loopback, and 64 connections that send the headers of a POST and then one body byte every 3 s, as the hardening
review did (it found every request, ``/healthz`` and authenticated ones included, answered 503).

Two kinds of slow client, one after the other: without the token on the API (refused before any work), and on
``/login`` (the one form a client without the token may post: held at most ``--body-timeout``, at most
``--max-client-requests`` at once per address). During each, the script measures what everybody else gets:
``/healthz`` polled every 0.5 s, and an authenticated analysis of the bundled article. Every connection goes to
127.0.0.1 and every loop is bounded in count and time.

    python benchmarks/slow_clients.py [--clients 64] [--every 3] [--seconds 30]
"""

from __future__ import annotations

import argparse
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from _report import ROOT, write_section

EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
TOKEN = "benchmark-" + "x7Qp2mZr9LwT4vKc8NbY3hJd6FgS1aE5"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def start_server(db: Path) -> tuple[subprocess.Popen, str, int]:
    command = [sys.executable, "-m", "propwatch.cli.app", "serve", "--port", "0", "--db", str(db)]
    env = {**os.environ, "PROPWATCH_API_TOKEN": TOKEN}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    match = re.search(r"serving on (http://[^:/]+:(\d+))", line)
    if not match:
        proc.kill()
        sys.exit(f"the server did not start: {line}{proc.stderr.read()}")
    base, port = match.group(1), int(match.group(2))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                return proc, base, port
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    proc.kill()
    sys.exit("the server did not become ready within 120 s")


def trickle(port: int, path: str, clients: int, every: float, seconds: float, answered: dict[int, tuple[int, float]],
            stop: threading.Event) -> None:
    """Open ``clients`` connections that announce a 1,000-byte body and send one byte of it every ``every``
    seconds, for at most ``seconds``; record each connection's status and when it was answered."""
    socks = []
    for _ in range(clients):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                     "\r\nContent-Length: 1000\r\n\r\n".encode())
        sock.setblocking(False)
        socks.append(sock)
    started = time.monotonic()
    for _ in range(int(seconds / every) + 1):
        waited = time.monotonic() - started
        if stop.is_set() or waited > seconds or len(answered) == clients:
            break
        for i, sock in enumerate(socks):
            if i not in answered:
                try:
                    sock.send(b"x")
                except OSError:
                    pass
        end = min(started + seconds, time.monotonic() + every)
        while time.monotonic() < end and len(answered) < clients and not stop.is_set():
            pending = [s for i, s in enumerate(socks) if i not in answered]
            readable, _, _ = select.select(pending, [], [], min(0.2, max(0.0, end - time.monotonic())))
            for sock in readable:
                i = socks.index(sock)
                try:
                    data = sock.recv(4096)
                except OSError:
                    data = b""
                status = int(data.split()[1]) if data.startswith(b"HTTP/1.1 ") else 0
                answered[i] = (status, time.monotonic() - started)
    for sock in socks:
        sock.close()


def attack(base: str, port: int, path: str, args: argparse.Namespace) -> dict:
    """What everybody else gets while ``args.clients`` slow clients post to ``path``."""
    answered: dict[int, tuple[int, float]] = {}
    stop = threading.Event()
    thread = threading.Thread(target=trickle, args=(port, path, args.clients, args.every, args.seconds, answered,
                                                    stop), daemon=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    health, health_status = [], Counter()
    thread.start()
    time.sleep(1.0)  # the slow clients are connected and have sent their headers
    started = time.monotonic()
    with httpx.Client(timeout=60) as client:
        analysis = client.post(base + "/api/v1/analyze", json={"text": text}, headers=AUTH)
        analysis_s = time.monotonic() - started
        while time.monotonic() - started < min(args.seconds - 2, 20):
            t = time.monotonic()
            try:
                status = client.get(base + "/healthz", timeout=10).status_code
            except httpx.HTTPError:
                status = 0
            health.append(time.monotonic() - t)
            health_status[status] += 1
            time.sleep(0.5)
    stop.set()
    thread.join(args.seconds + 10)
    statuses = Counter(status for status, _ in answered.values())
    statuses["unanswered"] = args.clients - len(answered)
    return {
        "analysis": (analysis.status_code, analysis_s),
        "health": (health_status, statistics.median(health), max(health)),
        "slow": ({k: v for k, v in statuses.items() if v}, max((t for _, t in answered.values()), default=0.0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between two body bytes of a slow client")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the slow clients keep trickling")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proc, base, port = start_server(Path(tmp) / "history.sqlite3")
        try:
            results = {path: attack(base, port, path, args) for path in ("/api/v1/analyze", "/login")}
        finally:
            proc.terminate()
            proc.wait(30)
    rows = []
    for path, r in results.items():
        (code, analysis_s), (health_status, p50, worst), (slow, last) = r["analysis"], r["health"], r["slow"]
        slow_text = ", ".join(f"{n} × {k}" for k, n in sorted(slow.items(), key=lambda kv: str(kv[0])))
        health_text = ", ".join(f"{n} × {k}" for k, n in sorted(health_status.items()))
        rows.append(f"| {args.clients} slow clients posting to `{path}` | {slow_text}, the last after {last:.1f} s | "
                    f"{health_text}; p50 {p50 * 1000:.1f} ms, worst {worst * 1000:.0f} ms | {code} in {analysis_s:.2f} s |")
    body = "\n".join([
        f"A token-protected `propwatch serve` on loopback; {args.clients} connections send a POST's headers and then "
        f"one body byte every {args.every:g} s (for at most {args.seconds:g} s). Meanwhile `/healthz` is polled every "
        "0.5 s and one authenticated analysis of the bundled article is made.",
        "",
        "| attack | what the slow clients got | `/healthz` meanwhile | authenticated analysis |",
        "|---|---|---|---|",
        *rows,
    ])
    write_section("slow-clients", "Slow clients against a token-protected server", body,
                  after="load")
    print(body)


if __name__ == "__main__":
    main()
