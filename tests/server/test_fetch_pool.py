"""URL fetching must not starve text analyses: fetches have their own bounded threads, and one batch request
fetches at most ``max_request_fetches`` URLs at once. A slow site on 127.0.0.1 stands in for the slow web; the
server fetches it with ``allow_private`` (as in the SSRF tests). Every wait here is bounded."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from .conftest import SHORT

SLOW_SECONDS = 4.0
ARTICLE = b"A slow page\n\nThe corrupt elite hides the truth from every honest citizen.\n"


class SlowSite:
    """An HTTP server on 127.0.0.1 that answers each request after ``SLOW_SECONDS`` and counts how many it is
    serving at once."""

    def __init__(self) -> None:
        site = self
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0
        self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                with site.lock:
                    site.now += 1
                    site.peak = max(site.peak, site.now)
                try:
                    site.stop.wait(SLOW_SECONDS)
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain; charset=utf-8")
                    self.send_header("Content-Length", str(len(ARTICLE)))
                    self.end_headers()
                    self.wfile.write(ARTICLE)
                except OSError:
                    pass
                finally:
                    with site.lock:
                        site.now -= 1

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def slow_site():
    site = SlowSite()
    yield site
    site.close()


def test_slow_urls_never_delay_text_analyses(live, slow_site):
    server = live(allow_private=True, fetch_timeout=10, fetch_workers=4, max_request_fetches=2, workers=2)
    answers: dict[str, int] = {}

    def post(name: str, path: str, body: dict) -> None:
        try:
            answers[name] = httpx.post(server.base + path, json=body, timeout=30).status_code
        except httpx.HTTPError as exc:
            answers[name] = type(exc).__name__  # type: ignore[assignment]

    batch = {"documents": [{"url": f"{slow_site.base}/b{i}"} for i in range(16)], "store": False}
    senders = [threading.Thread(target=post, args=("batch", "/api/v1/analyze/batch", batch))]
    senders += [threading.Thread(target=post, args=(f"url{i}", "/api/v1/analyze", {"url": f"{slow_site.base}/u{i}",
                                                                                   "store": False}))
                for i in range(9)]
    for sender in senders:
        sender.start()
    deadline = time.monotonic() + 10
    while slow_site.now < 4 and time.monotonic() < deadline:  # every fetch thread is busy with the slow site
        time.sleep(0.05)
    assert slow_site.now == 4, "the fetches did not start"

    started = time.monotonic()
    r = httpx.post(server.base + "/api/v1/analyze", json={"text": SHORT}, timeout=30)
    took = time.monotonic() - started
    assert r.status_code == 200, r.text
    assert took < SLOW_SECONDS / 2, f"a text analysis waited {took:.1f} s behind URL fetches"

    slow_site.stop.set()  # let the slow site answer the rest at once
    for sender in senders:
        sender.join(60)
    assert answers["batch"] == 200 and all(answers[f"url{i}"] == 200 for i in range(9)), answers
    assert slow_site.peak <= 4  # the fetch threads are bounded


def test_one_batch_fetches_at_most_max_request_fetches_at_once(live, slow_site):
    server = live(allow_private=True, fetch_timeout=10, fetch_workers=8, max_request_fetches=3)
    done = {}

    def post() -> None:
        batch = {"documents": [{"url": f"{slow_site.base}/b{i}"} for i in range(8)], "store": False}
        done["r"] = httpx.post(server.base + "/api/v1/analyze/batch", json=batch, timeout=60)

    sender = threading.Thread(target=post)
    sender.start()
    deadline = time.monotonic() + 10
    while slow_site.now < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # would a fourth start?
    assert slow_site.now == 3
    slow_site.stop.set()
    sender.join(60)
    assert done["r"].status_code == 200 and done["r"].json()["analysed"] == 8
    assert slow_site.peak == 3
