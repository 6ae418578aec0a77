"""Turn what a client sends (text, an HTML page, a URL, an uploaded file) into an ``Article``.

Everything goes through the readers of ``propwatch.inputs``, so an article analysed in the browser gets the
same text, offsets and spans as the same article given to ``propwatch analyze``: pasted text is decoded like a
file (newlines normalised, binary and empty input refused), HTML is extracted with trafilatura, and URLs are
fetched behind the network guard with the server's ``allow_private``, timeout and size cap.
These functions block (network, HTML parsing): the routes call them in a thread.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from ..errors import InputError
from ..inputs import decode_bytes, fetch_article, parse_article
from ..schema import Article
from .settings import Settings

TEXT_SUFFIXES = {".txt", ".text", ""}
HTML_SUFFIXES = {".html", ".htm"}
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def _digest_id(prefix: str, data: str) -> str:
    return f"{prefix}-{hashlib.sha256(data.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def clean_id(value: str) -> str:
    """An article id safe in file names and SemEval lines: letters, digits, ``._-``, at most 100 chars."""
    return _UNSAFE_ID.sub("-", value).strip("-.")[:100] or "article"


def _utf8(text: str, what: str) -> bytes:
    """The text as UTF-8; ``InputError`` (400) for a lone surrogate (JSON allows ``"\\ud800"``), which would
    otherwise make the bytes invalid UTF-8 and the whole text be decoded again in another charset, as mojibake."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} contains invalid Unicode (a lone surrogate, {text[exc.start]!a}, at character {exc.start}); "
            "send it as valid UTF-8"
        ) from None


def from_text(text: str, *, id: str | None, settings: Settings, source: str | None = None) -> Article:
    data = _utf8(text, "the text")
    decoded = decode_bytes(data, source or "the text", max_bytes=settings.max_body_bytes)
    return parse_article(decoded, id=clean_id(id) if id else _digest_id("text", decoded), source=source, html=False)


def from_html(html: str, *, id: str | None, settings: Settings, source: str | None = None) -> Article:
    data = _utf8(html, "the HTML")
    decoded = decode_bytes(data, source or "the HTML", max_bytes=settings.max_body_bytes)
    return parse_article(decoded, id=clean_id(id) if id else _digest_id("html", decoded), source=source, html=True)


def from_url(url: str, *, id: str | None, settings: Settings) -> Article:
    article = fetch_article(
        url.strip(),
        allow_private=settings.allow_private,
        timeout=settings.fetch_timeout,
        max_bytes=settings.fetch_max_bytes,
    )
    return article.model_copy(update={"id": clean_id(id)}) if id else article


def from_upload(filename: str, data: bytes, *, settings: Settings) -> Article:
    """An uploaded .txt or .html file; the file name becomes the article's id and source."""
    name = PurePath(filename.replace("\\", "/")).name or "upload"
    suffix = PurePath(name).suffix.lower()
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise UnsupportedUpload(
            f"{name} is not a .txt or .html file; save the article as text or as a web page and upload that"
        )
    text = decode_bytes(data, name, max_bytes=settings.max_body_bytes)
    # An .html name settles it; a .txt file that holds a web page is read as one, as ``propwatch analyze`` does.
    return parse_article(text, id=clean_id(PurePath(name).stem), source=name, html=suffix in HTML_SUFFIXES or None)


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_HOST = re.compile(r"^(?:localhost|\[[0-9A-Fa-f:.]+\]|[^\s/?#:@]+\.[^\s/?#:@]+)(?::\d+)?$")


def web_address(typed: str) -> str:
    """The URL in what a person typed in the address field: ``example.com/news`` (as people type and copy
    addresses) gets ``https://``; text that cannot be an address is refused with an example of one
    (``InputError``: a 400 that keeps the form filled in). A URL with a scheme is left to the fetcher, which
    names the schemes it supports."""
    typed = typed.strip()
    if _SCHEME.match(typed):
        return typed
    address = typed.removeprefix("//")
    host = re.split(r"[/?#]", address, maxsplit=1)[0]
    if not address or any(c.isspace() for c in address) or not _HOST.match(host):
        raise InputError(f"“{typed[:80]}” is not a web address; give one like https://example.com/news/story")
    return "https://" + address


class UnsupportedUpload(InputError):
    """An upload of a kind the server does not read (415)."""
