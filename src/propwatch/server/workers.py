"""The inference pool: a fixed number of worker threads, a bounded line of requests waiting for them.

A flood of requests must not turn into a flood of tensors, so the server admits work in two steps. A request
first joins the waiting line, which holds at most ``max_waiting`` requests: one more is refused at once with
429 and a ``Retry-After`` estimated from recent analysis times. A request then waits at most
``queue_timeout`` seconds for a worker, after which it gets 503 (the server is not keeping up). Waiting costs
only a coroutine; at most ``workers`` analyses hold model memory at any time, whatever arrives.

Threads rather than processes: the analyzer is loaded once and shared (onnxruntime sessions are safe to run
from several threads and release the GIL while they compute), so a worker costs no second copy of the model.
A worker slot is given back when the analysis really ends, not when its request goes away: a client that
hangs up cannot make room for more concurrent analyses than there are workers.
"""

from __future__ import annotations

import asyncio
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, TypeVar

from .errors import ApiError

T = TypeVar("T")


@dataclass(frozen=True)
class PoolStats:
    workers: int
    running: int
    waiting: int
    max_waiting: int
    completed: int
    rejected: int
    mean_seconds: float


class AnalysisPool:
    def __init__(self, workers: int, max_waiting: int, queue_timeout: float):
        self.workers = workers
        self.max_waiting = max_waiting
        self.queue_timeout = queue_timeout
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="propwatch-analyze")
        self._slots: asyncio.Semaphore | None = None  # made in the event loop that uses it
        self._running = 0
        self._waiting = 0
        self._completed = 0
        self._rejected = 0
        self._mean = 1.0  # seconds per job, an exponential moving average; 1 s until measured
        self._closed = False

    @property
    def stats(self) -> PoolStats:
        return PoolStats(self.workers, self._running, self._waiting, self.max_waiting, self._completed,
                         self._rejected, round(self._mean, 3))

    @property
    def closed(self) -> bool:
        return self._closed

    def retry_after(self) -> int:
        """Seconds until a worker is likely free for one more request: the queue ahead of it, drained by
        all workers at the recent pace. Between 1 and 120."""
        ahead = self._running + self._waiting
        return max(1, min(120, math.ceil(ahead * self._mean / self.workers)))

    async def run(self, fn: Callable[..., T], *args) -> T:
        """Run ``fn(*args)`` on a worker thread once one is free; raises ``ApiError`` 429/503 instead of
        queueing without bound or waiting forever."""
        if self._closed:
            raise ApiError(503, "shutting_down", "The server is shutting down; try again in a moment.",
                           headers={"Retry-After": "5"})
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.workers)
        if self._slots.locked() and self._waiting >= self.max_waiting:
            self._rejected += 1
            wait = self.retry_after()
            raise ApiError(
                429, "queue_full",
                f"The server is busy: {self._running} analyses are running and {self._waiting} are waiting. "
                f"Try again in {wait} s.",
                headers={"Retry-After": str(wait)},
            )
        self._waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), self.queue_timeout)
        except asyncio.TimeoutError:
            self._rejected += 1
            wait = self.retry_after()
            raise ApiError(
                503, "overloaded",
                f"The server could not start the analysis within {self.queue_timeout:g} s because it is "
                f"overloaded. Try again in {wait} s.",
                headers={"Retry-After": str(wait)},
            ) from None
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        self._running += 1
        started = time.perf_counter()

        def finished(future) -> None:
            seconds = None if future.cancelled() else time.perf_counter() - started
            try:
                loop.call_soon_threadsafe(self._release, seconds)
            except RuntimeError:  # the loop has closed (shutdown): nothing left to release into
                pass

        try:
            future = self._executor.submit(fn, *args)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(finished)
        return await asyncio.wrap_future(future)

    def _release(self, seconds: float | None) -> None:
        self._running -= 1
        if seconds is not None:
            self._completed += 1
            self._mean = 0.8 * self._mean + 0.2 * seconds
        assert self._slots is not None
        self._slots.release()

    def close(self) -> None:
        """Refuse new work and let the running analyses finish."""
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
