"""The server's shared state: one analyzer, one worker pool, one history store, and the steps every route
takes with them (read the input, analyse it in the pool, keep it).

The analyzer is loaded once per process, in the background after start-up, so ``/healthz`` answers at once
and ``/readyz`` (and analysis requests) say "not ready" with ``Retry-After`` until the model is in memory.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from typing import Callable

import anyio

from ..analyzer import Analyzer, check_length, load_analyzer
from ..errors import PropwatchError
from ..history import UNDO_MINUTES, AnalysisStore, Stored
from ..schema import Analysis, Article
from . import reading
from .errors import ApiError, from_propwatch_error
from .security import Csrf, LoginThrottle, Sessions
from .settings import Settings
from .workers import AnalysisPool, JobProgress, ProgressBoard

log = logging.getLogger("propwatch.server")


class Service:
    def __init__(self, settings: Settings, analyzer: Analyzer | None = None, store: AnalysisStore | None = None):
        self.settings = settings
        self.store = store or AnalysisStore(settings.db_path)
        self.pool = AnalysisPool(settings.workers, settings.max_waiting, settings.queue_timeout)
        self.progress = ProgressBoard()
        self.csrf = Csrf(self.store.secret("csrf"))
        self.sessions = Sessions(self.store, settings.api_token)
        self.logins = LoginThrottle()
        self._analyzer = analyzer
        self.load_error: str | None = None
        self._loading: threading.Thread | None = None
        # Reading blocks a thread (HTML extraction, decoding; fetching waits on the network for seconds), so each
        # kind has its own bounded threads, apart from inference: slow sites delay URLs only, never text.
        self.readers = anyio.CapacityLimiter(8)
        self.fetchers = anyio.CapacityLimiter(settings.fetch_workers)

    # -- the model -------------------------------------------------------------------------------------------
    def start_loading(self) -> None:
        """Load the model in a background thread unless one was given."""
        if self._analyzer is not None or self._loading is not None:
            return

        def load() -> None:
            try:
                self._analyzer = load_analyzer(self.settings.model, max_words=self.settings.max_words)
                log.info("model %s %s loaded", self._analyzer.model_info.name, self._analyzer.model_info.version)
            except PropwatchError as exc:
                self.load_error = str(exc)
                log.error("the model could not be loaded: %s", exc)

        self._loading = threading.Thread(target=load, name="propwatch-load-model", daemon=True)
        self._loading.start()

    def wait_until_loaded(self, timeout: float | None = None) -> bool:
        if self._loading is not None:
            self._loading.join(timeout)
        return self._analyzer is not None

    @property
    def analyzer(self) -> Analyzer:
        if self._analyzer is None:
            if self.load_error:
                raise ApiError(503, "model_unavailable", f"The model could not be loaded: {self.load_error}",
                               headers={"Retry-After": "60"})
            raise ApiError(503, "not_ready", "The model is still loading; try again in a moment.",
                           headers={"Retry-After": "2"})
        return self._analyzer

    @property
    def loaded(self) -> Analyzer | None:
        """The analyzer if it is loaded, without raising (for the readiness probe)."""
        return self._analyzer

    @property
    def ready(self) -> bool:
        return self._analyzer is not None and not self.pool.closed

    # -- the steps of a request -----------------------------------------------------------------------------
    async def read(self, fn: Callable[..., Article], *args, **kwargs) -> Article:
        """Run one of the ``reading`` functions in a thread (fetching, HTML extraction and decoding block; URLs
        in the fetch threads, the rest in the reading threads), and refuse an article over ``max_words`` before
        it is queued for a worker (``TooLongError``: 413)."""

        def read() -> Article:
            article = fn(*args, settings=self.settings, **kwargs)
            check_length(article, self.settings.max_words)
            return article

        limiter = self.fetchers if fn is reading.from_url else self.readers
        return await anyio.to_thread.run_sync(read, limiter=limiter)

    async def analyze(self, articles: list[Article], progress: JobProgress | None = None) -> list[Analysis]:
        """Analyse in the pool; ``progress`` (a followed analysis, ``workers.ProgressBoard``) is told when it
        waits for a worker and, from the worker, how far the analyzer has got."""
        if self._analyzer is None and self.load_error is None and self._loading is not None:
            # still loading: wait for it (in a thread, the join blocks) rather than fail the first paste
            await anyio.to_thread.run_sync(self.wait_until_loaded, self.settings.load_wait)
        analyzer = self.analyzer  # 503 before queueing when the model is not there
        if progress is None:
            return await self.pool.run(analyzer.analyze_many, articles)
        stats = self.pool.stats
        progress.state, progress.ahead, progress.updated = "waiting", stats.running + stats.waiting, time.monotonic()
        reports = takes_progress(analyzer)

        def work() -> list[Analysis]:
            progress.state, progress.updated = "running", time.monotonic()
            if reports:
                return analyzer.analyze_many(articles, progress=progress.report)
            return analyzer.analyze_many(articles)

        return await self.pool.run(work)

    async def save(self, analysis: Analysis) -> Stored:
        return await anyio.to_thread.run_sync(self.store.save, analysis)

    async def save_many(self, analyses: list[Analysis]) -> list[Stored]:
        return await anyio.to_thread.run_sync(lambda: [self.store.save(a) for a in analyses])

    async def get(self, id: str) -> Stored:
        stored = await anyio.to_thread.run_sync(self.store.get, id) if valid_id(id) else None
        if stored is None:
            raise ApiError(404, "not_found", f"There is no analysis with id {id!r}; it may have been deleted.")
        return stored

    async def delete(self, id: str) -> None:
        """Delete an analysis; ``restore`` undoes it for ``history.UNDO_MINUTES``."""
        deleted = await anyio.to_thread.run_sync(self.store.delete, id) if valid_id(id) else False
        if not deleted:
            raise ApiError(404, "not_found", f"There is no analysis with id {id!r}; it may have been deleted.")

    async def restore(self, id: str) -> Stored:
        restored = await anyio.to_thread.run_sync(self.store.restore, id) if valid_id(id) else None
        if restored is None:
            raise ApiError(404, "not_found", f"There is no deleted analysis with id {id!r} to restore: a delete "
                           f"can be undone for {UNDO_MINUTES} minutes.")
        return restored

    def close(self) -> None:
        self.pool.close()
        self.store.close()


def takes_progress(analyzer: Analyzer) -> bool:
    """Whether ``analyzer.analyze_many`` takes ``progress`` (``Analyzer`` does; a stand-in given to
    ``create_app`` may not, and is then run as before, its page showing only that it runs)."""
    try:
        return "progress" in inspect.signature(analyzer.analyze_many).parameters
    except (TypeError, ValueError):
        return False


def valid_id(id: str) -> bool:
    return 0 < len(id) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in id)


async def read_document(service: Service, doc, fetches: anyio.CapacityLimiter | None = None) -> Article:
    """The article of an API ``Document`` (exactly one of text, html, url); ``fetches`` bounds the URLs of one
    request fetched at once."""
    if doc.text is not None:
        return await service.read(reading.from_text, doc.text, id=doc.id)
    if doc.html is not None:
        return await service.read(reading.from_html, doc.html, id=doc.id)
    if fetches is None:
        return await service.read(reading.from_url, doc.url, id=doc.id)
    async with fetches:
        return await service.read(reading.from_url, doc.url, id=doc.id)


def as_api_error(exc: Exception) -> ApiError:
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, PropwatchError):
        return from_propwatch_error(exc)
    raise exc
