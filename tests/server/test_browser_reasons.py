"""The result page's reasons, strength filter, reliability, summary, copy link and print view in a real browser
(Debian's Chromium, headless), on the desktop, at 390 px, by keyboard and in dark mode. Over a hand-made
analysis with long technique names and the detector's reasons (``tests/render/fakes.py``), so no model loads.
Skips as ``test_browser.py`` does when Chromium is missing."""

from __future__ import annotations

import re

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from .test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, HOW, MISSING, analyse_example, serve, sync_playwright

PAYLOAD = "<img src=x onerror=alert(1)>"
# Long names in "Most used" (newsroom issue, defect 8): the example's techniques swapped for the longest ones.
SWAP = {"loaded_language": "bandwagon_reductio", "name_calling": "whataboutism_strawman",
        "exaggeration_minimisation": "causal_oversimplification"}
SPANS = [(phrase, SWAP.get(t, t), score) for phrase, t, score in fakes.EXAMPLE_SPANS]


class LongNamesAnalyzer(fakes.FakeAnalyzer):
    def analyze(self, article):
        plain = fakes.analysis_of(article, [s for s in SPANS if s[0] in article.text])
        return fakes.explained(plain, PAYLOAD)


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(HOW, pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def url(tmp_path_factory, browser):
    for base in serve(tmp_path_factory, LongNamesAnalyzer()):
        context = browser.new_context()
        yield analyse_example(context.new_page(), base)
        context.close()


def open_page(browser, url, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: (problems.append("dialog " + d.message), d.dismiss()))
    page.goto(url)
    return context, page, problems


def shown(page) -> int:
    return page.locator("mark.hl:not(.off)[tabindex='0']").count()


def fits_in_the_panel(page) -> bool:
    return page.evaluate("""(() => {
        const panel = document.querySelector('.summary').getBoundingClientRect();
        const items = [...document.querySelectorAll('.summary *')];
        return items.some(e => e.matches('.top-list li')) && items
            .every(e => e.getBoundingClientRect().right <= panel.right + 0.5);
    })()""")


def test_strength_reasons_and_a_summary_that_follows_the_filters(browser, url):
    context, page, problems = open_page(browser, url, viewport={"width": 1366, "height": 900})
    total = shown(page)
    assert total == len(SPANS) and fits_in_the_panel(page)
    # the tooltip: strength in words, cue words, annotated examples, reliability, and the exact score as a detail
    page.locator("mark.hl.t-appeal_to_authority").first.hover()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "Strong signal" in text and "% confidence" not in text
    assert "Words that weighed most: source, military" in text
    assert "Annotators marked similar phrases:" in text and PAYLOAD in text  # as text, never as markup
    assert "The model finds about 10% of these: often missed" in text and "calibrated score 0.83" in text
    assert page.locator("#tip img, .article img").count() == 0
    # by keyboard: the strength filter is a radio group; the summary follows it
    page.locator("#strength input[value='0']").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#strength input:checked").get_attribute("value") == "0.7"
    strong = sum(score >= 0.7 for _, _, score in SPANS)
    assert shown(page) == strong < total
    assert page.locator("#shown-spans").inner_text() == f"{strong} of {total}"
    assert page.locator("#filter-note").is_visible()
    assert "min_score=0.7" in page.url and "min_score=0.7" in page.locator("#download-csv").get_attribute("href")
    assert sum(int(n.strip("()")) for n in page.locator(".top-list .n").all_inner_texts()) <= strong
    flagged = page.locator("#flagged-sentences").inner_text()
    # the server draws the same summary for the same address
    page.reload()
    assert page.locator("#flagged-sentences").inner_text() == flagged and shown(page) == strong
    assert page.locator("#strength input:checked").get_attribute("value") == "0.7"
    # Tab reaches a highlight, which is described by its reason for screen readers
    page.locator("#strength input:checked").focus()
    page.keyboard.press("Shift+Tab")
    for _ in range(80):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
    else:
        pytest.fail("Shift+Tab never reached a highlight")
    assert "signal" in page.locator("#tip").inner_text()
    described = page.evaluate("document.getElementById(document.activeElement.getAttribute('aria-describedby'))"
                              ".textContent")
    assert re.search(r"strong signal\. Words that weighed most: .+ Annotators marked similar phrases", described)
    context.close()
    assert problems == []


def test_copy_link_and_print(browser, url):
    context, page, problems = open_page(browser, url, viewport={"width": 1366, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.split("/analyses/")[0])
    page.locator("#strength input[value='0.5']").check()
    page.locator("#copy-link").click()
    page.locator("#copy-status").filter(has_text="Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == page.url.split("#")[0]
    assert "min_score=0.5" in page.url
    page.emulate_media(media="print")
    assert page.locator(".downloads").is_hidden() and page.locator("#strength").is_hidden()
    assert page.locator("fieldset.legend .row").first.is_visible()  # the legend is printed
    style = page.evaluate("""(() => { const m = document.querySelector('mark.hl:not(.off)'), s = getComputedStyle(m);
        const p = getComputedStyle(document.querySelector('.panel'));
        return [s.backgroundColor, s.printColorAdjust || s.webkitPrintColorAdjust, p.overflowY, p.position]; })()""")
    assert style[0] != "rgba(0, 0, 0, 0)" and style[1] == "exact" and style[2] == "visible" and style[3] == "static"
    panel_top = page.locator(".panel").bounding_box()["y"]
    assert panel_top < page.locator(".article").bounding_box()["y"]  # summary and legend first
    assert len(page.pdf()) > 10_000  # and Chromium prints it
    context.close()
    assert problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_in_both_schemes(browser, url, scheme):
    context, page, problems = open_page(browser, url, viewport={"width": 390, "height": 844}, is_mobile=True,
                                        has_touch=True, device_scale_factor=2, color_scheme=scheme)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 and fits_in_the_panel(page)
    mark = page.locator("mark.hl.t-doubt").first
    mark.scroll_into_view_if_needed()
    mark.tap()
    tip = page.locator("#tip")
    tip.wait_for(state="visible")
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    # the often-missed flag and the reliability line are readable on the panel (WCAG AA, 4.5:1)
    ratios = page.evaluate("""(() => {
        const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
        const lum = c => { const v = rgb(c).map(x => x / 255).map(x => x <= 0.03928 ? x / 12.92
            : ((x + 0.055) / 1.055) ** 2.4); return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
        const bg = lum(getComputedStyle(document.querySelector('.filters')).backgroundColor);
        return [...document.querySelectorAll('.legend .flag, .legend .rel, .missed-list .muted')].map(e => {
            const fg = lum(getComputedStyle(e).color);
            return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); });
    })()""")
    assert ratios and min(ratios) >= 4.5, ratios
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"result-reasons-phone-{scheme}.png"))
    context.close()
    assert problems == []
