"""Decoded text to ``Article``: the one place that decides whether text is a web page or plain text.

Every route that reads an article (a file, stdin, a URL, a pasted text or upload in the web app, a batch
record) ends here, so one document gives the same text and offsets however it arrives.
"""

from __future__ import annotations

from ..schema import Article
from .html import article_from_html, looks_like_html


def parse_article(text: str, *, id: str, source: str | None, html: bool | None = None) -> Article:
    """The ``Article`` in decoded ``text``.

    ``html`` says what the caller knows: True for a page (an ``.html`` file, a ``text/html`` response), False for
    plain text, None to decide by content (``looks_like_html``). Plain text follows the PTC title convention.
    """
    if html or (html is None and looks_like_html(text)):
        return article_from_html(text, id=id, source=source)
    return Article.from_ptc_text(text, id=id, source=source)
