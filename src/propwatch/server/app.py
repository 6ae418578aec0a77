"""The application factory: ``create_app(settings)`` wires the routes, the guards and the shared service.

One app per process; it owns one ``Service`` (analyzer, worker pool, history store). Tests pass an analyzer
that is already loaded so each test module does not pay for loading the model again.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from ..analyzer import Analyzer
from . import api, errors, health, pages
from .head import HeadAsGetMiddleware
from .security import GuardMiddleware
from .service import Service
from .settings import Settings

STATIC = Path(__file__).resolve().parent / "static"
SWAGGER_UI = Path(fastapi_offline.__file__).resolve().parent / "static"
"""Swagger UI's files for the interactive reference (``/docs/try``), shipped by the fastapi-offline package."""

DESCRIPTION = """\
Find the propaganda techniques (the 14 of SemEval-2020 Task 11) in news articles, span by span.

Send an article as `text`, `html` or `url` to `POST /api/v1/analyze`; the answer is the `Analysis` JSON (spans
with character offsets into `article.text`, per-sentence scores, the article score) with the `id` of its stored
copy and a link to its result page. Errors are JSON objects with a stable `code` and a human `message`.
When the server has an API token, send it as `Authorization: Bearer <token>`. The reference with an example
request and answer for every endpoint is at `/docs`; `/docs/try` runs them.
"""


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None) -> FastAPI:
    settings = (settings or Settings()).check()
    service = Service(settings, analyzer=analyzer)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        service.start_loading()
        try:
            yield
        finally:
            service.close()

    app = FastAPI(
        title="propwatch",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.service = service
    errors.install(app, error_page=pages.error_page)
    app.add_middleware(GuardMiddleware, settings=settings, error_page=pages.error_page)
    app.add_middleware(HeadAsGetMiddleware)  # outermost: the guard and the routes see a GET
    app.include_router(health.router)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/assets/swagger-ui", StaticFiles(directory=SWAGGER_UI), name="swagger-ui")
    return app
