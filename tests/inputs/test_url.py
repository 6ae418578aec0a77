"""fetch_article against a real HTTP server on 127.0.0.1 (loopback, so only reachable with allow_private) and
against httpx's MockTransport with a fake DNS table, for the hosts a test machine cannot reach."""

from __future__ import annotations

import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from propwatch.errors import FetchError, PrivateAddressError
from propwatch.inputs.url import article_id, fetch_article

PLAIN = "Plague returns to Madagascar\n\nGeneva - The WHO chief said on Wednesday that the outbreak is over.\n"
WINDOWS_1252 = "Café owners call the tax “a disgrace” and say they will not pay it, whatever the minister says."


class Server(ThreadingHTTPServer):
    daemon_threads = True


class Handler(BaseHTTPRequestHandler):
    html = ""
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).requests.append(self.path)
        path = self.path
        try:
            if path == "/article":
                self._send(200, "text/html; charset=utf-8", self.html.encode("utf-8"))
            elif path == "/plain":
                self._send(200, "text/plain; charset=utf-8", PLAIN.encode("utf-8"))
            elif path == "/windows-1252":
                self._send(200, "text/plain; charset=ISO-8859-1", WINDOWS_1252.encode("cp1252"))
            elif path.startswith("/charset/"):  # a hostile or broken label: hex, rot13, base64, zlib...
                label = path.rsplit("/", 1)[1]
                self._send(200, f"text/plain; charset={label}", WINDOWS_1252.encode("cp1252"))
            elif path == "/untyped":
                self._send(200, None, self.html.encode("utf-8"))
            elif path == "/host":
                self._send(200, "text/plain", f"Host\n\nThe request named {self.headers['Host']} as its host.".encode())
            elif path == "/report.pdf":
                self._send(200, "application/pdf", b"%PDF-1.7\n" + bytes(100))
            elif path.startswith("/redirect/"):
                left = int(path.rsplit("/", 1)[1])
                self._redirect(f"/redirect/{left - 1}" if left > 1 else "/article")
            elif path == "/loop":
                self._redirect("/loop")
            elif path == "/missing":
                self._send(404, "text/html", b"<html><body>Not found</body></html>")
            elif path == "/huge":
                self._send(200, "text/plain", b"word " * (4 * 1024 * 1024))
            elif path == "/huge-stream":  # no Content-Length: the client has to count
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b"word " * 200_000)
            elif path == "/slow":
                time.sleep(3)
                self._send(200, "text/plain", PLAIN.encode())
            elif path == "/drip":  # every read is quick, the whole body is not
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"drip drip ")
                    self.wfile.flush()
                    time.sleep(0.1)
            else:
                self._send(404, "text/plain", b"no such page")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for huge and slow bodies

    def _send(self, status, content_type, body):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def server():
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def base(server, article_html):
    Handler.html = article_html
    Handler.requests = []
    return f"http://127.0.0.1:{server.server_address[1]}"


def fetch(url, **options):
    return fetch_article(url, allow_private=True, **options)


# The network guard on a real connection.

def test_loopback_is_refused_without_allow_private(base):
    with pytest.raises(FetchError, match=r"^refusing to fetch .*: 127\.0\.0\.1 resolves to 127\.0\.0\.1, a loopback"):
        fetch_article(base + "/article")
    assert Handler.requests == []  # refused before connecting


def test_html_article_with_allow_private(base, article_paragraphs):
    article = fetch(base + "/article")
    assert article.title == "Minister denies plan to close hospitals"
    assert all(p in article.text for p in article_paragraphs)
    assert "SCRIPT_IN_BODY" not in article.text and "World news menu" not in article.text
    assert article.source == base + "/article"
    assert article.id == article_id(base + "/article")
    assert article.id.startswith("url-") and len(article.id) == 16
    assert fetch(base + "/article").id == article.id  # stable


def test_plain_text_page(base):
    article = fetch(base + "/plain")
    assert (article.title, article.text) == ("Plague returns to Madagascar", PLAIN)


def test_charset_from_the_headers(base):
    assert fetch(base + "/windows-1252").text == WINDOWS_1252


@pytest.mark.parametrize("label", ["hex", "rot13", "base64", "zlib"])
def test_a_page_declaring_a_codec_that_is_no_text_encoding_is_read(base, label):
    """charset=hex crashed the CLI, the API and batch with an uncaught LookupError (the hardening issue)."""
    assert fetch(f"{base}/charset/{label}").text == WINDOWS_1252


