"""Fetching an article from a URL, safely enough to run inside a server that takes URLs from strangers.

Every hop (the URL and each redirect, followed by hand) goes through the network guard, and the connection is
*pinned* to the address the guard checked: the request is sent to ``http(s)://<checked IP>/...`` with the
original ``Host`` header and, for HTTPS, the original name as TLS SNI and certificate hostname (httpcore's
``sni_hostname`` extension), so certificates are still verified against the name the user gave. Resolving the
name once and connecting to what was checked closes DNS rebinding, where a name answers with a public address
for the check and a private one for the connection. Proxies from the environment are ignored for the same
reason: a proxy would resolve the name again, out of the guard's sight.

Residual risks, accepted: the system resolver's own timeout applies to name lookups (the ``timeout`` deadline
starts counting after it), and a public server can still return whatever it likes, which is why bodies are
capped and only HTML and plain text are read.
"""

from __future__ import annotations

import hashlib
import ipaddress
import threading
import time

import httpx

from ..errors import FetchError, FetchTooLargeError, InputError
from ..schema import Article
from .article import parse_article
from .charset import DEFAULT_MAX_BYTES, decode_bytes, format_size
from .netguard import resolve_checked

# How long past its deadline a fetch may take to notice it (the worker's own checks usually win).
_GRACE = 0.25
_REDIRECTS = {301, 302, 303, 307, 308}
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_TEXT_TYPES = {"text/plain"}
_HEADERS = {
    "User-Agent": "propwatch/0.1 (propaganda technique detector)",
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
}


def fetch_article(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_redirects: int = 5,
    transport: httpx.BaseTransport | None = None,
) -> Article:
    """The article at ``url`` (HTML or plain text), with id ``url-<12 hex>`` and the final URL as source.

    ``timeout`` is the deadline in seconds for the whole fetch, redirects included; ``transport`` replaces the
    network layer (tests, custom stacks) and the guard still checks every hop. Raises ``FetchError``.
    """
    deadline = time.monotonic() + timeout
    current = _parse(url)
    client = httpx.Client(transport=transport, trust_env=False, follow_redirects=False, headers=_HEADERS)
    outcome: dict[str, Article | BaseException] = {}

    def work() -> None:
        try:
            outcome["article"] = _fetch(client, url, current, allow_private=allow_private, deadline=deadline,
                                        timeout=timeout, max_bytes=max_bytes, max_redirects=max_redirects)
        except BaseException as e:  # handed to the caller's thread below
            outcome["error"] = e

    # httpx's timeouts are per read: a server that trickles one header byte every few seconds would hold the
    # fetch for ever. The fetch runs in a worker thread that the caller stops waiting for at the deadline; its
    # connections are closed then, so the worker ends at its next read.
    worker = threading.Thread(target=work, name="propwatch-fetch", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + _GRACE)
    client.close()
    if worker.is_alive():
        raise _timed_out(current, timeout)
    result = outcome.get("article") or outcome["error"]
    if isinstance(result, BaseException):
        raise result
    return result


