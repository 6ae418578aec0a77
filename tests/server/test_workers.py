"""The bounded worker pool: at most ``workers`` analyses at once, at most ``max_waiting`` waiting, 429 when
the line is full, 503 when a request waits too long, and slots that come back however a request ends."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from propwatch.server.errors import ApiError
from propwatch.server.workers import AnalysisPool

from .conftest import SHORT


def run(coro):
    return asyncio.run(coro)


def test_runs_at_most_workers_jobs_at_once():
    pool = AnalysisPool(workers=2, max_waiting=10, queue_timeout=5)
    lock = threading.Lock()
    active, peak = 0, 0

    def job(i):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return i * i

    async def main():
        return await asyncio.gather(*(pool.run(job, i) for i in range(8)))

    assert run(main()) == [i * i for i in range(8)]
    assert peak == 2
    assert pool.stats.completed == 8 and pool.stats.running == 0 and pool.stats.waiting == 0
    pool.close()


def test_a_full_line_gets_429_with_retry_after_and_a_slow_one_503():
    pool = AnalysisPool(workers=1, max_waiting=1, queue_timeout=0.3)
    release = threading.Event()

    async def main():
        running = asyncio.ensure_future(pool.run(release.wait, 5))
        await asyncio.sleep(0.05)
        waiting = asyncio.ensure_future(pool.run(lambda: "late"))
        await asyncio.sleep(0.05)
        with pytest.raises(ApiError) as full:
            await pool.run(lambda: "never")
        with pytest.raises(ApiError) as slow:
            await waiting
        release.set()
        assert await running is True
        assert await pool.run(lambda: "after") == "after"  # every slot came back
        return full.value, slow.value

    full, slow = run(main())
    assert (full.status, full.code) == (429, "queue_full")
    assert (slow.status, slow.code) == (503, "overloaded")
    for error in (full, slow):
        assert 1 <= int(error.headers["Retry-After"]) <= 120
    assert pool.stats.rejected == 2
    pool.close()


def test_a_cancelled_request_keeps_its_slot_until_the_work_ends():
    """A client that hangs up must not let more analyses run at once than there are workers."""
    pool = AnalysisPool(workers=1, max_waiting=5, queue_timeout=5)
    release = threading.Event()
    started = []

    async def main():
        first = asyncio.ensure_future(pool.run(release.wait, 5))
        await asyncio.sleep(0.05)
        first.cancel()  # the request goes away; its analysis is still running
        await asyncio.sleep(0.05)
        second = asyncio.ensure_future(pool.run(lambda: started.append(time.monotonic()) or "second"))
        await asyncio.sleep(0.2)
        assert started == [] and pool.stats.running == 1
        release.set()
        return await second

    assert run(main()) == "second"
    assert pool.stats.running == 0
    pool.close()


def test_a_closed_pool_refuses_work():
    pool = AnalysisPool(workers=1, max_waiting=1, queue_timeout=1)
    pool.close()
    with pytest.raises(ApiError) as refused:
        run(pool.run(lambda: 1))
    assert refused.value.status == 503 and refused.value.code == "shutting_down"


class Gate:
    """The real analyzer behind a gate the test opens, so requests pile up at a moment the test chooses."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.model_info = analyzer.model_info
        self.open = threading.Event()
        self.entered = threading.Semaphore(0)

    def analyze_many(self, articles):
        self.entered.release()
        assert self.open.wait(20), "the test never opened the gate"
        return self.analyzer.analyze_many(articles)


def test_a_flood_of_api_requests_queues_then_gets_429_and_503(make_client, analyzer):
    gate = Gate(analyzer)
    c = make_client(analyzer_override=gate, workers=1, max_waiting=1, queue_timeout=1.0)
    answers: dict[str, object] = {}

    def post(name):
        answers[name] = c.post("/api/v1/analyze", json={"text": SHORT})

    first = threading.Thread(target=post, args=("running",))
    first.start()
    assert gate.entered.acquire(timeout=10)
    second = threading.Thread(target=post, args=("waiting",))
    second.start()
    deadline = time.monotonic() + 5
    while c.get("/readyz").json()["waiting"] < 1 and time.monotonic() < deadline:
        time.sleep(0.02)
    full = c.post("/api/v1/analyze", json={"text": SHORT})
    second.join(10)  # it waits past the queue timeout: 503
    gate.open.set()
    first.join(20)

    assert full.status_code == 429 and full.json()["code"] == "queue_full"
    assert int(full.headers["Retry-After"]) >= 1
    waited = answers["waiting"]
    assert waited.status_code == 503 and waited.json()["code"] == "overloaded" and "Retry-After" in waited.headers
    assert answers["running"].status_code == 200
    assert c.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200  # and it recovers
    readiness = c.get("/readyz").json()
    assert readiness["running"] == 0 and readiness["waiting"] == 0
