"""A folder of article files, searched recursively: ``.txt`` (PTC title convention) and ``.html``/``.htm``
(main text extracted by trafilatura), decoded by the same rules as ``propwatch analyze``.

An article's id is its path inside the folder without the suffix (``rt/2019/story-12``), and its ``source``
is the first sub-folder (``rt``), so a corpus laid out one folder per outlet compares outlets with no extra
work. Hidden files and folders are skipped; other files are counted and reported, never guessed at.

PTC-style folders (``DIR/articles/article<ID>.txt``, or a folder holding only ``article<ID>.txt`` files)
use the PTC id (``<ID>``) and keep a UTF-8 byte-order mark as PTC's offsets do, so spans can be compared
with the corpus labels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

import pyarrow.fs as pafs

from ...errors import InputError
from ...inputs import decode_bytes, parse_article
from ..fs import Location, read_bytes
from ..records import Entry, ReadOptions, Record

SUFFIXES = (".txt", ".html", ".htm")
_PTC_NAME = re.compile(r"^article(.+)\.txt$")


@dataclass
class FolderReader:
    root: Location
    ptc: bool = False
    options: ReadOptions = field(default_factory=ReadOptions)
    kind: str = "folder"
    skipped: int = 0

    def __post_init__(self) -> None:
        if self.ptc:
            self.kind = "ptc"

    @property
    def input(self) -> Location:
        return self.root

    def describe(self) -> str:
        return f"{'PTC folder' if self.ptc else 'folder'} {self.root.uri}"

    def scan(self) -> Iterator[Entry]:
        files, self.skipped = _list(self.root, recursive=not self.ptc)
        for rel, size in files:
            if self.ptc:
                match = _PTC_NAME.match(rel)
                if not match:
                    self.skipped += 1
                    continue
                article_id = match.group(1)
            else:
                article_id = rel.rsplit(".", 1)[0]
            yield Entry(location=rel, id=article_id, ref=(rel, size), digest=str(size))

    def load(self, entries: list[Entry]) -> list[Record]:
        return [self._load(e) for e in entries]

    def file_of(self, entry: Entry) -> str:
        return self.root.join(entry.ref[0]).uri

    def _load(self, entry: Entry) -> Record:
        rel, size = entry.ref
        loc = self.root.join(rel)
        record = Record(entry, source=None if self.ptc or "/" not in rel else rel.split("/", 1)[0])
        try:
            data = read_bytes(loc, max_bytes=self.options.max_bytes, size=size)
            text = decode_bytes(data, loc.uri, max_bytes=self.options.max_bytes, keep_bom=self.ptc)
            record.article = parse_article(text, id=entry.article_id, source=loc.uri, html=self._is_html(rel))
        except InputError as exc:
            record.error = str(exc)
        return record

    def _is_html(self, rel: str) -> bool | None:
        """An .html name settles it, and so does a PTC folder (plain text by definition); otherwise the content
        decides (None)."""
        if rel.lower().endswith((".html", ".htm")):
            return True
        return False if self.ptc else None


def is_ptc_folder(loc: Location) -> bool:
    """``DIR/articles/article<ID>.txt``, or a folder whose files are all ``article<ID>.txt``."""
    articles = loc.join("articles")
    if articles.is_dir():
        files, _ = _list(articles, recursive=False)
        return bool(files) and all(_PTC_NAME.match(rel) for rel, _ in files)
    files, skipped = _list(loc, recursive=True)
    return bool(files) and not skipped and all(_PTC_NAME.match(rel) for rel, _ in files)


def _list(root: Location, recursive: bool) -> tuple[list[tuple[str, int]], int]:
    """``(relative path, size)`` of the article files under ``root``, sorted, and how many other files."""
    selector = pafs.FileSelector(root.path, recursive=recursive)
    try:
        infos = root.fs.get_file_info(selector)
    except OSError as exc:
        raise InputError(f"cannot list {root.uri}: {exc}") from None
    base = root.path.rstrip("/") + "/"
    files, skipped = [], 0
    for info in infos:
        if info.type != pafs.FileType.File:
            continue
        rel = info.path[len(base):] if info.path.startswith(base) else info.base_name
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        if rel.lower().endswith(SUFFIXES):
            files.append((rel, info.size))
        else:
            skipped += 1
    files.sort()
    return files, skipped
