"""The dashboard's charts: matplotlib figures rendered to inline SVG.

Why matplotlib and SVG: the dashboard must open offline, forever, with nothing to trust. Inline SVG needs no
JavaScript (plotly would inline ~3.5 MB of it per file), stays sharp when zoomed or printed, keeps its text as
text (searchable, copyable) and, with a fixed hash salt and no date metadata, is byte-for-byte reproducible.
These charts are the page's fixed overview; the few charts that redraw when a reader filters by technique are
drawn by the page's own small script (``templates/dashboard.js``) from the article table's rows.

Each chart is drawn from the same ``Table`` the page shows, never from separate numbers. Labels come from
the data (source names can be anything scraped from the web): math-text parsing is off, so ``$`` is just a
dollar sign, and matplotlib's SVG writer escapes ``<`` and ``&`` in text.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from ..techniques import TECHNIQUES
from .data import INTERVAL_COLUMNS, Table

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

_RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "text.parse_math": False,
    "font.family": "sans-serif",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "figure.dpi": 72,
}
_BY_NAME = {t.name: t for t in TECHNIQUES}


def to_svg(fig: Figure, name: str) -> str:
    """The figure as an ``<svg>`` element for inline use (no XML prolog, ids unique to this chart)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**_RC, "svg.hashsalt": name, "svg.id": f"chart-{name}"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    return re.sub(r'(<svg[^>]*?) width="[\d.]+pt" height="[\d.]+pt"', r'\1', svg, count=1)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def technique_bars(table: Table) -> str:
    names, counts, shares = table.column("technique"), table.column("spans"), table.column("share of spans")
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 0.28 * len(names) + 0.8)
        ax = fig.add_subplot()
        y = range(len(names))[::-1]
        ax.barh(list(y), counts, color=[_BY_NAME[n].colour for n in names], height=0.7)
        ax.set_yticks(list(y), names)
        top = max(counts) if counts and max(counts) else 1
        for yi, count, share in zip(y, counts, shares):
            ax.text(count + top * 0.01, yi, f"{count:,} ({share:.0%})", va="center", fontsize=8)
        ax.set_xlim(0, top * 1.18)
        ax.set_xlabel("spans")
        ax.set_title("Spans per technique, all articles")
    return to_svg(fig, "techniques")


def technique_heatmap(table: Table, label: str, max_rows: int, min_group: int) -> str | None:
    """Groups × techniques, spans per 1,000 words: the rate, so groups whose articles differ in length compare
    fairly. Groups of fewer than ``min_group`` articles are left out (a rate over two articles is mostly
    chance); None when fewer than two groups remain.

    One colour scale for every cell, so the same shade always means the same rate: a square-root scale, because
    loaded language is ten times more frequent than most techniques and a linear one would leave every other
    column blank. (Shading each column on its own made a technique at 0.1 per 1,000 words look as dark as the
    most frequent one.) The colour bar gives the scale; each cell prints its rate."""
    rows = [r for r in table.rows if r[1] >= min_group][:max_rows]
    if len(rows) < 2:
        return None
    techniques = [t for t in TECHNIQUES if any(r[table.columns.index(t.name)] for r in rows)]
    values = [[r[table.columns.index(t.name)] for t in techniques] for r in rows]
    highest = max((v for row in values for v in row), default=0.0) or 1.0
    norm = PowerNorm(gamma=0.5, vmin=0.0, vmax=highest)
    with matplotlib.rc_context(_RC):
        fig = _figure(max(6.0, 0.55 * len(techniques) + 3.0), 0.34 * len(rows) + 1.6)
        ax = fig.add_subplot()
        image = ax.imshow(values, cmap="Blues", norm=norm, aspect="auto")
        ax.set_xticks(range(len(techniques)), [t.short for t in techniques], rotation=0, fontsize=8)
        ax.set_yticks(range(len(rows)), [f"{_clip(r[0])} ({r[1]:,})" for r in rows])
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7,
                        color="white" if norm(v) > 0.6 else "#1b1b1f")
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        bar = fig.colorbar(image, ax=ax, shrink=0.9, pad=0.02)
        bar.set_label("one colour scale for all cells")
        ax.set_title(f"Spans per 1,000 words by {label} (articles in brackets)", pad=18)
    return to_svg(fig, f"heatmap-{label}")


def score_histogram(table: Table, mean: float, median: float) -> str:
    starts, ends, counts = table.column("score from"), table.column("score to"), table.column("articles")
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 2.8)
        ax = fig.add_subplot()
        ax.bar(starts, counts, width=[e - s for s, e in zip(starts, ends)], align="edge", color="#88a9c9",
               edgecolor="white")
        ax.axvline(mean, color="#CC3311", linestyle="-", linewidth=1.5, label=f"mean {mean:.2f}")
        ax.axvline(median, color="#1b1b1f", linestyle="--", linewidth=1.2, label=f"median {median:.2f}")
        ax.set_xlim(0, 1)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no tick at 2.5 articles
        ax.set_xlabel("article score (expected share of the text in propagandistic sentences)")
        ax.set_ylabel("articles")
        ax.legend(frameon=False)
        ax.set_title("Distribution of article scores")
    return to_svg(fig, "scores")


def month_positions(months: list[str]) -> list[int]:
    """Each ``YYYY-MM`` month's place on a time axis, in months from the first: a year without articles takes a
    year's room, not one step (evenly spaced months had drawn 2000-01 next to 2024-05)."""
    def ordinal(month: str) -> int:
        year, number = month.split("-")[:2]
        return int(year) * 12 + int(number) - 1

    first = ordinal(months[0]) if months else 0
    return [ordinal(m) - first for m in months]


