"""Every article reachable, and charts that do not mislead (newsroom issue, defects 6 and 7): the article table
lists and links every article and ``--csv`` writes it; the heat map shades every cell on one scale and leaves out
groups too small to compare; groups carry their sizes and 95% intervals; count axes have whole-number ticks."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

import numpy as np
import pyarrow.parquet as pq
import pytest
from test_dashboard import Tables  # tests/dashboard is on the path (no package)

from propwatch.dashboard import build_dashboard, charts
from propwatch.dashboard.data import INTERVAL_COLUMNS, Table, mean_interval, rate_interval, t975
from propwatch.techniques import TECHNIQUES


class RowLinks(HTMLParser):
    """``{article id: href}`` of the article table's rows (``<tr data-id=…>`` and the link in it)."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self._id = {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr":
            self._id = attrs.get("data-id")
        elif tag == "a" and self._id is not None:
            self.links.setdefault(self._id, attrs["href"])


@pytest.fixture(scope="module")
def built(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("explore") / "report.html"
    dashboard = build_dashboard(run_dir, out, csv_dir=out.parent / "csv", min_group=2)
    html = out.read_text(encoding="utf-8")
    return dashboard, html


def test_every_article_is_listed_linked_and_in_the_csv(built, run_dir):
    dashboard, html = built
    ok = [a for a in pq.read_table(run_dir / "articles.parquet").to_pylist() if a["error"] is None]
    rows = Tables(html).tables["articles"]["rows"]
    assert sorted(r[-1] for r in rows) == sorted(a["id"] for a in ok)  # the id column, last on the page
    links = RowLinks(html).links
    assert sorted(links) == sorted(a["id"] for a in ok)
    for link in links.values():
        assert (dashboard.html.parent / link).is_file()
    with open(dashboard.html.parent / "csv" / "articles.csv", encoding="utf-8", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["id"] for r in table] == [a["id"] for a in sorted(ok, key=lambda a: (-a["score"], a["id"]))]
    by_id = {a["id"]: a for a in ok}
    for r in table:
        a = by_id[r["id"]]
        assert float(r["score"]) == pytest.approx(a["score"]) and int(r["spans"]) == a["spans"]
        assert int(r["words"]) == a["words"] and r["link"] == links[r["id"]]
        counted = {t.name: a[f"n_{t.id}"] for t in TECHNIQUES if a[f"n_{t.id}"]}
        listed = dict(part.rsplit(" ", 1) for part in r["techniques"].split("; ")) if r["techniques"] else {}
        assert {k: int(v) for k, v in listed.items()} == counted


def test_groups_have_sizes_and_intervals_and_small_ones_none(built, run_dir):
    _, html = built
    table = Tables(html).tables["groups_by_source"]
    ok = [a for a in pq.read_table(run_dir / "articles.parquet").to_pylist() if a["error"] is None]
    at = {c: table["columns"].index(c) for c in ("source", "articles", *INTERVAL_COLUMNS)}
    for row in table["rows"]:
        members = [a for a in ok if a["source"] == row[at["source"]]]
        assert int(row[at["articles"]]) == len(members)
        bounds = [row[at[c]] for c in INTERVAL_COLUMNS]
        if len(members) < 2:  # min_group=2 here
            assert bounds == ["", "", "", ""]
            continue
        low, high = mean_interval([a["score"] for a in members])
        assert float(bounds[0]) == pytest.approx(low, abs=1e-4) and float(bounds[1]) == pytest.approx(high, abs=1e-4)
        low, high = rate_interval([a["spans"] for a in members], [a["words"] for a in members])
        assert float(bounds[2]) == pytest.approx(low, abs=1e-4) and float(bounds[3]) == pytest.approx(high, abs=1e-4)
    muted = re.findall(r'<tr class="muted"[^>]*>\s*<td[^>]*data-value="([^"]*)"', html)
    assert "&lt;b&gt;evil&lt;/b&gt; $news$" in muted  # the outlet of one article is greyed out


def test_intervals_are_the_textbook_ones():
    scipy_stats = pytest.importorskip("scipy.stats")
    for df in (1, 4, 29, 30, 31, 60, 500):
        assert t975(df) == pytest.approx(scipy_stats.t.ppf(0.975, df), abs=1e-3)
    scores = [0.1, 0.4, 0.35, 0.2, 0.3]
    mean, sem = np.mean(scores), scipy_stats.sem(scores)
    low, high = mean_interval(scores)
    assert (low, high) == pytest.approx(scipy_stats.t.interval(0.95, 4, loc=mean, scale=sem), abs=1e-3)
    # The ratio estimator's interval, written again with numpy: articles as units, Student's t.
    spans, words = np.array([3, 0, 12, 5, 1, 7]), np.array([400, 250, 900, 600, 300, 500])
    rate = spans.sum() / words.sum()
    se = np.sqrt(6 / 5 * np.sum((spans - rate * words) ** 2)) / words.sum()
    expected = (1000 * (rate - scipy_stats.t.ppf(0.975, 5) * se), 1000 * (rate + scipy_stats.t.ppf(0.975, 5) * se))
    assert rate_interval(list(spans), list(words)) == pytest.approx(expected, abs=1e-3)
    assert rate_interval([5], [100]) is None and rate_interval([0, 0], [100, 50]) == (0.0, 0.0)


def _mix(rows):
    ids = [t.id for t in TECHNIQUES]
    out = []
    for group, n, values in rows:
        row = [group, n] + [0.0] * len(TECHNIQUES)
        for technique, value in values.items():
            row[2 + ids.index(technique)] = value
        out.append(row)
    return Table("techniques_by_source", "mix", ["source", "articles", *[t.name for t in TECHNIQUES]], out)


def _cell_fill(svg: str, text: str) -> str:
    return re.search(r'fill: (#[0-9a-f]{6})"[^>]*>' + re.escape(text) + "</text>", svg).group(1)


def test_heatmap_shades_every_cell_on_one_scale_and_leaves_out_small_groups():
    mix = _mix([("big", 40, {"loaded_language": 20.0, "appeal_to_authority": 0.1}),
                ("other", 30, {"loaded_language": 11.0, "appeal_to_authority": 0.02}),
                ("(no date)", 2, {"loaded_language": 142.9})])
    svg = charts.technique_heatmap(mix, "source", 12, 5)
    # Shaded per column, the 0.1 of appeal to authority was that column's darkest cell, with white text like 20.0.
    assert _cell_fill(svg, "20.0") == "#ffffff" and _cell_fill(svg, "0.1") != "#ffffff"
    assert "142.9" not in svg and "(no date)" not in svg and "big (40)" in svg
    assert "one colour scale for all cells" in svg
    assert charts.technique_heatmap(mix, "source", 12, 35) is None  # one group left: nothing to compare


def test_count_axes_have_whole_number_ticks():
    rows = [["2019-01", 5, 0.3, 0.3, 10.0, None, None, None, None],
            ["2019-02", 1, 0.2, 0.2, 20.0, None, None, None, None],
            ["2019-03", 3, 0.25, 0.25, 30.0, None, None, None, None]]
    table = Table("over_time", "t", ["month", "articles", "mean score", "median score", "spans per 1,000 words",
                                     *INTERVAL_COLUMNS], rows)
    ticks = re.findall(r">([0-9.]+)</text>", charts.timeline(table, 5))
    assert "2.5" not in ticks and "5.0" not in ticks and "5" in ticks
    histogram = Table("score_distribution", "h", ["score from", "score to", "articles"],
                      [[i / 20, (i + 1) / 20, [0, 5, 3][i % 3]] for i in range(20)])
    ticks = re.findall(r">([0-9.]+)</text>", charts.score_histogram(histogram, 0.4, 0.4))
    assert "2.5" not in ticks and "5" in ticks


def test_months_are_spaced_by_time_and_lines_break_over_missing_months():
    """2000-01 and 2024-05 are 292 months apart, not one step; no line joins months with none between them."""
    assert charts.month_positions(["1999-12", "2000-01", "2024-05", "2024-06"]) == [0, 1, 293, 294]
    xs, ys = charts.line_with_gaps([0, 1, 293, 294], [0.1, 0.2, 0.3, None])
    assert xs[:2] == [0, 1] and np.isnan(xs[2]) and xs[3:] == [293, 294]
    assert ys[:2] == [0.1, 0.2] and np.isnan(ys[2]) and ys[3] == 0.3 and np.isnan(ys[4])


def test_by_month_wording_is_about_months(run_dir, tmp_path):
    built = build_dashboard(run_dir, tmp_path / "m.html", by="month", min_group=2)
    html = built.html.read_text(encoding="utf-8")
    assert "so months whose articles" in html and "so outlets" not in html
