"""The dashboard read back as a reader's browser and a spreadsheet would: every number in its tables is
checked against the run's Parquet files, every listed article links to its highlighted page, the CSV files
hold the same tables, and nothing from the articles can run as markup."""

from __future__ import annotations

import base64
import csv
import hashlib
import re
from collections import Counter
from html.parser import HTMLParser

import numpy as np
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from propwatch.cli.app import app
from propwatch.dashboard import build_dashboard
from propwatch.techniques import TECHNIQUES

HOSTILE_TITLE = '<script>alert("title")</script> & friends'  # as in conftest.py
HOSTILE_SOURCE = "<b>evil</b> $news$"


class Tables(HTMLParser):
    """``{table id: {"columns": [...], "rows": [[data-value, ...], ...]}}`` and every link of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tables, self.links, self._table, self._row = {}, [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], {"columns": [], "rows": []})
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag == "td" and self._row is not None:
            self._row.append(attrs.get("data-value", ""))
        elif tag == "th" and self._table is not None:
            self._th = True
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_data(self, data):
        if getattr(self, "_th", False):
            self._table["columns"].append(data)
            self._th = False

    def handle_endtag(self, tag):
        if tag == "tr" and self._row:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None


def normalise(phrase: str) -> str:
    """The report's phrase normalisation, written again independently."""
    trim = " \"'“”‘’«».,;:!?()[]-–—"
    p = " ".join(phrase.lower().split()).strip(trim)
    return re.sub(r"^(a|an|the) ", "", p).strip(trim)


