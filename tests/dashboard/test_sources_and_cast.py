"""The dashboard's "Who says so" and "Cast" sections, checked against the run's Parquet tables, over a run made
with the pipeline's stand-in (``tests/render/fakes.py``), since the attribution and actor models are not shipped.
Also: a run without those tables (an older propwatch) still reports, with one line saying so."""

from __future__ import annotations

import csv
import shutil
import sys

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pyarrow.parquet as pq
import pytest
from test_dashboard import Tables  # tests/dashboard is on the path (no package)

from propwatch.dashboard import build_dashboard

corpora = sys.modules["propwatch_test_corpora"]




@pytest.fixture(scope="module")
def layered_run(tmp_path_factory):
    """Eight articles: the example's paragraphs in pairs and the whole example twice, from three outlets over
    four months; one outlet's name looks like a spreadsheet formula."""
    from propwatch.batch import BatchConfig, run_batch
    folder = tmp_path_factory.mktemp("layered-run")
    rows = corpora.articles(6)
    for i, (source, date) in enumerate((("alpha.example", "2019-04-02"), ("=cmd|' /C calc'!A0", "2019-04-20"))):
        rows.append({"id": f"whole{i}", "title": f"Whole {i}", "text": fakes.EXAMPLE, "source": source,
                     "published": date})
    path = corpora.write_jsonl(folder / "in.jsonl", rows)
    run_batch(path, folder / "run", BatchConfig(part_size=3), analyzer=fakes.FakeAnalyzer())
    return folder / "run"


@pytest.fixture(scope="module")
def built(layered_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("layered-report") / "report.html"
    dashboard = build_dashboard(layered_run, out, csv_dir=out.parent / "csv", min_attributions=3, min_articles=2)
    html = out.read_text(encoding="utf-8")
    return dashboard, html, Tables(html)


def as_numbers(row):
    return [float(v) if v not in ("",) and v.replace(".", "", 1).isdigit() else v for v in row]


def test_sourcing_by_source_matches_the_parquet_tables(built, layered_run):
    _, html, page = built
    articles = {r["id"]: r for r in pq.read_table(layered_run / "articles.parquet").to_pylist()}
    attributions = pq.read_table(layered_run / "attributions.parquet").to_pylist()
    expected: dict[str, dict[str, int]] = {}
    for a in attributions:
        by_type = expected.setdefault(articles[a["article_id"]]["source"], {})
        by_type[a["source_type"]] = by_type.get(a["source_type"], 0) + 1
    table = page.tables["sourcing_by_source"]
    assert table["columns"][:3] == ["source", "articles", "attributions"]
    shown = {r[0]: r for r in table["rows"]}
    assert set(shown) == set(expected)
    for source, counts in expected.items():
        row = shown[source]
        n = sum(counts.values())
        assert int(row[2]) == n
        assert [int(row[4]), int(row[5]), int(row[6])] == [counts.get(k, 0) for k in ("anonymous", "none", "named")]
        if n >= 3:
            assert float(row[7]) == pytest.approx(counts.get("anonymous", 0) / n, abs=1e-4)
            assert float(row[8]) == pytest.approx(counts.get("none", 0) / n, abs=1e-4)
        else:  # too few to show a share
            assert row[7] == "" and row[8] == ""
    assert 'id="sourcing"' in html and "chart-sourcing-source" in html
    months = [r[0] for r in page.tables["sourcing_by_month"]["rows"]]
    assert months == sorted(months) and "2019-04" in months


def test_small_groups_get_counts_but_no_shares(layered_run, tmp_path):
    out = tmp_path / "strict.html"
    build_dashboard(layered_run, out, min_attributions=10_000, min_articles=10_000)
    page = Tables(out.read_text(encoding="utf-8"))
    assert all(r[7] == "" and r[8] == "" for r in page.tables["sourcing_by_source"]["rows"])
    assert all(int(r[2]) > 0 for r in page.tables["sourcing_by_source"]["rows"])
    assert all(r[7:] == ["", "", ""] for r in page.tables["casting_by_source"]["rows"])
    assert "chart-sourcing-source" not in out.read_text(encoding="utf-8")  # nothing to draw without shares


def test_cast_tables_match_the_actors_table(built, layered_run):
    _, html, page = built
    actors = pq.read_table(layered_run / "actors.parquet").to_pylist()
    articles = {r["id"]: r for r in pq.read_table(layered_run / "articles.parquet").to_pylist()}
    top = page.tables["actors"]["rows"]
    names = [r[0] for r in top]
    assert names[0] in ("United States", "the Kurds", "ISIS")
    us = [a for a in actors if a["name"] == "United States"]
    row = next(r for r in top if r[0] == "United States")
    assert int(row[1]) == len({a["article_id"] for a in us}) and int(row[2]) == sum(a["mentions"] for a in us)
    assert int(row[4]) == sum(a["main_role"] == "Antagonist" for a in us)
    casting = page.tables["casting_by_source"]
    assert casting["columns"][:3] == ["actor", "source", "articles"]
    for r in casting["rows"]:
        if r[0] != "United States":
            continue
        here = [a for a in us if articles[a["article_id"]]["source"] == r[1]]
        assert int(r[2]) == len(here)
        assert [int(r[3]), int(r[4]), int(r[5])] == [sum(a["main_role"] == m for a in here)
                                                     for m in ("Protagonist", "Antagonist", "Innocent")]
        if len(here) >= 2:
            innocent = sum(a["main_role"] == "Innocent" for a in here)
            assert float(r[9]) == pytest.approx(innocent / len(here), abs=1e-4)  # share victim
    assert "casting_by_month" in page.tables and 'id="cast"' in html


def test_new_tables_are_exported_as_csv_with_formulas_neutralised(built):
    dashboard, _, page = built
    written = {p.stem: p for p in dashboard.csv_files}
    for name in ("sourcing_by_source", "sourcing_by_month", "actors", "casting_by_source", "casting_by_month"):
        assert name in written
        with open(written[name], encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0] == page.tables[name]["columns"] and len(rows) - 1 == len(page.tables[name]["rows"])
    text = written["sourcing_by_source"].read_text(encoding="utf-8")
    assert "'=cmd|' /C calc'!A0" in text and "\n=cmd" not in text


def test_a_run_from_before_these_tables_still_reports(layered_run, tmp_path):
    old = tmp_path / "old-run"
    shutil.copytree(layered_run, old)
    shutil.rmtree(old / "attributions.parquet")
    shutil.rmtree(old / "actors.parquet")
    out = tmp_path / "old.html"
    dashboard = build_dashboard(old, out)
    html = out.read_text(encoding="utf-8")
    assert "No attributions in this run" in html and "No actors in this run" in html
    assert not {"sourcing_by_source", "actors", "casting_by_source"} & {t.name for t in dashboard.tables}


def test_grouped_by_month_the_sources_and_cast_still_show_each_outlet(layered_run, tmp_path):
    """``--by month`` groups the technique tables by month; who says so and the cast are shown by outlet and
    over time all the same (once each: the months are not shown twice)."""
    built = build_dashboard(layered_run, tmp_path / "m.html", by="month", min_attributions=3, min_articles=2)
    html = built.html.read_text(encoding="utf-8")
    tables = Tables(html).tables
    assert {"groups_by_month", "sourcing_by_source", "sourcing_by_month", "casting_by_source",
            "casting_by_month"} <= set(tables)
    assert "alpha.example" in [r[0] for r in tables["sourcing_by_source"]["rows"]]
    assert html.count('data-table="sourcing_by_month"') == 1
