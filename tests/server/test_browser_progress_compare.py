"""In a real browser (Debian's Chromium, headless): a long paste shows its analysis advancing window by window
while the form's request is open (newsroom issue, feature 8), and the compare page, reached by keyboard from a
result page, fits a 390 px phone in light and dark mode (feature 5). The analysis runs one pretend window each
time the test lets it (``test_progress.Gated``), so each step is awaited, never timed.

They skip, as ``test_browser.py`` does, when Chromium or Playwright is missing."""

from __future__ import annotations

import re

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.analyzer import Analyzer
from propwatch.server import create_app

from .conftest import LiveServer, make_settings
from .test_browser import ARTIFACTS, browser, page  # noqa: F401 - fixtures (and the module's skip)
from .test_progress import Gated, Second

WINDOWS = 6


@pytest.fixture
def server(tmp_path):
    servers = []

    def start(analyzer):
        app = create_app(make_settings(tmp_path), analyzer=analyzer)
        live = LiveServer(app).__enter__()
        servers.append(live)
        return live, app.state.service.store

    yield start
    for live in servers:
        live.__exit__(None, None, None)


# While the form's request is open the browser keeps the input page running (its script polls and draws), but
# DevTools holds back evaluations until the navigation ends; so the page's progress is read as it changes, by a
# MutationObserver that logs it to the console, which DevTools delivers at once.
WATCH = """
new MutationObserver(function () {
  var status = document.querySelector('#analysis-progress [role=status]');
  var bar = document.querySelector('#analysis-progress progress');
  if (status && bar) console.log('progress: ' + status.textContent + ' | ' + bar.value);
}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def test_a_long_paste_shows_advancing_progress(page, server):  # noqa: F811
    gated = Gated(WINDOWS)
    live, _ = server(Analyzer([gated, Second()]))
    seen: list[tuple[str, float]] = []

    def logged(message) -> None:
        if message.text.startswith("progress: "):
            text, _, value = message.text[len("progress: "):].rpartition(" | ")
            seen.append((text, float(value)))

    page.on("console", logged)
    page.add_init_script(WATCH)
    page.goto(live.base + "/")
    paragraph = "The minister said the plan would cost more than the council had been told last year. " * 12
    page.fill("#text", "A long report\n\n" + "\n\n".join([paragraph] * 60))  # about 11,000 words
    page.press("#analyse", "Enter", no_wait_after=True)  # keyboard only; the form's request stays open

    def shown(text: str) -> tuple[str, float]:
        while not any(text in t for t, _ in seen):
            page.wait_for_event("console", timeout=15_000)
        return next((t, v) for t, v in seen if text in t)

    values = [shown(f"0 of {WINDOWS} passages")[1]]
    assert "Step 1 of 2, finding techniques" in shown(f"0 of {WINDOWS} passages")[0]
    for done in range(1, WINDOWS + 1):
        gated.go.release()
        if done < WINDOWS:
            values.append(shown(f"{done} of {WINDOWS} passages")[1])
    assert values == sorted(values) and values[-1] > values[0]
    assert values[-1] == round(100 * (WINDOWS - 1) / WINDOWS / 2)  # windows of step 1 of 2
    page.wait_for_url(re.compile(r"/analyses/"))
    assert page.locator("#analysis-progress").count() == 0  # the result page has no stale bar
    assert seen[0][0] == "Sending the article…"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_compare_from_a_result_page_fits_a_phone(browser, server, scheme):  # noqa: F811
    live, store = server(fakes.FakeAnalyzer())
    other = store.save(fakes.make_analysis(title="<b>An outlet's</b> plain account", source="https://b.example/x")).id
    first = store.save(fakes.make_full_analysis()).id
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  color_scheme=scheme)
    tab = context.new_page()
    tab.goto(f"{live.base}/analyses/{first}")
    tab.focus("#compare-with")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/compare\?a="))
    tab.focus(f'#compare-choices a[href*="b={other}"]')
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/compare\?a=.+&b="))
    assert tab.locator("#side-b h2").inner_text() == "<b>An outlet's</b> plain account"  # text, not markup
    for table in ("#scores", "#techniques", "#sources", "#cast"):
        assert tab.locator(table).count() == 1, table
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    for box in [el.bounding_box() for el in tab.query_selector_all(".compare td, .compare th, .compare h2")]:
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390.5
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"compare-phone-{scheme}.png"), full_page=True)
    context.close()


def test_compare_two_ticked_in_the_history_by_keyboard(browser, server):  # noqa: F811
    live, store = server(fakes.FakeAnalyzer())
    ids = [store.save(fakes.make_analysis(title=f"Report {i}")).id for i in range(3)]
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    tab.goto(live.base + "/history")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    for id in (ids[0], ids[2]):
        tab.focus(f'input[name="id"][value="{id}"]')
        tab.keyboard.press("Space")
    tab.focus("#compare-form button")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/compare\?id="))
    titles = {tab.locator("#side-a h2").inner_text(), tab.locator("#side-b h2").inner_text()}
    assert titles == {"Report 0", "Report 2"}
    context.close()
