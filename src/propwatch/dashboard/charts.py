"""The dashboard's charts: matplotlib figures rendered to inline SVG.

Why matplotlib and SVG: the dashboard must open offline, forever, with nothing to trust, like the per-article
HTML report, which has no scripts at all. Inline SVG needs no JavaScript (plotly would inline ~3.5 MB of it per
file), stays sharp when zoomed or printed, keeps its text as text (searchable, copyable) and, with a fixed
hash salt and no date metadata, is byte-for-byte reproducible. Interactivity is not lost where it matters:
every chart has its table next to it, and every table is exported as CSV.

Each chart is drawn from the same ``Table`` the page shows, never from separate numbers. Labels come from
the data (source names can be anything scraped from the web): math-text parsing is off, so ``$`` is just a
dollar sign, and matplotlib's SVG writer escapes ``<`` and ``&`` in text.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..techniques import TECHNIQUES
from .data import Table

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


def technique_heatmap(table: Table, label: str, max_rows: int) -> str:
    """Groups × techniques, spans per 1,000 words: the rate, so long and short articles compare fairly.

    Each column is shaded relative to its own highest group: loaded language is ten times more frequent than
    most techniques, and one colour scale for all would leave every other column blank. The numbers printed
    in the cells are the absolute rates."""
    rows = table.rows[:max_rows]
    techniques = [t for t in TECHNIQUES if any(r[table.columns.index(t.name)] for r in table.rows)]
    values = [[r[table.columns.index(t.name)] for t in techniques] for r in rows]
    with matplotlib.rc_context(_RC):
        fig = _figure(max(6.0, 0.55 * len(techniques) + 2.5), 0.34 * len(rows) + 1.4)
        ax = fig.add_subplot()
        highest = [max(row[j] for row in values) or 1.0 for j in range(len(techniques))]
        shades = [[v / highest[j] for j, v in enumerate(row)] for row in values]
        ax.imshow(shades, cmap="Blues", aspect="auto", vmin=0, vmax=1.15)
        ax.set_xticks(range(len(techniques)), [t.short for t in techniques], rotation=0, fontsize=8)
        ax.set_yticks(range(len(rows)), [f"{_clip(r[0])} ({r[1]:,})" for r in rows])
        for i, row in enumerate(values):
            for j, v in enumerate(row):
                ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=7,
                        color="white" if shades[i][j] > 0.6 else "#1b1b1f")
        ax.spines[:].set_visible(False)
        ax.tick_params(length=0)
        ax.xaxis.tick_top()
        ax.set_title(f"Spans per 1,000 words by {label} (articles in brackets); darkest = the highest {label} "
                     "for that technique", pad=18)
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
        ax.set_xlabel("article score (expected share of the text in propagandistic sentences)")
        ax.set_ylabel("articles")
        ax.legend(frameon=False)
        ax.set_title("Distribution of article scores")
    return to_svg(fig, "scores")


def timeline(table: Table) -> str:
    months, counts = table.column("month"), table.column("articles")
    means, rates = table.column("mean score"), table.column("spans per 1,000 words")
    with matplotlib.rc_context(_RC):
        fig = _figure(7.5, 4.2)
        top, middle, bottom = fig.subplots(3, 1, sharex=True, height_ratios=[2, 2, 1.2])
        x = range(len(months))
        # Full scales from zero: a zoomed axis would turn a 0.03 wobble between months into a cliff.
        top.plot(x, means, marker="o", color="#CC3311")
        top.set_ylim(0, 1)
        top.set_ylabel("mean score")
        top.set_title("Scores over time, by month of publication")
        middle.plot(x, rates, marker="o", color="#0077BB")
        middle.set_ylim(0, max([r for r in rates if r is not None], default=0) * 1.15 or 1)
        middle.set_ylabel("spans / 1,000 words")
        bottom.bar(x, counts, color="#BBBBBB")
        bottom.set_ylabel("articles")
        step = max(1, len(months) // 12)
        bottom.set_xticks(list(x)[::step], months[::step], rotation=45 if len(months) > 8 else 0, ha="right"
                          if len(months) > 8 else "center")
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
        x = range(len(months))
        ax.plot(x, anonymous, marker="o", color="#AA3377", label="anonymous")
        ax.plot(x, unsourced, marker="s", linestyle="--", color="#EE7733", label="unsourced")
        ax.set_ylim(0, max([*anonymous, *unsourced, 0.1]) * 1.15)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        step = max(1, len(months) // 12)
        ax.set_xticks(list(x)[::step], months[::step], rotation=45 if len(months) > 8 else 0,
                      ha="right" if len(months) > 8 else "center")
        ax.legend(frameon=False)
        ax.set_title("Share of attributions that are anonymous or unsourced, by month")
    return to_svg(fig, "sourcing-time")
