"""What a running server is allowed to do, in one frozen object: where it listens, where it keeps history,
how much it accepts and how much work it queues.

Every limit has a default that is safe on a laptop and on a small shared box: a 2 MB request cap, a bounded
inference queue, URL fetching that refuses the machine's own network. Settings come from the CLI
(``propwatch serve --help``) and two environment variables, so secrets never need to appear on a command
line where ``ps`` would show them: ``PROPWATCH_API_TOKEN`` and ``PROPWATCH_DB``.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

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
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_requests: int = 64
    """Requests handled at once, of every kind; more get 503 before their body is read, so a flood of
    connections cannot pile up request bodies in memory (each is at most ``max_body_bytes``)."""
    max_batch: int = MAX_BATCH
    allow_private: bool = False
    """Let URL analysis reach loopback, private, link-local and metadata addresses (off: SSRF guard)."""
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = DEFAULT_MAX_BYTES
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
        if self.api_token is not None and len(self.api_token) < 16:
            raise PropwatchError(f"the API token in {TOKEN_ENV} is too short: use at least 16 random characters")
        for name in ("workers", "max_body_bytes", "max_requests", "max_batch", "fetch_max_bytes"):
            if getattr(self, name) < 1:
                raise PropwatchError(f"{name.replace('_', ' ')} must be at least 1")
        if self.max_waiting < 0:
            raise PropwatchError("max waiting must be 0 or more")
        if self.queue_timeout <= 0 or self.fetch_timeout <= 0:
            raise PropwatchError("timeouts must be positive")
        return self
