"""One background thread per name and process, for work a component starts early (``base.StartsEarly``).

A component whose work needs only the article's text (the actors' spaCy parse, the attribution model's pass)
starts it when the batch begins, so that it runs beside the components before it: on two cores the technique
model leaves them partly idle. Each kind of work gets one thread, so that two parses or two attribution passes
never run at once whatever calls the analyzer (the server's workers share one pipeline). A forked child (a batch
worker) does not inherit threads, so the thread is made anew where the process id changed.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

_THREADS: dict[str, tuple[int, ThreadPoolExecutor]] = {}
_LOCK = threading.Lock()


def background_thread(name: str) -> ThreadPoolExecutor:
    """The one thread that runs ``name``'s work in this process."""
    with _LOCK:
        held = _THREADS.get(name)
        if held is None or held[0] != os.getpid():
            held = (os.getpid(), ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"propwatch-{name}"))
            _THREADS[name] = held
        return held[1]
