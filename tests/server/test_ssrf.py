"""URL analysis must not become a way into the server's own network. A real HTTP server on 127.0.0.1 stands in
for the private service an attacker would aim at; addresses that cannot be reached from a test machine (10.x,
169.254.169.254, ...) are refused before any connection, which is the point."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from propwatch.inputs import netguard

from .conftest import post_form

ARTICLE = "Internal memo\n\nThe admin password is hunter2 and the corrupt bosses hide it from everyone.\n"


class Handler(BaseHTTPRequestHandler):
    seen: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).seen.append(self.path)
        try:
            if self.path == "/article":
                self._send(200, ARTICLE.encode())
            elif self.path.startswith("/redirect-to/"):
                self.send_response(302)
                self.send_header("Location", "http://" + self.path[len("/redirect-to/"):])
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/big":
                self._send(200, b"word " * 100_000)
            elif self.path == "/slow":
                time.sleep(2)
                self._send(200, ARTICLE.encode())
            else:
                self._send(404, b"no")
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status, body):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def internal():
    """The 'private service': an HTTP server on loopback; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fresh_log():
    Handler.seen.clear()


def refused(client, url):
    r = client.post("/api/v1/analyze", json={"url": url})
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "fetch_failed"
    return r.json()["message"]


def test_loopback_is_refused_and_never_contacted(client, internal):
    message = refused(client, f"{internal}/article")
    assert "loopback" in message
    assert "allow" not in message  # a web user cannot change the server's setting: no remedy named
    port = internal.rsplit(":", 1)[1]
    message = refused(client, f"http://localhost:{port}/article")  # refused after resolving the name
    assert "loopback" in message and "localhost" in message
    assert "loopback" in refused(client, f"http://[::ffff:127.0.0.1]:{port}/article")
    assert Handler.seen == []


@pytest.mark.parametrize("url, kind", [
    ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "metadata"),
    ("http://10.1.2.3/admin", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://172.16.0.5:8080/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://0.0.0.0:80/", "unspecified"),
    ("http://[fd00:ec2::254]/", "metadata"),
])
def test_private_link_local_and_metadata_addresses_are_refused(client, url, kind):
    assert kind in refused(client, url)


def test_every_redirect_is_checked(client, internal, monkeypatch):
    """127.0.0.1 plays a public site here; its redirects to private addresses must still be refused."""
    real = netguard.non_public_kind
    monkeypatch.setattr(netguard, "non_public_kind", lambda ip: None if str(ip) == "127.0.0.1" else real(ip))
    message = refused(client, f"{internal}/redirect-to/10.20.30.40/admin")
    assert "10.20.30.40" in message and "private" in message
    message = refused(client, f"{internal}/redirect-to/169.254.169.254/latest/meta-data/")
    assert "metadata" in message
    port = internal.rsplit(":", 1)[1]
    assert "loopback" in refused(client, f"{internal}/redirect-to/[::1]:{port}/article")
    assert Handler.seen == ["/redirect-to/10.20.30.40/admin", "/redirect-to/169.254.169.254/latest/meta-data/",
                            f"/redirect-to/[::1]:{port}/article"]
    # and an allowed redirect is followed
    r = client.post("/api/v1/analyze", json={"url": f"{internal}/redirect-to/127.0.0.1:{port}/article"})
    assert r.status_code == 200 and r.json()["article"]["source"] == f"{internal}/article"


def test_allow_private_in_the_configuration_lets_it_through(make_client, internal):
    c = make_client(allow_private=True)
    r = c.post("/api/v1/analyze", json={"url": f"{internal}/article"})
    assert r.status_code == 200, r.text
    assert r.json()["article"]["text"] == ARTICLE and r.json()["article"]["source"] == f"{internal}/article"


def test_downloads_are_capped_and_timed(make_client, internal):
    c = make_client(allow_private=True, fetch_max_bytes=2_000, fetch_timeout=0.5)
    r = c.post("/api/v1/analyze", json={"url": f"{internal}/big"})
    assert r.status_code == 400 and "limit" in r.json()["message"]
    assert "--max-bytes" not in r.json()["message"]  # a command-line hint means nothing to a web user
    started = time.monotonic()
    r = c.post("/api/v1/analyze", json={"url": f"{internal}/slow"})
    assert r.status_code == 400 and "timed out" in r.json()["message"]
    assert time.monotonic() - started < 2


def test_the_form_refuses_private_urls_too(client, internal):
    r = post_form(client, "/analyze", {"url": f"{internal}/article"})
    assert r.status_code == 400 and "loopback" in r.text
    assert f'value="{internal}/article"' in r.text
    assert Handler.seen == []


def test_batch_documents_are_guarded_one_by_one(client, internal):
    r = client.post("/api/v1/analyze/batch", json={"documents": [
        {"url": f"{internal}/article"}, {"text": ARTICLE}, {"url": "http://169.254.169.254/"},
    ]})
    results = r.json()["results"]
    assert results[0]["error"]["code"] == "fetch_failed" and results[2]["error"]["code"] == "fetch_failed"
    assert results[1]["analysis"]["article"]["text"] == ARTICLE
    assert Handler.seen == []
