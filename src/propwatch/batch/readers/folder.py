"""A folder of article files, searched recursively: ``.txt`` (PTC title convention) and ``.html``/``.htm``
(main text extracted by trafilatura), decoded by the same rules as ``propwatch analyze``.

An article's id is its path inside the folder without the suffix (``rt/2019/story-12``), and its ``source``
is the first sub-folder (``rt``), so a corpus laid out one folder per outlet compares outlets with no extra
work. Hidden files and folders are skipped; other files are counted and reported, never guessed at.

Symbolic links are read only where they cannot lead the scan astray: a link to a file inside the folder is
read as that file; a link to a folder is never followed (out of the tree it would read what was not asked for,
back into it the same files again, or for ever), and neither is a link to a file outside the folder (a link to
``/etc/passwd`` is not an article). Each link not followed is a line of ``errors.jsonl``, saying why.

PTC-style folders (``DIR/articles/article<ID>.txt``, or a folder holding only ``article<ID>.txt`` files)
use the PTC id (``<ID>``) and keep a UTF-8 byte-order mark as PTC's offsets do, so spans can be compared
with the corpus labels.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Iterator

import pyarrow.fs as pafs

from ...analyzer import check_length
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
        files, self.skipped, links = _list(self.root, recursive=not self.ptc)
        listing: list[tuple[str, int, str | None]] = [(rel, size, None) for rel, size in files]
        listing += [(rel, 0, reason) for rel, reason in links]
        for rel, size, refused in sorted(listing, key=lambda item: item[0]):
            if refused is not None:
                yield Entry(location=rel, id=None, ref=(rel, 0), digest="link", error=refused)
                continue
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
            if loc.local and not _inside(loc.path, self.root.path):  # a link changed since the scan
                raise InputError(f"{loc.uri} now leads outside {self.root.uri}; not read")
            data = read_bytes(loc, max_bytes=self.options.max_bytes, size=size)
            text = decode_bytes(data, loc.uri, max_bytes=self.options.max_bytes, keep_bom=self.ptc)
            article = parse_article(text, id=entry.article_id, source=loc.uri, html=self._is_html(rel))
            check_length(article, self.options.max_words)
            record.article = article
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
        files, _, _ = _list(articles, recursive=False)
        return bool(files) and all(_PTC_NAME.match(rel) for rel, _ in files)
    files, skipped, _ = _list(loc, recursive=True)
    return bool(files) and not skipped and all(_PTC_NAME.match(rel) for rel, _ in files)


def _list(root: Location, recursive: bool) -> tuple[list[tuple[str, int]], int, list[tuple[str, str]]]:
    """``(relative path, size)`` of the article files under ``root``, sorted; how many other files; and the
    symbolic links not followed, with why."""
    if root.local:
        return _list_local(root.path, recursive)
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
    return files, skipped, []


def _list_local(root: str, recursive: bool) -> tuple[list[tuple[str, int]], int, list[tuple[str, str]]]:
    """``_list`` of a local folder, walked without following folder links (pyarrow's listing follows them:
    a link to ``..`` repeats the tree, two make the scan endless)."""
    base = os.path.realpath(root)
    files: list[tuple[str, int]] = []
    links: list[tuple[str, str]] = []
    skipped = 0
    folders = [""]
    while folders:
        rel_dir = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(root, rel_dir)))
        except OSError as exc:
            raise InputError(f"cannot list {os.path.join(root, rel_dir)}: {exc}") from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            article = entry.name.lower().endswith(SUFFIXES)
            if entry.is_symlink():
                target = os.path.realpath(entry.path)
                if os.path.isdir(target):
                    links.append((rel, f"a link to a folder ({target}); links to folders are not followed"))
                elif not os.path.isfile(target):
                    if article:
                        links.append((rel, f"a broken link (to {os.readlink(entry.path)}); not read"))
                elif not _inside(target, base):
                    if article:
                        links.append((rel, f"a link to a file outside the folder ({target}); not read"))
                elif article:
                    files.append((rel, os.stat(target).st_size))
                else:
                    skipped += 1
            elif entry.is_dir(follow_symlinks=False):
                if recursive:
                    folders.append(rel)
            elif entry.is_file(follow_symlinks=False):
                if article:
                    files.append((rel, entry.stat(follow_symlinks=False).st_size))
                else:
                    skipped += 1
    files.sort()
    links.sort()
    return files, skipped, links


def _inside(path: str, root: str) -> bool:
    """``path``, links resolved, is ``root`` or below it."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)