@pytest.fixture(scope="module")
def report(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    built = build_dashboard(run_dir, out, csv_dir=out.parent / "csv")
    return built, out.read_text(encoding="utf-8"), Tables(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def parquet(run_dir):
    articles = pq.read_table(run_dir / "articles.parquet").to_pylist()
    return [a for a in articles if a["error"] is None], [a for a in articles if a["error"]], \
        pq.read_table(run_dir / "spans.parquet").to_pylist()


def test_figures_match_the_parquet_tables(report, parquet):
    _, _, page = report
    ok, failed, spans = parquet
    summary = dict(page.tables["summary"]["rows"])
    assert int(summary["articles analysed"]) == len(ok) == 6 and len(failed) == 1
    assert int(summary["records failed (errors.jsonl)"]) == 2  # the record without an id is not in the table
    assert int(summary["spans found"]) == len(spans)
    assert float(summary["mean article score"]) == pytest.approx(np.mean([a["score"] for a in ok]), abs=1e-4)
    assert float(summary["median article score"]) == pytest.approx(np.median([a["score"] for a in ok]), abs=1e-4)
    assert summary["first published"] == "2019-01-05" and summary["last published"] == "2019-03-15"

    techniques = {get_by_name(r[0]): r for r in page.tables["techniques"]["rows"]}
    counted = Counter(s["technique"] for s in spans)
    assert len(techniques) == 14
    for t in TECHNIQUES:
        row = techniques[t.id]
        assert int(row[1]) == counted[t.id] == sum(a[f"n_{t.id}"] for a in ok)
        assert int(row[3]) == sum(1 for a in ok if a[f"n_{t.id}"] > 0)
    assert [int(r[1]) for r in page.tables["techniques"]["rows"]] == sorted(counted.values(), reverse=True) + \
        [0] * (14 - len(counted))


def get_by_name(name: str) -> str:
    return next(t.id for t in TECHNIQUES if t.name == name)


def test_groups_histogram_and_timeline_match(report, parquet):
    _, _, page = report
    ok, _, _ = parquet
    groups = {r[0]: r for r in page.tables["groups_by_source"]["rows"]}
    by_source = Counter(a["source"] for a in ok)
    assert {g: int(r[1]) for g, r in groups.items()} == dict(by_source)
    alpha = [a["score"] for a in ok if a["source"] == "alpha.example"]
    assert float(groups["alpha.example"][2]) == pytest.approx(np.mean(alpha), abs=1e-4)
    assert float(groups["alpha.example"][3]) == pytest.approx(np.median(alpha), abs=1e-4)

    counts = [int(r[2]) for r in page.tables["score_distribution"]["rows"]]
    assert counts == list(np.histogram([a["score"] for a in ok], bins=20, range=(0, 1))[0])

    months = {r[0]: int(r[1]) for r in page.tables["over_time"]["rows"]}
    assert months == dict(Counter(a["published"].strftime("%Y-%m") for a in ok))


def test_phrases_match_the_spans(report, parquet):
    _, html, page = report
    ok, _, spans = parquet
    shown = 0
    for technique in ("loaded_language", "name_calling"):
        expected = Counter(normalise(s["text"]) for s in spans if s["technique"] == technique)
        expected.pop("", None)
        if not expected:  # the model found none in this small corpus: the page says so instead of a table
            assert f"phrases_{technique}" not in page.tables and "None found." in html
            continue
        rows = page.tables[f"phrases_{technique}"]["rows"]
        assert rows, f"no {technique} phrases in the report"
        shown += 1
        for phrase, count, articles in rows:
            assert int(count) == expected[phrase], phrase
            assert int(articles) == len({s["article_id"] for s in spans
                                         if s["technique"] == technique and normalise(s["text"]) == phrase})
        assert [int(r[1]) for r in rows] == sorted((int(r[1]) for r in rows), reverse=True)
        assert int(rows[0][1]) == max(expected.values())
    assert shown, "no phrase table to check"


def test_most_and_least_propagandistic_link_to_highlighted_pages(report, parquet):
    built, html, page = report
    ok, _, _ = parquet
    ranked_pool = [a for a in ok if a["words"] >= 100]
    ranked_pool = ranked_pool if len(ranked_pool) >= len(ok) else ok  # fewer than 10 articles: all are listed
    ranked = sorted(ranked_pool, key=lambda a: (-a["score"], a["id"]))
    assert [r[1] for r in page.tables["most_propagandistic"]["rows"]] == [a["id"] for a in ranked]
    assert [r[1] for r in page.tables["least_propagandistic"]["rows"]] == \
        [a["id"] for a in sorted(ranked_pool, key=lambda a: (a["score"], a["id"]))]
    assert [float(r[5]) for r in page.tables["most_propagandistic"]["rows"]] == [a["score"] for a in ranked]
    pages = [link for link in page.links if link.startswith("report_articles/")]
    assert len(set(pages)) == len(built.pages) == 6
    for link in set(pages):
        target = built.html.parent / link
        assert target.is_file()
        assert "propwatch report" in target.read_text(encoding="utf-8")


def test_article_text_cannot_inject_markup(report):
    built, html, _ = report
    # One script, the dashboard's own, and the page's policy lets only it run (by its hash) and fetch nothing.
    assert html.lower().count("<script") == 1 and f"<script>{_script()}</script>" in html
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    digest = base64.b64encode(hashlib.sha256(_script().encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; friends" in html
    assert "<b>evil</b>" not in html and "&lt;b&gt;evil&lt;/b&gt;" in html
    hostile_page = next(p for p in built.pages if HOSTILE_TITLE in _unescape(p.read_text(encoding="utf-8")))
    assert "<script" not in hostile_page.read_text(encoding="utf-8").lower()
    assert HOSTILE_SOURCE.replace("<", "&lt;").replace(">", "&gt;") in html


def _script() -> str:
    from importlib import resources

    return resources.files("propwatch.dashboard").joinpath("templates/dashboard.js").read_text(encoding="utf-8")


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_report_is_self_contained(report):
    _, html, _ = report
    assert "src=" not in html  # the one script is inline
    assert html.count("<svg") >= 3  # techniques, heat map, scores (and the timeline: 4)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and not re.search(r"url\((?!#)", html)


def test_csv_files_hold_the_same_tables(report):
    built, _, page = report
    names = {p.stem for p in built.csv_files}
    # A phrase table with no rows is a CSV with its header only; the page says "None found." instead of a table.
    empty = {n for n in names - set(page.tables) if n.startswith("phrases_")}
    assert names - empty == set(page.tables)
    for stem in empty:
        path = next(p for p in built.csv_files if p.stem == stem)
        with open(path, encoding="utf-8", newline="") as f:
            assert list(csv.reader(f)) == [["phrase", "spans", "articles"]]
    for path in built.csv_files:
        if path.stem in empty:
            continue
        with open(path, encoding="utf-8", newline="") as f:
            header, *rows = list(csv.reader(f))
        table = page.tables[path.stem]
        if path.stem == "articles":  # the page shows some of the CSV's columns, in its own order
            at = [header.index(c) for c in table["columns"]]
            rows = [[row[i] for i in at] for row in rows]
            header = table["columns"]
        assert header == table["columns"] and len(rows) == len(table["rows"]), path.name
        for ours, theirs in zip(rows, table["rows"]):
            assert [_num(v) for v in ours] == [_num(v) for v in theirs]


def _num(v: str):
    try:
        return round(float(v), 6)
    except ValueError:
        return v


def test_by_month_and_article_links(run_dir, tmp_path):
    built = build_dashboard(run_dir, tmp_path / "r.html", by="month", article_link="https://propwatch.example/a/{id}")
    page = Tables(built.html.read_text(encoding="utf-8"))
    assert [r[0] for r in page.tables["groups_by_month"]["rows"]] == ["2019-01", "2019-02", "2019-03"]
    assert "techniques_by_month" in page.tables and built.pages == []
    assert "https://propwatch.example/a/a00" in page.links
    assert not (tmp_path / "r_articles").exists()


def test_report_command(run_dir, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["report", str(run_dir), "--out", str(tmp_path / "r.html"), "--csv",
                                 str(tmp_path / "csv"), "--by", "month"])
    assert result.exit_code == 0, result.output
    assert "wrote the report to" in result.stderr and "CSV tables" in result.stderr
    assert (tmp_path / "csv" / "groups_by_month.csv").is_file()
    bad = runner.invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "x.html")])
    assert bad.exit_code == 1 and "is not a propwatch run folder" in bad.stderr
    wrong = runner.invoke(app, ["report", str(run_dir), "--out", str(tmp_path / "x.html"), "--by", "week"])
    assert wrong.exit_code == 2


class ArticleLinks(HTMLParser):
    """``{article id: href}`` of the listed articles (``<li data-id=…>`` and the link in it), and every href."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.all, self._id = {}, [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "data-id" in attrs:
            self._id = attrs["data-id"]
        elif tag == "a" and "href" in attrs:
            self.all.append(attrs["href"])
            if self._id is not None:
                self.links.setdefault(self._id, attrs["href"])


def test_server_links_each_article_to_its_permalink_which_the_web_app_serves(stored_run, tmp_path, analyzer):
    from urllib.parse import urlsplit

    from fastapi.testclient import TestClient

    from propwatch.server import Settings, create_app

    run, db = stored_run
    built = build_dashboard(run, tmp_path / "r.html", server="http://127.0.0.1:8000/")  # a trailing slash is fine
    assert built.pages == [] and not (tmp_path / "r_articles").exists() and built.history == str(db)
    html = built.html.read_text(encoding="utf-8")
    links = ArticleLinks(html).links
    stored = {r["id"]: r["stored_id"] for r in pq.read_table(run / "articles.parquet").to_pylist()}
    assert sorted(links) == sorted(stored) == ["a00", "a01", "a02", "a03"]
    for article_id, href in links.items():
        assert href == f"http://127.0.0.1:8000/analyses/{stored[article_id]}"
    assert "No highlighted views" not in html
    app = create_app(Settings(db_path=db, api_token=None, workers=1), analyzer=analyzer)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for article_id, href in links.items():
            page = client.get(urlsplit(href).path)
            assert page.status_code == 200 and f"Report {int(article_id[1:])} from the front" in page.text
    # Behind a proxy, under a path prefix.
    prefixed = build_dashboard(run, tmp_path / "p.html", server="https://news.example/tools/propwatch")
    assert ArticleLinks(prefixed.html.read_text(encoding="utf-8")).links["a01"] == \
        f"https://news.example/tools/propwatch/analyses/{stored['a01']}"


def test_server_for_a_run_not_stored_or_a_bad_address_is_one_line(run_dir, stored_run, tmp_path):
    runner = CliRunner()

    def report(*args):
        return runner.invoke(app, ["report", *args, "--out", str(tmp_path / "x.html")])

    for result, message in [
        (report(str(run_dir), "--server", "http://127.0.0.1:8000"), "was not stored in the web app's history"),
        (report(str(stored_run[0]), "--server", "javascript:alert(1)"), "--server needs the web app's address"),
        (report(str(stored_run[0]), "--server", "http://127.0.0.1:8000/?q=1"), "--server needs the web app's"),
        (report(str(stored_run[0]), "--server", "http://host/a b"), "--server needs the web app's address"),
        (report(str(stored_run[0]), "--server", "http://h", "--article-link", "x/{id}"), "give one of them"),
        (report(str(stored_run[0]), "--article-link", "javascript:alert(1)//{id}"), "not javascript: links"),
        (report(str(stored_run[0]), "--article-link", " DATA:text/html,{id}"), "not data: links"),
    ]:
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("Error: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "x.html").exists()
    ok = report(str(stored_run[0]), "--server", "http://127.0.0.1:8000")
    assert ok.exit_code == 0, ok.output
    assert f"its articles link to their permalinks at http://127.0.0.1:8000, which propwatch serve --db " \
           f"{stored_run[1]} serves" in ok.stderr


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path):
    from propwatch.dashboard import Table, write_csv

    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "plain", "it's = fine"]
    table = Table(name="t", title="T", columns=["=title", "score"],
                  rows=[[value, -0.5] for value in hostile] + [[None, 3]])
    (path,) = write_csv([table], tmp_path)
    with open(path, encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    assert header == ["'=title", "score"]
    assert [r[0] for r in rows] == ["'" + v for v in hostile[:6]] + ["plain", "it's = fine", ""]
    assert {r[1] for r in rows[:-1]} == {"-0.5"}  # numbers stay numbers
