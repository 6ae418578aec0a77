"""JSON Lines: one JSON object per line with an id and a text (or html, or url) field; optional title,
source, url and published fields. Field names are configurable (``--columns``).

The file must be UTF-8, as JSON itself requires; a line that is not, that is not a JSON object, or that has
no id goes to the errors file and the run goes on. The scan keeps each line's byte offset, so the worker that
gets a part reads exactly its lines again with one ranged read (a local file or an object in S3).
"""

from __future__ import annotations

import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterator

from ..fs import Location, read_range
from ..records import Columns, Entry, ReadOptions, Record, record_from_fields


@dataclass
class JsonLinesReader:
    file: Location
    columns: Columns = field(default_factory=Columns)
    options: ReadOptions = field(default_factory=ReadOptions)
    kind: str = "jsonl"

    @property
    def name(self) -> str:
        return self.file.path.rsplit("/", 1)[-1]

    @property
    def input(self) -> Location:
        return self.file

    def describe(self) -> str:
        return f"JSON Lines file {self.file.uri}"

    def scan(self) -> Iterator[Entry]:
        offset = 0
        with io.BufferedReader(self.file.fs.open_input_stream(self.file.path), buffer_size=1 << 20) as f:
            for number, raw in enumerate(f, start=1):
                start, offset = offset, offset + len(raw)
                if not raw.strip():
                    continue
                where = f"{self.name}:{number}"
                ref = (start, len(raw))
                digest = f"{zlib.crc32(raw):08x}"
                try:
                    obj = _parse(raw, first=number == 1)
                    article_id = record_id(obj, self.columns.id)
                except ValueError as exc:
                    yield Entry(where, None, ref, digest, error=str(exc), line=number)
                    continue
                yield Entry(where, article_id, ref, digest, line=number)

    def load(self, entries: list[Entry]) -> list[Record]:
        wanted = [e for e in entries if e.error is None]
        if not wanted:
            return []
        start = min(e.ref[0] for e in wanted)
        end = max(e.ref[0] + e.ref[1] for e in wanted)
        blob = read_range(self.file, start, end - start)
        records = []
        for e in wanted:
            raw = blob[e.ref[0] - start : e.ref[0] - start + e.ref[1]]
            if f"{zlib.crc32(raw):08x}" != e.digest:
                records.append(Record(e, error=f"{e.location} changed while the run was going on; run again"))
                continue
            records.append(record_from_fields(e, _parse(raw, first=e.line == 1), self.columns, self.options))
        return records

    def file_of(self, entry: Entry) -> str:
        return self.file.uri


def _parse(raw: bytes, first: bool) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig" if first else "utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"the line is not valid UTF-8 (undecodable byte at position {exc.start}); JSON Lines files must be "
            "UTF-8"
        ) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise ValueError(f"expected a JSON object, found {type(obj).__name__}")
    return obj


def record_id(values: dict[str, Any], key: str) -> str:
    """The record's id as a string; ``ValueError`` when it is missing, empty or not a string or number."""
    value = values.get(key)
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not str(value).strip():
        found = "no" if value is None or value == "" else f"an unusable ({type(value).__name__})"
        raise ValueError(f"{found} {key!r} value: every record needs an id (name the field with --columns id=NAME)")
    return str(value).strip()
