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
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from ..analyzer import Progress
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


# -- progress of one analysis (newsroom issue, feature 8) ------------------------------------------------------
# An 11,000-word article takes a worker many seconds, and the page said only "Analysing…" all that time. The
# input page's script picks a random key, sends it with the form and asks ``GET /analyze/progress/{key}`` how
# far the analysis has got while the form's request is still open; the worker reports as the analyzer goes
# (``analyzer.Progress``: which component, how many of its encoder windows). Without the script the form posts
# exactly as before and nothing is tracked.
PROGRESS_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass
class JobProgress:
    """Where one followed analysis is: ``reading`` its input, ``waiting`` for a worker (``ahead``: the analyses
    running or waiting when it joined the line), ``running`` (step ``step_number`` of ``steps``, ``done`` of
    ``total`` windows of that step; ``fraction`` of the whole), then ``done`` or ``failed``."""

    state: str = "reading"
    step: str = ""
    step_number: int = 0
    steps: int = 0
    done: int = 0
    total: int = 0
    fraction: float = 0.0
    ahead: int = 0
    updated: float = field(default_factory=time.monotonic)

    def report(self, progress: Progress) -> None:
        """The analyzer's callback (called on the worker thread; each field is replaced whole)."""
        self.state = "running"
        self.step, self.step_number, self.steps = progress.step, progress.step_number, progress.steps
        self.done, self.total = progress.done, progress.total
        self.fraction = round(max(self.fraction, progress.fraction), 4)
        self.updated = time.monotonic()

    def as_json(self) -> dict[str, object]:
        return {"state": self.state, "step": self.step, "step_number": self.step_number, "steps": self.steps,
                "done": self.done, "total": self.total, "fraction": self.fraction, "ahead": self.ahead}


class ProgressBoard:
    """The followed analyses by key, kept ``keep_seconds`` after their last news and at most ``most`` at once
    (the oldest go first), so keys that are never asked about again cost nothing for long."""

    def __init__(self, keep_seconds: float = 300.0, most: int = 1000):
        self.keep_seconds = keep_seconds
        self.most = most
        self._jobs: dict[str, JobProgress] = {}
        self._lock = threading.Lock()

    def start(self, key: str | None) -> JobProgress | None:
        """A new entry for ``key``; None when the key is malformed or already in use (then nothing is tracked,
        and the form works as without the script)."""
        if not key or not PROGRESS_KEY.match(key):
            return None
        with self._lock:
            self._forget_old()
            if key in self._jobs:
                return None
            while len(self._jobs) >= self.most:
                self._jobs.pop(next(iter(self._jobs)))
            job = self._jobs[key] = JobProgress()
            return job

    def get(self, key: str) -> JobProgress | None:
        with self._lock:
            self._forget_old()
            return self._jobs.get(key)

    def _forget_old(self) -> None:
        now = time.monotonic()
        for key in [k for k, job in self._jobs.items() if now - job.updated > self.keep_seconds]:
            del self._jobs[key]
