"""``build_dashboard``: a run folder in, one self-contained HTML dashboard out (plus, optionally, a CSV file per
table and a highlighted page per listed article).

Article pages are the core's own HTML report (``render.render_html``) of the stored ``Analysis``, written next
to the dashboard in ``<name>_articles/``. Instead, and writing no pages: with ``server`` (``--server``) a run
stored in the web app's history (``propwatch batch --store``) links each article to its permalink,
``{server}/analyses/{stored_id}``; with ``article_link`` to any other viewer (``https://host/a/{id}``).
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import io
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from ..errors import DataError, InputError
from ..render import render_html
from ..render.templating import template_environment
from ..schema import Analysis
from ..techniques import TECHNIQUES, get
from . import charts
from .data import (
    ACTORS_SHOWN,
    ARTICLES_LISTED,
    GROUPS_SHOWN,
    MIN_GROUP_ARTICLES,
    MIN_GROUP_ATTRIBUTIONS,
    MIN_GROUP_SIZE,
    MIN_WORDS_RANKED,
    NO_GROUP,
    PHRASE_TECHNIQUES,
    RunData,
    Table,
    actors_table,
    all_articles,
    analyses_for,
    article_index_table,
    articles_table,
    casting_table,
    extreme_articles,
    group_tables,
    load_run,
    over_time,
    phrase_table,
    safe_name,
    score_histogram,
    sourcing_table,
    summary_table,
    technique_table,
)

GROUPINGS = ("source", "month")


@dataclass
class Dashboard:
    html: Path
    tables: list[Table]
    pages: list[Path] = field(default_factory=list)
    csv_files: list[Path] = field(default_factory=list)
    history: str | None = None
    """With ``server``: the history database the run was stored in (what ``propwatch serve --db`` needs)."""


def build_dashboard(
    run_dir: str | os.PathLike,
    out: str | os.PathLike,
    *,
    by: str = "source",
    csv_dir: str | os.PathLike | None = None,
    article_link: str | None = None,
    server: str | None = None,
    min_attributions: int = MIN_GROUP_ATTRIBUTIONS,
    min_articles: int = MIN_GROUP_ARTICLES,
    min_group: int = MIN_GROUP_SIZE,
) -> Dashboard:
    """The dashboard of the run in ``run_dir``, written to ``out``. ``min_attributions`` and ``min_articles``:
    the smallest source or month whose sourcing shares (attributions) and casting shares (articles that mention
    the actor) are shown; smaller ones keep their counts only. ``min_group``: the fewest articles a source or
    month needs for intervals and a place in the heat map (smaller ones are shown muted)."""
    if by not in GROUPINGS:
        raise InputError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    if article_link is not None and "{id}" not in article_link:
        raise InputError("--article-link needs an {id} placeholder, e.g. https://example.org/a/{id}")
    if article_link is not None and urlsplit(article_link.strip()).scheme.lower() not in ("", "http", "https"):
        # a javascript: or data: link would run in the reader's browser where no content policy stops it
        raise InputError(f"--article-link must be an http(s) address or a relative path, not "
                         f"{urlsplit(article_link.strip()).scheme}: links")
    if server is not None and article_link is not None:
        raise InputError("--server and --article-link both say where articles link to: give one of them")
    server = server_base(server) if server is not None else None
    data = load_run(run_dir)
    if server is not None and not is_stored(data):
        raise DataError(
            f"the run in {data.folder} was not stored in the web app's history, so its articles have no permalinks: "
            "make it with propwatch batch --store, or leave out --server to write highlighted pages"
        )
    out = Path(out)
    summary = summary_table(data)
    techniques = technique_table(data)
    groups, mix = group_tables(data, by, min_group)
    histogram = score_histogram(data)
    timeline = over_time(data, min_group)
    phrases = [phrase_table(data, t) for t in PHRASE_TECHNIQUES]
    most, least = extreme_articles(data, most=True), extreme_articles(data, most=False)
    dated = timeline is not None
    # Who says so and who is cast as what are shown by outlet and over time whatever ``by`` is (the sources
    # issue asks for both): with ``--by month`` they had shown the months twice and no outlet at all.
    sourcing = sourcing_table(data, "source", min_attributions)
    sourcing_time = sourcing_table(data, "month", min_attributions) if dated else None
    actors = actors_table(data)
    casting = casting_table(data, "source", min_group=min_articles)
    casting_time = casting_table(data, "month", min_group=min_articles) if dated else None
    layers = [t for t in (sourcing, sourcing_time, actors, casting, casting_time) if t is not None]
    listed = all_articles(data)
    shown = listed[:ARTICLES_LISTED]

    if server is not None:
        _link_to_server([*most, *least, *listed], server)
        pages = []
    else:
        pages = _link_articles(data, out, [*most, *least, *shown], article_link)
        if article_link is not None:
            _link_articles(data, out, listed[ARTICLES_LISTED:], article_link)
    tables = [summary, techniques, groups, mix, histogram, *([timeline] if timeline else []), *phrases, *layers,
              articles_table("most_propagandistic", "Most propagandistic articles", most),
              articles_table("least_propagandistic", "Least propagandistic articles", least),
              article_index_table(listed)]
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
            "heatmap": charts.technique_heatmap(mix, by, GROUPS_SHOWN, min_group) if len(real_groups) >= 2 else None,
            "scores": charts.score_histogram(histogram, mean, median),
            "timeline": charts.timeline(timeline, min_group) if timeline and len(timeline.rows) >= 2 else None,
            "sourcing": charts.sourcing_bars(sourcing, "source", GROUPS_SHOWN) if sourcing else None,
            "sourcing_time": charts.sourcing_timeline(sourcing_time) if sourcing_time else None,
        },
        sourcing=sourcing,
        sourcing_time=sourcing_time,
        actors=actors,
        casting=casting,
        casting_time=casting_time,
        has_attributions=data.attributions is not None,
        has_actors=data.actors is not None,
        min_attributions=min_attributions,
        min_articles=min_articles,
        actors_shown=ACTORS_SHOWN,
        csv_links={p.stem: os.path.relpath(p, out.parent.resolve()) for p in csv_files},
        has_pages=bool(pages) or article_link is not None or server is not None,
        fmt=format_cell,
        get_technique=get,
        chip=_chip,
        techniques_all=TECHNIQUES,
        generated=datetime.date.today().isoformat(),
        groups_shown=GROUPS_SHOWN,
        min_words=MIN_WORDS_RANKED,
        min_group=min_group,
        real_groups=real_groups,
        small_groups=[r[0] for r in groups.rows if r[1] < min_group],
        listed=shown,
        listed_total=len(listed),
        sources=sorted({v.source for v in listed if v.source}),
        months=sorted({v.month for v in listed if v.month}),
        techniques_used=[t for t in TECHNIQUES if any(t.id in v.counts for v in listed)],
        script=_script(),
        script_hash=_script_hash(),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return Dashboard(out, tables, pages, csv_files, history=data.run.get("history_db") if server else None)


def server_base(url: str) -> str:
    """The web app's address as ``--server`` gives it, checked, without a trailing slash: http or https, a host,
    an optional port and path prefix (behind a proxy); no query or fragment, nothing that needs quoting."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        parts = None
    # The quoting check also refuses "?" and "#" (a query or fragment would swallow the /analyses/ path).
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or quote(text, safe=_URL_SAFE) != text):
        raise InputError(
            f"--server needs the web app's address, such as http://127.0.0.1:8000 (http or https, no query; "
            f"spaces and the like percent-encoded), not {url!r}"
        )
    return text.rstrip("/")


