"""The Parquet tables of a run, column by column: ``articles`` (one row per article), ``spans`` (one row per
detected span) and ``analyses`` (the full ``Analysis`` JSON of each article, for per-article views).

Schemas are fixed here rather than inferred, so every part file of every run has identical columns and
types (an all-failed part still writes empty, well-typed tables) and any Parquet reader (pyarrow, pandas,
DuckDB, Spark) sees one table. ``id`` is the first column of ``articles``; technique counts are ``n_<id>``;
``stored_id`` stays null here and is filled in by the driver when the run is stored (``history.py``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..schema import Analysis, ModelInfo
from ..techniques import TECHNIQUE_IDS
from .records import Record

TECHNIQUE_COLUMNS = tuple(f"n_{t}" for t in TECHNIQUE_IDS)

ARTICLES = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("published", pa.timestamp("ms", tz="UTC")),
        pa.field("location", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("words", pa.int32()),
        pa.field("spans", pa.int32()),
        pa.field("spans_per_1k_words", pa.float64()),
        *[pa.field(c, pa.int32()) for c in TECHNIQUE_COLUMNS],
        pa.field("sentences", pa.int32()),
        pa.field("sentences_flagged", pa.int32()),
        pa.field("warnings", pa.list_(pa.string())),
        pa.field("model_name", pa.string()),
        pa.field("model_version", pa.string()),
        pa.field("error", pa.string()),
        pa.field("stored_id", pa.string()),
    ],
    metadata={"description": "propwatch: one row per article; error is set (and scores null) when it failed; "
              "stored_id is its id in the web app's history (propwatch batch --store), else null"},
)

SPANS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("technique", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("text", pa.string()),
    ],
    metadata={"description": "propwatch: one row per span; start/end index the article text (Python str)"},
)

ANALYSES = pa.schema(
    [pa.field("id", pa.string(), nullable=False), pa.field("analysis", pa.string())],
    metadata={"description": "propwatch: Analysis.model_dump_json() of each analysed article (timings left out)"},
)


def article_row(record: Record, analysis: Analysis | None, model: ModelInfo, error: str | None) -> dict:
    article = analysis.article if analysis is not None else record.article
    row: dict[str, Any] = {
        "id": record.id,
        "title": article.title if article is not None else None,
        "source": record.source,
        "url": record.url,
        "published": record.published,
        "location": record.entry.location,
        "warnings": list(record.warnings),
        "model_name": model.name,
        "model_version": model.version,
        "error": error,
    }
    if analysis is None:
        return row
    words = len(analysis.article.text.split())
    row.update(
        score=analysis.score,
        words=words,
        spans=len(analysis.spans),
        spans_per_1k_words=round(1000 * len(analysis.spans) / words, 4) if words else 0.0,
        sentences=len(analysis.sentences),
        sentences_flagged=len(analysis.flagged_sentences),
        warnings=[*record.warnings, *analysis.warnings],
    )
    for technique, column in zip(TECHNIQUE_IDS, TECHNIQUE_COLUMNS):
        row[column] = analysis.technique_counts.get(technique, 0)
    return row


def span_rows(analysis: Analysis) -> list[dict]:
    return [
        {"article_id": analysis.article.id, "start": s.start, "end": s.end, "technique": s.technique,
         "score": s.score, "text": s.text}
        for s in analysis.spans
    ]


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)
