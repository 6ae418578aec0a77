"""Whole corpora: analyse a folder, a JSON Lines or a CSV file of articles into Parquet tables, resumably,
on this machine's cores or on a Ray cluster.

    >>> from propwatch.batch import BatchConfig, run_batch
    >>> summary = run_batch("articles/", "run/", BatchConfig(workers=2))
    >>> import pyarrow.parquet as pq
    >>> articles = pq.read_table("run/articles.parquet")        # one row per article, id first

Modules: ``readers/`` (one reader per input format), ``records`` (what is read), ``plan`` (deterministic
parts), ``work`` (one part: read, analyse, tabulate), ``tables`` (the Parquet schemas), ``store`` (the run
folder, its manifest and errors file), ``history`` (``--store``: the run in the web app's history),
``local`` and ``ray_engine`` (the two engines), ``run`` (the driver).
"""

from .plan import DEFAULT_PART_SIZE
from .readers import InputFormat
from .records import Columns, ReadOptions
from .run import BatchConfig, Callbacks, RunSummary, run_batch
from .tables import ACTORS, ANALYSES, ARTICLES, ATTRIBUTIONS, SPANS, TECHNIQUE_COLUMNS

__all__ = [
    "ACTORS", "ANALYSES", "ARTICLES", "ATTRIBUTIONS", "BatchConfig", "Callbacks", "Columns", "DEFAULT_PART_SIZE",
    "InputFormat", "ReadOptions", "RunSummary", "SPANS", "TECHNIQUE_COLUMNS", "run_batch",
]