_URL_SAFE = ":/@!$&'()*+,;=%-._~[]"
"""Characters a base URL may hold as they are (RFC 3986, less ``?`` and ``#``); anything else must be quoted."""


def is_stored(data: RunData) -> bool:
    """Whether the run was made with ``propwatch batch --store`` (its ``run.json`` names the database and its
    articles table has ``stored_id``)."""
    return bool(data.run.get("history_db")) and "stored_id" in data.articles.column_names


def _link_to_server(views, server: str) -> None:
    """Each article to its permalink in the web app; the id is quoted whole, as one path segment."""
    for v in views:
        v.link = f"{server}/analyses/{quote(v.stored_id, safe='')}" if v.stored_id else None


def write_csv(tables: list[Table], folder: Path) -> list[Path]:
    """Every table of the dashboard as ``folder/<name>.csv`` (UTF-8, a header row, values as on the page; text
    that a spreadsheet would take for a formula is neutralised, see ``csv_cell``)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        buffer = io.StringIO()
        # CRLF, as RFC 4180 has it: the writer quotes a field only for the characters of its line ending, so
        # with "\n" alone a carriage return in a title went out bare and split the row for most readers.
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([csv_cell(c) for c in table.columns])
        writer.writerows([csv_cell(v) for v in row] for row in table.rows)
        path = folder / f"{table.name}.csv"
        path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
        written.append(path.resolve())
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value as a CSV cell that a spreadsheet shows and never runs: text that starts like a formula (``=``,
    ``+``, ``-``, ``@``, tab, carriage return) gets a leading apostrophe, as OWASP recommends against CSV
    injection (titles and sources come from the articles). Numbers stay numbers; None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
    folder = out.parent / f"{out.stem}_articles"
    wanted = sorted({v.id for v in views})
    written: dict[str, Path] = {}
    for i in range(0, len(wanted), _PAGES_AT_ONCE):  # a few hundred analyses in memory at a time
        stored = analyses_for(data, wanted[i : i + _PAGES_AT_ONCE])
        for article_id, text in stored.items():
            try:
                analysis = Analysis.model_validate_json(text)
            except ValueError as exc:
                raise DataError(f"the stored analysis of article {article_id!r} is unreadable: {exc}") from None
            folder.mkdir(parents=True, exist_ok=True)
            page = folder / safe_name(article_id)
            page.write_text(render_html(analysis), encoding="utf-8")
            written[article_id] = page
    for v in views:
        if v.id in written:
            v.link = f"{quote(folder.name)}/{quote(written[v.id].name)}"
    return list(written.values())


_PAGES_AT_ONCE = 200


def _chip(technique_id: str) -> str:
    from ..render.html import chip_css

    return chip_css(get(technique_id))


@lru_cache(maxsize=1)
def _script() -> str:
    """The page's one script: sorting and filtering the article table, and the charts that redraw by technique.
    It only reads the table's cells and attributes and writes text with ``textContent``, never as markup."""
    return resources.files("propwatch.dashboard").joinpath("templates/dashboard.js").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _script_hash() -> str:
    """For the page's Content-Security-Policy: only this script may run, and nothing may be fetched."""
    return base64.b64encode(hashlib.sha256(_script().encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return template_environment("propwatch.dashboard").get_template("dashboard.html.j2")
