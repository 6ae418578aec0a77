"""What keeps a propwatch server safe to run: tokens, CSRF, the Content-Security-Policy and request limits.

- **Token.** Bound to anything but loopback, the server refuses to start without ``PROPWATCH_API_TOKEN``
  (``Settings.check``). With a token set, every API call needs ``Authorization: Bearer <token>`` and every
  page that changes state needs a signed-in browser (``/login`` sets an HttpOnly, SameSite=Strict cookie
  holding a random session id, never the token; signing out ends the session on the server too). Wrong tokens
  (at ``/login`` and in API headers) are throttled per address (``LoginThrottle``), and a short or predictable
  token is refused at start-up (``Settings.check``). Tokens are compared as SHA-256 digests with
  ``hmac.compare_digest``: constant time, and no length leaks either.
- **Permalinks are private.** With a token set, the pages that show stored analyses (``PRIVATE_PAGES``: the
  history, ``/analyses/{id}`` and its JSON, report and CSV downloads, ``/compare``) need a signed-in browser or
  the token, as ``/api/v1/analyses/{id}`` does; a browser without one is sent to ``/login`` and back. The token
  protects the owner's data, and an unguessable id is no access control: ids end up in browser histories, logs and chat
  messages. To share an analysis with someone who has no token, send its downloaded report (``report.html``),
  which is self-contained. Without a token (loopback only) every page is open, as everything else is.
- **CSRF.** Forms carry a signed double-submit token (a random nonce and its HMAC under a key kept in the
  history database) that must equal the ``propwatch_csrf`` cookie; a cross-site ``Origin`` is refused too.
  The API needs no CSRF token: it accepts only ``application/json`` bodies, which a cross-site page cannot
  send without a CORS preflight this server never grants.
- **Content.** Article text is untrusted; templates autoescape it, and the CSP below forbids inline scripts,
  inline styles, plugins, framing and form posts to other sites, so even a missed escape could not run code.
- **DNS rebinding.** On loopback the server answers only to loopback host names, so a web page whose domain
  is re-pointed at 127.0.0.1 cannot read the history.
- **Size and time.** Bodies over ``max_body_bytes`` are refused with 413 before they are buffered past the cap,
  and at most ``max_requests`` requests are handled at once (503 beyond), so bodies in memory stay bounded too.
  A body must arrive within ``body_timeout`` seconds (408). With a token, requests that need it and lack it are
  refused before they are counted or their body is read, and one address without the token has at most
  ``max_client_requests`` requests in progress (429), so slow clients cannot lock the token's holders out.
  ``/healthz`` and ``/readyz`` are never counted: a process manager always gets its answer.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import hmac
import math
import secrets
import time
from typing import TypeGuard
from urllib.parse import urlencode, urlsplit

from fastapi import Depends
from fastapi.security import HTTPBearer
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..history import AnalysisStore, StorageError
from .errors import ApiError, ErrorPage, error_response, wants_json
from .settings import Settings

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
"""The downloadable report is self-contained (inline CSS by design) and has no scripts at all."""

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}

SESSION_COOKIE = "propwatch_session"
CSRF_COOKIE = "propwatch_csrf"
CSRF_FIELD = "csrf_token"
_BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
HEALTH_PATHS = ("/healthz", "/readyz")
OPEN_FORMS = ("/login", "/logout")
"""The forms that work without signing in; every other form post needs a signed-in browser."""
PRIVATE_PAGES = ("/history", "/analyses/", "/compare")
"""Pages that show stored analyses (prefixes): on a server with a token, only for a signed-in browser or the token."""


def tokens_match(given: str | None, expected: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(expected.encode()).digest())


def bearer_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-token")


SESSION_DAYS = 30


class Sessions:
    """Signed-in browsers. Each sign-in gets a random session id (the cookie), kept as its SHA-256 in the history
    database with a MAC of the token it was made under: signing out deletes it, so a copied cookie stops working
    at logout; changing the token signs everyone out; and the database never holds a usable cookie."""

    def __init__(self, store: AnalysisStore, token: str | None):
        self.store = store
        self._token_mac = hmac.new((token or "").encode(), b"propwatch-session-v2", hashlib.sha256).hexdigest()

    def start(self) -> str:
        session = secrets.token_urlsafe(32)
        expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=SESSION_DAYS)
        self.store.add_session(_digest(session), self._token_mac, expires.isoformat(timespec="milliseconds"))
        return session

    def valid(self, session: str | None) -> bool:
        if not session or len(session) > 100:
            return False
        try:
            return self.store.session_valid(_digest(session), self._token_mac)
        except StorageError:
            return False  # no history, no sessions: sign in again once it is back

    def end(self, session: str | None) -> None:
        if session and len(session) <= 100:
            self.store.end_session(_digest(session))


def _digest(session: str) -> str:
    return hashlib.sha256(session.encode()).hexdigest()


def signed_in(request: Request, settings: Settings) -> bool:
    if not settings.api_token:
        return True
    return request.app.state.service.sessions.valid(request.cookies.get(SESSION_COOKIE))


class LoginThrottle:
    """Wrong tokens, counted per client address: after ``free`` wrong tries within ``window`` seconds, each
    further try must wait twice as long as the one before (1 s, 2 s, 4 s, ... up to ``longest``), answered 429
    with ``Retry-After``. Guessing a token then takes for ever, while a person who mistypes loses nothing."""

    def __init__(self, free: int = 5, window: float = 900.0, longest: float = 900.0, clock=time.monotonic):
        self.free, self.window, self.longest, self.clock = free, window, longest, clock
        self._failures: dict[str, tuple[int, float]] = {}  # address -> (wrong tries, time of the last)

    def wait(self, client: str) -> int:
        """Seconds ``client`` must wait before its next try (0: it may try now)."""
        count, last = self._failures.get(client, (0, 0.0))
        if count < self.free or self.clock() - last > self.window:
            return 0
        delay = min(self.longest, 2.0 ** min(count - self.free, 30))
        return max(0, math.ceil(last + delay - self.clock()))

    def failed(self, client: str) -> None:
        now = self.clock()
        if len(self._failures) > 10_000:  # bounded memory: forget quiet addresses
            self._failures = {k: v for k, v in self._failures.items() if now - v[1] <= self.window}
        count, last = self._failures.get(client, (0, 0.0))
        self._failures[client] = (1 if now - last > self.window else count + 1, now)

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)


def authenticated(request: Request, settings: Settings) -> bool:
    """The request shows the token (API header) or comes from a signed-in browser; always on a server without
    a token."""
    if not settings.api_token:
        return True
    return tokens_match(bearer_token(request), settings.api_token) or signed_in(request, settings)


def too_many_tries(wait: int) -> ApiError:
    return ApiError(429, "too_many_tries", f"Too many wrong tokens from this address: try again in {wait} s.",
                    headers={"Retry-After": str(wait)})


def _unauthorized() -> ApiError:
    return ApiError(
        401, "unauthorized",
        "This server requires an API token: send it as 'Authorization: Bearer <token>'.",
        headers={"WWW-Authenticate": "Bearer"},
    )


BEARER = HTTPBearer(auto_error=False, description="The server's API token (`PROPWATCH_API_TOKEN`), when it has one.")
"""Declares the token in the OpenAPI description, so the interactive reference (``/docs/try``) can send it."""


def require_api_token(request: Request, _: object = Depends(BEARER)) -> None:
    """FastAPI dependency of every ``/api/v1`` route (the guard has refused such requests already; this keeps
    the routes safe on their own)."""
    settings: Settings = request.app.state.settings
    if settings.api_token and not tokens_match(bearer_token(request), settings.api_token):
        raise _unauthorized()


class Csrf:
    """Signed double-submit tokens: ``nonce.mac``, the same value in the cookie and in the form."""

    def __init__(self, key: bytes):
        self._key = key

    def issue(self) -> str:
        nonce = secrets.token_urlsafe(18)
        return f"{nonce}.{self._mac(nonce)}"

    def valid(self, token: str | None) -> TypeGuard[str]:
        if not token or token.count(".") != 1:
            return False
        nonce, mac = token.split(".")
        return hmac.compare_digest(mac.encode(), self._mac(nonce).encode())

    def token_for(self, request: Request) -> tuple[str, bool]:
        """The request's token and whether it is new (then the response must set the cookie)."""
        current = request.cookies.get(CSRF_COOKIE)
        if self.valid(current):
            return current, False
        return self.issue(), True

    def check(self, request: Request, submitted: str | None) -> None:
        origin = request.headers.get("origin")
        if origin and origin != "null" and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
            raise ApiError(403, "cross_origin", "This form was sent from another site; it was refused.")
        cookie = request.cookies.get(CSRF_COOKIE)
        if not (self.valid(cookie) and submitted and hmac.compare_digest(cookie.encode(), submitted.encode())):
            raise ApiError(
                403, "csrf_failed",
                "This form has expired or did not come from this site. Reload the page and send it again.",
            )

    def _mac(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode(), hashlib.sha256).hexdigest()[:32]


