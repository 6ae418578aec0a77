"""The history's search, filters and sort in a real browser (Debian's Chromium, headless; newsroom issue,
feature 6), by keyboard only, on a desktop and at 390 px (light and dark): the list narrows and reorders, the
address keeps the choices (so Back, reload and sharing work), and nothing lies off-screen on a phone.

Skips, as ``test_browser.py`` does, when Chromium or Playwright is missing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.history import Run
from propwatch.server import create_app

from .conftest import LiveServer, make_settings
from .test_browser import ARTIFACTS, browser  # noqa: F401 - fixture (and the module's skip)

SPANS = fakes.EXAMPLE_SPANS
DOUBT = [s for s in SPANS if s[1] == "doubt"]
LOADED = [s for s in SPANS if s[1] == "loaded_language"]
LONG_OUTLET = "The Extraordinarily Long-Named Riverside and Northern Valleys Evening Courier"


def analysis(title, *, score, spans=(), outlet=None, article_id="a"):
    a = fakes.make_analysis(spans=list(spans), title=title, article_id=article_id,
                                   source="/home/researcher/corpus/2021/a-story-with-a-long-file-name.html")
    return a.model_copy(update={"article": a.article.model_copy(update={"outlet": outlet}), "score": score})


@pytest.fixture(scope="module")
def live(tmp_path_factory, analyzer):
    app = create_app(make_settings(tmp_path_factory.mktemp("history")), analyzer=analyzer)
    store = app.state.service.store
    store.save(analysis("Bridge approved after a long debate", score=0.10, outlet=LONG_OUTLET))
    store.save(analysis("Courier says the minister lied", score=0.55, spans=DOUBT + LOADED, outlet=LONG_OUTLET))
    store.save(analysis("Courier doubts the budget", score=0.35, spans=DOUBT, outlet=LONG_OUTLET))
    store.save(analysis("Shout: traitors everywhere", score=0.81, spans=LOADED, outlet="Daily Shout"))
    store.put_many([(f"RUNROW{i:06d}", analysis(f"Run article {i}", score=0.2 + i / 10, spans=DOUBT,
                                                outlet="Daily Shout", article_id=f"r{i}")) for i in range(3)],
                   run=Run(id="run-1", name="outlets-2019"))
    with LiveServer(app) as server:
        yield server


def tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element has focus, as a keyboard user would (fails if it is never reached)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable by Tab")


def titles(page) -> list[str]:
    return page.locator("table.history td.article > a:first-child").all_inner_texts()


def search_filter_and_sort(page, base: str) -> None:
    page.goto(base + "/history")
    tab_to(page, "hf-q")
    page.keyboard.type("courier")
    tab_to(page, "hf-technique")
    page.keyboard.type("Doubt")  # a closed <select> takes typed letters, as people pick from it by keyboard
    tab_to(page, "hf-sort")
    page.keyboard.type("Highest")
    tab_to(page, "hf-apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["courier"], "technique": ["doubt"], "sort": ["highest"]}, page.url
    assert titles(page) == ["Courier says the minister lied", "Courier doubts the budget"]
    assert "2 analyses match, highest score first" in page.locator(".history-count").inner_text()

    # a score range, typed: only the lower one is left
    tab_to(page, "hf-min")
    page.keyboard.type("40")
    tab_to(page, "hf-apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert titles(page) == ["Courier says the minister lied"]

    # a bad range is refused with a message, the form kept to correct it
    tab_to(page, "hf-max")
    page.keyboard.type("20")
    tab_to(page, "hf-apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "“from” (40%) is above “to” (20%)" in page.locator("#history-error").inner_text()
    assert page.locator("#hf-q").input_value() == "courier"

    # a batch run, chosen from its own select
    page.goto(base + "/history")
    tab_to(page, "hf-run")
    page.keyboard.type("outlets")
    tab_to(page, "hf-sort")
    page.keyboard.type("Lowest")
    tab_to(page, "hf-apply")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert titles(page) == ["Run article 0", "Run article 1", "Run article 2"]
    assert "Batch run outlets-2019" in page.locator(".history-count").inner_text()


def nothing_off_screen(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for selector in ("form.history-filters input", "form.history-filters select", "#hf-apply", "td.source",
                     "td.article a", "td.actions button", "td.when time"):
        for box in [el.bounding_box() for el in page.query_selector_all(selector)]:
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, selector


def test_search_filter_and_sort_by_keyboard_on_a_desktop(browser, live):  # noqa: F811
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    search_filter_and_sort(page, live.base)
    page.goto(live.base + "/history?technique=doubt")
    nothing_off_screen(page, 1366)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "history-search-desktop.png"), full_page=True)
    context.close()
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_filter_and_sort_by_keyboard_at_390_px(browser, live, scheme):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, color_scheme=scheme)
    page = context.new_page()
    search_filter_and_sort(page, live.base)
    page.goto(live.base + "/history")
    nothing_off_screen(page, 390)
    field = page.locator("#hf-q")
    colour, background = field.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]")
    assert colour != background  # typed text is visible in either scheme
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"history-search-phone-{scheme}.png"), full_page=True)
    context.close()
