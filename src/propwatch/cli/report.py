"""``propwatch report``: the dashboard of a batch run, one self-contained HTML file (``propwatch.dashboard``)."""

from __future__ import annotations

import shlex
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ._util import err_console, handle_errors


class Grouping(str, Enum):
    source = "source"
    month = "month"


def report_command(
    run_dir: Path = typer.Argument(..., metavar="RUN", help="A run folder written by propwatch batch."),
    out: Path = typer.Option(..., "--out", "-o", dir_okay=False, help="The HTML file to write."),
    by: Grouping = typer.Option(Grouping.source, "--by", case_sensitive=False,
                                help="Compare groups of articles: by source (outlet) or by month of publication."),
    csv_dir: Optional[Path] = typer.Option(
        None, "--csv", file_okay=False,
        help="Also write every table as CSV here, articles.csv (every article) included."),
    article_link: Optional[str] = typer.Option(
        None, "--article-link", metavar="URL",
        help="Link articles to this URL ({id} is replaced) instead of writing a highlighted page per article.",
    ),
    server: Optional[str] = typer.Option(
        None, "--server", metavar="URL",
        help="Link articles to their permalinks in the web app at this address (e.g. http://127.0.0.1:8000), "
        "for a run made with propwatch batch --store; no article pages are written.",
    ),
) -> None:
    """Write a dashboard of a run: technique mix overall and per source or month (with group sizes and 95%
    intervals), score distribution, scores over time, frequent loaded-language and name-calling phrases, the most
    and least propagandistic articles, and every article in a table to sort and filter by technique."""
    with handle_errors():
        from ..dashboard import build_dashboard  # matplotlib: only for this command

        dashboard = build_dashboard(run_dir, out, by=by.value, csv_dir=csv_dir, article_link=article_link,
                                    server=server)
        lines = [f"wrote the report to {dashboard.html}"]
        if dashboard.history:
            lines.append(f"its articles link to their permalinks at {server}, which propwatch serve --db "
                         f"{shlex.quote(dashboard.history)} serves")
        if dashboard.pages:
            lines.append(f"and {len(dashboard.pages)} highlighted article pages to {dashboard.pages[0].parent}")
        if dashboard.csv_files:
            lines.append(f"and {len(dashboard.csv_files)} CSV tables to {dashboard.csv_files[0].parent}")
        err_console.print("\n".join(lines), highlight=False, markup=False, soft_wrap=True)