class GuardMiddleware:
    """Runs before routing, cheapest check first: host, health probes, token, per-client and global request
    limits, body cap and deadline, API content type; and security headers on every answer. Refusals are drawn
    as every other error is (``error_page`` for browsers).

    The order is the defence against slow clients. A request the token would refuse is refused before it is
    counted or its body read, so clients without the token cannot take the slots of those with it; a client
    without the token holds at most ``max_client_requests`` slots, each for at most ``body_timeout`` seconds
    of body; and the health probes are answered whatever the load, as a process manager needs."""

    def __init__(self, app: ASGIApp, settings: Settings, error_page: ErrorPage):
        self.app = app
        self.settings = settings
        self.error_page = error_page
        self.active = 0
        self.per_client: dict[str, int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        request = Request(scope)

        hosts = self.settings.hosts
        if hosts is not None and _host_name(request.headers.get("host", "")) not in hosts:
            await self._refuse(scope, receive, send, ApiError(
                400, "bad_host",
                f"This server answers only to {', '.join(hosts)} (it listens on {self.settings.host}); "
                "open it under one of those names.",
            ))
            return
        if scope["path"] in HEALTH_PATHS and scope["method"] == "GET":  # HEAD arrives here as GET
            await self.app(scope, receive, send)
            return

        client = None
        if self.settings.api_token and not authenticated(request, self.settings):
            client = scope["client"][0] if scope.get("client") else "unknown"
            if bearer_token(request) is not None:  # a wrong token: guesses are throttled as at /login
                logins: LoginThrottle = scope["app"].state.service.logins
                wait = logins.wait(client)
                if wait:
                    await self._refuse(scope, receive, send, too_many_tries(wait))
                    return
                logins.failed(client)
            if scope["method"] == "GET" and is_private_page(scope["path"]):  # HEAD arrives here as GET
                await RedirectResponse(login_path(request), status_code=303)(scope, receive, send)
                return
            refusal = _needs_token(scope)
            if refusal is not None:
                await self._refuse(scope, receive, send, refusal)
                return
            if self.per_client.get(client, 0) >= self.settings.max_client_requests:
                await self._refuse(scope, receive, send, ApiError(
                    429, "too_many_requests",
                    "This address has too many requests in progress; wait for them to finish.",
                    headers={"Retry-After": "2"},
                ))
                return
        if self.active >= self.settings.max_requests:
            await self._refuse(scope, receive, send, ApiError(
                503, "server_busy", "The server is handling too many requests; try again in a moment.",
                headers={"Retry-After": "2"},
            ))
            return
        self.active += 1
        if client is not None:
            self.per_client[client] = self.per_client.get(client, 0) + 1
        try:
            await self._guarded(scope, receive, send, request)
        finally:
            self.active -= 1
            if client is not None:
                left = self.per_client.pop(client) - 1
                if left:
                    self.per_client[client] = left

    async def _guarded(self, scope: Scope, receive: Receive, send: Send, request: Request) -> None:
        if scope["method"] in _BODY_METHODS:
            declared = request.headers.get("content-length")
            limit = self.settings.max_body_bytes
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                await self._refuse(scope, receive, send, _too_large(limit))
                return
            json_body = wants_json(scope["path"]) and scope["method"] != "DELETE" and declared != "0"
            media = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if json_body and media and media != "application/json" and not media.endswith("+json"):
                await self._refuse(scope, receive, send, _not_json(f"not {media}"))
                return
            try:
                body = await asyncio.wait_for(_read_capped(receive, limit), self.settings.body_timeout)
            except asyncio.TimeoutError:
                await self._refuse(scope, receive, send, ApiError(
                    408, "body_timeout",
                    f"The request body did not arrive within {self.settings.body_timeout:g} s; send it again.",
                ))
                return
            if body is None:
                await self._refuse(scope, receive, send, _too_large(limit))
                return
            if json_body and not media and body.strip():
                # No Content-Type at all (``requests.post(url, data=...)``, ``curl --data-binary`` with the
                # header removed): FastAPI would not parse the body and answer "Input should be a valid
                # dictionary", which does not say what to change.
                await self._refuse(scope, receive, send, _not_json("the request named no Content-Type"))
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: ApiError) -> None:
        response = error_response(Request(scope), error, self.error_page)
        response.headers["connection"] = "close"  # the unread body must not be taken for the next request
        await response(scope, receive, send)


