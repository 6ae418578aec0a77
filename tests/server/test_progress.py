"""Progress of one analysis in the web app (newsroom issue, feature 8): the input form sends a key, and
``GET /analyze/progress/{key}`` says how far the worker has got, from the analyzer's own reports (which
component, how many of its encoder windows). Tested with a component that runs one pretend window each time
the test lets it, so every state is seen for sure, never by timing."""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest

from propwatch.analyzer import Analyzer
from propwatch.components import Draft
from propwatch.schema import ModelInfo
from propwatch.server import create_app
from propwatch.server.workers import ProgressBoard

from .conftest import SHORT, FullAnalyzer, LiveServer, make_settings

KEY = "k" * 8 + "0123456789abcdef"
MODEL = ModelInfo(name="gated", version="0")


class Gated:
    """The technique step's stand-in: ``windows`` pretend windows, each run when the test releases it."""

    name = "techniques"

    def __init__(self, windows: int):
        self.windows = windows
        self.go = threading.Semaphore(0)

    def __call__(self, drafts: list[Draft], progress=None) -> None:
        for done in range(self.windows + 1):
            if done:
                assert self.go.acquire(timeout=20), "the test never let the next window run"
            if progress is not None:
                progress(done, self.windows)
        for draft in drafts:
            draft.sentence_scores = [0.0] * len(draft.sentences)
            draft.model = MODEL
            draft.models[self.name] = MODEL


class Second:
    """A second step that reports nothing (it was written before progress existed)."""

    name = "second"

    def __call__(self, drafts: list[Draft]) -> None:
        pass


@pytest.fixture
def serve(tmp_path):
    servers = []

    def start(analyzer, **changes) -> LiveServer:
        live = LiveServer(create_app(make_settings(tmp_path, **changes), analyzer=analyzer)).__enter__()
        servers.append(live)
        return live

    yield start
    for live in servers:
        live.__exit__(None, None, None)


def browser_client(live: LiveServer) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=live.base, timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    return client, token


def poll_until(client: httpx.Client, key: str, ok, seconds: float = 20) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = client.get(f"/analyze/progress/{key}").json()
        if ok(state):
            return state
        time.sleep(0.02)
    raise AssertionError(f"progress never reached the expected state; last {state}")


def test_the_form_reports_every_window_then_the_result(serve):
    gated = Gated(4)
    live = serve(Analyzer([gated, Second()]))
    client, token = browser_client(live)
    assert client.get(f"/analyze/progress/{KEY}").json() == {"state": "unknown"}
    answer: dict = {}
    sending = threading.Thread(target=lambda: answer.update(response=client.post(
        "/analyze", data={"csrf_token": token, "text": SHORT, "progress": KEY}, follow_redirects=False)))
    sending.start()
    seen = [poll_until(client, KEY, lambda s: s["state"] == "running" and s["total"] == 4)]
    for done in range(1, 5):
        gated.go.release()
        seen.append(poll_until(client, KEY, lambda s, d=done: s["state"] != "running" or s["done"] >= d))
    sending.join(20)
    final = client.get(f"/analyze/progress/{KEY}").json()
    assert answer["response"].status_code == 303 and answer["response"].headers["location"].startswith("/analyses/")
    assert final["state"] == "done"
    running = [s for s in seen if s["state"] == "running" and s["step"] == "techniques"]
    assert [s["done"] for s in running] == list(range(len(running))) and len(running) >= 4
    assert all(s["steps"] == 2 and s["step_number"] == 1 for s in running)
    assert [s["fraction"] for s in running] == sorted(s["fraction"] for s in running)
    assert running[1]["fraction"] == 0.125  # one window of four, in the first of two steps


def test_without_a_key_the_form_works_as_before_and_a_key_is_used_once(serve):
    gated = Gated(1)
    live = serve(Analyzer([gated]))
    client, token = browser_client(live)
    gated.go.release()
    plain = client.post("/analyze", data={"csrf_token": token, "text": SHORT}, follow_redirects=False)
    assert plain.status_code == 303
    gated.go.release()
    bad = client.post("/analyze", data={"csrf_token": token, "text": SHORT, "progress": "<bad key>"},
                      follow_redirects=False)
    assert bad.status_code == 303 and client.get("/analyze/progress/<bad key>").json() == {"state": "unknown"}


def test_a_stand_in_without_progress_still_runs_and_says_so(serve):
    live = serve(FullAnalyzer())  # its analyze_many takes no progress
    client, token = browser_client(live)
    r = client.post("/analyze", data={"csrf_token": token, "text": SHORT, "progress": KEY}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get(f"/analyze/progress/{KEY}").json()["state"] == "done"


def test_a_failed_analysis_says_failed(serve):
    live = serve(FullAnalyzer(), max_words=5)
    client, token = browser_client(live)
    r = client.post("/analyze", data={"csrf_token": token, "text": SHORT, "progress": KEY}, follow_redirects=False)
    assert r.status_code == 413
    assert client.get(f"/analyze/progress/{KEY}").json()["state"] == "failed"


def test_on_a_token_server_progress_needs_sign_in(serve):
    live = serve(FullAnalyzer(), api_token="correct-horse-battery-staple-0123456789")
    r = httpx.get(f"{live.base}/analyze/progress/{KEY}")
    assert r.status_code == 401 and r.json()["code"] == "sign_in_required"


def test_the_board_forgets_old_keys_and_refuses_bad_or_reused_ones():
    board = ProgressBoard(keep_seconds=60, most=2)
    assert board.start(None) is None and board.start("short") is None and board.start("x" * 65) is None
    first = board.start("a" * 16)
    assert first is not None and board.start("a" * 16) is None
    board.start("b" * 16)
    board.start("c" * 16)  # over the bound: the oldest goes
    assert board.get("a" * 16) is None and board.get("c" * 16) is not None
    board.get("c" * 16).updated -= 120
    assert board.get("c" * 16) is None
