"""``/healthz`` answers as soon as the process runs; ``/readyz`` and analyses wait for the model."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient

from propwatch.server import create_app, service

from .conftest import BASE_URL, SHORT, make_settings


def slow_loading(monkeypatch, analyzer) -> threading.Event:
    """Make the app's model load wait until the returned event is set."""
    loaded = threading.Event()

    def slow_load(model=None, threads=None, max_words=None):
        assert max_words == 30_000  # the server's words bound reaches the analyzer
        assert loaded.wait(20)
        return analyzer

    monkeypatch.setattr(service, "load_analyzer", slow_load)
    return loaded


def test_not_ready_while_the_model_loads_then_ready(tmp_path, analyzer, monkeypatch):
    loaded = slow_loading(monkeypatch, analyzer)
    app = create_app(make_settings(tmp_path, load_wait=0.2))
    with TestClient(app, base_url=BASE_URL) as c:
        assert c.get("/healthz").status_code == 200
        ready = c.get("/readyz")
        assert ready.status_code == 503 and ready.json()["detail"] == "the model is loading"
        assert "Retry-After" in ready.headers
        busy = c.post("/api/v1/analyze", json={"text": SHORT})
        assert busy.status_code == 503 and busy.json()["code"] == "not_ready"
        assert "Retry-After" in busy.headers
        loaded.set()
        assert app.state.service.wait_until_loaded(20)
        assert c.get("/readyz").status_code == 200
        assert c.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200


def test_an_analysis_asked_for_while_the_model_loads_waits_for_it(tmp_path, analyzer, monkeypatch):
    loaded = slow_loading(monkeypatch, analyzer)
    app = create_app(make_settings(tmp_path, load_wait=20.0))
    with TestClient(app, base_url=BASE_URL) as c:
        assert c.get("/readyz").status_code == 503
        threading.Timer(0.5, loaded.set).start()  # the models arrive while the request waits
        r = c.post("/api/v1/analyze", json={"text": SHORT})
        assert r.status_code == 200 and r.json()["spans"] is not None


def test_a_model_that_cannot_load_is_reported_not_crashed(tmp_path):
    app = create_app(make_settings(tmp_path, model=str(tmp_path / "no-such-model")))
    with TestClient(app, base_url=BASE_URL) as c:
        app.state.service.wait_until_loaded(20)
        assert c.get("/healthz").status_code == 200
        ready = c.get("/readyz")
        assert ready.status_code == 503 and "could not be loaded" in ready.json()["detail"]
        r = c.post("/api/v1/analyze", json={"text": SHORT})
        assert r.status_code == 503 and r.json()["code"] == "model_unavailable"
        assert c.get("/api/v1/techniques").status_code == 200  # the rest still works


def test_a_deleted_history_file_makes_saving_fail_and_the_server_not_ready(make_client, tmp_path):
    c = make_client()
    assert c.post("/api/v1/analyze", json={"text": SHORT}).status_code == 200
    (tmp_path / "history.sqlite3").unlink()
    r = c.post("/api/v1/analyze", json={"text": SHORT})
    assert r.status_code == 503 and r.json()["code"] == "storage_unavailable"
    assert "deleted or replaced" in r.json()["message"]
    ready = c.get("/readyz")
    assert ready.status_code == 503 and ready.json()["storage"] is False
    assert "deleted or replaced" in ready.json()["detail"]
    assert c.post("/api/v1/analyze", json={"text": SHORT, "store": False}).status_code == 200  # no history needed
