"""The history list as people ask for it: the history page's address (``/history?q=…&technique=…``) read into a
``HistoryQuery``, and the list exported as CSV or JSON with the same filters (``/history/export.csv``).

The page's scores are percentages (``min=40&max=100``), as the page shows scores; the API takes 0 to 1
(``min_score``), as its answers give them. A value the page cannot use is an ``ApiError`` (422) whose message
names the field: the page shows it above the form, keeping what was typed, rather than a list that silently
ignored a filter.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, replace
from typing import Mapping

from ..history import HistoryQuery, Summary
from ..render.spans_csv import inert
from ..techniques import TECHNIQUE_IDS, parse_filter
from .errors import ApiError

PAGE_SIZE = 25
FIELDS = ("q", "outlet", "technique", "min", "max", "run", "sort")
"""The page's query parameters besides ``page``, in the order its links write them."""
EXPORT_COLUMNS = ("id", "created_at", "title", "outlet", "author", "published", "source", "score", "spans",
                  "words", "model", "run_id", "run_name", "link")


def technique_id(value: str) -> str:
    """One technique, by id, PTC label or short code (``LOAD``); ``ValueError`` names the valid ones."""
    chosen = parse_filter(value)
    if not chosen or len(chosen) != 1:
        raise ValueError(f"one technique, not {value!r}; the techniques are {', '.join(TECHNIQUE_IDS)}")
    return next(iter(chosen))


def page_query(params: Mapping[str, str]) -> tuple[HistoryQuery, int]:
    """The page's ``HistoryQuery`` and page number; ``ApiError`` (422) for a value it cannot use."""
    values = {name: (params.get(name) or "").strip() for name in (*FIELDS, "page")}
    try:
        number = int(values["page"] or 1)
        if number < 1:
            raise ValueError
    except ValueError:
        raise _invalid(f"page: a page number (1, 2, …), not {values['page']!r}") from None
    scores = {}
    for name, default in (("min", 0.0), ("max", 100.0)):
        try:
            scores[name] = float(values[name]) if values[name] else default
        except ValueError:
            raise _invalid(f"score {'from' if name == 'min' else 'to'}: a percentage from 0 to 100, not "
                           f"{values[name]!r}") from None
        if not 0 <= scores[name] <= 100:
            raise _invalid(f"score {'from' if name == 'min' else 'to'}: a percentage from 0 to 100, not "
                           f"{values[name]}")
    try:
        technique = technique_id(values["technique"]) if values["technique"] else None
    except ValueError as exc:
        raise _invalid(f"technique: {exc}") from None
    if scores["min"] > scores["max"]:
        raise _invalid(f"score: “from” ({scores['min']:g}%) is above “to” ({scores['max']:g}%)")
    try:
        query = HistoryQuery(
            text=values["q"] or None, outlet=values["outlet"] or None, technique=technique,
            min_score=scores["min"] / 100, max_score=scores["max"] / 100, run=values["run"] or None,
            sort=values["sort"] or "newest", limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE,
        )
    except ValueError as exc:
        raise _invalid(str(exc)) from None
    return query, number


def _invalid(message: str) -> ApiError:
    return ApiError(422, "validation_error", message)


def page_params(query: HistoryQuery, **changes: str | int | None) -> dict[str, str]:
    """The page's parameters for ``query`` (defaults left out), with ``changes`` applied: for the pager's,
    the sort's and the exports' links, which must keep every filter."""
    params = {
        "q": query.text, "outlet": query.outlet, "technique": query.technique,
        "min": _percent(query.min_score) if query.min_score > 0 else None,
        "max": _percent(query.max_score) if query.max_score < 1 else None,
        "run": query.run, "sort": query.sort if query.sort != "newest" else None,
    }
    params.update({k: None if v is None else str(v) for k, v in changes.items()})
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def _percent(score: float) -> str:
    return f"{score * 100:g}"


def everything(query: HistoryQuery) -> HistoryQuery:
    """The same filters and order, every matching analysis (an export is the whole filtered list)."""
    return replace(query, limit=1_000_000_000, offset=0)


def export_csv(items: list[Summary]) -> str:
    """The filtered list as CSV, one row per analysis; text cells made inert for spreadsheets (titles, outlets
    and authors come from the articles)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for item in items:
        row = {**asdict(item), "link": f"/analyses/{item.id}"}
        writer.writerow([inert(row[c]) if isinstance(row[c], str) else ("" if row[c] is None else row[c])
                         for c in EXPORT_COLUMNS])
    return out.getvalue()


def export_json(items: list[Summary], query: HistoryQuery) -> str:
    """The filtered list as JSON: the filters it was made with, the count, and every analysis's line."""
    filters = {"q": query.text, "outlet": query.outlet, "technique": query.technique,
               "min_score": query.min_score, "max_score": query.max_score, "run": query.run, "sort": query.sort}
    body = {"filters": filters, "total": len(items),
            "items": [{**asdict(item), "link": f"/analyses/{item.id}"} for item in items]}
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "highest": "Highest score first",
               "lowest": "Lowest score first"}
"""The page's names of the orders of ``history.SORTS``."""
