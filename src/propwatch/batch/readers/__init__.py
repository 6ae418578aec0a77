"""Readers: the input formats ``propwatch batch`` reads, one module each.

Every reader has the same two steps (see ``records.py``): ``scan()`` yields light ``Entry`` references in a
fixed order, and ``load(entries)`` turns the entries of one part into ``Record`` objects in a worker.
Readers are plain picklable dataclasses, so a local worker process or a Ray actor gets its own copy.
"""

from __future__ import annotations

import os
from enum import Enum
from typing import Iterator, Protocol

import pyarrow.fs as pafs

from ...errors import InputError
from ..fs import Location, locate
from ..records import Columns, Entry, ReadOptions, Record
from .delimited import DelimitedReader
from .folder import FolderReader, is_ptc_folder
from .jsonl import JsonLinesReader

__all__ = ["DelimitedReader", "FolderReader", "InputFormat", "JsonLinesReader", "Reader", "open_reader"]


class InputFormat(str, Enum):
    auto = "auto"
    folder = "folder"
    ptc = "ptc"
    jsonl = "jsonl"
    csv = "csv"


class Reader(Protocol):
    kind: str
    options: ReadOptions

    @property
    def input(self) -> Location: ...

    def scan(self) -> Iterator[Entry]: ...

    def load(self, entries: list[Entry]) -> list[Record]: ...

    def file_of(self, entry: Entry) -> str: ...

    def describe(self) -> str: ...


_JSONL = (".jsonl", ".ndjson", ".jsonlines")
_CSV = (".csv", ".tsv")


def open_reader(
    where: str | os.PathLike,
    fmt: InputFormat = InputFormat.auto,
    columns: Columns | None = None,
    options: ReadOptions | None = None,
) -> Reader:
    """The reader for a path or URI; the format comes from the file suffix or the folder layout unless
    given. Raises ``InputError`` for a missing input or one whose format cannot be told."""
    loc = locate(where)
    columns = columns or Columns()
    options = options or ReadOptions()
    info = loc.info()
    if info.type == pafs.FileType.NotFound:
        raise InputError(f"No such file or folder: {loc.uri}")
    if info.type == pafs.FileType.Directory:
        if fmt in (InputFormat.jsonl, InputFormat.csv):
            raise InputError(f"{loc.uri} is a folder; --format {fmt.value} reads one file")
        ptc = fmt is InputFormat.ptc or (fmt is InputFormat.auto and is_ptc_folder(loc))
        if ptc and loc.join("articles").is_dir():
            loc = loc.join("articles")
        return FolderReader(loc, ptc=ptc, options=options)
    name = loc.path.lower()
    if fmt is InputFormat.jsonl or (fmt is InputFormat.auto and name.endswith(_JSONL)):
        return JsonLinesReader(loc, columns, options)
    if fmt is InputFormat.csv or (fmt is InputFormat.auto and name.endswith(_CSV)):
        return DelimitedReader(loc, columns, options, delimiter="\t" if name.endswith(".tsv") else ",")
    if fmt in (InputFormat.folder, InputFormat.ptc):
        raise InputError(f"{loc.uri} is a file; --format {fmt.value} reads a folder")
    raise InputError(
        f"cannot tell the format of {loc.uri}: give a folder of .txt/.html files, a .jsonl or a .csv file, "
        "or name the format with --format jsonl|csv"
    )
