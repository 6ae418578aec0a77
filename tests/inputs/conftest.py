"""Fixtures of the inputs tests: the real PTC corpus (skipped cleanly when absent), a realistic news page and
a fake DNS table, so the network guard can be tested without a network."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

# The PTC corpus is research data kept beside the repository, never inside it (see shared/ptc/README.md).
PTC_DIR = (Path(__file__).parents[2] / ".." / "shared" / "ptc").resolve()
EXAMPLE = Path(__file__).parents[2] / "src" / "propwatch" / "examples" / "deir-ez-zor.txt"


@pytest.fixture
def ptc_dir() -> Path:
    if not (PTC_DIR / "train" / "articles").is_dir():
        pytest.skip(f"the PTC corpus is not at {PTC_DIR} (it lives in ../shared/ptc beside the repository)")
    return PTC_DIR


@pytest.fixture
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture
def article_html() -> str:
    """A news page as sites serve them: head scripts, navigation, a repeated headline, an aside and a footer."""
    return """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Minister denies plan to close hospitals | The Daily Example</title>
  <meta property="og:title" content="Minister denies plan to close hospitals">
  <script>var tracking = "SCRIPT_IN_HEAD"; document.write("injected");</script>
  <style>.byline { color: grey }</style>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news menu</a></li>
  <li><a href="/sport">Sport section link</a></li></ul></nav>
  <header><div class="logo">The Daily Example</div></header>
  <main>
    <article>
      <h1>Minister denies plan to close hospitals</h1>
      <p class="byline">By Jane Doe, 3 March 2020</p>
      <p>The health minister on Tuesday denied reports that the government plans to close twelve rural
      hospitals, calling the claims &ldquo;a campaign of lies&rdquo; by the opposition.</p>
      <p>Speaking to reporters in the capital, the minister said the budget for rural care would rise by four
      per cent next year, and that no hospital would close while she was in office.</p>
      <script>console.log("SCRIPT_IN_BODY")</script>
      <p>Opposition leaders said the denial was not credible. &ldquo;They said the same thing before closing
      the maternity ward in Northfield,&rdquo; one of them said.</p>
      <p>The ministry will publish its plan for rural hospitals in April, after a consultation with local
      councils and doctors&rsquo; unions.</p>
    </article>
  </main>
  <aside><h3>Most read</h3><ul><li>Celebrity chef opens a restaurant</li></ul></aside>
  <footer><p>Copyright 2020 The Daily Example. All rights reserved. Privacy policy. Cookie settings.</p></footer>
</body>
</html>
"""


ARTICLE_PARAGRAPHS = (
    "The health minister on Tuesday denied reports that the government plans to close twelve rural hospitals, "
    "calling the claims “a campaign of lies” by the opposition.",
    "Speaking to reporters in the capital, the minister said the budget for rural care would rise by four per "
    "cent next year, and that no hospital would close while she was in office.",
    "Opposition leaders said the denial was not credible. “They said the same thing before closing the "
    "maternity ward in Northfield,” one of them said.",
    "The ministry will publish its plan for rural hospitals in April, after a consultation with local councils "
    "and doctors’ unions.",
)


@pytest.fixture
def article_paragraphs() -> tuple[str, ...]:
    return ARTICLE_PARAGRAPHS


@pytest.fixture
def fake_dns(monkeypatch) -> dict[str, list[str]]:
    """Map host names to addresses by filling the returned dict; other names resolve as usual."""
    table: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if host not in table:
            return real(host, port, family, type, proto, flags)
        answers = []
        for address in table[host]:
            if ":" in address:
                answers.append((socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0)))
            else:
                answers.append((socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port)))
        return answers

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table
