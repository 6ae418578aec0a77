"""Every error the server sends: JSON ``{"code", "message"}`` on the API, a readable page elsewhere.

``code`` is stable (clients branch on it), ``message`` is written for a person and may change. Nothing the
server answers ever contains a traceback: unexpected exceptions become ``internal_error`` (500) with a
message that says the error was logged, and the traceback goes to the server's log only.

The page is drawn by the browser app (``pages.error_page``), which sits above this module: the app hands it
to ``install`` and to the guard at start-up, so this module never imports the pages.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import FetchError, InputError, ModelError, PrivateAddressError, PropwatchError, TooLongError
from ..history import StorageError
from .reading import UnsupportedUpload

log = logging.getLogger("propwatch.server")

API_PREFIXES = ("/api/", "/healthz", "/readyz", "/openapi.json")


class ErrorBody(BaseModel):
    """The body of every error response of the API."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"code": "invalid_input", "message": "the text is empty: paste or send an article"}]})

    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ApiError(Exception):
    """An error with its HTTP status, stable code and message; raised anywhere in a request."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None,
                 details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details


def from_propwatch_error(exc: PropwatchError) -> ApiError:
    """Input problems are the client's (400); a broken model is the server's (503: retrying may help after a
    fix, and it is not a crash)."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, PrivateAddressError):  # the web user cannot change the server's allow_private
        return ApiError(400, "fetch_failed", exc.refusal)
    if isinstance(exc, UnsupportedUpload):
        return ApiError(415, "unsupported_media_type", message)
    if isinstance(exc, TooLongError):  # the message says how to split the article
        return ApiError(413, "article_too_long", message)
    if isinstance(exc, FetchError):
        return ApiError(400, "fetch_failed", message)
    if isinstance(exc, InputError):
        return ApiError(400, "invalid_input", message)
    if isinstance(exc, StorageError):
        return ApiError(503, "storage_unavailable", message, headers={"Retry-After": "10"})
    if isinstance(exc, ModelError):
        return ApiError(503, "model_unavailable", message, headers={"Retry-After": "60"})
    return ApiError(400, "bad_request", message)


def wants_json(path: str) -> bool:
    return path.startswith(API_PREFIXES)


ErrorPage = Callable[[Request, ApiError], Response]
"""Draws an error as an HTML page for a browser (``pages.error_page``)."""


def error_response(request: Request, error: ApiError, error_page: ErrorPage) -> Response:
    """JSON for API clients, the error page for browsers."""
    if wants_json(request.url.path):
        body = ErrorBody(code=error.code, message=error.message, details=error.details)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=error.status, headers=error.headers)
    return error_page(request, error)


_HTTP_CODES = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthorized", "This server needs an API token."),
    403: ("forbidden", "That is not allowed."),
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    413: ("body_too_large", "The request is too large."),
    415: ("unsupported_media_type", "The request body has the wrong content type."),
}


MAX_DETAILS = 20
MAX_DETAIL_CHARS = 300


def _validation_details(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    """The first problems of a body that does not match the schema: at most ``MAX_DETAILS``, each cut to
    ``MAX_DETAIL_CHARS``, so a hostile body cannot make a huge answer."""
    errors = exc.errors()
    details = []
    for err in errors[:MAX_DETAILS]:
        loc = [str(part) for part in err.get("loc", ()) if part != "body"]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        details.append({"field": _cut(".".join(loc) or "body"), "message": _cut(message)})
    first = details[0] if details else {"field": "body", "message": "invalid"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['field']}: {first['message']}{more}", details


def _cut(text: str) -> str:
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def install(app: FastAPI, error_page: ErrorPage) -> None:
    """Register the handlers that turn every exception into the error format above (``error_page`` draws it
    for browsers)."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc, error_page)

    @app.exception_handler(PropwatchError)
    async def _propwatch_error(request: Request, exc: PropwatchError) -> Response:
        return error_response(request, from_propwatch_error(exc), error_page)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            reason = next(
                (str(err.get("ctx", {}).get("error", "")) for err in exc.errors() if err.get("type") == "json_invalid"),
                "",
            )
            message = f"the request body is not valid JSON ({reason})"
            return error_response(request, ApiError(400, "invalid_json", message), error_page)
        message, details = _validation_details(exc)
        return error_response(request, ApiError(422, "validation_error", message, details=details), error_page)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _HTTP_CODES.get(exc.status_code, ("http_error", "The request failed."))
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in (404, 405):
            message = exc.detail
        error = ApiError(exc.status_code, code, message, headers=dict(exc.headers or {}))
        return error_response(request, error, error_page)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, ApiError(
            500, "internal_error", "Something went wrong on the server; the error was logged. Please try again."
        ), error_page)
