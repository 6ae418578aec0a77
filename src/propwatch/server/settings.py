"""What a running server is allowed to do, in one frozen object: where it listens, where it keeps history,
how much it accepts and how much work it queues.

Every limit has a default that is safe on a laptop and on a small shared box: a 2 MB request cap, a bounded
inference queue, URL fetching that refuses the machine's own network. Settings come from the CLI
(``propwatch serve --help``) and two environment variables, so secrets never need to appear on a command
line where ``ps`` would show them: ``PROPWATCH_API_TOKEN`` and ``PROPWATCH_DB``.
"""

from __future__ import annotations

import ipaddress
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..analyzer import DEFAULT_MAX_WORDS
from ..errors import PropwatchError
from ..history import default_db_path
from ..inputs import DEFAULT_MAX_BYTES

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
"""2 MB: a long news article is 10-50 KB of text; a batch of 64 of them fits with room to spare."""
MAX_BATCH = 64
TOKEN_ENV = "PROPWATCH_API_TOKEN"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def default_workers() -> int:
    """One inference thread per core, at most 4: onnxruntime uses the cores of one run already, and a second
    concurrent run fills the gaps of the other's pure-Python decoding (about +40% throughput on 2 cores)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(4, cores))


def is_loopback(host: str) -> bool:
    """True for names and addresses that only this machine can reach."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


MIN_TOKEN_CHARS = 16
MIN_TOKEN_BITS = 64


def token_weakness(token: str) -> str | None:
    """Why ``token`` is too weak to guard a server, or None. At least 16 characters, and at least 64 bits by the
    character frequencies (Shannon): ``aaaaaaaaaaaaaaaa`` has 0, ``abababababababab`` 16, and the 43 characters
    of ``secrets.token_urlsafe(32)`` about 200."""
    if len(token) < MIN_TOKEN_CHARS:
        return f"too short ({len(token)} characters; use at least {MIN_TOKEN_CHARS} random ones)"
    counts = Counter(token)
    bits = max(0.0, -sum(n * math.log2(n / len(token)) for n in counts.values()))
    if bits < MIN_TOKEN_BITS:
        return f"too predictable ({len(counts)} different characters in {len(token)}, about {bits:.0f} bits)"
    return None


@dataclass(frozen=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    db_path: Path = field(default_factory=default_db_path)
    api_token: str | None = field(default_factory=lambda: os.environ.get(TOKEN_ENV) or None)
    """When set, the API and every page that changes state require it (Bearer header or a signed-in cookie)."""
    model: str | None = None
    workers: int = field(default_factory=default_workers)
    """Analyses running at once; each holds one article's tensors in memory."""
    max_waiting: int = 16
    """Requests allowed to wait for a worker; one more gets 429 with Retry-After instead of piling up."""
    queue_timeout: float = 30.0
    """Seconds a request may wait for a worker before it gets 503 with Retry-After."""
    load_wait: float = 20.0
    """Seconds an analysis asked for while the models are still loading waits for them before a 503 "not_ready":
    with the actors' spaCy pipeline they take seconds to load, and the first paste after a start should not fail."""
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_words: int = DEFAULT_MAX_WORDS
    """Words and symbols one article may have: an analysis costs time and memory in proportion to its length,
    so a longer article is refused (413) before it is queued, with a message saying how to split it."""
    max_requests: int = 64
    """Requests handled at once, of every kind but the health probes; more get 503 before their body is read, so
    a flood of connections cannot pile up request bodies in memory (each is at most ``max_body_bytes``)."""
    max_client_requests: int = 8
    """Requests handled at once from one client address that has not shown the token (429 beyond), so one
    client cannot take every slot of ``max_requests``. Only on a server with a token: one without is reachable
    from this machine alone, where every client has the same address."""
    body_timeout: float = 15.0
    """Seconds a client has to send its whole request body (408 after): a client that trickles its body byte by
    byte cannot hold a slot for longer."""
    max_batch: int = MAX_BATCH
    allow_private: bool = False
    """Let URL analysis reach loopback, private, link-local and metadata addresses (off: SSRF guard)."""
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = DEFAULT_MAX_BYTES
    fetch_workers: int = 8
    """URL fetches running at once, in threads of their own: slow sites delay other URL analyses, never text."""
    max_request_fetches: int = 4
    """URL fetches one batch request runs at once, so one batch of slow URLs cannot take every fetch thread."""
    allowed_hosts: tuple[str, ...] | None = None
    """Host header values accepted; None means: the loopback names when bound to loopback (which stops DNS
    rebinding attacks from web pages the user visits), any host otherwise (the token protects it then)."""

    @property
    def hosts(self) -> tuple[str, ...] | None:
        """The Host header names accepted (lower case, no port), or None for any."""
        if self.allowed_hosts is not None:
            return tuple(h.lower() for h in self.allowed_hosts) or None
        if is_loopback(self.host):
            return LOOPBACK_NAMES
        return None

    def check(self) -> "Settings":
        """Refuse configurations that would be unsafe or cannot work, with a message saying what to do."""
        if not is_loopback(self.host) and not self.api_token:
            raise PropwatchError(
                f"refusing to listen on {self.host}: other machines could use this server and read its history; "
                f"set an API token in the {TOKEN_ENV} environment variable (e.g. "
                f"export {TOKEN_ENV}=$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')), "
                f"or bind to {DEFAULT_HOST}"
            )
        if self.api_token is not None:
            weakness = token_weakness(self.api_token)
            if weakness:
                raise PropwatchError(
                    f"the API token in {TOKEN_ENV} is {weakness}: anyone could guess it. Make a random one with "
                    "python -c \"import secrets; print(secrets.token_urlsafe(32))\""
                )
        for name in ("workers", "max_body_bytes", "max_words", "max_requests", "max_client_requests", "max_batch",
                     "fetch_max_bytes", "fetch_workers", "max_request_fetches"):
            if getattr(self, name) < 1:
                raise PropwatchError(f"{name.replace('_', ' ')} must be at least 1")
        if self.max_waiting < 0:
            raise PropwatchError("max waiting must be 0 or more")
        if self.load_wait < 0:
            raise PropwatchError("load_wait must not be negative")
        if self.queue_timeout <= 0 or self.fetch_timeout <= 0 or self.body_timeout <= 0:
            raise PropwatchError("timeouts must be positive")
        return self
