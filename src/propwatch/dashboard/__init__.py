"""The corpus dashboard: ``propwatch report RUN --out report.html``.

A package of its own, beside ``batch`` rather than inside it, because it reads only the run folder's files
(``run.json`` and the Parquet tables, a documented format) and none of the engines: it works on a run copied
from a cluster, needs neither Ray nor the model, and keeps matplotlib out of the batch workers.
``data`` computes the tables (pyarrow), ``charts`` draws them (matplotlib → inline SVG), ``build`` writes
the page (Jinja2, autoescaped), the CSV files and the per-article pages.
"""

from .build import Dashboard, build_dashboard, write_csv
from .data import Table, load_run

__all__ = ["Dashboard", "Table", "build_dashboard", "load_run", "write_csv"]
