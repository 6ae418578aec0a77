"""``run_batch``: scan the input, plan its parts, skip the parts a previous attempt finished, run the rest on
the chosen engine, and commit each finished part to the run folder as it arrives.

Running the same call again after an interruption (Ctrl-C, ``kill -9``, a lost node) resumes the run: the
plan is the same, so only the missing parts are analysed, and the final tables equal those of a run that was
never interrupted. Settings that would change the output (input, columns, part size, model, the history
database of ``store``) must match the first attempt's; a finished run is simply reported again.

With ``store`` every analysed article also goes into the web app's history, written by this driver only, in
each part's commit before the part's files and marker (``history.py`` says why that is safe to repeat).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Callable

from ..analyzer import Analyzer
from ..components.attributions.component import find_attribution_model, model_for_techniques
from ..components.attributions.component import model_files as attribution_files
from ..errors import InputError
from ..model.config import ModelConfig
from ..model.registry import is_ensemble, member_folders, resolve_model
from .fs import locate
from .history import RunHistory, history_settings
from .plan import DEFAULT_PART_SIZE, Part, plan_parts
from .readers import InputFormat, Reader, open_reader
from .records import Columns, ReadOptions
from .store import ERRORS_FILE, RunStore
from .tables import TABLES_VERSION
from .work import PartResult

ENGINES = ("local", "ray")


@dataclass(frozen=True)
class BatchConfig:
    """How to run a batch. ``part_size=None`` takes the resumed run's part size, or the default."""

    input_format: InputFormat = InputFormat.auto
    columns: Columns = field(default_factory=Columns)
    part_size: int | None = None
    engine: str = "local"
    workers: int = 1
    threads: int | None = None
    ray_address: str | None = None
    model: str | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    keep_analyses: bool = True
    store: str | os.PathLike | None = None
    """The web app's history database to store every analysed article in (``propwatch batch --store``), or
    None. Works with ``keep_analyses=False`` too: the analyses then live in the history only."""


@dataclass(frozen=True)
class RunSummary:
    out: str
    records: int
    parts: int
    parts_resumed: int
    records_this_time: int
    analysed: int
    failed: int
    spans: int
    seconds: float
    errors_file: str
    first_error: str | None
    history: str | None = None
    """The history database the run is stored in (``store``), or None."""

    @property
    def rate(self) -> float:
        """Records per second in this attempt (resumed parts are not counted)."""
        return self.records_this_time / self.seconds if self.seconds > 0 else 0.0


@dataclass
class Callbacks:
    """Hooks for a progress display: ``scanned(records, parts)``, ``started(total, already_done)``,
    ``progress(records)`` as records finish (analysed or failed), ``part_done(records_in_part)`` as each part is
    committed.

    ``progress`` is the one to draw a bar with: the local engine calls it for every group of a few articles, so
    the bar moves from the first seconds, and the Ray engine at least once per part; its calls add up to the
    records of this attempt, and every part's records are counted by the time its ``part_done`` comes. All hooks
    are called on the thread that called ``run_batch``."""

    scanned: Callable[[int, int], None] = lambda records, parts: None
    started: Callable[[int, int], None] = lambda total, done: None
    part_done: Callable[[int], None] = lambda records: None
    progress: Callable[[int], None] = lambda records: None


def run_batch(
    input: str | os.PathLike,
    out: str | os.PathLike,
    config: BatchConfig = BatchConfig(),
    callbacks: Callbacks | None = None,
    analyzer: Analyzer | None = None,
) -> RunSummary:
    """Analyse every record of ``input`` into the run folder ``out`` (see ``store.py`` for its layout).

    ``analyzer`` reuses an already loaded analyzer for the in-process case (local engine, one worker).
    """
    if config.engine not in ENGINES:
        raise InputError(f"unknown engine {config.engine!r}; use one of {', '.join(ENGINES)}")
    if config.workers < 1:
        raise InputError("--workers must be at least 1")
    callbacks = callbacks or Callbacks()
    started = time.perf_counter()
    reader = open_reader(input, config.input_format, config.columns, config.read)
    store = RunStore(locate(out))
    previous = store.settings()
    part_size = config.part_size or (previous or {}).get("part_size") or DEFAULT_PART_SIZE
    parts = plan_parts(reader.scan(), part_size)
    records = sum(len(p.entries) for p in parts)
    callbacks.scanned(records, len(parts))
    if not parts:
        raise InputError(f"no records found in {reader.describe()}")
    settings = {
        "input": reader.input.path if reader.input.local else reader.input.uri,
        "input_format": reader.kind,
        "columns": asdict(config.columns),
        "part_size": part_size,
        "model": model_identity(config.model),
        "keep_analyses": config.keep_analyses,
        "max_words": config.read.max_words,
        "tables": TABLES_VERSION,
        **history_settings(config.store, previous),
        "records": records,
        "parts": len(parts),
    }
    # Refuse another run's folder or settings before the history database is opened (and perhaps created),
    # and open the database before the run folder is created, so a bad --db leaves no run behind.
    store.check(settings)
    name = PurePosixPath(store.root.path).name or None  # what the history calls the run
    history = RunHistory(settings["history_db"], settings["history_key"], name) if settings["history_db"] else None
    try:
        return _run(reader, store, parts, records, settings, config, callbacks, analyzer, history, started)
    finally:
        if history is not None:
            history.close()


