"""Probes for process managers and load balancers: ``/healthz`` says the process answers, ``/readyz`` says it
can analyse now (model loaded, history readable, pool open) and how busy it is. Neither needs a token."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from .schemas import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="Liveness")
async def healthz() -> Health:
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness",
            responses={503: {"model": Readiness, "description": "Not ready: loading, failed, or shutting down."}})
async def readyz(request: Request):
    svc = request.app.state.service
    stats = svc.pool.stats
    storage = await anyio.to_thread.run_sync(svc.store.ping)
    ready = svc.ready and storage
    analyzer = svc.loaded
    if ready:
        detail = None
    elif svc.load_error:
        detail = f"the model could not be loaded: {svc.load_error}"
    elif analyzer is None:
        detail = "the model is loading"
    elif not storage:
        detail = svc.store.problem or "the history database cannot be read"
    else:
        detail = "shutting down"
    body = Readiness(
        status="ready" if ready else "not_ready",
        model={"name": analyzer.model_info.name, "version": analyzer.model_info.version} if analyzer else None,
        workers=stats.workers, running=stats.running, waiting=stats.waiting, max_waiting=stats.max_waiting,
        storage=storage, detail=detail,
    )
    headers = {} if ready else {"Retry-After": "2"}
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if ready else 503, headers=headers)