def test_page_without_content_type_is_sniffed(base):
    assert fetch(base + "/untyped").title == "Minister denies plan to close hospitals"


def test_pdf_is_refused_by_type(base):
    with pytest.raises(FetchError, match=r"/report\.pdf is application/pdf, not a web page or plain text"):
        fetch(base + "/report.pdf")


def test_http_errors(base):
    with pytest.raises(FetchError, match=r"/missing answered HTTP 404 Not Found$"):
        fetch(base + "/missing")


def test_redirect_chain_is_followed(base):
    article = fetch(base + "/redirect/3")
    assert article.source == base + "/article"
    assert Handler.requests == ["/redirect/3", "/redirect/2", "/redirect/1", "/article"]


def test_too_many_redirects(base):
    with pytest.raises(FetchError, match=r"^too many redirects fetching .*/loop \(more than 5\)"):
        fetch(base + "/loop")
    with pytest.raises(FetchError, match="more than 2"):
        fetch(base + "/redirect/3", max_redirects=2)


def test_huge_body_with_content_length(base):
    with pytest.raises(FetchError, match=r"/huge is 20\.0 MiB, over the 1\.0 MiB limit"):
        fetch(base + "/huge", max_bytes=1024 * 1024)


def test_huge_body_without_content_length_is_cut_off(base):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"/huge-stream is more than 1\.0 MiB, over the 1\.0 MiB limit"):
        fetch(base + "/huge-stream", max_bytes=1024 * 1024)
    assert time.monotonic() - start < 3


def test_slow_server_times_out(base):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out fetching .*/slow \(limit 0\.5 s\)"):
        fetch(base + "/slow", timeout=0.5)
    assert time.monotonic() - start < 2


def test_slow_body_hits_the_overall_deadline(base):
    start = time.monotonic()
    with pytest.raises(FetchError, match=r"^timed out fetching .*/drip"):
        fetch(base + "/drip", timeout=0.8)
    assert time.monotonic() - start < 2


def test_connection_refused(fake_dns):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(FetchError, match=r"^cannot connect to 127\.0\.0\.1 ") as err:
        fetch(f"http://127.0.0.1:{port}/")
    assert "\n" not in str(err.value)


def test_connection_is_pinned_to_the_checked_address(base, server, fake_dns):
    port = server.server_address[1]
    fake_dns["news.example.com"] = ["127.0.0.1"]
    with pytest.raises(FetchError, match=r"news\.example\.com resolves to 127\.0\.0\.1, a loopback address"):
        fetch_article(f"http://news.example.com:{port}/host")
    article = fetch(f"http://news.example.com:{port}/host")
    # The server was reached at the checked address and still saw the name the user gave.
    assert f"named news.example.com:{port} as its host" in article.text
    assert article.source == f"http://news.example.com:{port}/host"


# The guard against hosts a test machine cannot reach, with a mock network.

class Recorder:
    def __init__(self, respond):
        self.requests: list[httpx.Request] = []
        self.respond = respond

    def __call__(self, request):
        self.requests.append(request)
        return self.respond(request)


def page(request):
    return httpx.Response(200, headers={"Content-Type": "text/plain"}, content=PLAIN.encode())


@pytest.mark.parametrize(
    "addresses, kind",
    [
        (["10.0.0.5"], "private"),
        (["93.184.216.34", "192.168.1.20"], "private"),  # one bad answer is enough
        (["::ffff:127.0.0.1"], "loopback (embedded in an IPv6 address)"),
        (["169.254.169.254"], "cloud metadata service"),
        (["100.64.0.7"], "shared (carrier-grade NAT)"),
        (["fd00::1"], "private"),
    ],
)
def test_public_looking_name_resolving_to_a_private_address_is_refused(fake_dns, addresses, kind):
    fake_dns["news.example.com"] = addresses
    recorder = Recorder(page)
    with pytest.raises(FetchError, match=rf"news\.example\.com resolves to .*, a {re.escape(kind)} address") as err:
        fetch_article("https://news.example.com/story", transport=httpx.MockTransport(recorder))
    assert "allow_private" in str(err.value)
    assert recorder.requests == []


