"""What keeps a propwatch server safe to run: tokens, CSRF, the Content-Security-Policy and request limits.

- **Token.** Bound to anything but loopback, the server refuses to start without ``PROPWATCH_API_TOKEN``
  (``Settings.check``). With a token set, every API call needs ``Authorization: Bearer <token>`` and every
  page that changes state needs a signed-in browser (``/login`` sets an HttpOnly, SameSite=Strict cookie
  derived from the token, never the token itself). Tokens are compared as SHA-256 digests with
  ``hmac.compare_digest``: constant time, and no length leaks either.
- **CSRF.** Forms carry a signed double-submit token (a random nonce and its HMAC under a key kept in the
  history database) that must equal the ``propwatch_csrf`` cookie; a cross-site ``Origin`` is refused too.
  The API needs no CSRF token: it accepts only ``application/json`` bodies, which a cross-site page cannot
  send without a CORS preflight this server never grants.
- **Content.** Article text is untrusted; templates autoescape it, and the CSP below forbids inline scripts,
  inline styles, plugins, framing and form posts to other sites, so even a missed escape could not run code.
- **DNS rebinding.** On loopback the server answers only to loopback host names, so a web page whose domain
  is re-pointed at 127.0.0.1 cannot read the history.
- **Size.** Bodies over ``max_body_bytes`` are refused with 413 before they are buffered past the cap, and at
  most ``max_requests`` requests are handled at once (503 beyond), so bodies in memory stay bounded too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TypeGuard
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


def session_value(token: str) -> str:
    """The signed-in cookie: a MAC of a fixed label under the token, so the cookie is not the token and
    changing the token signs everyone out."""
    return hmac.new(token.encode(), b"propwatch-session-v1", hashlib.sha256).hexdigest()


def signed_in(request: Request, settings: Settings) -> bool:
    if not settings.api_token:
        return True
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return False
    return hmac.compare_digest(cookie.encode(), session_value(settings.api_token).encode())


def require_api_token(request: Request) -> None:
    """FastAPI dependency of every ``/api/v1`` route."""
    settings: Settings = request.app.state.settings
    if settings.api_token and not tokens_match(bearer_token(request), settings.api_token):
        raise ApiError(
            401, "unauthorized",
            "This server requires an API token: send it as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )


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
    """Runs before routing: host check, body cap, API content type, and security headers on every answer.
    Refusals are drawn as every other error is (``error_page`` for browsers)."""

    def __init__(self, app: ASGIApp, settings: Settings, error_page: ErrorPage):
        self.app = app
        self.settings = settings
        self.error_page = error_page
        self.active = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = _with_headers(send)
        if self.active >= self.settings.max_requests:
            await self._refuse(scope, receive, send, ApiError(
                503, "server_busy", "The server is handling too many requests; try again in a moment.",
                headers={"Retry-After": "2"},
            ))
            return
        self.active += 1
        try:
            await self._guarded(scope, receive, send)
        finally:
            self.active -= 1

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)

        hosts = self.settings.hosts
        if hosts is not None and _host_name(request.headers.get("host", "")) not in hosts:
            await self._refuse(scope, receive, send, ApiError(
                400, "bad_host",
                f"This server answers only to {', '.join(hosts)} (it listens on {self.settings.host}); "
                "open it under one of those names.",
            ))
            return

        if scope["method"] in _BODY_METHODS:
            declared = request.headers.get("content-length")
            limit = self.settings.max_body_bytes
            if declared is not None and (not declared.isdigit() or int(declared) > limit):
                await self._refuse(scope, receive, send, _too_large(limit))
                return
            if wants_json(scope["path"]) and scope["method"] != "DELETE" and declared != "0":
                media = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if media and media != "application/json" and not media.endswith("+json"):
                    await self._refuse(scope, receive, send, ApiError(
                        415, "unsupported_media_type",
                        f"The API reads JSON: send the body as application/json, not {media}.",
                    ))
                    return
            body = await _read_capped(receive, limit)
            if body is None:
                await self._refuse(scope, receive, send, _too_large(limit))
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, error: ApiError) -> None:
        response = error_response(Request(scope), error, self.error_page)
        response.headers["connection"] = "close"  # the unread body must not be taken for the next request
        await response(scope, receive, send)


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
