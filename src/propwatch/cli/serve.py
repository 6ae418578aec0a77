"""``propwatch serve``: the browser app and the HTTP API (``propwatch.server``), run by uvicorn.

The socket is bound here, before the model loads, so a port in use or a forbidden address fails at once with
one line, and the printed address is the real one (``--port 0`` picks a free port).
"""

from __future__ import annotations

import errno
import socket
from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from ..analyzer import DEFAULT_MAX_WORDS
from ..errors import PropwatchError
from ._util import err_console, handle_errors


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback needs "
                             "PROPWATCH_API_TOKEN."),
    port: int = typer.Option(8000, "--port", "-p", min=0, max=65535, help="Port (0: any free port)."),
    db: Optional[Path] = typer.Option(None, "--db", dir_okay=False, help="History database (SQLite). Default: "
                                      "$PROPWATCH_DB, else analyses.sqlite3 in the platform data directory."),
    model: Optional[str] = typer.Option(
        None, "--model", help="fast (default, shipped), accurate (larger, shipped), a model name or "
        "a folder.",
    ),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Analyses run at once (default: one "
                                          "per core, at most 4)."),
    max_waiting: int = typer.Option(16, "--max-waiting", min=0, help="Requests that may wait for a worker; "
                                    "more get 429."),
    queue_timeout: float = typer.Option(30.0, "--queue-timeout", min=0.1, help="Seconds a request may wait "
                                        "for a worker before it gets 503."),
    max_body_bytes: int = typer.Option(2 * 1024 * 1024, "--max-body-bytes", min=1, help="Largest request "
                                       "body accepted (413 above)."),
    max_words: int = typer.Option(DEFAULT_MAX_WORDS, "--max-words", min=1, help="Longest article accepted, in "
                                  "words and symbols (413 above: an analysis costs time and memory in proportion)."),
    max_requests: int = typer.Option(64, "--max-requests", min=1, help="Requests handled at once; more get "
                                     "503."),
    max_client_requests: int = typer.Option(8, "--max-client-requests", min=1, help="Requests one address "
                                            "without the token may have in progress; more get 429."),
    body_timeout: float = typer.Option(15.0, "--body-timeout", min=0.1, help="Seconds a client has to send a "
                                       "request body (408 after)."),
    allow_private: bool = typer.Option(False, "--allow-private", help="Let URL analysis reach private, "
                                       "loopback, link-local and metadata addresses."),
    fetch_timeout: float = typer.Option(10.0, "--fetch-timeout", min=0.1, help="Seconds to fetch a URL."),
    fetch_workers: int = typer.Option(8, "--fetch-workers", min=1, help="URL fetches at once (their own threads: "
                                      "slow sites never delay text analyses)."),
) -> None:
    """Run the web app and the HTTP API (open the printed address in a browser)."""
    with handle_errors():
        import uvicorn

        from ..server import Settings, create_app

        settings = Settings(host=host, port=port, model=model, max_waiting=max_waiting, queue_timeout=queue_timeout,
                            max_body_bytes=max_body_bytes, max_words=max_words, max_requests=max_requests,
                            max_client_requests=max_client_requests, body_timeout=body_timeout,
                            allow_private=allow_private, fetch_timeout=fetch_timeout,
                            fetch_workers=fetch_workers)
        if db is not None:  # otherwise the default: $PROPWATCH_DB or the platform data directory
            settings = replace(settings, db_path=db)
        if workers is not None:
            settings = replace(settings, workers=workers)
        settings = settings.check()
        sock = _bind(host, port)
        app = create_app(settings)
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        err_console.print(
            f"propwatch is serving on http://{shown}:{bound}  (history: {settings.db_path}; "
            f"API docs: http://{shown}:{bound}/docs; Ctrl+C stops it)",
            highlight=False, markup=False, soft_wrap=True,
        )
        # The app refuses requests past settings.max_requests with a JSON 503; uvicorn's own limit (a plain
        # 503) is only a backstop for connections that never get as far as the app.
        config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=10,
                                limit_concurrency=16 * settings.max_requests)
        try:
            uvicorn.Server(config).run(sockets=[sock])
        except KeyboardInterrupt:
            pass  # uvicorn has shut down gracefully and passes Ctrl+C on: stopping is the normal way out
        err_console.print("propwatch stopped", highlight=False, markup=False)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP said outright: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets whose
    # ``proto`` says TCP, and accepted connections copy it from this one. With ``proto`` 0 every answer (headers
    # and body are two writes) waited for the client's delayed ACK: 44 ms for every request after a
    # connection's first. TCP_NODELAY on the listening socket is inherited by the connections on Linux too.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        in_use = exc.errno == errno.EADDRINUSE
        reason = "the port is in use (try another with --port)" if in_use else (exc.strerror or str(exc))
        raise PropwatchError(f"cannot listen on {host}:{port}: {reason}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock

