"""Bytes in, the text that offsets index out: one decoder for files, corpus articles, web pages and stdin.

Every input goes through ``decode_bytes`` so that an article gives the same text, and so the same offsets,
whichever way it arrived. PTC offsets are defined on the text as Python's ``open(path, encoding=...)`` reads
it, so newlines are translated exactly as that does (``\\r\\n`` and ``\\r`` become ``\\n``).

The order of attempts is deliberate:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) is authoritative;
2. binary content (NUL bytes, a known file signature, many control bytes) is refused before any guessing,
   because a guesser will happily "decode" a PNG as some code page;
3. strict UTF-8, which nearly never decodes legacy text by accident, so it wins even over a declared
   encoding (pages that declare ISO-8859-1 but send UTF-8 are common);
4. an encoding the caller was told about (an HTTP ``charset``);
5. charset-normalizer for the rest. It cannot reliably tell the Latin code pages apart on short texts
   (it reads French cp1252 as cp1250: "très" becomes "trčs"), so when its best guess is a Latin-script text
   and Windows-1252 decodes the bytes into plausible Western European characters, Windows-1252 wins: it is
   by far the most common legacy encoding of English news, and this tool reads English.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from ..errors import InputError, TooLargeError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""The largest input read by default (5 MiB): a long news article is 10-50 KB of text."""

_BOMS = (
    # UTF-32-LE's BOM starts with UTF-16-LE's, so the longer marks are tried first.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SIGNATURES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive or an office document"),
    (b"\xd0\xcf\x11\xe0", "an old-style office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)

# C0 controls other than tab, newline, vertical tab, form feed and carriage return, plus DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE = 64 * 1024
_MAX_CONTROL_SHARE = 0.10

_WESTERN_EXTRAS = set("ŒœŠšŽžŸƒ“”‘’‚„–—…•€™†‡‰‹›«»¡¿°©®±·§¶£¢¥½¼¾\u00a0")
_MIN_PLAUSIBLE_SHARE = 0.95


def decode_bytes(
    data: bytes,
    source: str,
    *,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    keep_bom: bool = False,
) -> str:
    """Decode ``data`` (from ``source``, named in errors) to text with ``\\n`` newlines.

    ``encoding`` is a declared encoding (an HTTP ``charset``); it is trusted only if it decodes the bytes.
    ``keep_bom`` keeps a UTF-8 byte-order mark as the character U+FEFF, as ``open(path, encoding="utf-8")``
    does: PTC offsets count it (10 training articles start with one), so corpus articles must keep it.
    Raises ``InputError`` for input that is too large, binary, undecodable, empty or only whitespace.
    """
    check_size(len(data), source, max_bytes)
    if not data:
        raise InputError(f"{source} is empty: there is no text to analyse")
    text = _decode(data, source, encoding, keep_bom)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.lstrip("\ufeff").strip():
        raise InputError(f"{source} is empty: it contains only whitespace, no text to analyse")
    return text


def check_size(size: int | None, source: str, max_bytes: int) -> None:
    """Refuse input over the cap; ``size=None`` means "more than the cap" (a stream that went past it)."""
    if size is None or size > max_bytes:
        found = format_size(size) if size is not None else f"more than {format_size(max_bytes)}"
        raise TooLargeError(
            f"{source} is {found}, over the {format_size(max_bytes)} limit; analyse a shorter excerpt"
        )


def format_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB"
    return f"{n} bytes"


def _decode(data: bytes, source: str, declared: str | None, keep_bom: bool) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom) and not (keep_bom and bom == codecs.BOM_UTF8):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(
                    f"{source} starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()}; "
                    "convert it to UTF-8 and try again"
                ) from None
            _refuse_binary_text(text, source)
            return text

    if declared and _is_wide(declared):
        wide = _try_declared(data, declared)  # UTF-16 without a BOM is full of NUL bytes: decode it first
        if wide is not None:
            _refuse_binary_text(wide, source)
            return wide

    _refuse_binary_bytes(data, source)

    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass

    if declared:
        labelled = _try_declared(data, declared)
        if labelled is not None:
            _refuse_binary_text(labelled, source)
            return labelled

    detected = _detect(data)
    if detected is None:
        raise InputError(
            f"could not detect the text encoding of {source}; convert it to UTF-8 "
            "(for example with iconv -f <encoding> -t utf-8) and try again"
        )
    _refuse_binary_text(detected, source)
    return detected


def _refuse_binary_bytes(data: bytes, source: str) -> None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"{source} looks like a binary file ({kind}), not text; save the article as text or HTML")
    if b"\x00" in data:
        raise InputError(
            f"{source} looks like a binary file, not text (it contains NUL bytes; "
            "if it is UTF-16 text without a byte-order mark, convert it to UTF-8)"
        )
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"{source} looks like a binary file, not text ({controls} control bytes)")


def _refuse_binary_text(text: str, source: str) -> None:
    """The same test after decoding, for paths (BOMs, guesses) where bytes say little about characters."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROL_CHARS.findall(sample))
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(f"{source} looks like a binary file, not text (it decodes to control characters)")


def _is_wide(declared: str) -> bool:
    try:
        return codecs.lookup(declared.strip()).name.startswith(("utf-16", "utf-32"))
    except LookupError:
        return False


def _try_declared(data: bytes, declared: str) -> str | None:
    try:
        name = codecs.lookup(declared.strip()).name
    except LookupError:
        return None
    # As browsers do (WHATWG Encoding), a page labelled ISO-8859-1 or ASCII is read as Windows-1252.
    candidates = ("cp1252", "latin-1") if name in ("iso8859-1", "latin-1", "ascii") else (name,)
    for codec in candidates:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
        except LookupError:
            # A codec Python knows but that is no text encoding ("hex", "rot13", "base64", "zlib"): a page
            # declaring one is treated as declaring nothing, never as a crash.
            return None
    return None


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes  # 20 ms to import, and only legacy text needs it

    best = from_bytes(data).best()
    if best is None:
        return None
    guessed = str(best)
    if _mostly_latin_letters(guessed):
        western = _plausible_cp1252(data)
        if western is not None:
            return western
    return guessed


def _mostly_latin_letters(text: str) -> bool:
    letters = [c for c in text[:_SAMPLE] if c.isalpha() and not c.isascii()]
    if not letters:
        return True
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith("LATIN"))
    return latin >= 0.5 * len(letters)


def _plausible_cp1252(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [c for c in text[:_SAMPLE] if not c.isascii()]
    if not high:
        return text
    plausible = sum(1 for c in high if ("\u00c0" <= c <= "\u00ff" and c not in "×÷") or c in _WESTERN_EXTRAS)
    return text if plausible >= _MIN_PLAUSIBLE_SHARE * len(high) else None
