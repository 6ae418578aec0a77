"""One part, start to finish: read its records, analyse them, build its tables. Every engine runs exactly
this (in-process, in a worker process, or in a Ray actor), which is why their outputs are identical.

Articles go through ``Analyzer.analyze_many`` in small groups (shared model batches; results never depend on
which articles share a batch). BLAS runs on one thread while a part is analysed: the span classifier's numpy
products round differently with one or several OpenBLAS threads (a score can move across its fourth decimal),
and Ray workers always run with one, so this keeps every engine's output identical. If a group fails, its
articles are analysed one by one so that a single bad article becomes one error row instead of losing its
neighbours.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pyarrow as pa
from threadpoolctl import threadpool_limits

from ..analyzer import Analyzer
from ..schema import Analysis, Article
from .plan import Part
from .readers import Reader
from .records import Entry, Record
from .tables import (
    ACTORS,
    ANALYSES,
    ARTICLES,
    ATTRIBUTIONS,
    SPANS,
    actor_rows,
    article_row,
    attribution_rows,
    span_rows,
    to_table,
)

ANALYSE_GROUP = 8


@dataclass
class PartResult:
    """What a worker hands back for one part: its tables and its errors, ready to be committed."""

    index: int
    fingerprint: str
    articles: pa.Table
    spans: pa.Table
    analyses: pa.Table | None
    errors: list[dict]
    items: int
    seconds: float
    attributions: pa.Table
    actors: pa.Table

    @property
    def analysed(self) -> int:
        """Articles analysed without error (rows whose ``error`` is null)."""
        return self.articles.column("error").null_count


def process_part(part: Part, reader: Reader, analyzer: Analyzer, keep_analyses: bool = True) -> PartResult:
    if analyzer.max_words != reader.options.max_words:
        # The reader refuses the articles over the run's bound (failed records); the analyzer takes the rest.
        analyzer = Analyzer(analyzer.components, max_words=reader.options.max_words)
    with threadpool_limits(limits=1, user_api="blas"):
        return _process_part(part, reader, analyzer, keep_analyses)


def _process_part(part: Part, reader: Reader, analyzer: Analyzer, keep_analyses: bool) -> PartResult:
    started = time.perf_counter()
    usable = [e for e in part.entries if e.error is None]
    loaded = dict(zip(map(id, usable), reader.load(usable)))
    records = [loaded[id(e)] if e.error is None else Record(e, error=e.error) for e in part.entries]
    pending = [(r, r.article) for r in records if r.error is None and r.article is not None]
    analyses, failures = _analyse(analyzer, pending)

    article_rows, span_list, analysis_rows, errors = [], [], [], []
    attribution_list: list[dict] = []
    actor_list: list[dict] = []
    for record in records:
        analysis = analyses.get(id(record))
        error = record.error or failures.get(id(record))
        if error is not None:
            errors.append(_error(reader, record.entry, error))
        if record.entry.error is not None:
            continue  # unusable before its id was known (or a duplicate id): only in the errors file
        article_rows.append(article_row(record, analysis, analyzer.model_info, error))
        if analysis is not None:
            span_list.extend(span_rows(analysis))
            attribution_list.extend(attribution_rows(analysis))
            actor_list.extend(actor_rows(analysis))
            if keep_analyses:
                # Timings are left out: they differ on every run, and the stored tables must not.
                stored = analysis.model_copy(update={"timings_ms": {}})
                analysis_rows.append({"id": record.id, "analysis": stored.model_dump_json()})
    return PartResult(
        index=part.index,
        fingerprint=part.fingerprint,
        articles=to_table(article_rows, ARTICLES),
        spans=to_table(span_list, SPANS),
        attributions=to_table(attribution_list, ATTRIBUTIONS),
        actors=to_table(actor_list, ACTORS),
        analyses=to_table(analysis_rows, ANALYSES) if keep_analyses else None,
        errors=errors,
        items=len(part.entries),
        seconds=round(time.perf_counter() - started, 3),
    )


def _analyse(
    analyzer: Analyzer, pending: list[tuple[Record, Article]]
) -> tuple[dict[int, Analysis], dict[int, str]]:
    """Each record's analysis, or why it failed, keyed by the record object (``id(record)``)."""
    done: dict[int, Analysis] = {}
    failed: dict[int, str] = {}
    for i in range(0, len(pending), ANALYSE_GROUP):
        group = pending[i : i + ANALYSE_GROUP]
        try:
            results = analyzer.analyze_many([article for _, article in group])
        except Exception:  # noqa: BLE001 - find the article at fault below, one at a time
            results = None
        if results is not None:
            done.update((id(r), a) for (r, _), a in zip(group, results, strict=True))
            continue
        for r, article in group:
            try:
                done[id(r)] = analyzer.analyze(article)
            except Exception as exc:  # noqa: BLE001 - one article's failure must not stop a corpus run
                failed[id(r)] = f"analysis failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    return done, failed


def _error(reader: Reader, entry: Entry, reason: str) -> dict:
    return {"file": reader.file_of(entry), "line": entry.line, "id": entry.id, "reason": reason}
