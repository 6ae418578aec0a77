"""Cutting the scanned input into parts: the unit of work, of output files and of resumption.

The plan is a pure function of the input: entries in the reader's fixed order (sorted file paths, or line
order), duplicate ids marked in that order, then consecutive chunks of ``part_size`` entries. So a resumed
run cuts exactly the same parts as the first one, each part's output files are the same whichever engine or
worker wrote them, and the final output of an interrupted-and-resumed run equals an uninterrupted one.
Each part carries a fingerprint of its entries; a resumed run refuses to mix parts of a changed input.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import Iterable

from .records import Entry

DEFAULT_PART_SIZE = 64
"""Articles per part: small enough that an interruption loses little (a few seconds per worker) and two
workers stay busy on a few hundred articles; use 500-1000 for millions (fewer, larger Parquet files)."""


@dataclass(frozen=True)
class Part:
    index: int
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return f"part-{self.index:06d}"

    @property
    def fingerprint(self) -> str:
        listing = [[e.location, e.id, e.digest, e.error] for e in self.entries]
        return hashlib.sha256(json.dumps(listing, ensure_ascii=False).encode("utf-8")).hexdigest()[:32]


def mark_duplicates(entries: Iterable[Entry]) -> Iterable[Entry]:
    """The second and later records with an id already seen become errors naming the first one."""
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.error is None and entry.id is not None:
            first = seen.setdefault(entry.id, entry.location)
            if first != entry.location:
                entry = replace(entry, error=f"duplicate id {entry.id!r} (first used at {first}); record skipped")
        yield entry


def plan_parts(entries: Iterable[Entry], part_size: int = DEFAULT_PART_SIZE) -> list[Part]:
    if part_size < 1:
        raise ValueError("part_size must be at least 1")
    parts: list[Part] = []
    chunk: list[Entry] = []
    for entry in mark_duplicates(entries):
        chunk.append(entry)
        if len(chunk) == part_size:
            parts.append(Part(len(parts), tuple(chunk)))
            chunk = []
    if chunk:
        parts.append(Part(len(parts), tuple(chunk)))
    return parts