def line_with_gaps(x: list[int], values: list) -> tuple[list[float], list[float]]:
    """``x`` and ``values`` for a line that breaks where months are missing (NaN ends a matplotlib line), so no
    line crosses a stretch without articles as if it had some."""
    xs: list[float] = []
    ys: list[float] = []
    for i, (xi, v) in enumerate(zip(x, values)):
        if i and xi - x[i - 1] > 1:
            xs.append(float("nan"))
            ys.append(float("nan"))
        xs.append(xi)
        ys.append(float("nan") if v is None else v)
    return xs, ys


def _month_ticks(ax, x: list[int], months: list[str]) -> None:
    step = max(1, len(months) // 12)
    ax.set_xticks(x[::step], months[::step], rotation=45 if len(months) > 8 else 0,
                  ha="right" if len(months) > 8 else "center")


def timeline(table: Table, min_group: int) -> str:
    """Mean score and spans per 1,000 words per month with their 95% intervals, and the articles per month.
    A month of fewer than ``min_group`` articles has no interval and is drawn as a hollow marker."""
    months, counts = table.column("month"), table.column("articles")
    means, rates = table.column("mean score"), table.column("spans per 1,000 words")
    at = {c: table.columns.index(c) for c in INTERVAL_COLUMNS}
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 4.4)
        top, middle, bottom = fig.subplots(3, 1, sharex=True, height_ratios=[2, 2, 1.2])
        x = month_positions(months)
        small = [n < min_group for n in counts]
        # Full scales from zero: a zoomed axis would turn a 0.03 wobble between months into a cliff.
        highest = 0.0
        for ax, values, low, high, colour in (
            (top, means, "mean score, 95% from", "mean score, 95% to", "#CC3311"),
            (middle, rates, "spans per 1,000 words, 95% from", "spans per 1,000 words, 95% to", "#0077BB"),
        ):
            ax.plot(*line_with_gaps(x, values), color=colour, linewidth=1, alpha=0.6)
            for xi, v, row, muted in zip(x, values, table.rows, small):
                lo, hi = row[at[low]], row[at[high]]
                if lo is not None and hi is not None:
                    ax.errorbar([xi], [v], yerr=[[v - lo], [hi - v]], color=colour, capsize=3, linewidth=1)
                ax.plot([xi], [v], marker="o", color=colour, markerfacecolor="white" if muted else colour)
            if ax is middle:
                highest = max([r[at[high]] or 0.0 for r in table.rows] + [v or 0.0 for v in values])
        top.set_ylim(0, 1)
        top.set_ylabel("mean score")
        top.set_title(f"Scores over time, by month of publication (95% intervals; hollow: fewer than {min_group} "
                      "articles)")
        middle.set_ylim(0, highest * 1.15 or 1)
        middle.set_ylabel("spans / 1,000 words")
        bottom.bar(x, counts, color="#BBBBBB")
        bottom.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no tick at 2.5 articles
        bottom.set_ylabel("articles")
        _month_ticks(bottom, x, months)
    return to_svg(fig, "timeline")


def _clip(text: str, width: int = 32) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"



def sourcing_bars(table: Table, label: str, max_rows: int) -> str | None:
    """Per group, the shares of its attributions by source type as one stacked bar (groups with shares only).
    Hatching as well as colour tells the three parts apart."""
    rows = [r for r in table.rows if r[table.columns.index("share anonymous")] is not None][:max_rows]
    if not rows:
        return None
    at = {c: table.columns.index(c) for c in ("attributions", "anonymous", "unsourced", "named")}
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 0.34 * len(rows) + 1.3)
        ax = fig.add_subplot()
        y = list(range(len(rows)))[::-1]
        left = [0.0] * len(rows)
        for part, colour, hatch in (("anonymous", "#AA3377", "//"), ("unsourced", "#EE7733", ".."),
                                    ("named", "#BBBBBB", "")):
            shares = [r[at[part]] / r[at["attributions"]] for r in rows]
            ax.barh(y, shares, left=left, color=colour, hatch=hatch, edgecolor="white", height=0.7, label=part)
            left = [a + b for a, b in zip(left, shares)]
        ax.set_yticks(y, [f"{_clip(str(r[0]))} ({r[at['attributions']]:,})" for r in rows])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.legend(frameon=False, ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0))
        ax.set_title(f"Sources of the attributions by {label} (attributions in brackets)", pad=22)
    return to_svg(fig, f"sourcing-{label}")


def sourcing_timeline(table: Table) -> str | None:
    """Shares anonymous and unsourced per month (months with shares only), from zero."""
    rows = [r for r in table.rows if r[table.columns.index("share anonymous")] is not None and r[0] != "(no date)"]
    if len(rows) < 2:
        return None
    months = [r[0] for r in rows]
    anonymous = [r[table.columns.index("share anonymous")] for r in rows]
    unsourced = [r[table.columns.index("share unsourced")] for r in rows]
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 2.8)
        ax = fig.add_subplot()
        x = month_positions(months)
        ax.plot(*line_with_gaps(x, anonymous), marker="o", color="#AA3377", label="anonymous")
        ax.plot(*line_with_gaps(x, unsourced), marker="s", linestyle="--", color="#EE7733", label="unsourced")
        ax.set_ylim(0, max([*anonymous, *unsourced, 0.1]) * 1.15)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        _month_ticks(ax, x, months)
        ax.legend(frameon=False)
        ax.set_title("Share of attributions that are anonymous or unsourced, by month")
    return to_svg(fig, "sourcing-time")
