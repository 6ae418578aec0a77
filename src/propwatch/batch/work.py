"""One part, start to finish: read its records, analyse them, build its tables. Every engine runs exactly
this (in-process, in a worker process, or in a Ray actor), which is why their outputs are identical.

Articles are read and analysed in small groups (``Analyzer.analyze_many``: shared model batches; results never
depend on which articles share a batch), and ``progress`` hears of each group as it finishes, so a progress bar
moves within a part instead of waiting for the whole part (64 articles by default). Groups rather than single
articles because the models batch across articles (one at a time is measurably slower), while a group of 8
takes a few seconds at most. BLAS runs on one thread while a part is analysed: the span classifier's numpy
products round differently with one or several OpenBLAS threads (a score can move across its fourth decimal),
and Ray workers always run with one, so this keeps every engine's output identical. If a group fails, its
articles are analysed one by one so that a single bad article becomes one error row instead of losing its
neighbours.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

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

Progress = Callable[[int], None]
"""Told how many more records of the part are finished (analysed or failed); the calls add up to the part's
size."""


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


def process_part(part: Part, reader: Reader, analyzer: Analyzer, keep_analyses: bool = True,
                 progress: Progress | None = None) -> PartResult:
    if analyzer.max_words != reader.options.max_words:
        # The reader refuses the articles over the run's bound (failed records); the analyzer takes the rest.
        analyzer = Analyzer(analyzer.components, max_words=reader.options.max_words)
    with threadpool_limits(limits=1, user_api="blas"):
        return _process_part(part, reader, analyzer, keep_analyses, progress or (lambda n: None))


def _process_part(part: Part, reader: Reader, analyzer: Analyzer, keep_analyses: bool,
                  progress: Progress) -> PartResult:
    started = time.perf_counter()
    records: list[Record] = []
    analyses: dict[int, Analysis] = {}
    failures: dict[int, str] = {}
    # Read as well as analyse group by group: fetching a part's URLs first would hold the progress bar again.
    for i in range(0, len(part.entries), ANALYSE_GROUP):
        entries = part.entries[i : i + ANALYSE_GROUP]
        usable = [e for e in entries if e.error is None]
        loaded = dict(zip(map(id, usable), reader.load(usable)))
        group = [loaded[id(e)] if e.error is None else Record(e, error=e.error) for e in entries]
        done, failed = _analyse(analyzer, [(r, r.article) for r in group if r.error is None and r.article is not None])
        records += group
        analyses.update(done)
        failures.update(failed)
        progress(len(entries))

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
    """Each record's analysis (one model batch), or why it failed, keyed by the record object (``id(record)``)."""
    done: dict[int, Analysis] = {}
    failed: dict[int, str] = {}
    if not pending:
        return done, failed
    try:
        results = analyzer.analyze_many([article for _, article in pending])
    except Exception:  # noqa: BLE001 - find the article at fault below, one at a time
        results = None
    if results is not None:
        done.update((id(r), a) for (r, _), a in zip(pending, results, strict=True))
        return done, failed
    for r, article in pending:
        try:
            done[id(r)] = analyzer.analyze(article)
        except Exception as exc:  # noqa: BLE001 - one article's failure must not stop a corpus run
            failed[id(r)] = f"analysis failed: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
    return done, failed


def _error(reader: Reader, entry: Entry, reason: str) -> dict:
    return {"file": reader.file_of(entry), "line": entry.line, "id": entry.id, "reason": reason}