def _fetch(client: httpx.Client, url: str, current: httpx.URL, *, allow_private: bool, deadline: float, timeout: float,
           max_bytes: int, max_redirects: int) -> Article:
    """Follow redirects by hand (each hop goes through the network guard) and read the article."""
    for _ in range(max_redirects + 1):
        response = _send(client, current, allow_private=allow_private, deadline=deadline, timeout=timeout)
        try:
            if response.status_code in _REDIRECTS:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"{current} redirects (HTTP {response.status_code}) but names no target")
                current = _redirect_target(current, location)
                continue
            return _read_article(response, current, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
        finally:
            response.close()
    raise FetchError(f"too many redirects fetching {url} (more than {max_redirects}); the last pointed to {current}")


def article_id(url: str) -> str:
    """A short id that is the same every time the same URL is fetched."""
    return "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]


def _redirect_target(url: httpx.URL, location: str) -> httpx.URL:
    try:
        return _parse(str(url.join(location)))
    except httpx.InvalidURL:
        raise FetchError(f"{url} redirects to {location!r}, which is not a valid URL") from None


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as e:
        raise FetchError(f"{url} is not a valid URL ({e})") from None
    if not url.strip():
        raise FetchError("the URL is empty: give an http:// or https:// address")
    if parsed.scheme not in ("http", "https"):
        what = f"not {parsed.scheme}:" if parsed.scheme else "and this one names no scheme"
        raise FetchError(f"cannot fetch {url}: only http:// and https:// URLs are fetched, {what}")
    if not parsed.host:
        raise FetchError(f"{url} has no host name")
    return parsed


def _send(
    client: httpx.Client, url: httpx.URL, *, allow_private: bool, deadline: float, timeout: float
) -> httpx.Response:
    """Send GET ``url`` pinned to its checked addresses, trying each in turn until one connects."""
    host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS and TLS want it
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = resolve_checked(host, port, url=str(url), allow_private=allow_private)
    extensions = {} if _is_ip(host) else {"sni_hostname": host}
    failure = None
    for address in addresses:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        request = client.build_request(
            "GET",
            url.copy_with(host=address, fragment=None),
            headers={"Host": url.netloc.decode("ascii")},
            extensions=extensions,
            timeout=httpx.Timeout(remaining),
        )
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as e:
            failure = e  # the next address may answer (a host with IPv6 and IPv4 addresses, one of them down)
        except httpx.TimeoutException:
            raise _timed_out(url, timeout) from None
        except httpx.HTTPError as e:
            raise FetchError(f"failed to fetch {url}: {_one_line(e)}") from None
    if failure is not None:
        raise FetchError(f"cannot connect to {host} ({url}): {_one_line(failure)}") from None
    raise _timed_out(url, timeout)


def _read_article(
    response: httpx.Response, url: httpx.URL, *, deadline: float, timeout: float, max_bytes: int
) -> Article:
    if response.status_code >= 400:
        raise FetchError(f"{url} answered HTTP {response.status_code} {response.reason_phrase}".rstrip())
    if not 200 <= response.status_code < 300:
        raise FetchError(f"{url} answered HTTP {response.status_code}, not a page")
    media, charset = _content_type(response.headers.get("content-type", ""))
    if media and media not in _HTML_TYPES | _TEXT_TYPES:
        raise FetchError(
            f"{url} is {media}, not a web page or plain text; save the article's text as a .txt file and "
            "analyse that"
        )
    body = _read_body(response, url, deadline=deadline, timeout=timeout, max_bytes=max_bytes)
    final = _clean(url)
    try:
        text = decode_bytes(body, final, encoding=charset, max_bytes=max_bytes)
    except FetchError:
        raise
    except InputError as e:
        raise FetchError(str(e)) from None
    try:
        html = True if media in _HTML_TYPES else None if not media else False  # no type given: by content
        return parse_article(text, id=article_id(final), source=final, html=html)
    except FetchError:
        raise
    except InputError as e:
        raise FetchError(str(e)) from None


def _read_body(
    response: httpx.Response, url: httpx.URL, *, deadline: float, timeout: float, max_bytes: int
) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, int(declared))
    chunks, total = [], 0
    try:
        # iter_bytes counts decompressed bytes, so a small gzip bomb is stopped as early as a large page.
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(url, max_bytes)
            if time.monotonic() > deadline:
                raise _timed_out(url, timeout)
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise _timed_out(url, timeout) from None
    except httpx.HTTPError as e:
        raise FetchError(f"failed to read {url}: {_one_line(e)}") from None
    return b"".join(chunks)


def _content_type(header: str) -> tuple[str, str | None]:
    media, *params = header.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset


def _clean(url: httpx.URL) -> str:
    """The URL as shown in reports: no user name or password, no fragment."""
    return str(url.copy_with(username=None, password=None, fragment=None))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _too_large(url: httpx.URL, max_bytes: int, size: int | None = None) -> FetchError:
    found = format_size(size) if size is not None else f"more than {format_size(max_bytes)}"
    return FetchTooLargeError(f"{url} is {found}, over the {format_size(max_bytes)} limit")


def _timed_out(url: httpx.URL, timeout: float) -> FetchError:
    return FetchError(f"timed out fetching {url} (limit {timeout:g} s); the site is slow or unreachable, try again")


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__
