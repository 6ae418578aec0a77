"""``propwatch batch``: a whole corpus (folder, JSON Lines, CSV) into Parquet tables, resumable, on local
processes or on Ray. The work is in ``propwatch.batch``; this module parses options and shows progress.

``--store`` is a flag and the database is ``--db PATH``, as for ``propwatch serve``: an option with an optional
value (``--store [DB]``) cannot be declared with typer, and would swallow a following INPUT argument anyway
(``propwatch batch --store corpus.jsonl`` would take the corpus for the database).
"""

from __future__ import annotations

import shlex
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ..analyzer import DEFAULT_MAX_WORDS
from ..batch.readers import InputFormat
from ..batch.records import Columns
from ..errors import PropwatchError
from ..inputs import DEFAULT_MAX_BYTES
from ._util import err_console, handle_errors, warn


class Engine(str, Enum):
    local = "local"
    ray = "ray"


class RateColumn(ProgressColumn):
    """Articles per second over the last samples (rich's own speed columns are for bytes)."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "– articles/s", style="progress.data.speed")


def _columns(value: Optional[str]) -> Columns:
    try:
        return Columns.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def batch_command(
    input: str = typer.Argument(
        ..., metavar="INPUT",
        help="A folder of .txt/.html files (searched recursively), a PTC folder, a .jsonl or a .csv file; "
        "a local path or a URI such as s3://bucket/prefix.",
    ),
    out: str = typer.Option(..., "--out", "-o", help="Run folder (created; run the same command again to resume)."),
    fmt: InputFormat = typer.Option(InputFormat.auto, "--format", case_sensitive=False,
                                    help="Input format (default: from the suffix or folder layout)."),
    columns: Optional[str] = typer.Option(
        None, "--columns", metavar="KEY=NAME,...",
        help="Column or field names, e.g. id=doc_id,text=body,published=date "
        "(keys: id, text, html, url, title, source, published).",
    ),
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes (local) or actors (ray)."),
    engine: Engine = typer.Option(
        Engine.local, "--engine", case_sensitive=False,
        help="local: processes on this machine; ray: Ray Data (pip install 'propwatch\\[ray]').",
    ),
    ray_address: Optional[str] = typer.Option(
        None, "--ray-address", help="Ray cluster to use (auto, ray://HOST:10001); default: start a local Ray."
    ),
    part_size: Optional[int] = typer.Option(
        None, "--part-size", min=1, help="Records per part (the unit of output files and of resume); default 64."
    ),
    threads: Optional[int] = typer.Option(
        None, "--threads", min=1, help="onnxruntime threads per worker (default: cores / workers)."
    ),
    model: Optional[str] = typer.Option(
        None, "--model", help="fast (default, shipped), accurate (larger, shipped), a model name or "
        "a folder.",
    ),
    no_analyses: bool = typer.Option(
        False, "--no-analyses", help="Do not store each article's full analysis (no highlighted views in reports)."
    ),
    store: bool = typer.Option(
        False, "--store", help="Also keep every analysed article in the web app's history, with a permalink "
        "(propwatch serve shows it; propwatch report --server links to it); articles.parquet gets its stored_id.",
    ),
    db: Optional[Path] = typer.Option(
        None, "--db", dir_okay=False, help="History database for --store (implies --store). Default: "
        "$PROPWATCH_DB, else analyses.sqlite3 in the platform data directory, as for propwatch serve.",
    ),
    allow_private: bool = typer.Option(False, "--allow-private", help="Allow URLs on private or loopback addresses."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for each URL."),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse larger articles (bytes)."),
    max_words: int = typer.Option(
        DEFAULT_MAX_WORDS, "--max-words", min=1,
        help="Refuse longer articles (words and symbols); each goes to errors.jsonl like any other bad record.",
    ),
) -> None:
    """Analyse a whole corpus into RUN/articles.parquet and RUN/spans.parquet; failed records go to
    RUN/errors.jsonl. Interrupted? Run the same command again: it finishes what is missing."""
    from ..batch import BatchConfig, Callbacks, ReadOptions, run_batch  # pyarrow: only for this command

    with handle_errors(size_flag="--max-bytes", private_flag="--allow-private"):
        if db is None and store:
            from ..history import default_db_path

            db = default_db_path()
        config = BatchConfig(
            input_format=fmt, columns=_columns(columns), part_size=part_size, engine=engine.value, workers=workers,
            threads=threads, ray_address=ray_address, model=model, keep_analyses=not no_analyses, store=db,
            read=ReadOptions(max_bytes=max_bytes, max_words=max_words, allow_private=allow_private, timeout=timeout),
        )
        progress = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=err_console, transient=True, disable=not err_console.is_terminal,
        )
        with progress:
            task = progress.add_task("scanning", total=None)

            def started(total: int, done: int) -> None:
                if done:
                    err_console.print(f"resuming: {done} of {total} records already done", highlight=False)
                # Resumed records are not counted in the rate: the bar starts at zero over what is left.
                progress.update(task, description="analysing", total=total - done, completed=0)

            callbacks = Callbacks(
                scanned=lambda records, parts: progress.update(task, description=f"{records} records, {parts} parts"),
                started=started,
                progress=lambda n: progress.advance(task, n),  # every few articles, not once per part
            )
            summary = run_batch(input, out, config, callbacks)
        if summary.analysed == 0 and summary.failed:
            raise PropwatchError(
                f"no record could be analysed ({summary.failed} failed, see {summary.errors_file}); "
                f"the first: {summary.first_error}"
            )
        err_console.print(
            f"analysed {summary.records_this_time} records in {summary.seconds:.1f} s "
            f"({summary.rate:.1f} articles/s)"
            + (f"; {summary.parts_resumed} of {summary.parts} parts were already done"
               if summary.parts_resumed else ""),
            highlight=False, markup=False, soft_wrap=True,
        )
        if summary.failed:
            warn(f"{summary.failed} of {summary.records} records failed: see {summary.errors_file}")
        out_path = summary.out.rstrip("/")
        remote = "://" in out_path
        run = "RUN" if remote else shlex.quote(out_path)  # a remote run is reported from a local copy
        if summary.history is None:
            report = f"propwatch report {run} --out report.html"
            stored = ""
        else:
            # Printed with --db always: right whether the database came from --db, PROPWATCH_DB or the default.
            report = (f"propwatch serve --db {shlex.quote(summary.history)}, then propwatch report {run} --out "
                      "report.html --server http://127.0.0.1:8000")
            stored = f"\nand in the web app's history {summary.history}, each with a permalink"
        if remote:
            report = f"copy the run folder to this machine, then {report}"
        err_console.print(
            f"{summary.analysed} articles and {summary.spans} spans in {out_path}/articles.parquet and "
            f"{out_path}/spans.parquet{stored}\nnext: {report}",
            highlight=False, markup=False, soft_wrap=True,
        )
