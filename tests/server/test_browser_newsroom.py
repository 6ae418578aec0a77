"""The history, delete, the input form and the interactive API reference in a real browser (Debian's Chromium,
headless; newsroom issue, defects 4, 5, 9 and 10): a phone-wide history with nothing off-screen, delete that
asks (in a dialog, or on a page without JavaScript) and can be undone, an address typed without https://, a
paste over the size cap that stays in the form, and Swagger UI running from the app's own files.

They skip, as ``test_browser.py`` does, when Chromium or Playwright is missing."""

from __future__ import annotations

import re

import propwatch_test_fakes as fakes  # registered by tests/conftest.py
import pytest

from propwatch.server import create_app

from .conftest import LiveServer, make_settings
from .test_browser import ARTIFACTS, browser, page  # noqa: F401 - fixtures (and the module's skip)

LONG_PATH = "/home/researcher/projects/outlets-2019/alpha.example/articles/2019-01-05-report-from-the-front.txt"
LONG_TITLE = "Ministers deny that the long-promised northern hospital programme has been quietly abandoned again"


@pytest.fixture
def server(tmp_path, analyzer):
    servers = []

    def start(**changes):
        app = create_app(make_settings(tmp_path, **changes), analyzer=analyzer)
        live = LiveServer(app).__enter__()
        servers.append(live)
        return live, app.state.service.store

    yield start
    for live in servers:
        live.__exit__(None, None, None)


def stored_rows(store, n=3):
    return [store.save(fakes.make_analysis(title=f"{LONG_TITLE} ({i})", source=LONG_PATH)).id for i in range(n)]


def test_history_fits_a_phone(browser, server):  # noqa: F811
    live, store = server()
    stored_rows(store)
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    tab = context.new_page()
    tab.goto(live.base + "/history")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    for selector in ("td.when time", "td.actions button", "td.article a"):
        for box in [el.bounding_box() for el in tab.query_selector_all(selector)]:
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    source = tab.locator("td.source").first
    assert source.inner_text() == "2019-01-05-report-from-the-front.txt" and source.get_attribute("title") == LONG_PATH
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "history-phone.png"), full_page=True)
    context.close()


def test_delete_asks_first_and_can_be_undone(page, server):  # noqa: F811
    live, store = server()
    first, second, third = stored_rows(store)
    page.goto(live.base + "/history")
    messages = []

    def answer(dialog, accept):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.click(f'form[action="/analyses/{third}/delete"] button')
    assert messages and "You can undo this" in messages[0] and LONG_TITLE in messages[0]
    assert page.url == live.base + "/history" and store.get(third) is not None  # cancelled: nothing happened

    page.once("dialog", lambda d: answer(d, True))
    page.focus(f'form[action="/analyses/{third}/delete"] button')  # keyboard only
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/history\?deleted="))
    assert store.get(third) is None and page.locator(f'a[href="/analyses/{third}"]').count() == 0
    page.focus("#undo")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/history\?restored="))
    assert "is back" in page.inner_text("main") and page.locator(f'td a[href="/analyses/{third}"]').count() == 1


def test_delete_without_javascript_asks_on_a_page(browser, server):  # noqa: F811
    live, store = server()
    ids = stored_rows(store, 1)
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(live.base + "/history")
    tab.click(f'form[action="/analyses/{ids[0]}/delete"] button')
    assert "Delete this analysis?" in tab.inner_text("h1") and store.get(ids[0]) is not None
    tab.click("#confirm-delete")
    assert "/history?deleted=" in tab.url and store.get(ids[0]) is None
    tab.click("#undo")
    assert store.get(ids[0]) is not None
    context.close()


def test_an_address_without_https_is_sent(browser, server):  # noqa: F811
    live, _ = server()
    context = browser.new_context()  # not the ``page`` fixture: the answer is a 400, which the console reports
    tab = context.new_page()
    tab.goto(live.base + "/")
    tab.fill("#url", "127.0.0.1/story")
    assert tab.evaluate("document.getElementById('url').checkValidity()")  # no "Please enter a URL"
    tab.click("#analyse")
    tab.wait_for_selector("#form-error")
    # the server added https:// and its network guard refused the loopback address, in the form
    assert "https://127.0.0.1/story" in tab.inner_text("#form-error")
    assert tab.input_value("#url") == "127.0.0.1/story"
    context.close()


def test_a_paste_over_the_cap_stays_in_the_form(page, server):  # noqa: F811
    live, _ = server(max_body_bytes=64 * 1024)
    page.goto(live.base + "/")
    page.evaluate("document.getElementById('text').value = 'Title\\n\\n' + 'A long sentence of words. '.repeat(4000)")
    length = page.evaluate("document.getElementById('text').value.length")
    page.click("#analyse")
    page.wait_for_selector("#size-error:not([hidden])")
    assert "nothing was sent and your text is still here" in page.inner_text("#size-error")
    assert page.url == live.base + "/"
    assert page.evaluate("document.getElementById('text').value.length") == length
    assert page.is_enabled("#analyse") and page.inner_text("#analyse") == "Analyse"


def test_the_interactive_reference_works_offline(page, server):  # noqa: F811
    live, _ = server()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live.base + "/docs/try")
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 9
    # the version badges stay white on a dark grey (the site's own pre background had made them unreadable)
    badge = "getComputedStyle(document.querySelector('.swagger-ui pre.version'))"
    assert page.evaluate(f"[{badge}.backgroundColor, {badge}.color]") == ["rgb(85, 96, 110)", "rgb(255, 255, 255)"]
    block = page.locator(".opblock", has=page.locator('[data-path="/api/v1/techniques"]'))
    block.locator(".opblock-summary").first.click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    page.wait_for_selector(".live-responses-table tbody .response-col_status", timeout=15000)
    assert "200" in block.locator(".live-responses-table tbody .response-col_status").first.inner_text()
    assert all(url.startswith(live.base) or url.startswith("data:") for url in requests), requests


def test_the_api_reference_fits_a_phone(browser, server):  # noqa: F811
    """The field tables of ``/docs`` scroll inside themselves: the page is no wider than the screen."""
    live, _ = server()
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    phone.goto(live.base + "/docs")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
