"""One background thread per kind of early work and process (``components.background``)."""

from __future__ import annotations

import threading

from propwatch.components import background
from propwatch.components.background import background_thread


def test_one_thread_per_name_that_runs_the_work_in_order():
    assert background_thread("test-a") is background_thread("test-a")
    assert background_thread("test-a") is not background_thread("test-b")
    seen: list[str] = []
    futures = [background_thread("test-a").submit(lambda i=i: seen.append(f"{i} {threading.current_thread().name}"))
               for i in range(3)]
    for f in futures:
        f.result()
    assert seen == [f"{i} propwatch-test-a_0" for i in range(3)]


def test_a_forked_child_gets_a_thread_of_its_own(monkeypatch):
    """A child made by fork does not inherit the parent's threads: an executor made before the fork would never
    run what the child gives it, so a changed process id makes a new one."""
    parent = background_thread("test-fork")
    monkeypatch.setattr(background.os, "getpid", lambda: -1)
    child = background_thread("test-fork")
    assert child is not parent and child.submit(lambda: 7).result() == 7
