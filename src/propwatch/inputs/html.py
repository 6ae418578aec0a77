"""Web pages: the article's title and paragraphs, without menus, footers, scripts or markup.

trafilatura does the extraction (it is the best-scoring open extractor in its own and third-party
benchmarks, and needs no browser). Precision is favoured over recall because a stray menu or cookie banner in
the text would be analysed, and highlighted, as if the author had written it; comments and tables are left out
for the same reason. Scripts are never run: trafilatura parses the markup with lxml and returns plain text.

The text is laid out like a PTC article (title, blank line, paragraphs separated by blank lines) so that the
title convention of ``Article.from_ptc_text`` holds and the model sees the layout it was trained on. The page's
metadata (outlet, author, publication date) goes into the ``Article`` beside the text, never into it, so the
offsets are those of the text alone.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..schema import Article

_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """True when the text starts (after whitespace and comments) with ``<!doctype html`` or ``<html``."""
    return _HTML_START.match(text[:4096]) is not None


def article_from_html(html: str, *, id: str, source: str | None) -> Article:
    """The article in an HTML page; ``InputError`` when the page holds no article text."""
    # trafilatura pulls in lxml and friends (about 0.1 s): only pay for it when a page is read.
    from trafilatura import bare_extraction

    document = bare_extraction(
        html,
        url=source if source and source.startswith(("http://", "https://")) else None,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    paragraphs = _paragraphs(_field(document, "text"))
    title = " ".join(_field(document, "title").split())
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title; keep it once, as line 1
    if not paragraphs:
        raise InputError(
            f"no article text found in {source or 'the HTML input'}; the page may be built by JavaScript or "
            "may not be an article: copy the article's text into a .txt file and analyse that"
        )
    if not any(_is_prose(p) for p in paragraphs):
        shown = "; ".join(paragraphs[:3]) + ("; …" if len(paragraphs) > 3 else "")
        raise InputError(
            f"no article text found in {source or 'the HTML input'}: its main text is only short fragments "
            f"without a sentence ({shown[:120]}), such as a menu or a list of links, not an article; open the "
            "article's own page, or copy its text into a .txt file and analyse that"
        )
    body = "\n\n".join(paragraphs)
    text = f"{title}\n\n{body}" if title else body
    article = Article.from_ptc_text(text, id=id, source=source)
    return article.model_copy(update=page_metadata(document, source))


def page_metadata(document: Any, source: str | None = None) -> dict[str, str | None]:
    """What the page says about itself, as ``Article`` fields: ``outlet`` (og:site_name or the publisher, else
    the host of its URL, as ``site_host`` writes it), ``author`` and ``published``.

    Each is None when the page does not say: a wrong outlet or date would mislead a corpus study more than a
    missing one, so a date that is not a plain ISO date is dropped rather than guessed at, and overlong values
    (a whole byline paragraph taken for a name) are cut at ``METADATA_CHARS``."""
    date = _field(document, "date").strip()[:10]
    outlet = _field(document, "sitename").strip()
    host = site_host(source)
    if host and outlet.lower().removeprefix("www.").split(":")[0] in (host, urlsplit(source or "").netloc.lower()):
        outlet = host  # trafilatura's fallback, the URL's host as it was typed (case, www., port): one spelling
    return {
        "outlet": _short(outlet),
        "author": _short(_field(document, "author")),
        "published": date if _ISO_DATE.match(date) else None,
    }


_ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
METADATA_CHARS = 200
"""The longest outlet or author kept, in characters (longer ones are cut with "…")."""


def site_host(url: str | None) -> str | None:
    """The site of a web address as outlets are grouped: its host name, lower case, without ``www.`` or port;
    None for anything that is no http(s) address (a file path, ``stdin``)."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def _short(value: str) -> str | None:
    text = " ".join(value.split())
    if not text:
        return None
    return text if len(text) <= METADATA_CHARS else text[: METADATA_CHARS - 1].rstrip() + "…"


def _field(document: Any, name: str) -> str:
    """A field of trafilatura's result: a ``Document`` in trafilatura 2, a dict in older releases, or None."""
    value = document.get(name) if isinstance(document, dict) else getattr(document, name, None)
    return value or ""


_SENTENCE_END = re.compile(r"[.!?…][\"'’”)»\]]*$")
PROSE_WORDS = 12
"""A paragraph this long is prose even without a final full stop (a lead that ends on a quote, say)."""


def _is_prose(paragraph: str) -> bool:
    """A sentence, not a menu item or a link: at least 4 words ending like a sentence, or at least 12 words.
    trafilatura keeps a page's navigation when it finds nothing better, and a menu analysed as an article
    gives a result about nothing."""
    words = len(paragraph.split())
    return words >= PROSE_WORDS or (words >= 4 and _SENTENCE_END.search(paragraph) is not None)


def _paragraphs(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in (text or "").split("\n") if line.strip()]
