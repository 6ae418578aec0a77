"""``propwatch batch --store``: every analysed article of a run also goes into the web app's history (the SQLite
file ``propwatch serve`` reads, through ``propwatch.history``), so each has a permalink
``/analyses/<stored_id>`` and ``propwatch report --server`` can link to it. ``articles.parquet`` records each
article's ``stored_id``.

**Why ids are derived, not drawn.** The server draws a random id per analysis; a batch run cannot. A part is
stored in the history before its marker is written (the marker is the run folder's commit point), so a run
killed between the two analyses that part again on resume and stores it again. With freshly drawn ids the
second write would add a second row per article: duplicates in the history, and first rows that no
``stored_id`` names. So an article's id is HMAC-SHA256(run key, article id), cut to 72 bits and written as the
server writes its ids (12 URL-safe characters): the same article of the same run always gets the same id, and
writing it again is an upsert onto the same row (``AnalysisStore.put_many``). Article ids are unique within a
run (the scan turns repeated ids into errors), so stored ids are too. Because every id depends only on the key
and the article id, the final history is the same whichever attempt, worker or engine analysed a part.

**Why a key.** Ids hashed from the article id alone could be computed by anyone who knows or guesses an article
id (file names, URLs, PTC numbers), who could then read analyses never shared with them; the server's random
ids rule that out, and so must these. The key is 256 random bits drawn when the run starts and kept in its
``run.json``: an id then reveals nothing about any other, exactly like the server's. Keeping the key in the run
folder exposes nothing new, since whoever holds the folder holds every ``stored_id`` already
(``articles.parquet``). A new run draws a new key, so analysing a corpus twice gives two sets of rows, as
analysing an article twice in the web app gives two analyses.

**Why only the driver writes.** The history is one SQLite file on the driver's machine: Ray actors may run on
other nodes, and SQLite wants few writers. Workers and actors hand back a part's tables as always; the driver's
commit stores the part in one transaction, fills ``stored_id`` into its articles table, then writes the Parquet
files and the marker. Both engines run that same commit, so their output is identical.

**Why a run keeps its database.** A run refuses to resume with another ``--store`` setting (``history_db`` is
one of the settings a resumed run must match): otherwise the parts done before would be in one database, or
none, and the rest in another, while ``stored_id`` promised permalinks in one place.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError
from ..history import AnalysisStore, Run
from ..schema import Analysis
from .tables import ARTICLES
from .work import PartResult

KEY_BYTES = 32
ID_BYTES = 9
"""72 bits, as the server's own ids (``history.new_id``): 12 URL-safe base64 characters, no padding."""


def stored_id(key: bytes, article_id: str) -> str:
    """The history id of ``article_id`` in the run whose key is ``key``."""
    digest = hmac.new(key, article_id.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:ID_BYTES]).decode("ascii")


def history_settings(db: str | os.PathLike | None, previous: dict[str, Any] | None) -> dict[str, Any]:
    """The run settings for ``--store``: ``history_db`` (the absolute path, or None; a resumed run must match
    it) and ``history_key`` (hex; a resumed run keeps the key it started with, a new run draws one)."""
    if db is None:
        return {"history_db": None}
    path = str(Path(db).expanduser().resolve())
    previous = previous or {}
    key = None
    if previous.get("history_db") == path:
        key = previous.get("history_key")
        if not key:
            raise DataError("the run's run.json has no history_key, so its stored ids cannot be derived again; "
                            "use a new --out folder")
    return {"history_db": path, "history_key": key or secrets.token_hex(KEY_BYTES)}


def run_id(key: bytes) -> str:
    """The run's id in the history (what its list is grouped and filtered by): derived from the key one way, so
    the same run keeps its id when resumed, and the id, which the history shows to anyone who can list it,
    reveals nothing of the key or of any stored id."""
    digest = hashlib.sha256(b"propwatch run id\0" + key).digest()
    return base64.urlsafe_b64encode(digest[:ID_BYTES]).decode("ascii")


class RunHistory:
    """The history database of a stored run, opened on the driver; ``store`` is called once per part. ``name``
    is what the history calls the run (its folder's name)."""

    def __init__(self, db: str, key: str, name: str | None = None):
        self.key = bytes.fromhex(key)
        self.db = AnalysisStore(db)
        self.path = self.db.path
        self.run = Run(id=run_id(self.key), name=name)

    def close(self) -> None:
        self.db.close()

    def store(self, result: PartResult) -> PartResult:
        """Put the part's analysed articles in the history (all or none), and return the part with their
        ``stored_id`` filled in (null for failed articles). Called before the part's files are written."""
        if result.analyses is None:
            raise ValueError("a stored run's parts must carry their analyses")
        analyses = dict(zip(result.analyses.column("id").to_pylist(), result.analyses.column("analysis").to_pylist()))
        ids = result.articles.column("id").to_pylist()
        analysed = pc.is_null(result.articles.column("error")).to_pylist()
        column = [stored_id(self.key, a) if ok else None for a, ok in zip(ids, analysed)]
        # The very JSON of analyses.parquet (timings left out), so the history and the tables agree.
        self.db.put_many([(s, Analysis.model_validate_json(analyses[a])) for a, s in zip(ids, column) if s],
                         run=self.run)
        at = result.articles.schema.get_field_index("stored_id")
        articles = result.articles.set_column(at, ARTICLES.field("stored_id"), pa.array(column, pa.string()))
        return replace(result, articles=articles)
