"""The web app in a real browser: Debian's Chromium, headless, driven by Playwright.

These are the steps a new user takes: paste the example, analyse, see the highlights, hover one and read its
explanation, switch a technique off, move the confidence slider, tab through the spans, open the permalink.
Screenshots of the result page are saved under ``test-artifacts/``.

They need ``/usr/bin/chromium`` (``apt-get install -y chromium``; ``.ci/run`` installs it) and skip with one
line saying so when it is missing, unless ``PROPWATCH_REQUIRE_BROWSER=1`` (set by CI) makes that a failure.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from propwatch.server import create_app

from .conftest import FullAnalyzer, make_settings
from .test_xss import ARTICLE as XSS_ARTICLE

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
CHROMIUM = os.environ.get("PROPWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOW = ("browser tests need Debian's Chromium at /usr/bin/chromium and the playwright package: "
       "run `apt-get install -y chromium` (and `pip install -e '.[test]'`) to enable them")


try:
    from playwright.sync_api import sync_playwright
except ImportError:
    sync_playwright = None
MISSING = sync_playwright is None or not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM))
if MISSING and not os.environ.get("PROPWATCH_REQUIRE_BROWSER"):
    pytest.skip(HOW, allow_module_level=True)  # one line in the summary for the whole module


@pytest.fixture(scope="module")
def browser():
    if MISSING:  # and CI requires the browser: every test here fails, the rest of the suite still runs
        pytest.fail(HOW, pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory, analyzer, browser):
    """A real server (uvicorn, a real socket on loopback) in a thread; yields its base URL."""
    yield from serve(tmp_path_factory, analyzer)


def serve(tmp_path_factory, analyzer):
    import uvicorn

    app = create_app(make_settings(tmp_path_factory.mktemp("live")), analyzer=analyzer)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the server did not start"
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(15)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"the page logged errors: {errors}"


def analyse_example(page, live) -> str:
    page.goto(live + "/")
    page.fill("#text", EXAMPLE.read_text(encoding="utf-8"))
    page.click("#analyse")
    page.wait_for_url(re.compile(r"/analyses/[\w-]+$"))
    return page.url


@pytest.fixture(scope="module")
def example_url(browser, live):
    context = browser.new_context()
    url = analyse_example(context.new_page(), live)
    context.close()
    return url


def shown_marks(page, technique: str | None = None) -> int:
    selector = "mark.hl" + (f".t-{technique}" if technique else "")
    return page.eval_on_selector_all(selector, """els => els.filter(e => {
        const s = getComputedStyle(e);
        return !e.classList.contains('off') && s.boxShadow !== 'none' && s.backgroundColor !== 'rgba(0, 0, 0, 0)';
    }).length""")


def test_paste_the_example_analyse_hover_and_read(page, live):
    analyse_example(page, live)
    spans = page.locator("mark.hl[tabindex='0']").count()
    assert spans > 0 and shown_marks(page) >= spans
    first = page.locator("mark.hl[tabindex='0']").first
    technique = re.search(r"\bt-(\w+)", first.get_attribute("class")).group(1)
    first.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    from propwatch.techniques import get

    text = tip.inner_text()
    assert get(technique).name in text and get(technique).definition in text
    assert "signal" in text or "% confidence" in text  # a strength, or the percentage of models without one
    assert "Example:" in text or "Annotators marked similar phrases" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(ARTIFACTS / "result-page.png"))
    nested = page.locator(".piece > mark.hl > mark.hl")
    if nested.count():  # hovering nested spans explains every span under the pointer, innermost first
        nested.first.hover()
        assert page.locator("#tip .entry").count() >= 2
    else:
        first.hover()
    page.screenshot(path=str(ARTIFACTS / "result-page-tooltip.png"))


def test_one_click_on_the_bundled_example(page, live):
    page.goto(live + "/")
    page.click("#example")
    page.wait_for_url(re.compile(r"/analyses/[\w-]+$"))
    assert page.title().startswith("The Americans left the Kurds at the mercy of ISIS")
    assert page.locator("mark.hl").count() > 0


def test_toggling_a_technique_hides_its_spans(page, example_url):
    page.goto(example_url)
    rows = page.locator("fieldset.legend input[name='t']")
    assert rows.count() >= 1
    technique = rows.first.get_attribute("value")
    before = shown_marks(page, technique)
    others = shown_marks(page) - before
    assert before > 0
    rows.first.uncheck()
    assert shown_marks(page, technique) == 0
    assert shown_marks(page) == others  # the other techniques stay
    assert page.locator(f".tag.t-{technique}:visible").count() == 0
    assert page.locator(f"[data-count='{technique}']").inner_text() == "0"
    assert "f=1" in page.url
    rows.first.check()
    assert shown_marks(page, technique) == before


def test_the_confidence_filter_filters_live(page, example_url):
    """By strength where the model gives one (a radio group), else a slider over the scores there are."""
    page.goto(example_url)
    total = shown_marks(page)
    if page.locator("#min-score").count():
        top = float(page.get_attribute("#min-score", "max"))
        scores = page.evaluate("JSON.parse(document.getElementById('analysis-data').textContent).spans"
                               ".map(s => s.score)")
        assert top >= max(scores) and top - max(scores) < 0.05  # the slider spans the scores there are
        page.eval_on_selector("#min-score", "e => { e.value = e.max; e.dispatchEvent(new Event('input')); }")
        assert shown_marks(page) == sum(s >= top - 1e-9 for s in scores)
        page.eval_on_selector("#min-score", "e => { e.value = '0.3'; e.dispatchEvent(new Event('input')); }")
        assert "min_score=0.3" in page.url
        partial = shown_marks(page)
        page.eval_on_selector("#min-score", "e => { e.value = '0'; e.dispatchEvent(new Event('input')); }")
    else:
        page.locator("#strength input").last.check()
        partial = shown_marks(page)
        assert "min_score=" in page.url
        page.locator("#strength input").first.check()
    assert shown_marks(page) == total >= partial
    assert "/report.html" in page.locator("#download-html").get_attribute("href")


def test_keyboard_tabs_through_spans_with_visible_focus(page, example_url):
    page.goto(example_url)
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
    else:
        pytest.fail("Tab never reached a highlighted span")
    # the focus is a box of shadows round the whole span: drawn (--fc), opened on its first segment (--fl)
    style = "getComputedStyle(document.activeElement).getPropertyValue"
    assert page.evaluate(f"{style}('--fc')").strip() not in ("", "transparent")
    assert page.evaluate(f"{style}('--fl')").strip() == "-3px"
    assert page.evaluate("getComputedStyle(document.activeElement).boxShadow") != "none"
    assert page.locator("#tip").is_visible()
    first = page.evaluate("document.activeElement.dataset.span")
    segments = page.locator(f'mark.hl[data-span="{first}"]')
    assert segments.last.evaluate("e => getComputedStyle(e).getPropertyValue('--fr').trim()") == "3px"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('mark.hl')")
    assert page.evaluate("document.activeElement.dataset.span") != first
    page.keyboard.press("Escape")
    assert not page.locator("#tip").is_visible()


def test_the_strip_jumps_to_a_sentence(page, example_url):
    page.goto(example_url)
    bar = page.locator(".strip a.bar:not(.lv0)").last
    target = bar.get_attribute("href")
    bar.click()
    assert page.url.endswith(target)
    assert page.evaluate(f"""(() => {{ const r = document.querySelector('{target}').getBoundingClientRect();
        return r.top >= 0 && r.top <= innerHeight; }})()""")


def test_the_permalink_and_the_history(page, example_url, live):
    page.goto(example_url)
    marks = page.locator("mark.hl").count()
    with page.expect_navigation():  # wait for the permalink page itself, not the page we came from
        page.click("#permalink")
    page.wait_for_load_state()
    assert page.url.split("?")[0] == example_url
    assert page.locator("mark.hl").count() == marks
    page.goto(live + "/history")
    id = example_url.rsplit("/", 1)[-1]
    assert page.locator(f"a[href='/analyses/{id}']").first.is_visible()


def test_works_without_javascript(browser, example_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(example_url)
    assert shown_marks(page) > 0
    assert page.locator("mark.hl[title]").first.get_attribute("title")  # the browser's tooltip
    apply = page.locator("#filters button[type='submit']")
    assert apply.is_visible()
    box = page.locator("fieldset.legend input[name='t']").first
    technique = box.get_attribute("value")
    box.uncheck()
    apply.click()
    page.wait_for_load_state()
    assert "f=1" in page.url and shown_marks(page, technique) == 0
    context.close()


def test_readable_on_a_phone(browser, example_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(example_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article .body p')).fontSize)")
    assert size >= 15
    assert page.locator(".article .body").is_visible()
    # the score, then the article: every other part of the panel (the "not found" list included) comes after it
    top = "(s) => document.querySelector(s).getBoundingClientRect().top + window.scrollY"
    article = page.evaluate(top, ".article")
    assert page.evaluate(top, ".panel .summary") < article
    for part in page.evaluate("[...document.querySelectorAll('.panel > *:not(.summary)')].map(e => e.className)"):
        assert page.evaluate(top, ".panel > ." + part.split()[0]) > article, part
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "result-page-phone.png"))
    context.close()


def test_hostile_article_text_stays_text(page, live):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(live + "/")
    page.fill("#text", XSS_ARTICLE)
    page.click("#analyse")
    page.wait_for_url(re.compile(r"/analyses/[\w-]+$"))
    if page.locator("mark.hl").count():
        page.locator("mark.hl").first.hover()
    page.goto(page.url.rsplit("/analyses/", 1)[0] + "/history")
    page.go_back()
    assert dialogs == []
    assert page.locator("img").count() == 0
    # the article's own text, without the technique tags shown after each highlight (a highlight may end inside
    # the payload, and its tag then stands between the payload's words)
    text = page.locator(".article").evaluate(
        "el => { const c = el.cloneNode(true); c.querySelectorAll('.tag').forEach(t => t.remove());"
        " return c.textContent; }")
    assert "<script>alert('xss-script')</script>" in text


# -- who says so, and the cast (over the hand-made analysis: the attribution and actor models are not shipped) --
@pytest.fixture(scope="module")
def live_full(tmp_path_factory, browser):
    yield from serve(tmp_path_factory, FullAnalyzer())


@pytest.fixture(scope="module")
def full_url(browser, live_full):
    context = browser.new_context()
    url = analyse_example(context.new_page(), live_full)
    context.close()
    return url


SHOTS = Path(os.environ.get("PROPWATCH_SHOTS", ARTIFACTS))


def classes_of(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(selector, "els => els.map(e => Array.from(e.classList))")


def styled(page, selector: str, prop: str) -> list[str]:
    return page.eval_on_selector_all(selector, f"els => els.map(e => getComputedStyle(e).{prop})")


def check_source_hover(page):
    entry = page.locator("button.entry[data-attribution]").first
    i = entry.get_attribute("data-attribution")
    assert page.locator("h3.type-anonymous").count() == 1
    assert page.locator(".sources h3").first.get_attribute("class") == "type-anonymous"  # anonymous first
    assert not page.locator(".lay.at-s, .lay.at-c, .lay.at-x").count()
    entry.hover()
    for part, cls, prop, value in (("c", "at-c", "textDecorationStyle", "double"),
                                   ("x", "at-x", "textDecorationStyle", "dotted")):
        selector = f'[data-a~="a{i}{part}"]'
        assert page.locator(selector).count() > 0
        assert all(cls in c for c in classes_of(page, selector)), part
        assert set(styled(page, selector, prop)) == {value}, part
    # the source is one box however many segments it is cut into: top and bottom lines on each, the left side on
    # its first and the right on its last
    source = f'[data-a~="a{i}s"]'
    assert all("at-s" in c for c in classes_of(page, source))
    assert all(v != "none" for v in styled(page, source, "boxShadow"))
    assert page.locator(f'[data-as~="a{i}s"].lb-s').count() == 1  # the "source" label at its start
    assert page.locator(f'[data-ae~="a{i}s"].le-s').count() == 1  # its right side at its end
    first = styled(page, f'[data-as~="a{i}s"]', "boxShadow")[0]
    last = styled(page, f'[data-ae~="a{i}s"]', "boxShadow")[0]
    assert re.search(r"\) -2px -2px", first) and re.search(r"\) 2px 2px", last)
    label = page.evaluate(f"""getComputedStyle(document.querySelector('[data-as~="a{i}s"]'), '::before').content""")
    assert label == '"source"'
    # the technique highlight over the same words is untouched
    marks = page.locator(f'[data-a~="a{i}s"] mark.hl')
    if marks.count():
        assert styled(page, f'[data-a~="a{i}s"] mark.hl', "backgroundColor")[0] != "rgba(0, 0, 0, 0)"
    page.mouse.move(0, 0)
    assert not page.locator(".lay.at-s, .lay.at-c, .lay.at-x").count()
    # keyboard: focusing an entry shows it too, leaving it hides it
    entry.focus()
    assert page.locator(".lay.at-c").count() > 0
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Tab")
    if page.evaluate("document.activeElement.dataset.attribution") is None:
        assert not page.locator(".lay.at-c").count()


def check_actor_selection(page):
    button = page.locator("button.entry[data-actor]").first
    j = button.get_attribute("data-actor")
    assert page.locator(".cast h3").first.inner_text().startswith("Heroes")
    assert button.get_attribute("aria-pressed") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-pressed") == "true"
    mentions = page.locator(f'[data-m~="m{j}"]')
    assert mentions.count() > 0 and page.locator(".lay.ac-m").count() == mentions.count()
    assert set(styled(page, f'[data-m~="m{j}"]', "outlineStyle")) == {"dashed"}
    evidence = page.locator(f'[data-e~="e{j}"]')
    assert evidence.count() > 0 and page.locator(".lay.ac-e").count() == evidence.count()
    assert page.locator(".lay.lb-e").count() >= 1
    other = page.locator("button.entry[data-actor]").nth(1)
    other.click()  # one actor at a time
    assert button.get_attribute("aria-pressed") == "false" and other.get_attribute("aria-pressed") == "true"
    k = other.get_attribute("data-actor")
    assert page.locator(".lay.ac-m").count() == page.locator(f'[data-m~="m{k}"]').count()
    other.click()
    assert other.get_attribute("aria-pressed") == "false" and page.locator(".lay.ac-m, .lay.ac-e").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sources_and_cast_highlight_the_text(browser, full_url, scheme):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(full_url)
    assert page.locator(".sources button.entry").count() == 6
    assert page.locator(".cast button.entry").count() == 5
    check_source_hover(page)
    check_actor_selection(page)
    # a picture of both at once: the first source pinned, the villain-in-chief selected
    page.locator("button.entry[data-attribution]").first.click()
    page.locator("button.entry[data-actor]").nth(1).click()
    page.mouse.move(0, 0)
    page.locator('[data-a~="a0s"]').first.scroll_into_view_if_needed()
    page.evaluate("document.querySelector('[data-a~=\"a0s\"]').scrollIntoView({block: 'center'})")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"result-page-sources-cast-{scheme}.png"))
    context.close()
    assert errors == []


def test_sources_and_cast_on_a_phone(browser, full_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(full_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    entry = page.locator("button.entry[data-attribution]").first
    entry.tap()
    assert entry.get_attribute("aria-pressed") == "true"
    i = entry.get_attribute("data-attribution")
    assert page.locator(f'[data-a~="a{i}c"].at-c').count() == 1
    actor = page.locator("button.entry[data-actor]").first
    actor.tap()
    assert actor.get_attribute("aria-pressed") == "true" and page.locator(".lay.ac-m").count() > 0
    page.screenshot(path=str(SHOTS / "result-page-sources-cast-phone.png"), full_page=False)
    context.close()


def test_no_panels_without_sources_or_actors(page, example_url):
    page.goto(example_url)  # the shipped model: its analysis has no attributions or actors (yet)
    if page.locator(".lay").count() == 0:
        assert page.locator(".sources, .cast").count() == 0
