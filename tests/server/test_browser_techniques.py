"""The techniques page in a real browser (Debian's Chromium, headless; newsroom issue, feature 1): at 1280 and
390 px in dark mode, reached from the site navigation by keyboard alone, a technique's anchor scrolled to and
outlined, nothing off-screen on a phone, the page's own colours (not white on white), and no script needed.

It skips, as ``test_browser.py`` does, when Chromium or Playwright is missing."""

from __future__ import annotations

import pytest

from propwatch.server import create_app

from .conftest import LiveServer, make_settings
from .test_browser import ARTIFACTS, browser  # noqa: F401 - the fixture (and the module's skip)


@pytest.fixture(scope="module")
def live(tmp_path_factory, analyzer):
    app = create_app(make_settings(tmp_path_factory.mktemp("techniques")), analyzer=analyzer)
    with LiveServer(app) as server:
        yield server


@pytest.mark.parametrize("width", [1280, 390])
def test_techniques_page_by_keyboard_in_dark_mode(browser, live, width):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark",
                                  java_script_enabled=False, is_mobile=width < 500, has_touch=width < 500)
    tab = context.new_page()
    tab.goto(live.base + "/")
    for _ in range(12):  # the skip link, the brand, then the navigation
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.getAttribute('href')") == "/techniques":
            break
    else:
        pytest.fail("the Techniques link of the navigation is not reached by Tab")
    tab.keyboard.press("Enter")
    tab.wait_for_url(live.base + "/techniques")
    assert tab.locator("article.technique").count() == 14
    assert tab.locator("article.technique mark.example").count() == 28

    # the index at the top leads to a technique by keyboard; the technique is outlined as the target
    tab.focus('.technique-index a[href="#doubt"]')
    tab.keyboard.press("Enter")
    tab.wait_for_url(live.base + "/techniques#doubt")
    doubt = tab.locator("article#doubt")
    assert doubt.evaluate("el => el.matches(':target')")
    box = doubt.bounding_box()
    assert box and 0 <= box["y"] < 900  # scrolled to
    # "often mistaken for" links to the other technique
    link = doubt.locator(".confusions a").first
    target = link.get_attribute("href")
    link.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(live.base + "/techniques" + target)

    # dark mode: the page's own dark colours, text light on dark
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    card = tab.evaluate("getComputedStyle(document.querySelector('article.technique')).backgroundColor")
    text = tab.evaluate("getComputedStyle(document.querySelector('.technique .definition')).color")
    assert background == "rgb(22, 22, 26)" and card == "rgb(31, 31, 36)" and text == "rgb(232, 231, 227)"

    assert tab.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    for el in tab.query_selector_all("article.technique, .technique mark.example, header.site nav a"):
        b = el.bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= width + 0.5
    ARTIFACTS.mkdir(exist_ok=True)
    tab.goto(live.base + "/techniques")
    tab.screenshot(path=str(ARTIFACTS / f"techniques-{width}-dark.png"))
    context.close()
