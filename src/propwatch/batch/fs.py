"""Where a run's input and output live: a local path, or a URI that pyarrow's filesystems understand
(``s3://bucket/key``, ``gs://``, ``hdfs://``, ``file://``).

Everything the batch engines read or write goes through a ``pyarrow.fs.FileSystem``, so the same code runs on
a laptop over a folder and on a Ray cluster over object storage. Credentials come from the usual places
(environment, instance roles); propwatch never handles them.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.fs as pafs

from ..errors import InputError
from ..files import atomic_write_bytes
from ..inputs import DEFAULT_MAX_BYTES, check_size
from ..inputs.text import read_bytes as read_local_bytes

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Location:
    """A filesystem and a path in it; ``uri`` names it in messages (the URI, or the absolute local path)."""

    fs: pafs.FileSystem
    path: str
    uri: str

    @property
    def local(self) -> bool:
        return isinstance(self.fs, pafs.LocalFileSystem)

    def join(self, *parts: str) -> "Location":
        path = "/".join([self.path.rstrip("/"), *parts])
        return Location(self.fs, path, "/".join([self.uri.rstrip("/"), *parts]))

    def info(self) -> pafs.FileInfo:
        return self.fs.get_file_info(self.path)

    def exists(self) -> bool:
        return self.info().type != pafs.FileType.NotFound

    def is_dir(self) -> bool:
        return self.info().type == pafs.FileType.Directory


def locate(where: str | os.PathLike) -> Location:
    """The ``Location`` of a path or URI; ``InputError`` for a scheme pyarrow cannot open."""
    text = os.fspath(where)
    if not _SCHEME.match(text):
        # Absolute, so that locations in the errors file and the tables do not depend on where a resumed
        # run was started from.
        path = str(Path(text).expanduser().resolve())
        return Location(pafs.LocalFileSystem(), path, path)
    try:
        fs, path = pafs.FileSystem.from_uri(text)
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError or ValueError depending on the scheme
        raise InputError(f"cannot open {text}: {exc}") from None
    return Location(fs, path, text)


def read_bytes(loc: Location, *, max_bytes: int = DEFAULT_MAX_BYTES, size: int | None = None) -> bytes:
    """A file's bytes, refusing files over ``max_bytes``; local files go through the core reader."""
    if loc.local:
        return read_local_bytes(loc.path, max_bytes=max_bytes)
    if size is not None:
        check_size(size, loc.uri, max_bytes)
    try:
        with loc.fs.open_input_stream(loc.path) as f:
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"No such file: {loc.uri}") from None
    except OSError as exc:
        raise InputError(f"cannot read {loc.uri}: {exc}") from None
    if len(data) > max_bytes:
        check_size(None, loc.uri, max_bytes)
    return data


def read_range(loc: Location, start: int, length: int) -> bytes:
    """``length`` bytes at ``start`` (one read for a whole part of a JSON Lines or CSV file)."""
    with loc.fs.open_input_file(loc.path) as f:
        return f.read_at(length, start)


def write_atomic(loc: Location, data: bytes) -> None:
    """Write ``data`` so that a reader (or a resumed run) sees the old file or the new one, never half of one.

    Local files go through ``propwatch.files`` (a temporary file beside it, then a rename). Object stores
    (S3, GCS) make every single upload atomic already, and have no real rename, so they are written directly.
    """
    if loc.local:
        atomic_write_bytes(loc.path, data)  # flushed to disk before the rename
        _sync_folder(os.path.dirname(loc.path))  # and the rename too, before the next file (a marker) is written
        return
    with loc.fs.open_output_stream(loc.path) as f:
        f.write(data)


def _sync_folder(path: str) -> None:
    """Flush a folder's entries to disk (POSIX; a no-op where folders cannot be opened, as on Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
