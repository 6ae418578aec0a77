"""Reading articles: text files, HTML files, URLs (behind the network guard), stdin and corpus folders.

``read_input`` is the one entry point for "analyse this": it accepts what a person types on a command line
(``-``, a URL, a path) and returns an ``Article`` whose offsets index ``Article.text``. Every route decodes with
the same rules (``charset.py``), so one article gives the same text and offsets however it arrives.
Everything raised on purpose is an ``InputError`` (``FetchError`` for URLs) or a ``DataError`` for corpora.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError
from ..schema import Article
from .article import parse_article
from .charset import DEFAULT_MAX_BYTES, check_size, decode_bytes
from .corpus import CorpusArticle, GoldSpan, read_corpus, read_ids, read_split
from .formats import format_si, format_tc, read_labels, write_si, write_tc
from .html import article_from_html, looks_like_html
from .text import read_bytes, read_text, read_text_file
from .url import fetch_article

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CorpusArticle",
    "GoldSpan",
    "article_from_html",
    "decode_bytes",
    "fetch_article",
    "format_si",
    "format_tc",
    "looks_like_html",
    "parse_article",
    "read_corpus",
    "read_ids",
    "read_input",
    "read_labels",
    "read_split",
    "read_text",
    "read_text_file",
    "write_si",
    "write_tc",
]

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_HTML_SUFFIXES = {".html", ".htm"}

def read_input(
    source: str,
    *,
    allow_private: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    timeout: float = 10.0,
) -> Article:
    """The article named by ``source``: ``-`` (stdin), an ``http(s)://`` URL, or a text or HTML file.

    HTML is recognised by a ``.html``/``.htm`` suffix or by content starting with ``<!doctype html`` or
    ``<html``; everything else is read as text with the PTC title convention.
    """
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            check_size(None, "stdin", max_bytes)
        return parse_article(decode_bytes(data, "stdin", max_bytes=max_bytes), id="stdin", source="stdin")

    scheme = _SCHEME.match(source)
    if scheme:
        if scheme.group(1).lower() in ("http", "https"):
            return fetch_article(source, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes)
        raise InputError(
            f"unsupported URL scheme {scheme.group(1)!r} in {source}; propwatch fetches http:// and https:// "
            "URLs, and reads local files given as paths"
        )

    path = Path(source).expanduser()
    text = decode_bytes(read_bytes(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes)
    return parse_article(text, id=path.stem, source=str(path), html=path.suffix.lower() in _HTML_SUFFIXES or None)
