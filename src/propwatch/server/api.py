"""The HTTP API, version 1: analyse articles, read and delete the history, read the taxonomy.

Every route needs the API token when the server has one. Errors are ``{"code", "message"}`` JSON (see
``errors.py``); the OpenAPI description is at ``/openapi.json``, readable at ``/docs`` and interactive at
``/docs/try``. Route docstrings and descriptions are Markdown (single backticks), because they are the
reference those pages show; the examples come from ``examples.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import anyio
from fastapi import APIRouter, Body, Depends, Path, Query, Request, Response

from ..comparison import compare
from ..errors import PropwatchError
from ..history import UNDO_MINUTES, HistoryQuery, Stored
from ..schema import Analysis
from ..techniques import parse_filter
from . import examples
from .errors import ApiError, ErrorBody, from_propwatch_error
from .guide import technique_guide
from .history_list import technique_id
from .schemas import (
    AnalysisPage,
    AnalysisSummary,
    AnalyzeRequest,
    BatchItem,
    BatchRequest,
    BatchResponse,
    ComparisonAnswer,
    Links,
    Options,
    RunInfo,
    StoredAnalysis,
    TechniqueInfo,
)
from .security import require_api_token
from .service import Service, read_document

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input: empty or binary text, no article in the HTML, a URL "
                                             "that cannot be fetched or is refused (private address), bad JSON."},
    401: {"model": ErrorBody, "description": "The server has an API token and the request did not carry it."},
    413: {"model": ErrorBody, "description": "The request body is over the server's cap (2 MB by default), or "
                                             "an article is longer than the server's words bound (30,000 by "
                                             "default; the message says how to split it)."},
    415: {"model": ErrorBody, "description": "The body is not application/json."},
    422: {"model": ErrorBody, "description": "The body does not match the schema."},
    429: {"model": ErrorBody, "description": "The waiting line is full; retry after `Retry-After` seconds."},
    503: {"model": ErrorBody, "description": "Overloaded (no worker within the queue timeout) or the model is "
                                             "not loaded yet; retry after `Retry-After` seconds."},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No analysis with this id."}}

router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_api_token)],
                   responses={401: ERRORS[401], 422: ERRORS[422]})


def service(request: Request) -> Service:
    return request.app.state.service


def links(id: str) -> Links:
    return Links(self=f"/api/v1/analyses/{id}", html=f"/analyses/{id}", report=f"/analyses/{id}/report.html")


def present(analysis: Analysis, options: Options, stored: Stored | None = None) -> StoredAnalysis:
    shown = analysis.filtered(options.min_score, options.technique_set())
    extra = {"id": stored.id, "created_at": stored.created_at, "links": links(stored.id)} if stored else {}
    return StoredAnalysis.model_validate({**shown.model_dump(), **extra})


@router.post(
    "/analyze", response_model=StoredAnalysis, tags=["analyses"],
    responses={k: ERRORS[k] for k in (400, 413, 415, 422, 429, 503)},
    summary="Analyse one article",
)
async def analyze(body: Annotated[AnalyzeRequest, Body(openapi_examples=examples.ANALYZE_REQUESTS)],
                  request: Request) -> StoredAnalysis:
    """Find the propaganda techniques in one article given as `text`, `html` or `url`.

    The answer is the `Analysis` (spans with offsets into `article.text`, sentence and article scores,
    `attributions`: who says so, and `actors`: who is cast as hero, villain or victim) plus `id` and
    `links` when it was stored. `min_score` and `techniques` filter the technique spans of the answer
    only: the stored analysis is complete.
    """
    svc = service(request)
    article = await read_document(svc, body)
    (analysis,) = await svc.analyze([article])
    stored = await svc.save(analysis) if body.store else None
    return present(analysis, body, stored)


@router.post(
    "/analyze/batch", response_model=BatchResponse, tags=["analyses"],
    responses={k: ERRORS[k] for k in (400, 413, 415, 422, 429, 503)},
    summary="Analyse up to 64 articles",
)
async def analyze_batch(body: Annotated[BatchRequest, Body(openapi_examples={"two": {
                            "summary": "A text and a URL", "value": examples.BATCH_REQUEST}})],
                        request: Request) -> BatchResponse:
    """Analyse several articles in one request (faster than one by one: they share model batches).

    A document that cannot be read (an unreachable URL, empty text) gets an `error` in its result and does
    not stop the others; results are in the order of `documents`.
    """
    svc = service(request)
    settings = svc.settings
    if len(body.documents) > settings.max_batch:
        raise ApiError(422, "validation_error", f"documents: at most {settings.max_batch} documents per batch")
    articles: list = [None] * len(body.documents)
    errors: list[ApiError | None] = [None] * len(body.documents)
    fetches = anyio.CapacityLimiter(settings.max_request_fetches)

    async def read(i: int) -> None:
        try:
            articles[i] = await read_document(svc, body.documents[i], fetches)
        except PropwatchError as exc:
            errors[i] = from_propwatch_error(exc)

    async with anyio.create_task_group() as group:
        for i in range(len(body.documents)):
            group.start_soon(read, i)
    ok = [i for i, a in enumerate(articles) if a is not None]
    analyses = await svc.analyze([articles[i] for i in ok]) if ok else []
    stored = await svc.save_many(analyses) if body.store else [None] * len(analyses)
    results = [BatchItem(index=i, error=ErrorBody(code=e.code, message=e.message)) for i, e in enumerate(errors) if e]
    results += [BatchItem(index=i, analysis=present(a, body, s)) for i, a, s in zip(ok, analyses, stored)]
    results.sort(key=lambda item: item.index)
    return BatchResponse(results=results, analysed=len(ok), failed=len(body.documents) - len(ok))


def _filter(min_score: float, techniques: str | None) -> Options:
    try:
        chosen = parse_filter(techniques)
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"techniques: {exc}") from None
    return Options(min_score=min_score, techniques=sorted(chosen) if chosen is not None else None)


@router.get("/analyses/{id}", response_model=StoredAnalysis, tags=["history"], responses=NOT_FOUND,
            summary="Read a stored analysis")
async def get_analysis(
    id: Annotated[str, Path(examples=[examples.EXAMPLE_ID], description="The analysis's id (from `POST /analyze`).")],
    request: Request,
    min_score: float = Query(0.0, ge=0.0, le=1.0, description="Only spans scored at least this high."),
    techniques: str | None = Query(None, description="Comma-separated technique ids or short codes."),
) -> StoredAnalysis:
    stored = await service(request).get(id)
    return present(stored.analysis, _filter(min_score, techniques), stored)


@router.get("/analyses", response_model=AnalysisPage, tags=["history"], summary="List and search the history")
async def list_analyses(
    request: Request,
    q: str | None = Query(None, max_length=200, description="Only analyses whose title, outlet or source contains "
                          "this text (any case; `%` and `_` are themselves).", examples=["election"]),
    outlet: str | None = Query(None, max_length=200, description="Only this outlet (any case), as `outlet` gives it.",
                               examples=["The Riverside Courier"]),
    technique: str | None = Query(None, description="Only analyses with at least one span of this technique (an id, "
                                  "PTC label or short code).", examples=["loaded_language"]),
    min_score: float = Query(0.0, ge=0.0, le=1.0, description="Only articles scored at least this high (0 to 1)."),
    max_score: float = Query(1.0, ge=0.0, le=1.0, description="Only articles scored at most this high (0 to 1)."),
    run: str | None = Query(None, max_length=200, description="Only the analyses of this batch run (its `id` in "
                            "`GET /api/v1/runs`)."),
    sort: Literal["newest", "oldest", "highest", "lowest"] = Query(
        "newest", description="The order: by time of analysis, or by article score (`highest`, `lowest`)."),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
) -> AnalysisPage:
    """The stored analyses, newest first unless `sort` says otherwise, a page at a time; the filters narrow the
    list and `total` counts what they select. A value out of range is a 422 that names the parameter."""
    try:
        chosen = technique_id(technique) if technique else None
    except ValueError as exc:
        raise ApiError(422, "validation_error", f"technique: {exc}") from None
    try:
        query = HistoryQuery(text=q, outlet=outlet, technique=chosen, min_score=min_score, max_score=max_score,
                             run=run, sort=sort, limit=limit, offset=offset)
    except ValueError as exc:  # min_score above max_score: each alone is checked by FastAPI
        raise ApiError(422, "validation_error", str(exc)) from None
    items, total = await anyio.to_thread.run_sync(service(request).store.search, query)
    return AnalysisPage(
        items=[AnalysisSummary(**vars(s), links=links(s.id)) for s in items],
        total=total, limit=limit, offset=offset,
        next_offset=offset + limit if offset + limit < total else None,
    )


@router.get("/runs", response_model=list[RunInfo], tags=["history"], summary="The batch runs in the history")
async def list_runs(request: Request) -> list[RunInfo]:
    """The runs of `propwatch batch --store` whose analyses are in the history, the latest first: list one
    with `GET /api/v1/analyses?run=<id>`."""
    runs = await anyio.to_thread.run_sync(service(request).store.runs)
    return [RunInfo(**vars(r)) for r in runs]


@router.delete("/analyses/{id}", status_code=204, tags=["history"], responses=NOT_FOUND,
               summary="Delete a stored analysis",
               description="Remove an analysis from the history; its permalink answers 404 from now on. The delete "
                           f"can be undone with `POST /api/v1/analyses/{{id}}/restore` for {UNDO_MINUTES} minutes; "
                           "after that it is erased.")
async def delete_analysis(id: Annotated[str, Path(examples=[examples.EXAMPLE_ID])], request: Request) -> Response:
    await service(request).delete(id)
    return Response(status_code=204)


@router.post("/analyses/{id}/restore", response_model=StoredAnalysis, tags=["history"],
             responses={404: {"model": ErrorBody, "description": "Nothing to restore: no analysis with this id "
                                                                 f"was deleted in the last {UNDO_MINUTES} minutes."}},
             summary="Undo a delete",
             description=f"Bring back an analysis deleted less than {UNDO_MINUTES} minutes ago, in its place in "
                         "the history (same `id`, `created_at` and permalink).")
async def restore_analysis(id: Annotated[str, Path(examples=[examples.EXAMPLE_ID])],
                           request: Request) -> StoredAnalysis:
    stored = await service(request).restore(id)
    return present(stored.analysis, Options(), stored)


# -- two analyses side by side (newsroom issue, feature 5) ----------------------------------------------------
@router.get("/compare", response_model=ComparisonAnswer, tags=["history"],
            responses={404: {"model": ErrorBody, "description": "No analysis with one of these ids."},
                       422: {"model": ErrorBody, "description": "`a` or `b` is missing, or they are the same."}},
            summary="Compare two stored analyses")
async def compare_analyses(
    request: Request,
    a: Annotated[str, Query(examples=[examples.EXAMPLE_ID], description="The first analysis's id.")],
    b: Annotated[str, Query(examples=[examples.OTHER_ID], description="The second analysis's id.")],
) -> ComparisonAnswer:
    """Two stored analyses side by side, as the compare page and `propwatch compare --json` show them: for
    each, its score, spans, spans per 1,000 words and sentences flagged, its technique counts, its sources
    (named, anonymous and unsourced claims, the share anonymous, the anonymous sources) and its cast; across
    both, the techniques either uses (densest first) and the actors matched by name (`cast`, empty when
    neither article has actors).
    """
    if a == b:
        raise ApiError(422, "validation_error", "a and b are the same analysis: give the ids of two analyses")
    svc = service(request)
    first, second = await svc.get(a), await svc.get(b)
    comparison = compare(first.analysis, second.analysis, first.id, second.id)
    return ComparisonAnswer.model_validate(comparison.model_dump())


@router.get("/techniques", response_model=list[TechniqueInfo], tags=["taxonomy"],
            summary="The 14 techniques: definitions, annotated examples, how often the model finds each")
async def techniques(request: Request) -> list[TechniqueInfo]:
    """The taxonomy in the model's channel order, as the techniques page (`/techniques`) shows it: each
    technique's definition, two spans the PTC annotators marked with it, the loaded model's measured recall
    and precision (`reliability`, with `often_missed`) and the techniques it is most often mistaken for.
    While the model is loading, the definitions alone (`examples` and `mistaken_for` empty, `reliability`
    null)."""
    return await anyio.to_thread.run_sync(technique_guide, service(request).loaded)
