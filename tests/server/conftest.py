"""Fixtures of the server tests: apps over the real shipped analyzer (loaded once per session), test clients
that speak to them in-process, and a helper that posts forms the way a browser does (with the CSRF cookie and
field the page handed out)."""

from __future__ import annotations

import re
from pathlib import Path

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest
from fastapi.testclient import TestClient

from propwatch.server import Settings, create_app

BASE_URL = "http://127.0.0.1:8000"
SHORT = (
    "Experts warn of a crisis\n\n"
    "The so-called experts of the globalist elite have lied to you again. These traitors will destroy our "
    "great nation unless every true patriot stands up now. Can we really trust a minister who once worked for a "
    "bank? The minister said the budget would rise by four per cent next year.\n"
)




def FullAnalyzer():  # noqa: N802 - stands for the class of tests/render/fakes.py
    """The whole pipeline's stand-in (``fakes.FakeAnalyzer``): techniques, attributions and actors."""
    return fakes.FakeAnalyzer()


def make_settings(tmp: Path, **changes) -> Settings:
    base = dict(db_path=tmp / "history.sqlite3", api_token=None, workers=2, max_waiting=8, queue_timeout=30.0)
    base.update(changes)
    return Settings(**base)


@pytest.fixture
def make_client(tmp_path, analyzer):
    """``make_client(**settings)``: a started TestClient of a fresh app (its own history database)."""
    clients = []

    def make(analyzer_override=None, **changes) -> TestClient:
        app = create_app(make_settings(tmp_path, **changes), analyzer=analyzer_override or analyzer)
        client = TestClient(app, base_url=BASE_URL)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def client(tmp_path_factory, analyzer):
    """One app for a whole test module: default settings, a fresh history."""
    app = create_app(make_settings(tmp_path_factory.mktemp("server")), analyzer=analyzer)
    with TestClient(app, base_url=BASE_URL) as c:
        yield c


def csrf_token(client: TestClient, path: str = "/") -> str:
    """Load a page as a browser would and return the CSRF token of its forms (the cookie is kept)."""
    html = client.get(path).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def post_form(client: TestClient, path: str, data: dict | None = None, files: dict | None = None, **kwargs):
    data = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(path, data=data, files=files, follow_redirects=False, **kwargs)


class LiveServer:
    """A real uvicorn server on 127.0.0.1 (any free port) in a thread, for tests that need real sockets."""

    def __init__(self, app):
        import threading

        import uvicorn

        from propwatch.cli.serve import _bind

        self.sock = _bind("127.0.0.1", 0)  # the socket ``propwatch serve`` listens on
        self.port = self.sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                                    timeout_graceful_shutdown=2))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "LiveServer":
        import time

        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the test server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


@pytest.fixture
def live(tmp_path, analyzer):
    """``live(**settings)``: a started ``LiveServer`` over a fresh app (stopped after the test)."""
    servers = []

    def start(analyzer_override=None, **changes) -> LiveServer:
        app = create_app(make_settings(tmp_path, **changes), analyzer=analyzer_override or analyzer)
        server = LiveServer(app).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)
