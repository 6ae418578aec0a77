"""Turning what callers hand the scorers into plain tuples.

The scorers take spans per article as ``dict[article_id, list[...]]`` where a span is a ``(start, end)`` or
``(start, end, technique)`` tuple, or any object with ``.start``/``.end`` (and ``.technique``) attributes
(``GoldSpan``, ``TechniqueSpan``, the decoder's ``RawSpan``). Techniques may be given as ids or PTC labels and
come out as ids, so gold read from label files and predictions from the model compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ..techniques import get

SpanTable = Mapping[str, Iterable[Any]]


@lru_cache(maxsize=256)
def technique_id(technique: str) -> str:
    try:
        return get(technique).id
    except KeyError:
        raise ValueError(
            f"unknown technique {technique!r}: expected one of the 14 technique ids or PTC labels"
        ) from None


def _bounds(article: str, span: Any) -> tuple[int, int]:
    if isinstance(span, tuple):
        start, end = span[0], span[1]
    elif hasattr(span, "start"):
        start, end = span.start, span.end
    else:
        start, end = span[0], span[1]
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValueError(f"article {article}: {span!r} is not a span; expected (start, end[, technique])") from None
    if start < 0 or end <= start:
        # A zero-length span has no length to divide its overlap by: it is a bug upstream, not a score of 0.
        raise ValueError(f"article {article}: span ({start}, {end}) is empty or negative; spans need 0 <= start < end")
    return start, end


def bounds_table(table: SpanTable) -> dict[str, list[tuple[int, int]]]:
    """``{article: [(start, end), ...]}``; a technique, if given, is ignored."""
    return {str(a): [_bounds(a, s) for s in spans] for a, spans in table.items()}


def labelled_table(table: SpanTable) -> dict[str, list[tuple[int, int, str]]]:
    """``{article: [(start, end, technique_id), ...]}`` in the order given (the TC scorer's pairing uses it)."""
    out = {}
    for a, spans in table.items():
        rows = []
        for s in spans:
            if not isinstance(s, tuple) and hasattr(s, "technique"):
                technique = s.technique
            elif isinstance(s, (tuple, list)) and len(s) >= 3:
                technique = s[2]
            else:
                raise ValueError(f"article {a}: span {s!r} has no technique; expected (start, end, technique)")
            start, end = _bounds(a, s)
            rows.append((start, end, technique_id(str(technique))))
        out[str(a)] = rows
    return out
