"""The browser app: the input page, the result page, the history, sign-in and the API reference.

Pages are plain server-rendered HTML (Jinja2, autoescaped), so everything a reader needs works without
JavaScript; ``static/app.js`` adds live filters, tooltips and the like on top. Forms post back with a CSRF
token and follow Post/Redirect/Get, so a result has its own address (``/analyses/{id}``) from the start.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any
from urllib.parse import urlencode, urlsplit

import anyio
import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from starlette.datastructures import UploadFile

from .. import __version__
from ..comparison import compare
from ..errors import PropwatchError
from ..history import UNDO_MINUTES
from ..inputs import parse_article
from ..render import render_html, to_json
from ..render.reasons import Reliability
from ..render.segments import readable_on
from ..render.spans_csv import render_spans_csv
from ..render.templating import template_environment
from ..schema import Article
from ..techniques import TECHNIQUE_IDS, TECHNIQUES
from . import history_list, reading, view
from .errors import ApiError, from_propwatch_error
from .guide import technique_guide
from .security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    REPORT_CSP,
    SESSION_COOKIE,
    SESSION_DAYS,
    authenticated,
    signed_in,
    tokens_match,
    too_many_tries,
)
from .service import Service, valid_id

router = APIRouter(include_in_schema=False)
HISTORY_PAGE = history_list.PAGE_SIZE
EXAMPLE_NAME = "deir-ez-zor"


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    env = template_environment("propwatch.server")
    env.filters["pct"] = lambda x: f"{x * 100:.0f}%"
    env.filters["schema_type"] = schema_type
    env.filters["source_label"] = source_label
    env.filters["code"] = inline_code
    env.globals["version"] = __version__
    return env


def page(request: Request, name: str, *, status: int = 200, headers: dict[str, str] | None = None,
         **context) -> HTMLResponse:
    """Render a page with what every page needs (CSRF token, sign-in state); sets the CSRF cookie if new."""
    svc: Service = request.app.state.service
    token, new = svc.csrf.token_for(request)
    html = templates().get_template(name).render(
        csrf_field=CSRF_FIELD,
        csrf_token=token,
        token_required=bool(svc.settings.api_token),
        signed_in=signed_in(request, svc.settings),
        max_body_bytes=svc.settings.max_body_bytes,
        path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status, headers=headers)
    if new:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def error_page(request: Request, error: ApiError) -> HTMLResponse:
    """An error as a page, for browsers (``errors.error_response`` sends API clients JSON)."""
    return page(request, "error.html.j2", status=error.status, headers=error.headers, error=error)


def service(request: Request) -> Service:
    return request.app.state.service


def require_signed_in(request: Request) -> None:
    if not signed_in(request, service(request).settings):
        raise ApiError(401, "sign_in_required", "This server needs its access token: sign in first.")


def require_reader(request: Request) -> None:
    """Stored analyses are the owner's: with a token, only a signed-in browser or the token reads them (the
    guard sends browsers to sign in first; this keeps the routes safe on their own). See ``security.py``."""
    if not authenticated(request, service(request).settings):
        raise ApiError(401, "sign_in_required", "This server needs its access token: sign in first.")


# -- the input page ------------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    return page(request, "index.html.j2", text="", url="", error=None)


def example_article() -> Article:
    text = resources.files("propwatch").joinpath(f"examples/{EXAMPLE_NAME}.txt").read_text(encoding="utf-8")
    return parse_article(text, id=EXAMPLE_NAME, source=f"{EXAMPLE_NAME}.txt (the bundled example)", html=False)


@router.post("/analyze")
async def analyze_form(request: Request) -> Response:
    svc = service(request)
    limit = svc.settings.max_body_bytes
    form = await request.form(max_files=1, max_fields=8, max_part_size=limit)
    text = _field(form, "text") or ""
    url = (_field(form, "url") or "").strip()
    job = None
    try:
        svc.csrf.check(request, _field(form, CSRF_FIELD))
        require_signed_in(request)
        # A file sent in a text field (``curl -F text=@article.txt``) would otherwise read as a Python object's
        # description and be analysed as the article: say where a file goes instead.
        misplaced = [name for name in ("text", "url") if isinstance(form.get(name), UploadFile)]
        if misplaced:
            raise ApiError(400, "invalid_input", f"The {misplaced[0]} field takes typed text, not a file: "
                           "send a .txt or .html file in the file field.")
        job = svc.progress.start(_field(form, "progress"))  # the page's script follows it (``app.js``)
        upload = form.get("file")
        chosen = [name for name, given in (
            ("text", text.strip()), ("url", url), ("file", isinstance(upload, UploadFile) and upload.filename),
        ) if given]
        if form.get("example"):
            article = example_article()
        elif len(chosen) > 1:
            raise ApiError(400, "ambiguous_input", f"You gave {' and '.join(chosen)}: give just one "
                           "(paste text, upload a file, or enter a URL).")
        elif not chosen:
            raise ApiError(400, "no_input", "Paste an article, upload a .txt or .html file, or enter a URL.")
        elif chosen == ["file"]:
            assert isinstance(upload, UploadFile)
            data = await upload.read(limit + 1)
            article = await svc.read(reading.from_upload, upload.filename or "upload", data)
        elif chosen == ["url"]:
            article = await svc.read(reading.from_url, reading.web_address(url), id=None)
        else:
            article = await svc.read(reading.from_text, text, id=None, source=None)
        (analysis,) = await svc.analyze([article], progress=job)
        stored = await svc.save(analysis)
        if job is not None:
            job.state = "done"
    except (ApiError, PropwatchError) as exc:
        if job is not None:
            job.state = "failed"
        error = exc if isinstance(exc, ApiError) else from_propwatch_error(exc)
        return page(request, "index.html.j2", status=error.status, headers=error.headers,
                    text=text, url=url, error=error)
    finally:
        await form.close()
    return RedirectResponse(f"/analyses/{stored.id}", status_code=303)


@router.get("/analyze/progress/{key}")
async def analysis_progress(key: str, request: Request) -> Response:
    """How far the analysis that the input page sent with ``progress=key`` has got, as JSON for ``app.js`` to
    show while the form's request is open (``workers.JobProgress``; ``{"state": "unknown"}`` before the server
    has the form, or for a key it never had). Only counts: nothing of the article."""
    svc = service(request)
    if not signed_in(request, svc.settings):
        return JSONResponse({"code": "sign_in_required", "message": "Sign in first."}, status_code=401)
    job = svc.progress.get(key)
    return JSONResponse(job.as_json() if job else {"state": "unknown"}, headers={"Cache-Control": "no-store"})


def _field(form, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


# -- the result page -----------------------------------------------------------------------------------------
def _filters(request: Request) -> tuple[float, frozenset[str] | None]:
    """``?min_score=0.4&t=doubt&t=loaded_language&f=1`` (the no-JavaScript filter form); bad values are
    ignored rather than refused, as a hand-edited address should still show the article."""
    query = request.query_params
    try:
        min_score = min(1.0, max(0.0, float(query.get("min_score", 0))))
    except ValueError:
        min_score = 0.0
    if query.get("f") or "t" in query:
        chosen = frozenset(t for t in query.getlist("t") if t in TECHNIQUE_IDS)
    else:
        chosen = None
    return min_score, chosen


def _query(min_score: float, chosen: frozenset[str] | None) -> str:
    params: list[tuple[str, str]] = []
    if min_score > 0:
        params.append(("min_score", f"{min_score:g}"))
    if chosen is not None:
        params.append(("f", "1"))
        params += [("t", t) for t in TECHNIQUE_IDS if t in chosen]
    return ("?" + urlencode(params)) if params else ""


@router.get("/analyses/{id}", response_class=HTMLResponse)
async def result(id: str, request: Request) -> HTMLResponse:
    require_reader(request)
    stored = await service(request).get(id)
    min_score, chosen = _filters(request)
    return page(request, "result.html.j2", stored=stored, v=view.build(stored.analysis, min_score, chosen),
                query=_query(min_score, chosen), undo_minutes=UNDO_MINUTES)


def _as_file(body: str) -> str:
    """End with a newline, as the files ``propwatch analyze --out`` writes do, so the two are identical."""
    return body if body.endswith("\n") else body + "\n"


def _download_name(stored, suffix: str) -> str:
    base = reading.clean_id(stored.analysis.article.id)[:60]
    return f"propwatch-{base}-{stored.id}.{suffix}"


@router.get("/analyses/{id}/analysis.json")
async def download_json(id: str, request: Request) -> Response:
    """The analysis as ``propwatch analyze --format json`` writes it (the current filters applied)."""
    require_reader(request)
    stored = await service(request).get(id)
    min_score, chosen = _filters(request)
    body = _as_file(to_json(stored.analysis.filtered(min_score, chosen)))
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="{_download_name(stored, "json")}"',
    })


@router.get("/analyses/{id}/report.html")
async def download_report(id: str, request: Request) -> Response:
    """The self-contained report of ``propwatch analyze --format html`` (the current filters applied)."""
    require_reader(request)
    stored = await service(request).get(id)
    min_score, chosen = _filters(request)
    body = _as_file(render_html(stored.analysis.filtered(min_score, chosen), analysed_at=stored.created_at))
    return HTMLResponse(body, headers={
        "Content-Disposition": f'attachment; filename="{_download_name(stored, "html")}"',
        "Content-Security-Policy": REPORT_CSP,
    })


@router.get("/analyses/{id}/spans.csv")
async def download_csv(id: str, request: Request) -> Response:
    """The spans as CSV, one row each (the current filters applied), reached as the JSON and report are."""
    stored = await service(request).get(id)
    min_score, chosen = _filters(request)
    body = render_spans_csv(stored.analysis.filtered(min_score, chosen))
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_download_name(stored, "csv")}"',
    })


@router.post("/analyses/{id}/delete")
async def delete(id: str, request: Request) -> Response:
    """Delete, once confirmed, with an Undo on the history page for ``UNDO_MINUTES``.

    A form that does not say ``confirm=1`` gets a page that asks first (names the article, Delete or Cancel),
    so every Delete button works without JavaScript; ``app.js`` asks in a dialog instead and adds ``confirm=1``
    to forms marked ``data-confirm``. The form contract is otherwise unchanged: the CSRF field, and a 303 to
    the history."""
    svc = service(request)
    form = await request.form(max_files=0, max_fields=4)
    svc.csrf.check(request, _field(form, CSRF_FIELD))
    require_signed_in(request)
    if _field(form, "confirm") != "1":
        stored = await svc.get(id)
        return page(request, "delete.html.j2", stored=stored, undo_minutes=UNDO_MINUTES)
    await svc.delete(id)
    return RedirectResponse(f"/history?deleted={id}", status_code=303)


@router.post("/analyses/{id}/restore")
async def restore(id: str, request: Request) -> Response:
    """Undo a delete (the history's Undo button)."""
    svc = service(request)
    form = await request.form(max_files=0, max_fields=4)
    svc.csrf.check(request, _field(form, CSRF_FIELD))
    require_signed_in(request)
    await svc.restore(id)
    return RedirectResponse(f"/history?restored={id}", status_code=303)


# -- the history ---------------------------------------------------------------------------------------------
# Search, filters, sort, runs and exports (newsroom issue, feature 6): one GET form, so every list has its own
# address and works without JavaScript; ``history_list`` reads the address, the store filters in SQL.
@router.get("/history", response_class=HTMLResponse)
async def history(request: Request) -> Response:
    svc = service(request)
    if not signed_in(request, svc.settings):
        return RedirectResponse("/login?next=/history", status_code=303)
    params = request.query_params
    runs = await anyio.to_thread.run_sync(svc.store.runs)
    outlets = await anyio.to_thread.run_sync(svc.store.outlets)
    context: dict[str, Any] = dict(
        runs=runs, outlets=outlets, techniques=TECHNIQUES, sorts=history_list.SORT_LABELS,
        form={name: params.get(name, "") for name in history_list.FIELDS}, undo_minutes=UNDO_MINUTES)
    try:
        query, number = history_list.page_query(params)
    except ApiError as error:
        return page(request, "history.html.j2", status=error.status, error=error, items=[], total=0, number=1,
                    pages=1, query=None, link=None, deleted=False, undo=None, restored=None, run=None, **context)
    items, total = await anyio.to_thread.run_sync(svc.store.search, query)
    pages = max(1, -(-total // history_list.PAGE_SIZE))
    deleted = params.get("deleted", "")
    undo = await anyio.to_thread.run_sync(svc.store.deleted, deleted) if valid_id(deleted) else None
    restored = params.get("restored", "")
    back = next((item for item in items if item.id == restored), None)

    def link(path: str = "/history", **changes) -> str:
        chosen = history_list.page_params(query, **changes)
        return path + ("?" + urlencode(chosen) if chosen else "")

    run = next((r for r in runs if r.id == query.run), None)
    return page(request, "history.html.j2", items=items, total=total, number=number, pages=pages, query=query,
                link=link, error=None, deleted=bool(deleted), undo=undo, restored=back, run=run, **context)


@router.get("/history/export.{kind}")
async def history_export(kind: str, request: Request) -> Response:
    """The filtered history, every page of it, as CSV or JSON (the page's filters, read the same way)."""
    svc = service(request)
    require_reader(request)
    if kind not in ("csv", "json"):
        raise ApiError(404, "not_found", "The history is exported as export.csv or export.json.")
    query, _ = history_list.page_query(request.query_params)
    items, _ = await anyio.to_thread.run_sync(svc.store.search, history_list.everything(query))
    if kind == "csv":
        body, media = history_list.export_csv(items), "text/csv; charset=utf-8"
    else:
        body, media = history_list.export_json(items, query), "application/json"
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="propwatch-history.{kind}"'})


def source_label(source: str | None) -> str:
    """The short form of a source for the history list: a URL's host, a path's file name (batch runs keep whole
    local paths, which wrapped mid-word on phones), anything else as it is. The page shows the whole source as
    the cell's title."""
    if not source:
        return ""
    if source.startswith(("http://", "https://")):
        return urlsplit(source).netloc or source
    if "/" in source or "\\" in source:
        return PurePath(source.replace("\\", "/")).name or source
    return source


# -- two analyses side by side (newsroom issue, feature 5) ----------------------------------------------------
COMPARE_CHOICES = 50


@router.get("/compare", response_class=HTMLResponse)
async def compare_page(request: Request) -> HTMLResponse:
    """``/compare?a=ID&b=ID`` (also ``?id=ID&id=ID``, the history's check boxes): the comparison of two stored
    analyses (``comparison.py``, as the API and ``propwatch compare`` give it). With one id, a list of recent
    analyses to compare it with ("Compare with…" on a result page); every page works without JavaScript."""
    require_reader(request)
    svc = service(request)
    query = request.query_params
    ids = [i for i in query.getlist("id") if i] + [i for i in (query.get("a"), query.get("b")) if i]
    if len(ids) > 2:
        raise ApiError(422, "choose_two", f"You chose {len(ids)} analyses: choose two to compare.")
    if not ids:
        raise ApiError(422, "choose_two", "Choose two analyses to compare: tick them in the history, or press "
                                          "“Compare with…” on a result page.")
    first = await svc.get(ids[0])
    if len(ids) == 1:
        items, _ = await anyio.to_thread.run_sync(svc.store.list, COMPARE_CHOICES + 1, 0)
        choices = [item for item in items if item.id != first.id][:COMPARE_CHOICES]
        return page(request, "compare.html.j2", first=first, choices=choices, c=None)
    if ids[0] == ids[1]:
        raise ApiError(422, "choose_two", "That is the same analysis twice: choose two different ones.")
    second = await svc.get(ids[1])
    c = compare(first.analysis, second.analysis, first.id, second.id)
    return page(request, "compare.html.j2", first=first, second=second, c=c,
                mixes=[view_mix(c.a.technique_counts), view_mix(c.b.technique_counts)])


def view_mix(counts: dict[str, int]) -> list[tuple[str, str, int, float, float]]:
    """One side's technique mix as bar parts (id, name, spans, x, width in % of the bar), in taxonomy order."""
    total = sum(counts.values())
    parts, x = [], 0.0
    for t in TECHNIQUES:
        n = counts.get(t.id, 0)
        if n and total:
            width = 100.0 * n / total
            parts.append((t.id, t.name, n, round(x, 3), round(width, 3)))
            x += width
    return parts


# -- signing in (only when the server has a token) -----------------------------------------------------------
def _next(value: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    return value if value and value.startswith("/") and not value.startswith("//") and "\\" not in value else "/"


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request) -> HTMLResponse:
    return page(request, "login.html.j2", next=_next(request.query_params.get("next")), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    svc = service(request)
    form = await request.form(max_files=0, max_fields=4)
    next_path = _next(_field(form, "next"))
    svc.csrf.check(request, _field(form, CSRF_FIELD))
    token = svc.settings.api_token
    if not token:
        return RedirectResponse(next_path, status_code=303)
    client = request.client.host if request.client else "unknown"
    wait = svc.logins.wait(client)
    if wait:
        error = too_many_tries(wait)
        return page(request, "login.html.j2", status=429, headers=error.headers, next=next_path, error=error)
    if not tokens_match(_field(form, "token"), token):
        svc.logins.failed(client)
        error = ApiError(401, "unauthorized", "That is not this server's token.")
        return page(request, "login.html.j2", status=401, next=next_path, error=error)
    svc.logins.succeeded(client)
    session = await anyio.to_thread.run_sync(svc.sessions.start)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/",
                        max_age=SESSION_DAYS * 24 * 3600)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    svc = service(request)
    form = await request.form(max_files=0, max_fields=4)
    svc.csrf.check(request, _field(form, CSRF_FIELD))
    await anyio.to_thread.run_sync(svc.sessions.end, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- the techniques page ---------------------------------------------------------------------------------------
@router.get("/techniques", response_class=HTMLResponse)
async def techniques_page(request: Request) -> HTMLResponse:
    """What each technique is, two annotated examples, how often the model finds it and what it mistakes it
    for (``guide.py``; ``GET /api/v1/techniques`` gives the same). Each technique has its anchor
    (``/techniques#doubt``), which the result page's legend and its often-missed list link to. It holds no
    one's data, so it needs no sign-in, like the input page."""
    guide = await anyio.to_thread.run_sync(technique_guide, service(request).loaded)
    measured = {t.id: Reliability(t.reliability.recall, t.reliability.precision, t.reliability.support)
                for t in guide if t.reliability is not None}
    return page(request, "techniques.html.j2", guide=guide, measured=measured,
                loading=service(request).loaded is None)


# -- the API reference and the technique colours --------------------------------------------------------------
@router.get("/docs", response_class=HTMLResponse)
async def docs(request: Request) -> HTMLResponse:
    """The OpenAPI description as a readable page, drawn here so it needs no CDN and no script: every endpoint
    with an example request (a curl command) and an example answer, both from the description itself."""
    spec = request.app.openapi()
    host = request.headers.get("host", "127.0.0.1:8000")
    token = bool(service(request).settings.api_token)
    return page(request, "docs.html.j2", spec=spec, operations=_operations(spec, host, token), host=host)


@router.get("/docs/try", response_class=HTMLResponse)
async def docs_try(request: Request) -> HTMLResponse:
    """The interactive reference (Swagger UI, "Try it out"), with its assets served by this app: it works
    offline and within the page's Content-Security-Policy (the start-up script is ``static/api-try.js``)."""
    return page(request, "api_try.html.j2")


def _operations(spec: dict, host: str, token: bool) -> list[dict]:
    out = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body = content.get("schema", {})
            responses = []
            for status, r in op.get("responses", {}).items():
                schema = r.get("content", {}).get("application/json", {}).get("schema", {})
                responses.append({"status": status, "description": r.get("description", ""),
                                  "schema": _ref(schema)})
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "parameters": op.get("parameters", []),
                "body": _ref(body), "responses": responses, "anchor": f"{method}-{path}".replace("/", "-").strip("-"),
                "requests": _example_requests(spec, method.upper(), path, op, content, host, token),
                "answer": _example_answer(spec, op),
            })
    return out


def _example_requests(spec: dict, method: str, path: str, op: dict, content: dict, host: str,
                      token: bool) -> list[dict]:
    """curl commands for an operation: one per request-body example (or one without a body); with the token
    header when this server has a token and the operation needs it."""
    url = f"http://{host}" + re.sub(r"\{(\w+)\}", lambda m: _param_example(op, m.group(1)), path)
    query = [(p["name"], _param_example(op, p["name"])) for p in op.get("parameters", [])
             if p.get("in") == "query" and p.get("required")]
    if query:
        url += "?" + urlencode(query)
    auth = " \\\n  -H 'Authorization: Bearer <token>'" if token and "security" in op else ""
    command = f"curl -s{' -X ' + method if method not in ('GET', 'POST') else ''} '{url}'{auth}"
    bodies = [(e.get("summary", name), e.get("value")) for name, e in content.get("examples", {}).items()]
    if content and not bodies:
        first = _schema_examples(spec, content.get("schema", {}))
        bodies = [("", first[0])] if first else []
    if not bodies:
        return [{"summary": "", "command": command + (" -X POST" if method == "POST" else "")}]
    out = []
    for summary, value in bodies:
        data = json.dumps(value, ensure_ascii=False).replace("'", "'\\''")
        out.append({"summary": summary, "command": f"{command} \\\n  -H 'Content-Type: application/json' \\\n"
                                                   f"  -d '{data}'"})
    return out


def _param_example(op: dict, name: str) -> str:
    for p in op.get("parameters", []):
        if p.get("name") == name:
            found = p.get("schema", {}).get("examples") or p.get("examples") or [p.get("schema", {}).get("default")]
            if isinstance(found, dict):  # OpenAPI's named examples: {"name": {"value": ...}}
                found = [example.get("value") for example in found.values()] or [None]
            value = found[0]
            return str(value if value is not None else name)
    return name


def _example_answer(spec: dict, op: dict) -> dict | None:
    """The example answer of an operation's success response: its status and the JSON, or None."""
    for status, r in op.get("responses", {}).items():
        if not status.startswith("2"):
            continue
        content = r.get("content", {}).get("application/json")
        if not content:
            return {"status": status, "json": ""}
        schema = content.get("schema", {})
        found = _schema_examples(spec, schema)
        if found:
            return {"status": status, "json": json.dumps(found[0], indent=2, ensure_ascii=False)}
    return None


def _schema_examples(spec: dict, schema: dict) -> list:
    """The examples of a schema, following one ``$ref``; a list of examples of its items for an array."""
    if schema.get("type") == "array":
        items = _schema_examples(spec, schema.get("items", {}))
        return [items[:1]] if items else []
    if "$ref" in schema:
        schema = spec.get("components", {}).get("schemas", {}).get(schema["$ref"].rsplit("/", 1)[-1], {})
    return list(schema.get("examples", []))


_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def inline_code(text: str) -> Markup:
    """A description (Markdown or reStructuredText) as HTML: escaped, with its code spans (`x` or ``x``) as
    ``<code>``. The OpenAPI text is the app's own, but it is escaped all the same."""
    out, last = [], 0
    for m in _CODE.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(Markup("<code>%s</code>") % (m.group(1) or m.group(2)))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def schema_type(prop: dict | bool) -> str:
    """A JSON-schema property as a short type name: ``string``, ``list of Document``, ``number or null``."""
    if not isinstance(prop, dict):
        return "any"
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in prop:
        return " or ".join(schema_type(p) for p in prop["anyOf"])
    if prop.get("type") == "array":
        return "list of " + schema_type(prop.get("items", {}))
    if prop.get("type") == "object" and "additionalProperties" in prop:
        return "map of " + schema_type(prop["additionalProperties"])
    return str(prop.get("type", "any"))


def _ref(schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array" and "$ref" in schema.get("items", {}):
        return "list of " + schema["items"]["$ref"].rsplit("/", 1)[-1]
    return ""


@lru_cache(maxsize=1)
def technique_css() -> str:
    """One class per technique, from the taxonomy's colours (so no colour is written twice, and pages need no
    inline styles, which the CSP forbids)."""
    rules = [
        f".t-{t.id}{{--c:{t.colour};--tint:{t.colour}2e;--on:{readable_on(t.colour)}}}" for t in TECHNIQUES
    ]
    return "\n".join(rules) + "\n"


@router.get("/assets/techniques.css")
async def techniques_css() -> Response:
    return PlainTextResponse(technique_css(), media_type="text/css",
                             headers={"Cache-Control": "public, max-age=3600"})
