"""HEAD requests, answered as GET without the body.

HTTP requires a general-purpose server to answer HEAD wherever it answers GET (RFC 9110, 9.3.2), and link
checkers, ``curl -I`` and uptime monitors use it; FastAPI registers GET routes only, so without this layer they
got 405. The request runs as GET (same status and headers, Content-Length included) and the body is dropped
on the way out. Routes that only accept POST or DELETE still answer 405 to HEAD.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGetMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # swallow the streamed parts; the last one ends the answer
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, without_body)
