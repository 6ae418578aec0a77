"""The history: the analyses ``propwatch serve`` makes and the runs ``propwatch batch --store`` keeps, in one
SQLite file, so each analysis has a permalink.

SQLite because a person running ``propwatch serve`` on a laptop should not have to run a database, and one
file is easy to back up, move (``--db``/``PROPWATCH_DB``) or delete. Each row keeps the complete ``Analysis``
as JSON (what the API returns and the result page draws) beside a few columns the history list needs, so the
list never parses JSON. Writes are single statements in transactions (WAL journal): a crash or a full disk
loses at most the analysis being saved, never earlier ones.

The file is watched: if it is deleted or replaced while a process has it open (someone cleaning up, a backup
tool restoring an old copy), every later call raises ``StorageError`` (the server answers 503, and ``/readyz``
says not ready, naming the file). SQLite would otherwise keep writing into the deleted file, so every later
analysis would vanish at exit while the server looked healthy. Reopening a fresh file on its own was the other
choice; it was refused because it would hide the loss (every permalink gone, and the CSRF key with them) from
the person who runs the server: restarting it opens a new file, and that is their decision to make.

A delete can be undone for ``UNDO_MINUTES``: ``delete`` only marks the row (``deleted_at``), every read
skips marked rows, ``restore`` unmarks one within that time, and marked rows older than that are erased for
good (``purge``, run on every delete and when the file is opened), so a deleted article does not linger in the
file. A click on the wrong row's Delete button costs nothing, and nothing is kept that the person wanted gone.

The list is searched in SQL (``search``, a ``HistoryQuery``): by title, outlet or source, by outlet, by a
technique, by a range of scores and by batch run, sorted newest, oldest, highest or lowest score, a page at a
time. So the columns it reads are kept beside the JSON: the article's ``outlet``, ``author`` and ``published``
date, its ``techniques`` (``,doubt,loaded_language,``: the techniques of its spans, for ``instr``), and the
batch ``run_id`` and ``run_name`` that ``propwatch batch --store`` gives its analyses (null for the web app's
and the API's). A file of an older schema gets the columns when it is opened, filled from its JSON.

Ids are 12 random URL-safe characters (72 bits): a permalink can be shared without making the rest of the
history guessable. ``propwatch batch --store`` writes whole runs here through ``put_many``, with ids of the
same form that it derives itself (``batch/history.py`` says why), so that a part written twice is one row.
"""

from __future__ import annotations

import builtins
import datetime
import os
import secrets
import sqlite3
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .errors import PropwatchError
from .schema import Analysis

DB_ENV = "PROPWATCH_DB"
SCHEMA_VERSION = 3
"""2 added ``analyses.deleted_at`` (undoable deletes); 3 the columns the history is searched by (outlet, author,
published, techniques, run_id, run_name). An older file is upgraded when it is opened."""
UNDO_MINUTES = 10
"""How long a deleted analysis can be restored; after that it is erased from the file."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS analyses (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    title TEXT NOT NULL,
    source TEXT,
    score REAL NOT NULL,
    spans INTEGER NOT NULL,
    words INTEGER NOT NULL,
    model TEXT NOT NULL,
    analysis TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX IF NOT EXISTS analyses_newest ON analyses (created_at DESC);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (digest TEXT PRIMARY KEY, token_mac TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


_SEARCH_COLUMNS = {
    "outlet": "TEXT", "author": "TEXT", "published": "TEXT", "techniques": "TEXT NOT NULL DEFAULT ''",
    "run_id": "TEXT", "run_name": "TEXT",
}
"""Added by schema 3; filled from each row's JSON when an older file is upgraded (``_BACKFILL``)."""
_BACKFILL = (
    "UPDATE analyses SET outlet = json_extract(analysis, '$.article.outlet'),"
    " author = json_extract(analysis, '$.article.author'),"
    " published = json_extract(analysis, '$.article.published'),"
    " techniques = coalesce((SELECT ',' || group_concat(key, ',') || ','"
    " FROM json_each(analysis, '$.technique_counts') WHERE value > 0), '')"
)
_LIST_COLUMNS = ("id, created_at, title, source, score, spans, words, model, outlet, author, published, run_id,"
                 " run_name")
