"""Retake every screenshot of the README and docs/ in one command, so the pictures show the product as it is:

    .venv/bin/python docs/screenshots.py                  # all of them, into docs/screenshots/
    .venv/bin/python docs/screenshots.py history api-docs # only those two
    .venv/bin/python docs/screenshots.py --out /tmp/shots # somewhere else

It starts the web app on a free loopback port over a temporary history, analyses the bundled example article and
a second one through the page's own form (as a reader would: paste, press Analyse), drives Debian's Chromium
(headless, by Playwright) through the pages, runs ``propwatch batch`` and ``propwatch report`` on a handful of
short articles for the dashboard, and writes one PNG per picture. Nothing outside the temporary folder and the
output folder is touched; the user's own history is never opened.

Pictures are taken with a fixed viewport, scale, locale, time zone and reduced motion, with keyboard focus rather
than a hovering pointer, so two runs differ only where the page shows the time of an analysis.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FloatRect, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
EXAMPLE = ROOT / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"
SECOND = ROOT.parent / "shared" / "examples" / "destroying-our-nation.txt"
CHROMIUM = os.environ.get("PROPWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--font-render-hinting=none"]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}

# The second article when ../shared/examples is absent: a short invented op-ed with blatant techniques.
SECOND_FALLBACK = (
    "They Are Destroying Our Nation\n\n"
    "The corrupt, spineless bureaucrats in Washington have betrayed every patriotic American. Wake up, people! "
    "These radical globalist traitors will stop at nothing to flood our streets with criminals. Everyone knows the "
    "truth: the so-called experts are nothing but paid puppets of the elites. As a senior intelligence official "
    "told me, the invasion has already begun. Enough is enough.\n"
)

# The dashboard's corpus: two invented outlets over two months, five articles each way, so every group is large
# enough to get its intervals. Short on purpose: the batch run takes seconds.
BATCH_TEXTS = [
    ("The Daily Beacon", "2024-03-04", "Council approves the new bus routes",
     "The city council approved three new bus routes on Monday. The transport office said the routes would start in "
     "May and cost 2.1 million a year, paid from the existing budget."),
    ("The Daily Beacon", "2024-03-18", "Shameful betrayal at the town hall",
     "The spineless councillors have once again betrayed every hard-working family in this town. Wake up! These "
     "so-called leaders will bankrupt us all unless real citizens stand up now."),
    ("The Daily Beacon", "2024-03-27", "Hospital opens a children's wing",
     "The regional hospital opened a new children's wing with forty beds. According to the health ministry, waiting "
     "times for children's surgery should fall by a third."),
    ("The Daily Beacon", "2024-04-15", "The truth they do not want you to hear",
     "Everyone knows the truth: the experts are paid puppets of the elites. Can we really trust a minister who once "
     "worked for a bank? Enough is enough. Real patriots know which side they are on."),
    ("The Daily Beacon", "2024-04-29", "Storm damage lower than feared",
     "Insurers said on Friday that the storm caused less damage than first feared. A spokesperson for the fire "
     "service said no one had been seriously hurt."),
    ("Northern Courier", "2024-03-07", "Invasion at the border, sources say",
     "A source in the security services told us the invasion has already begun. These criminals will flood our "
     "streets with drugs, and our children will grow up in a lawless wasteland."),
    ("Northern Courier", "2024-03-21", "Farmers protest fuel prices",
     "Several hundred farmers drove their tractors into the capital on Thursday to protest against fuel prices. The "
     "agriculture minister said she would meet their representatives next week."),
    ("Northern Courier", "2024-04-04", "Either with us or against us",
     "Make no mistake, the choice is simple: either you are with the nation, or you are with its enemies. Just like "
     "the tyrants of the past, they want total control over your life."),
    ("Northern Courier", "2024-04-18", "Library extends its opening hours",
     "The central library will open until nine in the evening from June, the culture department announced. The "
     "change follows a survey of 3,000 readers."),
    ("Northern Courier", "2024-04-30", "The globalist plot against our jobs",
     "The globalist traitors in parliament have sold our factories to the highest bidder. Reportedly, thousands of "
     "jobs will vanish overnight. Only a fool would believe their promises now."),
]


@dataclass
class Session:
    """What the pictures need: a browser, the running app, the two analyses' ids, a scratch folder."""

    browser: Browser
    base: str
    tmp: Path
    ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Shot:
    name: str
    caption: str
    take: Callable[[Session, Path], None]


