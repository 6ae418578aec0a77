"""The run folder: what a batch run leaves behind, written so that ``kill -9`` at any moment leaves a
consistent run that the same command finishes.

::

    RUN/run.json                          the run's settings (input, columns, part size, model, history
                                          database and key with --store) and totals
    RUN/articles.parquet/part-000000.parquet    one row per article   ┐ one file per part in each
    RUN/spans.parquet/part-000000.parquet       one row per span      │ folder; any Parquet reader
    RUN/attributions.parquet/part-000000.parquet  one row per claim   │ reads a folder as one table
    RUN/actors.parquet/part-000000.parquet      one row per actor     │
    RUN/analyses.parquet/part-000000.parquet    full Analysis JSON    ┘
    RUN/parts/part-000000.json            the manifest: one marker per completed part, with its errors
    RUN/errors.jsonl                      every failed record (file, line, id, reason), in input order

A part is done when its marker exists, and the marker is written only after the part's Parquet files are in
place, on disk; every file is written whole or not at all (``fs.write_atomic``). So an interrupted run has
complete parts and at most one half-written part per worker, whose files are simply written again on resume;
and a resumed run checks that each done part's files are Parquet with the rows its marker counts, and redoes a
part whose files were damaged since. The
manifest is one small marker per part rather than one file rewritten after every part: a million-article run
has thousands of parts, and rewriting one growing manifest after each would copy it quadratically.
``errors.jsonl`` is rebuilt from the markers, so errors are never duplicated by a resumed run.
"""

from __future__ import annotations

import datetime
import io
import json
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from ..analyzer import DEFAULT_MAX_WORDS
from ..errors import DataError
from .fs import Location, write_atomic
from .plan import Part
from .work import PartResult

RUN_FORMAT = "propwatch-run/1"
RUN_FILE = "run.json"
ERRORS_FILE = "errors.jsonl"
TABLES = ("articles", "spans", "attributions", "actors", "analyses")
COUNTED = {"articles": "articles", "spans": "spans", "attributions": "attributions", "actors": "actors",
           "analyses": "analysed"}
"""The marker key that counts each table's rows (``analysed``: a row per article analysed without error)."""
MATCHING = ("input", "input_format", "columns", "part_size", "model", "keep_analyses", "history_db", "max_words",
            "tables")
"""Settings a resumed run must share with the first one, or its parts would not fit together (``history_db``:
the database of ``--store``, or null; parts stored in two databases, or some not at all, would break the
permalinks that ``stored_id`` promises; ``max_words``: which articles are refused as too long; ``tables``: the
tables' layout, ``tables.TABLES_VERSION``, as parts of two layouts would not read as one table)."""
DEFAULTS = {"max_words": DEFAULT_MAX_WORDS, "tables": 1}
"""Settings added after the run format: what a run written before them used."""