def _run(reader: Reader, store: RunStore, parts: list[Part], records: int, settings: dict, config: BatchConfig,
         callbacks: Callbacks, analyzer: Analyzer | None, history: RunHistory | None, started: float) -> RunSummary:
    store.start(settings)
    markers = store.completed(parts)
    pending = [p for p in parts if p.index not in markers]
    callbacks.started(records, sum(len(parts[i].entries) for i in markers))
    counted: dict[int, int] = {}  # records of each part in flight that progress has counted
    committed: set[int] = set()

    def progress(part: Part, n: int) -> None:
        if part.index in committed:
            return  # a worker's update that arrived after its part's result: already counted at the commit
        n = min(n, len(part.entries) - counted.get(part.index, 0))
        if n > 0:
            counted[part.index] = counted.get(part.index, 0) + n
            callbacks.progress(n)

    def commit(part: Part, result: PartResult) -> None:
        if history is not None:
            result = history.store(result)  # before the marker: a part is done only once it is in the history
        markers[part.index] = store.commit(result, part.name, config.keep_analyses)
        committed.add(part.index)
        rest = len(part.entries) - counted.pop(part.index, 0)
        if rest:
            callbacks.progress(rest)  # what the engine did not report as it went (Ray: the whole part)
        callbacks.part_done(len(part.entries))

    # A stored run needs every analysis on the driver even when analyses.parquet is not kept.
    carry_analyses = config.keep_analyses or history is not None

    try:
        if config.engine == "ray":
            from .ray_engine import run_ray

            run_ray(pending, reader, commit, model=config.model, workers=config.workers if config.workers > 1
                    else None, address=config.ray_address, keep_analyses=carry_analyses)
        else:
            threads = config.threads or (default_threads(config.workers) if config.workers > 1 else None)
            from .local import run_local

            run_local(pending, reader, commit, model=config.model, workers=config.workers, threads=threads,
                      keep_analyses=carry_analyses, analyzer=analyzer, progress=progress)
    finally:
        store.write_errors(markers.values())  # also after an interruption: the errors of the parts done so far
    done = list(markers.values())
    errors = [e for m in sorted(done, key=lambda m: m["part"]) for e in m["errors"]]
    summary = RunSummary(
        out=store.root.uri,
        records=records,
        parts=len(parts),
        parts_resumed=len(parts) - len(pending),
        records_this_time=sum(len(p.entries) for p in pending),
        analysed=sum(m["analysed"] for m in done),
        failed=sum(m["failed"] for m in done),
        spans=sum(m["spans"] for m in done),
        seconds=time.perf_counter() - started,
        errors_file=store.root.join(ERRORS_FILE).uri,
        first_error=_where(errors[0]) if errors else None,
        history=str(history.path) if history is not None else None,
    )
    store.finish({k: v for k, v in asdict(summary).items() if k in ("records", "analysed", "failed", "spans")})
    return summary


def _where(error: dict) -> str:
    line = f":{error['line']}" if error.get("line") else ""
    return f"{error['file']}{line}: {error['reason']}"


def default_threads(workers: int) -> int:
    """onnxruntime threads per worker process: the cores shared out, at least one each."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores // workers)


def model_identity(model: str | None) -> dict[str, str]:
    """Name, version and a hash of the model files, the attribution model's included: a resumed run must use the
    very same models."""
    path = resolve_model(model)
    config = ModelConfig.read(path)
    digest = hashlib.sha256()
    model_files = ("config.json", "model.onnx", "span_head.npz", "tokenizer.json")  # this order: older runs' hashes
    if is_ensemble(path):  # its config and every member's files
        files = [path / "config.json"] + [folder / name for folder in member_folders(path) for name in model_files]
    else:
        files = [path / name for name in model_files]
    files += attribution_files(find_attribution_model(model_for_techniques(model)))
    # The span examples shown as reasons are part of every stored analysis, so they are part of the identity;
    # hashed last and only where shipped, so a folder without them keeps the hash it always had.
    folders = member_folders(path) if is_ensemble(path) else [path]
    files += [folder / "examples.npz" for folder in folders if (folder / "examples.npz").exists()]
    for file in files:
        with open(file, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    return {"name": config.name or path.name, "version": config.version, "sha256": digest.hexdigest()[:16]}