# ---------------------------------------------------------------------------------------------------------------
# The app, the browser and the analyses


def free_socket(preferred: int = 8000) -> socket.socket:
    """A listening socket on loopback, handed to uvicorn so that no other process can take the port between
    choosing and binding it. Port 8000 when it is free, so that /docs shows the address the README gives
    (its curl examples name the server's own address); any free port otherwise."""
    for port in (preferred, 0):
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sock.listen(64)
        return sock
    raise RuntimeError("no free port on 127.0.0.1")


@contextmanager
def serve(db_path: Path, analyzer=None) -> Iterator[str]:
    """The web app (real uvicorn, real socket, the shipped analyzer unless one is given) in a thread, over a
    history file of its own; yields its base URL."""
    import uvicorn

    from propwatch.server import Settings, create_app

    settings = Settings(db_path=db_path, api_token=None, workers=1, max_waiting=8, queue_timeout=60.0)
    app = create_app(settings, analyzer=analyzer)
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # The models load in the background (spaCy's pipeline for the actors takes a few seconds): wait until the
    # app says it is ready, or the first paste would meet "the model is still loading".
    import httpx

    deadline = time.monotonic() + 180
    while httpx.get(base + "/readyz", timeout=10).status_code != 200:
        if time.monotonic() > deadline:
            raise RuntimeError("the web app's models did not load")
        time.sleep(0.2)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


def browser_missing() -> str | None:
    """Why no picture can be taken here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing: pip install -e '.[test]'"
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM}: apt-get install -y chromium (or set PROPWATCH_CHROMIUM)"
    return None


def tab(session: Session, viewport: ViewportSize = DESKTOP, scheme: Literal["light", "dark"] = "light",
        phone: bool = False) -> Page:
    """A fresh page whose picture depends only on the app: fixed size, scale, locale, zone, reduced motion."""
    context = session.browser.new_context(
        viewport=viewport, device_scale_factor=2 if phone else 1, is_mobile=phone, has_touch=phone,
        color_scheme=scheme, reduced_motion="reduce", locale="en-GB", timezone_id="UTC")
    return context.new_page()


def analyse(session: Session, text: str) -> str:
    """Paste ``text`` into the start page's form and press Analyse; return the new analysis's id."""
    page = tab(session)
    page.goto(session.base + "/")
    page.fill("#text", text)
    page.click("#analyse")
    page.wait_for_url(re.compile(r"/analyses/[\w-]+$"), timeout=60_000)
    id = page.url.rsplit("/", 1)[1]
    page.context.close()
    return id


def snap(page: Page, path: Path, clip: FloatRect | None = None) -> None:
    """What the viewport shows (``clip``: a part of it, in viewport pixels) to ``path``; closes the page."""
    page.screenshot(path=str(path), clip=clip, animations="disabled", caret="hide")
    page.context.close()


def snap_element(page: Page, selector: str, path: Path) -> None:
    """The first element matching ``selector``, whole, to ``path``; closes the page."""
    page.locator(selector).first.screenshot(path=str(path), animations="disabled", caret="hide")
    page.context.close()


def run_propwatch(*args: str) -> None:
    """One ``propwatch`` command, in a process of its own as a user would run it; stops on failure."""
    command = [sys.executable, "-c", "from propwatch.cli.app import main; main()", *args]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if done.returncode:
        raise RuntimeError(f"propwatch {' '.join(args)} failed:\n{done.stderr[-2000:]}")


def second_article() -> str:
    return SECOND.read_text(encoding="utf-8") if SECOND.is_file() else SECOND_FALLBACK


# ---------------------------------------------------------------------------------------------------------------
# The pictures


def result_tooltip(session: Session, path: Path) -> None:
    """The example's result page on a desktop, one highlight focused by keyboard and its explanation open."""
    page = tab(session)
    page.goto(f"{session.base}/analyses/{session.ids[0]}")
    mark = page.locator("article.article mark.hl[tabindex='0']").first
    mark.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.locator("article.article h1").focus()  # then Tab, as a keyboard user reaches the first highlight
    for _ in range(100):
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
        page.keyboard.press("Tab")
    else:
        raise RuntimeError("no highlight of the example article takes the keyboard focus")
    page.locator("#tip").wait_for(state="visible")
    snap(page, path)


def result_phone_dark(session: Session, path: Path) -> None:
    """The example's result page on a 390 px phone in dark mode, scrolled to the article (the summary and the
    legend come first on a phone)."""
    page = tab(session, PHONE, scheme="dark", phone=True)
    page.goto(f"{session.base}/analyses/{session.ids[0]}")
    page.locator("article.article").evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY)")
    snap(page, path)


def sources(session: Session, path: Path) -> None:
    """"Who says so" with its first source (an anonymous one) focused: its source, cue and content marked."""
    page = tab(session)
    page.goto(f"{session.base}/analyses/{session.ids[0]}")
    entry = page.locator("button.entry[data-attribution]").first
    entry.wait_for()
    i = entry.get_attribute("data-attribution")
    page.locator(f'[data-a~="a{i}c"]').first.evaluate("e => e.scrollIntoView({block: 'center'})")
    entry.focus()
    page.locator(".lay.at-c").first.wait_for()
    snap(page, path)


def cast(session: Session, path: Path) -> None:
    """The cast with its first actor pressed: its mentions boxed and the sentences that cast it so marked."""
    page = tab(session)
    page.goto(f"{session.base}/analyses/{session.ids[0]}")
    button = page.locator("button.entry[data-actor]").first
    button.wait_for()
    j = button.get_attribute("data-actor")
    button.press("Enter")
    page.locator(f'[data-m~="m{j}"]').first.evaluate("e => e.scrollIntoView({block: 'center'})")
    snap(page, path)


def history(session: Session, path: Path) -> None:
    """The history with both analyses, ticked for comparing."""
    page = tab(session)
    page.goto(session.base + "/history")
    for box in page.locator("table.history input[name='id']").all():
        box.check()
    snap_element(page, "section.wide", path)


def compare(session: Session, path: Path) -> None:
    """The two analyses side by side, reached as a reader does: tick both in the history, press Compare."""
    page = tab(session, {"width": 1280, "height": 1000})
    page.goto(session.base + "/history")
    for box in page.locator("table.history input[name='id']").all():
        box.check()
    page.locator("#compare-form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/compare\?"))
    page.locator("#scores").wait_for()
    snap(page, path)


def api_docs(session: Session, path: Path) -> None:
    """The API reference at /docs: its first endpoints, each with a curl example and an answer."""
    page = tab(session)
    page.goto(session.base + "/docs")
    snap(page, path)


def techniques(session: Session, path: Path) -> None:
    """The techniques page at one technique's anchor (/techniques#doubt), reached from the index at its top."""
    page = tab(session)
    page.goto(session.base + "/techniques")
    page.focus('.technique-index a[href="#doubt"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#doubt$"))
    snap(page, path)


def batch_report(session: Session) -> Path:
    """``propwatch batch`` then ``propwatch report`` on the ten short articles above (once per session)."""
    folder = session.tmp / "batch"
    report = folder / "report.html"
    if report.exists():
        return report
    folder.mkdir()
    records = folder / "articles.jsonl"
    with records.open("w", encoding="utf-8") as f:
        for n, (outlet, published, title, text) in enumerate(BATCH_TEXTS, 1):
            record = {"id": f"a{n:02d}", "title": title, "text": f"{title}\n\n{text}\n", "source": outlet,
                      "published": published}
            f.write(json.dumps(record) + "\n")
    run_propwatch("batch", str(records), "--out", str(folder / "run"), "--workers", "1")
    run_propwatch("report", str(folder / "run"), "--out", str(report))
    return report


def between(page: Page, first: str, last: str, pad: int = 16) -> FloatRect:
    """The clip, in viewport pixels, from the top of ``first`` to the bottom of ``last``, the page scrolled so
    that ``first`` is at the top; full width."""
    page.locator(first).first.evaluate(f"e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - {pad})")
    top = page.locator(first).first.bounding_box()
    bottom = page.locator(last).first.bounding_box()
    size = page.viewport_size
    if not (top and bottom and size):
        raise RuntimeError(f"{first} or {last} is not on the page")
    height = min(bottom["y"] + bottom["height"] + pad, size["height"]) - (top["y"] - pad)
    return {"x": 0, "y": top["y"] - pad, "width": size["width"], "height": height}


def dashboard(session: Session, path: Path) -> None:
    """The offline dashboard of the batch run: the technique rates of each outlet on one colour scale."""
    page = tab(session)
    page.goto(batch_report(session).as_uri())
    snap(page, path, between(page, "h2#groups", "h2#groups ~ figure"))


def dashboard_explore(session: Session, path: Path) -> None:
    """The dashboard's article table, filtered to one technique: the rates per outlet and per month redrawn for
    it, with their intervals."""
    page = tab(session, {"width": 1280, "height": 1100})
    page.goto(batch_report(session).as_uri() + "#explore")
    page.select_option("#f-technique", "loaded_language")
    page.locator("#explore-charts").wait_for()
    snap(page, path, between(page, "h2#explore", "#t-articles"))


SHOTS = [
    Shot("result-tooltip", "The result page of the bundled example article: a highlight reached with the Tab key "
         "explains its technique", result_tooltip),
    Shot("result-phone-dark", "The same result on a 390 px phone in dark mode", result_phone_dark),
    Shot("sources", "Who says so: focusing a source marks its source, cue and content in the text", sources),
    Shot("cast", "Cast: pressing an actor marks its mentions and the sentences that cast it so", cast),
    Shot("history", "The history, with two analyses ticked to compare", history),
    Shot("compare", "Two articles side by side: scores, technique mix, sources", compare),
    Shot("techniques", "The techniques page: a technique's definition, two passages annotators marked with it, how "
         "often the model finds it and what it mistakes it for", techniques),
    Shot("api-docs", "The API reference at /docs, with a curl example for every endpoint", api_docs),
    Shot("dashboard", "The dashboard of a small batch run (propwatch batch, then propwatch report): each outlet's "
         "technique rates on one colour scale", dashboard),
    Shot("dashboard-explore", "The dashboard's article table filtered to one technique, its rates per outlet and "
         "month redrawn with 95% intervals", dashboard_explore),
]


def take(out: Path = OUT, names: list[str] | None = None, analyzer=None) -> list[Path]:
    """Take the pictures called ``names`` (all by default) into ``out``; return the files written.

    ``analyzer``: the one the app runs (the shipped model by default; tests pass theirs to load it once)."""
    unknown = set(names or []) - {s.name for s in SHOTS}
    if unknown:
        raise ValueError(f"no such screenshot: {', '.join(sorted(unknown))} (choose from "
                         f"{', '.join(s.name for s in SHOTS)})")
    from playwright.sync_api import sync_playwright

    chosen = [s for s in SHOTS if names is None or s.name in names]
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="propwatch-shots-") as scratch, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            with serve(Path(scratch) / "history.sqlite3", analyzer) as base:
                session = Session(browser=browser, base=base, tmp=Path(scratch))
                session.ids = [analyse(session, EXAMPLE.read_text(encoding="utf-8")),
                               analyse(session, second_article())]
                for shot in chosen:
                    path = out / f"{shot.name}.png"
                    shot.take(session, path)
                    written.append(path)
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"screenshots to take (default: all): {', '.join(s.name for s in SHOTS)}")
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNG files (default: {OUT})")
    args = parser.parse_args(argv)
    problem = browser_missing()
    if problem:
        print(f"cannot take screenshots: {problem}", file=sys.stderr)
        return 1
    started = time.monotonic()
    try:
        written = take(args.out, args.names or None)
    except (ValueError, RuntimeError) as exc:
        print(f"cannot take screenshots: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
              f"({path.stat().st_size // 1024} KB)")
    print(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
