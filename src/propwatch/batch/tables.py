"""The Parquet tables of a run, column by column: ``articles`` (one row per article), ``spans`` (one row per
detected span), ``attributions`` (one row per attributed claim: who says so), ``actors`` (one row per actor of
each article, with the role it is cast in) and ``analyses`` (the full ``Analysis`` JSON of each article, for
per-article views).

Schemas are fixed here rather than inferred, so every part file of every run has identical columns and
types (an all-failed part still writes empty, well-typed tables) and any Parquet reader (pyarrow, pandas,
DuckDB, Spark) sees one table. ``id`` is the first column of ``articles``; technique counts are ``n_<id>``;
``stored_id`` stays null here and is filled in by the driver when the run is stored (``history.py``).

``source``, ``published`` and ``author`` say what the input says, else what the article's page says about
itself (``Article.outlet``/``published``/``author``, read from HTML by trafilatura): a corpus of saved pages
or URLs needs no metadata columns to be grouped by outlet and month. Columns in the input always win, and a
folder's subfolder names its articles' source before their pages do (the person who sorted them chose it).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from ..schema import Analysis, ModelInfo
from ..techniques import TECHNIQUE_IDS
from .records import Record, parse_published

TECHNIQUE_COLUMNS = tuple(f"n_{t}" for t in TECHNIQUE_IDS)
TABLES_VERSION = 2
"""The layout of the tables, kept in ``run.json`` (``tables``). 2 added ``articles.author`` and the page's own
outlet and date as fallbacks; a run begun with another layout is not resumed (``store.MATCHING``), as its
parts would not make one table."""

ARTICLES = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("source", pa.string()),
        pa.field("url", pa.string()),
        pa.field("published", pa.timestamp("ms", tz="UTC")),
        pa.field("author", pa.string()),
        pa.field("location", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("words", pa.int32()),
        pa.field("spans", pa.int32()),
        pa.field("spans_per_1k_words", pa.float64()),
        *[pa.field(c, pa.int32()) for c in TECHNIQUE_COLUMNS],
        pa.field("sentences", pa.int32()),
        pa.field("sentences_flagged", pa.int32()),
        pa.field("n_attributions", pa.int32()),
        pa.field("share_anonymous", pa.float64()),
        pa.field("share_unsourced", pa.float64()),
        pa.field("n_actors", pa.int32()),
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

_TEXT_SPAN = pa.struct([pa.field("start", pa.int32()), pa.field("end", pa.int32()), pa.field("text", pa.string())])

ATTRIBUTIONS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("source_type", pa.string()),
        pa.field("source_name", pa.string()),
        pa.field("source_text", pa.string()),
        pa.field("source_start", pa.int32()),
        pa.field("source_end", pa.int32()),
        pa.field("cue_text", pa.string()),
        pa.field("cue_start", pa.int32()),
        pa.field("cue_end", pa.int32()),
        pa.field("content", pa.list_(_TEXT_SPAN)),
        pa.field("content_text", pa.string()),
        pa.field("score", pa.float64()),
    ],
    metadata={"description": "propwatch: one row per attribution; source_type is named, anonymous or none (then "
              "the source columns are null); content holds the attributed pieces, content_text them joined by "
              "' … '; offsets index the article text (Python str)"},
)

ACTORS = pa.schema(
    [
        pa.field("article_id", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("main_role", pa.string()),
        pa.field("fine_roles", pa.list_(pa.string())),
        pa.field("mentions", pa.int32()),
        pa.field("mention_spans", pa.list_(_TEXT_SPAN)),
        pa.field("score", pa.float64()),
        pa.field("evidence", pa.list_(pa.int32())),
    ],
    metadata={"description": "propwatch: one row per actor of each article; main_role is Protagonist, Antagonist, "
              "Innocent or null (no stance); mentions counts mention_spans; evidence holds sentence indices"},
)

ANALYSES = pa.schema(
    [pa.field("id", pa.string(), nullable=False), pa.field("analysis", pa.string())],
    metadata={"description": "propwatch: Analysis.model_dump_json() of each analysed article (timings left out)"},
)


def article_row(record: Record, analysis: Analysis | None, model: ModelInfo, error: str | None) -> dict:
    article = analysis.article if analysis is not None else record.article
    published = record.published
    if published is None and article is not None and article.published:
        published, _ = parse_published(article.published)
    row: dict[str, Any] = {
        "id": record.id,
        "title": article.title if article is not None else None,
        "source": record.source or (article.outlet if article is not None else None),
        "url": record.url,
        "published": published,
        "author": article.author if article is not None else None,
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
    n = len(analysis.attributions)
    row.update(
        n_attributions=n,
        # Shares of the article's attributions; null (not 0) without any, so a mean over articles skips them.
        share_anonymous=round(sum(a.source_type == "anonymous" for a in analysis.attributions) / n, 4) if n else None,
        share_unsourced=round(sum(a.source_type == "none" for a in analysis.attributions) / n, 4) if n else None,
        n_actors=len(analysis.actors),
    )
    return row


def span_rows(analysis: Analysis) -> list[dict]:
    return [
        {"article_id": analysis.article.id, "start": s.start, "end": s.end, "technique": s.technique,
         "score": s.score, "text": s.text}
        for s in analysis.spans
    ]


def attribution_rows(analysis: Analysis) -> list[dict]:
    rows = []
    for a in analysis.attributions:
        source = a.source
        rows.append({
            "article_id": analysis.article.id, "source_type": a.source_type, "source_name": a.source_name,
            "source_text": source.text if source else None, "source_start": source.start if source else None,
            "source_end": source.end if source else None,
            "cue_text": a.cue.text, "cue_start": a.cue.start, "cue_end": a.cue.end,
            "content": [c.model_dump() for c in a.content], "content_text": " … ".join(c.text for c in a.content),
            "score": a.score,
        })
    return rows


def actor_rows(analysis: Analysis) -> list[dict]:
    return [
        {"article_id": analysis.article.id, "name": a.name, "kind": a.kind, "main_role": a.main_role,
         "fine_roles": list(a.fine_roles), "mentions": len(a.mentions),
         "mention_spans": [m.model_dump() for m in a.mentions], "score": a.score, "evidence": list(a.evidence)}
        for a in analysis.actors
    ]


def to_table(rows: list[dict], schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema)