class RunStore:
    def __init__(self, root: Location):
        self.root = root

    def table_dir(self, table: str) -> Location:
        return self.root.join(f"{table}.parquet")

    @property
    def parts_dir(self) -> Location:
        return self.root.join("parts")

    def settings(self) -> dict[str, Any] | None:
        """The settings of the run already in the folder, or None for a new run."""
        run_file = self.root.join(RUN_FILE)
        if not run_file.exists():
            return None
        try:
            with run_file.fs.open_input_stream(run_file.path) as f:
                settings = json.loads(f.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DataError(f"{run_file.uri} is not a readable run file ({exc}); use a new --out folder") from None
        if settings.get("format") != RUN_FORMAT:
            raise DataError(f"{run_file.uri} was written by another version of propwatch; use a new --out folder")
        return settings

    def check(self, settings: dict[str, Any]) -> dict[str, Any] | None:
        """Refuse a folder that holds something else, or a run with other settings, without writing anything
        (so a run can check before it opens other resources, such as the history database); returns the
        settings of the run already there, or None for a new run."""
        existing = self.settings()
        if existing is None:
            if self.root.exists() and not self.root.is_dir():
                raise DataError(f"{self.root.uri} is a file; --out needs a folder")
            if self.root.is_dir() and self.root.fs.get_file_info(pafs.FileSelector(self.root.path)):
                raise DataError(
                    f"{self.root.uri} already exists and is not a propwatch run folder; choose a new or empty --out"
                )
            return None
        differences = [
            f"{key}: {json.dumps(existing.get(key, DEFAULTS.get(key)))} before, {json.dumps(settings.get(key))} now"
            for key in MATCHING if existing.get(key, DEFAULTS.get(key)) != settings.get(key)
        ]
        if differences and existing.get("tables", DEFAULTS["tables"]) != settings.get("tables"):
            raise DataError(
                f"{self.root.uri} holds a run begun by another version of propwatch, whose tables have other "
                f"columns ({'; '.join(differences)}); finish it with that version, or choose a new --out folder"
            )
        if differences:
            raise DataError(
                f"{self.root.uri} holds a run with other settings ({'; '.join(differences)}); run it with the same "
                "input and options to resume it, or choose a new --out folder"
            )
        return existing

    def start(self, settings: dict[str, Any]) -> bool:
        """Create the run folder, or check that it holds the same run; True when resuming."""
        existing = self.check(settings)
        if existing is None:
            for folder in (self.root, self.parts_dir, *(self.table_dir(t) for t in TABLES)):
                folder.fs.create_dir(folder.path, recursive=True)
            created = {"format": RUN_FORMAT, **settings, "created": _now(), "finished": None}
            self._write_json(self.root.join(RUN_FILE), created)
            return False
        for folder in (self.parts_dir, *(self.table_dir(t) for t in TABLES)):
            folder.fs.create_dir(folder.path, recursive=True)
        return True

    def completed(self, parts: list[Part]) -> dict[int, dict]:
        """Markers of the parts already done whose files are all in place; ``DataError`` when a done part no
        longer matches the input (the input changed since the run started)."""
        markers = {name: loc for name, loc in self._files(self.parts_dir, ".json")}
        present = {t: {name for name, _ in self._files(self.table_dir(t), ".parquet")} for t in TABLES}
        done = {}
        for part in parts:
            loc = markers.get(part.name)
            if loc is None:
                continue
            marker = self._read_json(loc)
            if marker is None:
                continue
            if marker.get("fingerprint") != part.fingerprint:
                first = part.entries[0].location
                raise DataError(
                    f"the input has changed since this run started (part {part.index}, from {first}, differs); "
                    f"use a new --out folder for the new input"
                )
            tables = tuple(t for t in TABLES if t != "analyses" or marker.get("keep_analyses", True))
            # A part done before a table existed (attributions, actors) is redone, so every part has every table.
            if (all(COUNTED[t] in marker for t in tables) and all(part.name in present[t] for t in tables)
                    and self._intact(part.name, marker, tables)):
                done[part.index] = marker
        return done

    def _intact(self, part_name: str, marker: dict, tables: tuple[str, ...]) -> bool:
        """The part's files are Parquet files with the rows its marker counts. A file damaged after it was
        written (a disk error, a copy cut short, a hand edit) fails this, and its part is analysed again rather
        than reported as done and breaking ``propwatch report``. Footers only: a whole run is not read again."""
        expected = {table: marker.get(key) for table, key in COUNTED.items()}
        for table in tables:
            loc = self.table_dir(table).join(f"{part_name}.parquet")
            try:
                with loc.fs.open_input_file(loc.path) as f:
                    rows = pq.ParquetFile(f).metadata.num_rows
            except (OSError, ValueError, pa.ArrowException):
                return False
            if rows != expected[table]:
                return False
        return True

    def commit(self, result: PartResult, part_name: str, keep_analyses: bool) -> dict:
        """Write a part's tables, then its marker (the commit point). Returns the marker."""
        tables = {"articles": result.articles, "spans": result.spans, "attributions": result.attributions,
                  "actors": result.actors}
        if keep_analyses and result.analyses is not None:
            tables["analyses"] = result.analyses
        for table, data in tables.items():
            buffer = io.BytesIO()
            pq.write_table(data, buffer, compression="zstd")
            write_atomic(self.table_dir(table).join(f"{part_name}.parquet"), buffer.getvalue())
        marker = {
            "part": result.index,
            "fingerprint": result.fingerprint,
            "items": result.items,
            "articles": result.articles.num_rows,
            "analysed": result.analysed,
            "failed": len(result.errors),
            "spans": result.spans.num_rows,
            "attributions": result.attributions.num_rows,
            "actors": result.actors.num_rows,
            "seconds": result.seconds,
            "keep_analyses": keep_analyses,
            "errors": result.errors,
        }
        self._write_json(self.parts_dir.join(f"{part_name}.json"), marker)
        return marker

    def write_errors(self, markers: Iterable[dict]) -> int:
        """Rebuild ``errors.jsonl`` from the markers of the done parts, in input order; returns its lines."""
        lines = [
            json.dumps({"part": m["part"], **e}, ensure_ascii=False)
            for m in sorted(markers, key=lambda m: m["part"])
            for e in m["errors"]
        ]
        write_atomic(self.root.join(ERRORS_FILE), "".join(f"{line}\n" for line in lines).encode("utf-8"))
        return len(lines)

    def finish(self, summary: dict[str, Any]) -> None:
        settings = self.settings() or {}
        settings.update(finished=_now(), totals=summary)
        self._write_json(self.root.join(RUN_FILE), settings)

    def _files(self, folder: Location, suffix: str) -> list[tuple[str, Location]]:
        try:
            infos = folder.fs.get_file_info(pafs.FileSelector(folder.path, allow_not_found=True))
        except OSError:
            return []
        return [
            (info.base_name[: -len(suffix)], folder.join(info.base_name))
            for info in infos
            if info.type == pafs.FileType.File and info.base_name.endswith(suffix)
            and not info.base_name.startswith(".")
        ]

    def _read_json(self, loc: Location) -> dict | None:
        try:
            with loc.fs.open_input_stream(loc.path) as f:
                return json.loads(f.read().decode("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None  # cannot happen with atomic writes; treat as not done, so the part is redone

    def _write_json(self, loc: Location, value: dict) -> None:
        write_atomic(loc, (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