SORTS = {
    "newest": "created_at DESC, rowid DESC",
    "oldest": "created_at ASC, rowid ASC",
    "highest": "score DESC, created_at DESC, rowid DESC",
    "lowest": "score ASC, created_at DESC, rowid DESC",
}
"""The orders of the history list (``HistoryQuery.sort``): by time of analysis, or by article score."""
MAX_SEARCH_CHARS = 200


class StorageError(PropwatchError):
    """The history database failed (disk full, file removed, locked for too long)."""


@dataclass(frozen=True)
class Summary:
    """One line of the history."""

    id: str
    created_at: str
    title: str
    source: str | None
    score: float
    spans: int
    words: int
    model: str
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    run_id: str | None = None
    """The batch run that stored it (``propwatch batch --store``), or None for the web app's and the API's."""
    run_name: str | None = None


@dataclass(frozen=True)
class Run:
    """A batch run in the history: its id, its name (the run folder's), how many analyses it holds and when it
    was stored (its first part)."""

    id: str
    name: str | None
    analyses: int = 0
    created_at: str = ""


@dataclass(frozen=True)
class HistoryQuery:
    """What to list of the history: a search, filters, an order and a page. Checked when made: a bad value is
    a ``ValueError`` whose message names the field and says what it takes (the API answers 422 with it, the
    history page shows it above the form).

    ``text`` is matched, case-insensitively and as written (no wildcards), inside the title, the outlet or the
    source; ``outlet`` is one outlet exactly (case-insensitively); ``technique`` keeps the analyses with at
    least one span of that technique (an id); ``min_score``/``max_score`` bound the article score (0 to 1,
    inclusive); ``run`` is a batch run's id."""

    text: str | None = None
    outlet: str | None = None
    technique: str | None = None
    min_score: float = 0.0
    max_score: float = 1.0
    run: str | None = None
    sort: str = "newest"
    limit: int = 20
    offset: int = 0

    def __post_init__(self) -> None:
        from .techniques import TECHNIQUE_IDS

        for name in ("min_score", "max_score"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0 or value != value:
                raise ValueError(f"{name}: a score between 0 and 1 (0% to 100%), not {value!r}")
        if self.min_score > self.max_score:
            raise ValueError(f"min_score: the lowest score ({self.min_score:g}) is above the highest "
                             f"({self.max_score:g})")
        if self.technique is not None and self.technique not in TECHNIQUE_IDS:
            raise ValueError(f"technique: unknown technique {self.technique!r}; the techniques are "
                             f"{', '.join(TECHNIQUE_IDS)}")
        if self.sort not in SORTS:
            raise ValueError(f"sort: {self.sort!r} is no order; use one of {', '.join(SORTS)}")
        if self.limit < 1:
            raise ValueError(f"limit: 1 or more, not {self.limit}")
        if self.offset < 0:
            raise ValueError(f"offset: 0 or more, not {self.offset}")
        for name in ("text", "outlet", "run"):
            value = getattr(self, name)
            if value is not None and len(value) > MAX_SEARCH_CHARS:
                raise ValueError(f"{name}: at most {MAX_SEARCH_CHARS} characters")
            # SQLite ends a LIKE pattern at a NUL, so "%\x00zzz%" would match every analysis.
            if value is not None and "\x00" in value:
                raise ValueError(f"{name}: no NUL characters")

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list (a search or a filter), so "no analyses" means "none match"."""
        return bool(self.text or self.outlet or self.technique or self.run or self.min_score > 0
                    or self.max_score < 1)

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters (always parameters: nothing typed reaches the SQL text)."""
        clauses: list[str] = ["deleted_at IS NULL"]
        params: list[object] = []
        if self.text:
            pattern = "%" + _like_escape(self.text.strip()) + "%"
            clauses.append("(title LIKE ? ESCAPE '\\' OR outlet LIKE ? ESCAPE '\\' OR source LIKE ? ESCAPE '\\')")
            params += [pattern] * 3
        if self.outlet:
            clauses.append("outlet = ? COLLATE NOCASE")
            params.append(self.outlet.strip())
        if self.technique:
            clauses.append("instr(techniques, ?) > 0")
            params.append(f",{self.technique},")
        if self.min_score > 0:
            clauses.append("score >= ?")
            params.append(self.min_score)
        if self.max_score < 1:
            clauses.append("score <= ?")
            params.append(self.max_score)
        if self.run:
            clauses.append("run_id = ?")
            params.append(self.run)
        return " AND ".join(clauses), params


def _like_escape(text: str) -> str:
    """``%`` and ``_`` typed in a search are themselves, not wildcards."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Stored:
    id: str
    created_at: str
    analysis: Analysis


def default_db_path() -> Path:
    """``$PROPWATCH_DB``, or ``analyses.sqlite3`` in the platform's data directory for propwatch
    (``~/.local/share/propwatch`` on Linux, ``~/Library/Application Support/propwatch`` on macOS)."""
    configured = os.environ.get(DB_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("propwatch", appauthor=False) / "analyses.sqlite3"


def _identity(path: Path) -> tuple[int, int]:
    info = os.stat(path)
    return info.st_dev, info.st_ino


def new_id() -> str:
    return secrets.token_urlsafe(9)


def word_count(text: str) -> int:
    return len(text.split())


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def _undo_cutoff() -> str:
    """Rows deleted before this time can no longer be restored."""
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=UNDO_MINUTES)
    return cutoff.isoformat(timespec="milliseconds")


def _columns(analysis: Analysis, run: Run | None = None) -> tuple:
    """The history list's columns of an analysis, then its JSON: the one place a row is made."""
    article = analysis.article
    techniques = "".join(f",{t}" for t, n in analysis.technique_counts.items() if n > 0)
    return (
        article.title or article.id, article.source, analysis.score, len(analysis.spans), word_count(article.text),
        f"{analysis.model.name} {analysis.model.version}", article.outlet, article.author, article.published,
        techniques + "," if techniques else "", run.id if run else None, run.name if run else None,
        analysis.model_dump_json(),
    )


_INSERT = (
    "INSERT INTO analyses (id, created_at, title, source, score, spans, words, model, outlet, author, published,"
    " techniques, run_id, run_name, analysis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT = (
    _INSERT + " ON CONFLICT (id) DO UPDATE SET title = excluded.title, source = excluded.source,"
    " score = excluded.score, spans = excluded.spans, words = excluded.words, model = excluded.model,"
    " outlet = excluded.outlet, author = excluded.author, published = excluded.published,"
    " techniques = excluded.techniques, run_id = excluded.run_id, run_name = excluded.run_name,"
    " analysis = excluded.analysis"
    " WHERE json_extract(analyses.analysis, '$.article.id') IS json_extract(excluded.analysis, '$.article.id')"
)
"""Insert, or replace the row already under that id when it holds the same article (``created_at`` is kept,
so a row written again keeps its place in the history). When the row holds another article nothing changes
and the statement reports 0 rows, which ``put_many`` turns into an error."""


class AnalysisStore:
    """Thread-safe: one connection shared behind a lock (SQLite serialises writers anyway, and every
    statement here takes milliseconds)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA busy_timeout=5000")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise PropwatchError(
                    f"the history database {self.path} was written by a newer propwatch (schema {version}); "
                    "upgrade propwatch or use another file with --db"
                )
            self._db.executescript(_SCHEMA)
            self._upgrade()
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self._db.execute("DELETE FROM analyses WHERE deleted_at < ?", (_undo_cutoff(),))
            self._file = self.path.absolute()
            self._identity = _identity(self._file)
        except (sqlite3.Error, OSError) as exc:
            raise PropwatchError(
                f"cannot open the history database {self.path}: {exc}; choose another file with --db or "
                "PROPWATCH_DB"
            ) from None
        self._lock = threading.Lock()
        self.problem: str | None = None
        """Why the last call failed, or None (for the readiness probe)."""

    def _upgrade(self) -> None:
        """Add what an older file lacks, in one transaction: a file is upgraded whole or not at all."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(analyses)")}
        missing = {name: kind for name, kind in _SEARCH_COLUMNS.items() if name not in columns}
        if "deleted_at" in columns and not missing:
            return
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if "deleted_at" not in columns:  # a version 1 file
                self._db.execute("ALTER TABLE analyses ADD COLUMN deleted_at TEXT")
            for name, kind in missing.items():
                self._db.execute(f"ALTER TABLE analyses ADD COLUMN {name} {kind}")
            if missing:
                self._db.execute(_BACKFILL)
            self._db.execute("CREATE INDEX IF NOT EXISTS analyses_run ON analyses (run_id, created_at)")
            self._db.execute("CREATE INDEX IF NOT EXISTS analyses_score ON analyses (score)")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    @contextmanager
    def _locked(self):
        with self._lock:
            try:
                self._check_file()
                yield self._db
                self.problem = None
            except sqlite3.Error as exc:
                self.problem = f"the history database {self.path} failed: {exc}"
                raise StorageError(self.problem) from None
            except StorageError as exc:
                self.problem = str(exc)
                raise

    def _check_file(self) -> None:
        """``StorageError`` when the file this store opened is no longer at its path."""
        try:
            now = _identity(self._file)
        except OSError:
            now = None
        if now != self._identity:
            raise StorageError(
                f"the history database {self.path} was deleted or replaced while propwatch was using it; "
                "nothing more can be kept in it: restart propwatch to start a new history there (or restore the "
                "file first)"
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def ping(self) -> bool:
        try:
            with self._locked() as db:
                db.execute("SELECT 1").fetchone()
            return True
        except StorageError:
            return False

    def save(self, analysis: Analysis) -> Stored:
        created = _now()
        row = (created, *_columns(analysis))
        with self._locked() as db:
            while True:
                id = new_id()
                try:
                    db.execute(_INSERT, (id, *row))
                    return Stored(id=id, created_at=created, analysis=analysis)
                except sqlite3.IntegrityError:  # a repeated random id: astronomically rare, just draw again
                    continue

    def put_many(self, items: Sequence[tuple[str, Analysis]], run: Run | None = None) -> int:
        """Keep analyses under ids the caller chose, all of them or none (one transaction); returns how many.

        For ``propwatch batch --store``, which derives each article's id from a secret of its run so that a
        part analysed again after an interruption lands on the same rows: a row already under one of these ids
        that holds the same article (same ``article.id``) is replaced, never duplicated. A row that holds a
        *different* article (made in the web app or by another run; with 72-bit ids only astronomical bad luck
        gets here) is never overwritten: the call fails with ``StorageError`` and writes nothing. ``run`` names
        the batch run they belong to (its ``id`` and ``name``; the other fields are not stored), so the history
        can be listed run by run.
        """
        created = _now()
        rows = [(id, created, *_columns(analysis, run)) for id, analysis in items]
        if not rows:
            return 0  # a part whose every record failed: no write lock to take
        with self._locked() as db:
            db.execute("BEGIN IMMEDIATE")  # one writer from here to COMMIT: a part is in the history whole or not
            try:
                for row in rows:
                    if db.execute(_UPSERT, row).rowcount != 1:
                        raise StorageError(
                            f"the history database {self.path} already uses the id {row[0]} for another "
                            "article; nothing of this batch was stored"
                        )
                db.execute("COMMIT")
            except BaseException:  # Ctrl-C as well: never leave the shared connection inside a transaction
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        return len(rows)

    def get(self, id: str) -> Stored | None:
        with self._locked() as db:
            row = db.execute(
                "SELECT id, created_at, analysis FROM analyses WHERE id = ? AND deleted_at IS NULL", (id,)
            ).fetchone()
        if row is None:
            return None
        try:
            analysis = Analysis.model_validate_json(row[2])
        except ValueError as exc:  # pydantic's ValidationError: written by an incompatible propwatch
            raise StorageError(f"the stored analysis {id} cannot be read by this version of propwatch: {exc}") from None
        return Stored(id=row[0], created_at=row[1], analysis=analysis)

    def list(self, limit: int = 20, offset: int = 0) -> tuple[list[Summary], int]:
        """A page of the history, newest first, and the total number of analyses."""
        return self.search(HistoryQuery(limit=limit, offset=offset))

    def search(self, query: HistoryQuery) -> tuple[builtins.list[Summary], int]:
        """A page of the analyses that ``query`` selects, in its order, and how many it selects in all."""
        where, params = query.where()
        with self._locked() as db:
            rows = db.execute(
                f"SELECT {_LIST_COLUMNS} FROM analyses WHERE {where} ORDER BY {SORTS[query.sort]} LIMIT ? OFFSET ?",
                (*params, query.limit, query.offset),
            ).fetchall()
            total = db.execute(f"SELECT COUNT(*) FROM analyses WHERE {where}", params).fetchone()[0]
        return [Summary(*row) for row in rows], total

    def runs(self) -> builtins.list[Run]:
        """The batch runs with analyses in the history, the latest first."""
        with self._locked() as db:
            rows = db.execute(
                "SELECT run_id, max(run_name), COUNT(*), min(created_at) FROM analyses"
                " WHERE deleted_at IS NULL AND run_id IS NOT NULL GROUP BY run_id ORDER BY min(created_at) DESC"
            ).fetchall()
        return [Run(*row) for row in rows]

    def outlets(self, limit: int = 200) -> builtins.list[tuple[str, int]]:
        """The outlets in the history with how many analyses each has, the most analysed first."""
        with self._locked() as db:
            return [tuple(row) for row in db.execute(
                "SELECT outlet, COUNT(*) FROM analyses WHERE deleted_at IS NULL AND outlet IS NOT NULL"
                " GROUP BY outlet COLLATE NOCASE ORDER BY COUNT(*) DESC, outlet LIMIT ?", (limit,))]

    def delete(self, id: str) -> bool:
        """Mark an analysis deleted (``restore`` brings it back for ``UNDO_MINUTES``); False if there is none."""
        with self._locked() as db:
            db.execute("DELETE FROM analyses WHERE deleted_at < ?", (_undo_cutoff(),))
            marked = db.execute("UPDATE analyses SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                                (_now(), id))
            return marked.rowcount > 0

    def restore(self, id: str) -> Stored | None:
        """Undo a delete made less than ``UNDO_MINUTES`` ago: the analysis, back in its place in the history
        (``created_at`` is kept); None when there is nothing to restore (never deleted, or deleted too long
        ago)."""
        with self._locked() as db:
            restored = db.execute(
                "UPDATE analyses SET deleted_at = NULL WHERE id = ? AND deleted_at >= ?", (id, _undo_cutoff())
            )
        return self.get(id) if restored.rowcount > 0 else None

    def deleted(self, id: str) -> Summary | None:
        """The history line of an analysis deleted recently enough to be restored, or None (for the Undo)."""
        with self._locked() as db:
            row = db.execute(
                f"SELECT {_LIST_COLUMNS} FROM analyses WHERE id = ? AND deleted_at >= ?", (id, _undo_cutoff()),
            ).fetchone()
        return Summary(*row) if row else None

    def purge(self) -> int:
        """Erase the analyses deleted more than ``UNDO_MINUTES`` ago; returns how many."""
        with self._locked() as db:
            return db.execute("DELETE FROM analyses WHERE deleted_at < ?", (_undo_cutoff(),)).rowcount

    def add_session(self, digest: str, token_mac: str, expires_at: str) -> None:
        """Keep a signed-in browser's session (its id's digest, never the id), and forget the expired ones."""
        with self._locked() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (_now(),))
            db.execute("INSERT OR REPLACE INTO sessions (digest, token_mac, expires_at) VALUES (?, ?, ?)",
                       (digest, token_mac, expires_at))

    def session_valid(self, digest: str, token_mac: str) -> bool:
        with self._locked() as db:
            row = db.execute("SELECT token_mac, expires_at FROM sessions WHERE digest = ?", (digest,)).fetchone()
        return row is not None and row[0] == token_mac and row[1] >= _now()

    def end_session(self, digest: str) -> None:
        with self._locked() as db:
            db.execute("DELETE FROM sessions WHERE digest = ?", (digest,))

    def secret(self, name: str) -> bytes:
        """A random key kept in the database, made on first use: CSRF tokens signed with it stay valid
        across restarts, and it never leaves the machine."""
        with self._locked() as db:
            db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (f"secret:{name}", secrets.token_hex(32))
            )
            value = db.execute("SELECT value FROM meta WHERE key = ?", (f"secret:{name}",)).fetchone()[0]
        return bytes.fromhex(value)
