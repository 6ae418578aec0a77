"""The local engine: parts analysed in this process (``workers=1``) or in ``workers`` processes, each loading
the model once.

Processes, not threads: the model releases the GIL inside onnxruntime, but span decoding and Parquet building
are Python. Each process runs onnxruntime with ``threads`` intra-op threads (cores ÷ workers by default). On
the 2-core benchmark machine two workers of one thread each beat one worker of two threads, in wall time and in
CPU time per article (BENCHMARKS.md: onnxruntime's threads spin while they wait for each other). Workers
ignore Ctrl-C; the driver stops them, so an interruption prints one line, not a traceback per process.
Parts are handed out a few at a time, so the driver holds only the parts in flight, and results are
committed in whatever order they finish: each part's output does not depend on the order.

Progress comes per group of articles, not per part: in-process directly, and from worker processes through a
queue that the driver drains while it waits for parts, so ``progress`` is always called on the driver's
thread (a progress display need not be thread-safe).
"""

from __future__ import annotations

import multiprocessing
import queue as queues
import signal
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from ..analyzer import Analyzer, load_analyzer
from ..errors import PropwatchError
from .plan import Part
from .readers import Reader
from .work import PartResult, process_part

Commit = Callable[[Part, PartResult], None]
PartProgress = Callable[[Part, int], None]
"""``(part, n)``: ``n`` more records of ``part`` are finished (analysed or failed), before the part is committed."""

_POLL_SECONDS = 0.2

_worker: dict = {}


def run_local(
    pending: list[Part],
    reader: Reader,
    commit: Commit,
    *,
    model: str | None = None,
    workers: int = 1,
    threads: int | None = None,
    keep_analyses: bool = True,
    analyzer: Analyzer | None = None,
    progress: PartProgress | None = None,
) -> None:
    report = progress or (lambda part, n: None)
    if workers <= 1:
        analyzer = analyzer or load_analyzer(model, threads=threads)
        for part in pending:
            commit(part, process_part(part, reader, analyzer, keep_analyses,
                                      progress=lambda n, part=part: report(part, n)))  # type: ignore[misc]
        return
    context = multiprocessing.get_context("spawn")  # no fork: the driver runs a progress-bar thread
    updates = context.Queue()
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker,
        initargs=(model, threads, reader, keep_analyses, updates),
    )
    try:
        waiting = iter(pending)
        in_flight: dict[Future, Part] = {}
        by_index = {p.index: p for p in pending}

        def submit_next() -> None:
            part = next(waiting, None)
            if part is not None:
                in_flight[pool.submit(_run_part, part)] = part

        def drain() -> None:
            while True:
                try:
                    index, n = updates.get_nowait()
                except queues.Empty:
                    return
                report(by_index[index], n)

        for _ in range(2 * workers):
            submit_next()
        while in_flight:
            finished, _ = wait(in_flight, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            drain()
            for future in finished:
                part = in_flight.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:
                    raise PropwatchError(
                        "a worker process died (out of memory?); the parts done so far are kept: run the same "
                        "command again, with fewer --workers if memory is short"
                    ) from None
                commit(part, result)
                submit_next()
    except BaseException:
        _stop(pool)
        raise
    finally:
        updates.close()
        updates.cancel_join_thread()  # updates left unread (after an interruption) must not block the exit
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: cancel queued parts and end the workers (their parts in flight are redone on resume)."""
    pool.shutdown(wait=False, cancel_futures=True)
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public API to end them
        if process.is_alive():
            process.terminate()


def _init_worker(model: str | None, threads: int | None, reader: Reader, keep_analyses: bool, updates: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker.update(analyzer=load_analyzer(model, threads=threads), reader=reader, keep=keep_analyses,
                   updates=updates)


def _run_part(part: Part) -> PartResult:
    updates = _worker["updates"]
    return process_part(part, _worker["reader"], _worker["analyzer"], _worker["keep"],
                        progress=lambda n: updates.put((part.index, n)))
