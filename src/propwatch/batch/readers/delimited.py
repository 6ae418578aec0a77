"""CSV (and TSV) files with a header row: an id column and a text (or html, or url) column; optional title,
source, url and published columns. Column names are configurable (``--columns``).

Read as UTF-8 (a byte-order mark is fine); a row with bytes that are not UTF-8, or with more or fewer fields
than the header, goes to the errors file and the run goes on. A header without the id column or any content
column stops the run at once: every row would fail. Quoted fields may span lines, so the scan follows the csv
module line by line and keeps each row's byte range for the worker that reads it again.
"""

from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass, field
from typing import Iterator

from ...errors import InputError
from ..fs import Location, read_range
from ..records import Columns, Entry, ReadOptions, Record, record_from_fields

csv.field_size_limit(2**31 - 1)  # article texts are far longer than the csv module's 128 KiB default


@dataclass
class DelimitedReader:
    file: Location
    columns: Columns = field(default_factory=Columns)
    options: ReadOptions = field(default_factory=ReadOptions)
    delimiter: str = ","
    kind: str = "csv"
    header: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.file.path.rsplit("/", 1)[-1]

    @property
    def input(self) -> Location:
        return self.file

    def describe(self) -> str:
        return f"CSV file {self.file.uri}"

    def scan(self) -> Iterator[Entry]:
        position = {"bytes": 0, "line": 0}

        def lines(stream) -> Iterator[str]:
            for raw in stream:
                position["bytes"] += len(raw)
                position["line"] += 1
                if position["line"] == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                yield raw.decode("utf-8", "surrogateescape")

        with io.BufferedReader(self.file.fs.open_input_stream(self.file.path), buffer_size=1 << 20) as f:
            reader = csv.reader(lines(f), delimiter=self.delimiter)
            try:
                self.header = [h.strip() for h in next(reader)]
            except StopIteration:
                raise InputError(f"{self.file.uri} is empty: a CSV file needs a header row") from None
            except csv.Error as exc:
                raise InputError(f"{self.file.uri}: cannot read the header row ({exc})") from None
            self._check_header()
            id_at = self.header.index(self.columns.id)
            start, first = position["bytes"], position["line"] + 1
            while True:
                try:
                    row = next(reader)
                    error = None
                except StopIteration:
                    break
                except csv.Error as exc:
                    row, error = None, f"malformed CSV row: {exc}"
                end = position["bytes"]
                entry = self._entry(row, error, id_at, start, end, first)
                if entry is not None:
                    yield entry
                start, first = end, position["line"] + 1

    def _entry(self, row, error, id_at, start, end, line) -> Entry | None:
        where = f"{self.name}:{line}"
        ref = (start, end - start)
        if row is not None and not any(cell.strip() for cell in row):
            return None  # blank line
        if error is None and any(_undecodable(cell) for cell in row):
            error = "the row is not valid UTF-8 (undecodable bytes); save the CSV file as UTF-8"
        if error is None and len(row) != len(self.header):
            error = f"the row has {len(row)} fields, the header has {len(self.header)}"
        if error is None and not row[id_at].strip():
            error = f"no {self.columns.id!r} value: every record needs an id"
        digest = f"{zlib.crc32(repr(row).encode('utf-8', 'surrogateescape')):08x}"
        if error is not None:
            return Entry(where, None, ref, digest, error=error, line=line)
        return Entry(where, row[id_at].strip(), ref, digest, line=line)

    def load(self, entries: list[Entry]) -> list[Record]:
        wanted = [e for e in entries if e.error is None]
        if not wanted:
            return []
        start = min(e.ref[0] for e in wanted)
        end = max(e.ref[0] + e.ref[1] for e in wanted)
        blob = read_range(self.file, start, end - start)
        records = []
        for e in wanted:
            text = blob[e.ref[0] - start : e.ref[0] - start + e.ref[1]].decode("utf-8", "surrogateescape")
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter))
            row = rows[0] if len(rows) == 1 else None
            if row is None or f"{zlib.crc32(repr(row).encode('utf-8', 'surrogateescape')):08x}" != e.digest:
                records.append(Record(e, error=f"{e.location} changed while the run was going on; run again"))
                continue
            records.append(record_from_fields(e, dict(zip(self.header, row)), self.columns, self.options))
        return records

    def file_of(self, entry: Entry) -> str:
        return self.file.uri

    def _check_header(self) -> None:
        c = self.columns
        shown = ", ".join(self.header[:20]) or "none"
        if c.id not in self.header:
            raise InputError(
                f"{self.file.uri} has no {c.id!r} column (its columns are: {shown}); name the id column with "
                "--columns id=NAME"
            )
        if not {c.text, c.html, c.url} & set(self.header):
            raise InputError(
                f"{self.file.uri} has no {c.text!r}, {c.html!r} or {c.url!r} column to analyse (its columns are: "
                f"{shown}); name it with --columns text=NAME"
            )


def _undecodable(cell: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in cell)