def is_private_page(path: str) -> bool:
    return path.startswith(PRIVATE_PAGES)


def login_path(request: Request) -> str:
    """``/login`` with this request's page as ``next``, so signing in returns to it."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?" + urlencode({"next": here}, safe="/")


def _needs_token(scope: Scope) -> ApiError | None:
    """The refusal of a request that needs the token and did not show it; None for what anyone may ask
    (pages to read, the sign-in form)."""
    if scope["path"].startswith("/api/"):
        return _unauthorized()
    if scope["method"] in _BODY_METHODS and scope["path"] not in OPEN_FORMS:
        return ApiError(401, "sign_in_required", "This server needs its access token: sign in first.")
    return None


def _not_json(what: str) -> ApiError:
    return ApiError(415, "unsupported_media_type",
                    f"The API reads JSON: send the body as application/json ({what}).")


def _too_large(limit: int) -> ApiError:
    mb = limit / (1024 * 1024)
    size = f"{mb:g} MB" if mb >= 1 else f"{limit} bytes"
    return ApiError(
        413, "body_too_large",
        f"The request is larger than this server's {size} limit; send a shorter article (or fewer documents).",
    )


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _read_capped(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes ``limit`` (the rest is never buffered)."""
    chunks, total = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the disconnect, as the server would

    return replay


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _ in headers}
            for name, value in SECURITY_HEADERS.items():
                if name.encode() not in present:
                    headers.append((name.encode(), value.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped
