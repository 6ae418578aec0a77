"""``docs/screenshots.py`` retakes the README's and the docs' pictures: one of them is taken here into a temporary
folder through the real app and browser, and the committed pictures are checked against the script and the pages
that show them (each picture the script takes is committed, small, and shown somewhere; each one shown exists).

The picture needs Debian's Chromium at /usr/bin/chromium and Playwright, and is skipped without them."""

from __future__ import annotations

import importlib.util
import re
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "screenshots.py"
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MAX_BYTES = 300 * 1024


def load_script():
    name = "propwatch_docs_screenshots"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def shown() -> dict[str, list[Path]]:
    """Each picture of docs/screenshots/ that a page shows, with the pages that show it."""
    found: dict[str, list[Path]] = {}
    for page in PAGES:
        for target in re.findall(r'(?:!\[[^\]]*\]\(|<img src=")([^)"\s]*screenshots/[^)"\s]+\.png)', text(page)):
            found.setdefault((page.parent / target).resolve().name, []).append(page)
            assert (page.parent / target).is_file(), f"{page.name} shows {target}, which does not exist"
    return found


def test_a_screenshot_is_taken_into_a_folder(tmp_path, analyzer):
    script = load_script()
    problem = script.browser_missing()
    if problem:
        pytest.skip(problem)
    written = script.take(tmp_path, ["history"], analyzer=analyzer)
    assert written == [tmp_path / "history.png"]
    width, height = png_size(written[0])
    assert width >= 600 and height >= 200
    assert written[0].stat().st_size < MAX_BYTES


def test_an_unknown_screenshot_is_refused_by_name(tmp_path):
    with pytest.raises(ValueError, match="no such screenshot: nope"):
        load_script().take(tmp_path, ["nope"])
    assert not any(tmp_path.iterdir())


def test_every_picture_is_committed_small_and_shown():
    script = load_script()
    pictures = ROOT / "docs" / "screenshots"
    names = {f"{shot.name}.png" for shot in script.SHOTS}
    assert {p.name for p in pictures.glob("*.png")} == names, "docs/screenshots/ differs from the script's list"
    for name in names:
        assert (pictures / name).stat().st_size < MAX_BYTES, f"{name} is over {MAX_BYTES // 1024} KB"
    assert set(shown()) == names, "a picture the script takes is shown on no page"
