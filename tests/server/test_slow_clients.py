"""Slow clients must not lock everyone out. Dozens of connections that send their headers and then trickle
their body a byte at a time, against a real uvicorn server on 127.0.0.1: requests that lack the token are
refused before they hold anything, the others hold at most a few slots per address for at most
``body_timeout`` seconds, and ``/healthz`` and the token's holders are answered throughout.

Every loop here has a count and a time bound, and every socket goes to 127.0.0.1 only."""

from __future__ import annotations

import select
import socket
import threading
import time

import httpx

from .conftest import SHORT

TOKEN = "correct-horse-battery-staple-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


class Tricklers:
    """``n`` connections that each send the headers of a POST and then one body byte every ``every`` seconds,
    in a thread, for at most ``seconds``; ``statuses`` maps each connection to the status it was answered."""

    def __init__(self, port: int, path: str, n: int = 64, every: float = 0.5, seconds: float = 20.0,
                 content_type: str = "application/x-www-form-urlencoded"):
        self.port, self.path, self.n, self.every, self.seconds = port, path, n, every, seconds
        self.content_type = content_type
        self.statuses: dict[int, int | None] = {}
        self.answered_at: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started = 0.0

    def __enter__(self) -> "Tricklers":
        self.socks = []
        for i in range(self.n):
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
            sock.sendall(
                f"POST {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {self.content_type}\r\n"
                "Content-Length: 1000\r\n\r\n".encode()
            )
            sock.setblocking(False)
            self.socks.append(sock)
            self.statuses[i] = None
        self.started = time.monotonic()
        self.thread.start()
        return self

    def _run(self) -> None:
        rounds = int(self.seconds / self.every) + 1
        for _ in range(rounds):
            if self.stop.is_set() or time.monotonic() - self.started > self.seconds:
                break
            for i, sock in enumerate(self.socks):
                if self.statuses[i] is not None:
                    continue
                try:
                    sock.send(b"x")
                except (BlockingIOError, BrokenPipeError, ConnectionResetError, OSError):
                    pass
            self._collect()
            if all(s is not None for s in self.statuses.values()):
                break
            self.stop.wait(self.every)
        self._collect()

    def _collect(self) -> None:
        open_socks = [s for i, s in enumerate(self.socks) if self.statuses[i] is None]
        if not open_socks:
            return
        readable, _, _ = select.select(open_socks, [], [], 0)
        for sock in readable:
            i = self.socks.index(sock)
            try:
                data = sock.recv(4096)
            except (BlockingIOError, ConnectionResetError, OSError):
                data = b""
            status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
            self.statuses[i] = status
            self.answered_at[i] = time.monotonic() - self.started

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(self.seconds + 5)
        for sock in self.socks:
            sock.close()

    def counts(self) -> dict[int | None, int]:
        out: dict[int | None, int] = {}
        for status in self.statuses.values():
            out[status] = out.get(status, 0) + 1
        return out


def test_requests_without_the_token_are_refused_before_their_body_is_read(live):
    server = live(api_token=TOKEN)
    with Tricklers(server.port, "/api/v1/analyze", n=64, seconds=10) as slow:
        deadline = time.monotonic() + 10
        while any(s is None for s in slow.statuses.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slow.counts() == {401: 64}  # at once, not after their bodies
        assert max(slow.answered_at.values()) < 5
    with Tricklers(server.port, "/analyze", n=16, seconds=10) as forms:  # form posts need a signed-in browser
        deadline = time.monotonic() + 10
        while any(s is None for s in forms.statuses.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert forms.counts() == {401: 16}


def test_slow_bodies_on_open_forms_cannot_lock_out_the_token_holders(live):
    server = live(api_token=TOKEN, max_client_requests=8, body_timeout=2.0)
    with Tricklers(server.port, "/login", n=64, every=0.5, seconds=15) as slow, \
            httpx.Client(base_url=server.base, timeout=10) as http:
        time.sleep(0.5)
        assert http.get("/healthz").status_code == 200
        assert http.get("/readyz").status_code == 200
        started = time.monotonic()
        r = http.post("/api/v1/analyze", json={"text": SHORT}, headers=AUTH)
        assert r.status_code == 200, r.text
        assert http.get("/api/v1/techniques", headers=AUTH).status_code == 200
        assert time.monotonic() - started < 8
        deadline = time.monotonic() + 10
        while any(s is None for s in slow.statuses.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        counts = slow.counts()
    assert counts == {429: 56, 408: 8}, counts  # 8 held per address, each for at most the body deadline
    held = [slow.answered_at[i] for i, s in slow.statuses.items() if s == 408]
    assert all(1.5 < t < 6 for t in held), held


def test_health_is_answered_when_every_slot_is_taken(live):
    server = live(max_requests=4, body_timeout=2.0)  # no token: loopback only, no per-address limit
    with Tricklers(server.port, "/api/v1/analyze", n=8, every=0.5, seconds=10, content_type="application/json") \
            as slow, \
            httpx.Client(base_url=server.base, timeout=10) as http:
        time.sleep(0.5)
        assert http.get("/healthz").status_code == 200
        assert http.get("/readyz").status_code == 200
        deadline = time.monotonic() + 10
        while any(s is None for s in slow.statuses.values()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert slow.counts() == {503: 4, 408: 4}, slow.counts()
        assert http.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200  # the slots are free again


def test_requests_on_a_kept_alive_connection_are_not_delayed(live):
    """Nagle's algorithm against delayed ACKs made every request after a connection's first take ~44 ms."""
    import http.client
    import statistics

    server = live()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    times = []
    try:
        for _ in range(12):
            started = time.perf_counter()
            conn.request("GET", "/healthz")
            assert conn.getresponse().read() == b'{"status":"ok"}'
            times.append(time.perf_counter() - started)
    finally:
        conn.close()
    assert statistics.median(times[1:]) < 0.025, [round(t * 1000) for t in times]
