"""The dashboard's article table and technique filter in a real browser (Debian's Chromium, headless, driven by
Playwright), at desktop width and on a 390 px phone: sorting by clicking or with the keyboard, filtering by
technique, text, source and month, the per-source chart redrawn for the chosen technique with the same interval
as the tables, hostile titles shown as text, nothing fetched, no sideways scrolling, dark mode.

Skips with one line when Chromium or Playwright is missing, unless ``PROPWATCH_REQUIRE_BROWSER=1`` (CI)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from propwatch.dashboard import build_dashboard
from propwatch.dashboard.data import rate_interval

CHROMIUM = os.environ.get("PROPWATCH_CHROMIUM", "/usr/bin/chromium")
HOW = ("browser tests need Debian's Chromium at /usr/bin/chromium and the playwright package: "
       "run `apt-get install -y chromium` (and `pip install -e '.[test]'`) to enable them")
HOSTILE_TITLE = '<script>alert("title")</script> & friends'  # as in conftest.py
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None
MISSING = sync_playwright is None or not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM))
if MISSING and not os.environ.get("PROPWATCH_REQUIRE_BROWSER"):
    pytest.skip(HOW, allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(HOW, pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def report(run_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("browser-report") / "report.html"
    build_dashboard(run_dir, out, min_group=2)  # alpha (3 articles) and beta (2) get intervals, the third none
    articles = [a for a in pq.read_table(run_dir / "articles.parquet").to_pylist() if a["error"] is None]
    return out, articles


def ids(page) -> list[str]:
    return page.eval_on_selector_all("#t-articles tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.id)")


@pytest.mark.parametrize("width", [1280, 390])
def test_sort_filter_and_redraw(browser, report, width):
    out, articles = report
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    problems, requests, dialogs = [], [], []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(out.as_uri() + "#explore")

    by_score = sorted(articles, key=lambda a: (-a["score"], a["id"]))
    assert ids(page) == [a["id"] for a in by_score]
    assert page.text_content("#shown").strip() == f"{len(articles)} articles"

    # Sorting: a click on the score header turns the order round; the keyboard sorts by title.
    score = page.locator("#t-articles th[data-column='score']")
    score.locator("button").click()
    assert score.get_attribute("aria-sort") == "ascending"
    assert ids(page) == [a["id"] for a in sorted(articles, key=lambda a: (a["score"], a["id"]))]
    title = page.locator("#t-articles th[data-column='title']")
    title.locator("button").focus()
    page.keyboard.press("Enter")
    assert title.get_attribute("aria-sort") == "descending" and score.get_attribute("aria-sort") is None
    titles = page.eval_on_selector_all("#t-articles tbody tr td.title", "cells => cells.map(c => c.textContent)")
    assert titles == sorted(titles, key=str.lower, reverse=True) and HOSTILE_TITLE in titles  # shown as text

    # Filtering by technique: only the articles that use it, and the chart redrawn for it.
    technique = next(t for t in ("loaded_language", "flag_waving", "doubt")
                     if sum(a[f"n_{t}"] > 0 for a in articles) not in (0, len(articles)))
    page.select_option("#f-technique", technique)
    using = {a["id"] for a in articles if a[f"n_{technique}"] > 0}
    assert set(ids(page)) == using
    assert page.text_content("#shown").strip() == f"{len(using)} of {len(articles)} articles"
    alpha = [a for a in articles if a["source"] == "alpha.example"]
    rate = 1000 * sum(a[f"n_{technique}"] for a in alpha) / sum(a["words"] for a in alpha)
    low, high = rate_interval([a[f"n_{technique}"] for a in alpha], [a["words"] for a in alpha])
    shown = page.text_content("#bars-source li[data-group='alpha.example'] .val")
    assert shown == f"{rate:.1f} ({low:.1f}–{high:.1f})"
    assert "muted" in page.get_attribute("#bars-source li:last-child", "class")  # the one-article outlet
    assert page.text_content("#bars-source-title .which") != "all techniques"

    # Text search and source filter narrow further; clearing the technique brings the rest back.
    page.select_option("#f-technique", "")
    page.fill("#f-search", "report 1 ")
    assert ids(page) == ["a01"]
    page.fill("#f-search", "")
    page.select_option("#f-source", "beta.example")
    assert set(ids(page)) == {a["id"] for a in articles if a["source"] == "beta.example"}
    page.select_option("#f-month", "2019-01")
    assert ids(page) == ["a01"]

    assert not problems and not dialogs
    assert all(url.startswith("file://") for url in requests)
    if width == 390:
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-explore-{width}.png"))
    context.close()


def test_dark_mode(browser, report):
    out, _ = report
    context = browser.new_context(color_scheme="dark", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(out.as_uri())
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 23, 26)"
    context.close()
