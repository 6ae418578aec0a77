"""What a batch run reads: light ``Entry`` references found by scanning an input, and the ``Record`` each one
becomes once it is read (an ``Article`` plus the metadata a corpus study groups by).

Scanning and reading are two steps on purpose. The driver scans the whole input first (cheap: file names, or
one JSON parse per line) so that it knows the total for the progress bar, finds duplicate ids and malformed
lines, and cuts the input into parts deterministically. Reading the text (and fetching URLs) happens later,
in whichever worker or Ray actor gets the part, so the driver never holds a million articles in memory.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from typing import Any

from ..analyzer import DEFAULT_MAX_WORDS, check_length
from ..errors import InputError
from ..inputs import DEFAULT_MAX_BYTES, decode_bytes, fetch_article, parse_article
from ..inputs.html import site_host
from ..schema import Article


@dataclass(frozen=True)
class Columns:
    """Which input column holds what. Content is read from ``text``, else ``html``, else ``url`` (fetched);
    ``url`` is kept as metadata in any case."""

    id: str = "id"
    text: str = "text"
    html: str = "html"
    url: str = "url"
    title: str = "title"
    source: str = "source"
    published: str = "published"

    @classmethod
    def parse(cls, spec: str | None) -> "Columns":
        """``"id=doc_id,text=body,published=date"`` → Columns; unknown keys are a ``ValueError``."""
        if not spec or not spec.strip():
            return cls()
        known = {f.name for f in fields(cls)}
        changes = {}
        for item in spec.split(","):
            key, sep, name = (s.strip() for s in item.partition("="))
            if not sep or not key or not name:
                raise ValueError(f"expected KEY=COLUMN pairs separated by commas, got {item.strip()!r}")
            if key not in known:
                raise ValueError(f"unknown column key {key!r}; the keys are {', '.join(sorted(known))}")
            changes[key] = name
        return replace(cls(), **changes)


@dataclass(frozen=True)
class Entry:
    """One record as the scan found it: where it is, its id, how to read it again, and a fingerprint.

    ``ref`` is reader-specific (a relative file path, or a byte range of a JSON Lines/CSV file); ``digest``
    changes when the record's bytes change, so a resumed run notices an input edited since the first run.
    ``error`` is set when the scan already knows the record is unusable (malformed line, duplicate id, ...).
    """

    location: str
    id: str | None
    ref: tuple
    digest: str = ""
    error: str | None = None
    line: int | None = None

    @property
    def article_id(self) -> str:
        """The id of an entry the scan could use: only an entry with an ``error`` may have none."""
        if self.id is None:
            raise ValueError(f"{self.location} has no id: {self.error or 'it was never scanned'}")
        return self.id


@dataclass
class Record:
    """A read record: the article to analyse, or why there is none (``error``)."""

    entry: Entry
    article: Article | None = None
    source: str | None = None
    url: str | None = None
    published: datetime | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def id(self) -> str | None:
        return self.entry.id


@dataclass(frozen=True)
class ReadOptions:
    """How records are read: the size cap, the length bound (an article over ``max_words`` words and symbols
    is a failed record, like any other unusable one), and how URLs are fetched (through the network guard)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    max_words: int = DEFAULT_MAX_WORDS
    allow_private: bool = False
    timeout: float = 10.0


def record_from_fields(entry: Entry, values: dict[str, Any], columns: Columns, options: ReadOptions) -> Record:
    """A ``Record`` from one JSON object or CSV row: text, else HTML, else a fetched URL.

    ``source`` is the source column, else the outlet the page names (``Article.outlet``), else the URL's host;
    ``published`` is the published column (``tables.article_row`` falls back to the page's own date).

    Every route uses the core readers (``decode_bytes``'s checks, trafilatura for HTML, ``fetch_article`` with
    the network guard), so an article read in a batch gives the same text and offsets as ``propwatch analyze``.
    """
    record = Record(entry)
    try:
        url = _string(values, columns.url)
        source = _string(values, columns.source)
        title = _string(values, columns.title)
        record.url = url
        record.source = source or site_host(url)  # without a source column, the site groups
        written, warning = _parse_when(values.get(columns.published))
        record.published = written.astimezone(timezone.utc) if written is not None else None
        if warning:
            record.warnings.append(warning)
        text, html = _string(values, columns.text), _string(values, columns.html)
        where = entry.location
        if text is not None:
            article = parse_article(_checked(text, where, options), id=entry.article_id, source=url or where,
                                    html=False)
        elif html is not None:
            article = parse_article(_checked(html, where, options), id=entry.article_id, source=url or where,
                                    html=True)
        elif url is not None:
            fetched = fetch_article(url, allow_private=options.allow_private, timeout=options.timeout,
                                    max_bytes=options.max_bytes)
            article = fetched.model_copy(update={"id": entry.article_id})
        elif isinstance(values.get(columns.text), str):
            raise InputError(f"the {columns.text!r} value is empty: there is no text to analyse")
        else:
            raise InputError(
                f"no {columns.text!r}, {columns.html!r} or {columns.url!r} value to analyse "
                "(name the columns with --columns text=NAME)"
            )
        if title:
            article = article.model_copy(update={"title": " ".join(title.split())})
        # The columns win over what the page says of itself, in the stored analysis too: its page in the corpus
        # report and the history show the outlet and date the corpus gives, as the tables do.
        if source is not None:
            article = article.model_copy(update={"outlet": " ".join(source.split())})
        if written is not None:  # the calendar date in the value's own zone (00:30+02:00 is still that day)
            article = article.model_copy(update={"published": written.date().isoformat()})
        if source is None and article.outlet:
            record.source = article.outlet  # the page names its outlet: better than its host, still a fallback
        check_length(article, options.max_words)
        record.article = article
    except InputError as exc:
        record.error = str(exc)
    return record


def parse_published(value: Any) -> tuple[datetime | None, str | None]:
    """An aware UTC datetime from ISO 8601 (``2019-03-04``, ``2019-03-04T10:00:00Z``) or an RFC 2822 date
    (RSS feeds); a value that is neither gives None and a warning, never a failed record."""
    when, warning = _parse_when(value)
    return (when.astimezone(timezone.utc) if when is not None else None), warning


def _parse_when(value: Any) -> tuple[datetime | None, str | None]:
    """``parse_published``'s datetime in the zone the value names (UTC where it names none)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if not isinstance(value, str):
        return None, f"published value {value!r} is not a date string (ISO 8601 expected); kept empty"
    text = value.strip()
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None, f"published value {text[:40]!r} is not an ISO 8601 or RFC 2822 date; kept empty"
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # a date without a zone is taken as UTC
    return when, None


def _string(values: dict[str, Any], key: str) -> str | None:
    value = values.get(key)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InputError(f"the {key!r} value must be a string, not {type(value).__name__}")
    return value if value.strip() else None


def _checked(text: str, where: str, options: ReadOptions) -> str:
    """Text from a JSON or CSV field goes through the same checks and newline rules as a file's bytes."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(f"{where}: the text contains invalid Unicode (lone surrogates)") from None
    return decode_bytes(data, where, max_bytes=options.max_bytes)