def test_https_request_is_pinned_with_host_header_and_sni(fake_dns):
    fake_dns["news.example.com"] = ["93.184.216.34"]
    recorder = Recorder(page)
    article = fetch_article("https://news.example.com/story?id=7#top", transport=httpx.MockTransport(recorder))
    (request,) = recorder.requests
    assert str(request.url) == "https://93.184.216.34/story?id=7"
    assert request.headers["Host"] == "news.example.com"
    assert request.extensions["sni_hostname"] == "news.example.com"
    assert article.source == "https://news.example.com/story?id=7"
    assert article.text == PLAIN


def test_redirect_to_the_metadata_service_is_refused(fake_dns):
    fake_dns["news.example.com"] = ["93.184.216.34"]
    recorder = Recorder(lambda r: httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))
    with pytest.raises(FetchError, match=r"169\.254\.169\.254 resolves to 169\.254\.169\.254, a cloud metadata"):
        fetch_article("http://news.example.com/story", transport=httpx.MockTransport(recorder))
    assert [r.url.host for r in recorder.requests] == ["93.184.216.34"]


def test_redirect_to_a_name_resolving_privately_is_refused(fake_dns):
    fake_dns["news.example.com"] = ["93.184.216.34"]
    fake_dns["intranet.example.com"] = ["10.1.2.3"]
    recorder = Recorder(lambda r: httpx.Response(301, headers={"Location": "http://intranet.example.com/admin"}))
    with pytest.raises(FetchError, match=r"intranet\.example\.com resolves to 10\.1\.2\.3, a private"):
        fetch_article("http://news.example.com/", transport=httpx.MockTransport(recorder))
    assert len(recorder.requests) == 1


def test_credentials_are_not_kept_in_the_source(fake_dns):
    fake_dns["news.example.com"] = ["93.184.216.34"]
    article = fetch_article("https://user:secret@news.example.com/a", transport=httpx.MockTransport(page))
    assert article.source == "https://news.example.com/a"


@pytest.mark.parametrize("url", ["ftp://example.com/file.txt", "file:///etc/passwd", "javascript:alert(1)"])
def test_other_schemes_are_refused(url):
    with pytest.raises(FetchError, match=r"only http:// and https:// URLs are fetched"):
        fetch_article(url)


@pytest.mark.parametrize("url, message", [
    ("", r"^the URL is empty"), ("  ", r"^the URL is empty"),
    ("example.com/news", r"fetched, and this one names no scheme$"), ("ftp://example.com/a", r"fetched, not ftp:$"),
])
def test_the_refusal_says_what_is_wrong_with_the_url(url, message):
    with pytest.raises(FetchError, match=message):
        fetch_article(url)


def test_unresolvable_host_is_one_line():
    with pytest.raises(FetchError, match=r"^cannot resolve the host 'nonexistent\.invalid' of http://") as err:
        fetch_article("http://nonexistent.invalid/")
    assert "\n" not in str(err.value)


def test_private_address_refusal_names_the_remedy_for_each_caller(fake_dns):
    """The library names its argument and the CLI flag; the bare refusal (the server's message) names neither."""
    fake_dns["intranet.example.com"] = ["10.0.0.8"]
    with pytest.raises(PrivateAddressError) as err:
        fetch_article("https://intranet.example.com/", transport=httpx.MockTransport(Recorder(page)))
    assert "allow_private=True" in str(err.value) and "--allow-private" in str(err.value)
    assert "10.0.0.8" in err.value.refusal and "allow" not in err.value.refusal


@pytest.fixture
def trickling_server():
    """A server on loopback that answers every connection with a status line and then one header byte every
    0.3 s, for at most 20 s: each read arrives well within any per-read timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=trickle, args=(conn,), daemon=True).start()

    def trickle(conn):
        with conn:
            try:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(66):
                    if stop.wait(0.3):
                        return
                    conn.sendall(b"a")
            except OSError:
                return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(5)
    listener.close()


def test_the_timeout_bounds_the_whole_fetch_even_when_headers_trickle(trickling_server):
    """httpx's timeouts are per read: a server trickling header bytes held `--timeout 3` for 26-31 s (the
    hardening issue). The deadline is for the whole fetch."""
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out fetching .* \(limit 1\.5 s\)"):
        fetch_article(trickling_server + "/slow", allow_private=True, timeout=1.5)
    assert time.monotonic() - started < 10.0  # unbounded before: the server trickles for 20 s
