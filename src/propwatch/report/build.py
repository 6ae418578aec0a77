"""``build_report``: a run folder in, one self-contained HTML dashboard out (plus, optionally, a CSV file per
table and a highlighted page per listed article).

Article pages are the core's own HTML report (``render.render_html``) of the stored ``Analysis``, written next
to the dashboard in ``<name>_articles/``; with ``article_link`` the dashboard links to another viewer instead
(the web app's permalinks, for example ``https://propwatch.example/a/{id}``) and writes no pages.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2

from ..errors import DataError, InputError
from ..render import render_html
from ..render._jinja import template_environment
from ..schema import Analysis
from ..techniques import TECHNIQUES, get
from . import charts
from .data import (
    GROUPS_SHOWN, MIN_WORDS_RANKED, NO_GROUP, PHRASE_TECHNIQUES, RunData, Table, analyses_for, articles_table, extreme_articles,
    group_tables, load_run, over_time, phrase_table, safe_name, score_histogram, summary_table, technique_table,
)

GROUPINGS = ("source", "month")


@dataclass
class Report:
    html: Path
    tables: list[Table]
    pages: list[Path] = field(default_factory=list)
    csv_files: list[Path] = field(default_factory=list)


def build_report(
    run_dir: str | os.PathLike,
    out: str | os.PathLike,
    *,
    by: str = "source",
    csv_dir: str | os.PathLike | None = None,
    article_link: str | None = None,
) -> Report:
    if by not in GROUPINGS:
        raise InputError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    if article_link is not None and "{id}" not in article_link:
        raise InputError("--article-link needs an {id} placeholder, e.g. https://example.org/a/{id}")
    data = load_run(run_dir)
    out = Path(out)
    summary = summary_table(data)
    techniques = technique_table(data)
    groups, mix = group_tables(data, by)
    histogram = score_histogram(data)
    timeline = over_time(data)
    phrases = [phrase_table(data, t) for t in PHRASE_TECHNIQUES]
    most, least = extreme_articles(data, most=True), extreme_articles(data, most=False)
    tables = [summary, techniques, groups, mix, histogram, *([timeline] if timeline else []), *phrases,
              articles_table("most_propagandistic", "Most propagandistic articles", most),
              articles_table("least_propagandistic", "Least propagandistic articles", least)]

    pages = _link_articles(data, out, [*most, *least], article_link)
    csv_files = write_csv(tables, Path(csv_dir)) if csv_dir is not None else []
    mean, median = summary.rows[4][1], summary.rows[5][1]
    real_groups = [r for r in groups.rows if r[0] != NO_GROUP[by]]
    html = _template().render(
        data=data,
        run=data.run,
        by=by,
        tables={t.name: t for t in tables},
        summary=summary,
        techniques=techniques,
        groups=groups,
        mix=mix,
        histogram=histogram,
        timeline=timeline,
        phrases=phrases,
        most=most,
        least=least,
        charts={
            "techniques": charts.technique_bars(techniques),
            "heatmap": charts.technique_heatmap(mix, by, GROUPS_SHOWN) if len(real_groups) >= 2 else None,
            "scores": charts.score_histogram(histogram, mean, median),
            "timeline": charts.timeline(timeline) if timeline and len(timeline.rows) >= 2 else None,
        },
        csv_links={p.stem: os.path.relpath(p, out.parent.resolve()) for p in csv_files},
        has_pages=bool(pages) or article_link is not None,
        fmt=format_cell,
        get_technique=get,
        chip=_chip,
        techniques_all=TECHNIQUES,
        generated=datetime.date.today().isoformat(),
        groups_shown=GROUPS_SHOWN,
        min_words=MIN_WORDS_RANKED,
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return Report(out, tables, pages, csv_files)


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    """Every table of the report as ``folder/<name>.csv`` (UTF-8, a header row, values as in the report)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(["" if v is None else v for v in row] for row in table.rows)
        path = folder / f"{table.name}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8")
        written.append(path.resolve())
    return written


def format_cell(column: str, value) -> str:
    """How the page shows a value (the exact value is kept in ``data-value`` and in the CSV)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if "share" in column:
        return f"{value:.1%}"
    return f"{value:.2f}"


def _link_articles(data: RunData, out: Path, views, template: str | None) -> list[Path]:
    if template is not None:
        for v in views:
            v.link = template.replace("{id}", quote(v.id, safe=""))
        return []
    stored = analyses_for(data, sorted({v.id for v in views}))
    if not stored:
        return []
    folder = out.parent / f"{out.stem}_articles"
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for v in views:
        if v.id not in stored:
            continue
        page = folder / safe_name(v.id)
        if page not in pages:
            try:
                analysis = Analysis.model_validate_json(stored[v.id])
            except ValueError as exc:
                raise DataError(f"the stored analysis of article {v.id!r} is unreadable: {exc}") from None
            page.write_text(render_html(analysis), encoding="utf-8")
            pages.append(page)
        v.link = f"{quote(folder.name)}/{quote(page.name)}"
    return pages


def _chip(technique_id: str) -> str:
    from ..render.html import chip_css

    return chip_css(get(technique_id))


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return template_environment("propwatch.report").get_template("dashboard.html.j2")
