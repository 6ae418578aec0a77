"""``propwatch analyze``: one article (file, URL or stdin) in, a report out: terminal, HTML, JSON or the
SemEval submission formats.

The input is read before the model is loaded, so a typo in a path or a refused URL fails at once instead of
after the second the model takes to load.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress

from ..analyzer import Progress, ProgressCallback, check_length, load_analyzer
from ..inputs import format_si, format_tc, read_input
from ..render import render_html, render_terminal, to_json
from ..schema import Analysis
from ..techniques import parse_filter
from ._util import (
    ALLOW_PRIVATE,
    MAX_BYTES,
    MAX_WORDS,
    TIMEOUT,
    WITHOUT,
    check_out_path,
    err_console,
    handle_errors,
    warn,
    write_report,
)


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    si = "si"
    tc = "tc"


def _techniques(value: Optional[str]) -> Optional[frozenset[str]]:
    """Option callback, so a bad id is a usage error naming ``--techniques`` (exit 2, valid ids listed)."""
    try:
        return parse_filter(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None



def analyze_command(
    source: str = typer.Argument(..., metavar="SOURCE", help="Article file, http(s) URL, or - for stdin."),
    fmt: Format = typer.Option(
        Format.text, "--format", "-f", case_sensitive=False,
        help="text: terminal report; html: self-contained page; json: the full analysis; "
        "si / tc: SemEval-2020 Task 11 submission lines.",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", "-o", dir_okay=False, help="Write the report to this file instead of stdout."
    ),
    min_score: float = typer.Option(
        0.0, "--min-score", min=0.0, max=1.0, help="Show only spans the model scores at least this high (0..1)."
    ),
    techniques: Optional[str] = typer.Option(
        None, "--techniques", "-t", metavar="LIST", callback=_techniques,
        help="Comma-separated technique ids or short codes to show, e.g. loaded_language,DOUBT.",
    ),
    model: Optional[str] = typer.Option(
        None, "--model",
        help="fast (default, shipped), accurate (larger, shipped), a model name or a folder.",
    ),
    without: List[str] = WITHOUT,
    allow_private: bool = ALLOW_PRIVATE,
    max_bytes: int = MAX_BYTES,
    max_words: int = MAX_WORDS,
    timeout: float = TIMEOUT,
    explain: bool = typer.Option(
        False, "--explain", help="Under each span in the terminal report: the words that weighed most and the "
        "annotated spans of the same technique it is most like.",
    ),
) -> None:
    """Find propaganda techniques in one article and report them, span by span."""
    chosen: Optional[frozenset[str]] = techniques  # type: ignore[assignment]  # parsed by the callback
    with handle_errors(size_flag="--max-bytes", private_flag="--allow-private", length_flag="--max-words"):
        if out is not None:
            check_out_path(out)  # before the article is read or analysed: a bad path wastes no work
        article = read_input(source, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout)
        check_length(article, max_words)  # before the model loads, as for every other input error
        analyzer = load_analyzer(model, exclude=without, max_words=max_words)
        with progress_bar(progress_console()) as report:
            analysis = analyzer.analyze(article) if report is None else analyzer.analyze(article, progress=report)
        for message in analysis.warnings:
            warn(message)
        analysis = analysis.filtered(min_score, chosen)
        if out is None:
            _write(analysis, fmt, Console(), explain)  # made now, so colour follows where stdout points now
        else:
            # Render fully before touching the file, so a failure never leaves half a report behind.
            buffer = io.StringIO()
            _write(analysis, fmt, Console(file=buffer, width=100, color_system=None), explain)
            write_report(out, buffer.getvalue())
            err_console.print(f"wrote the {fmt.value} report to {out}", highlight=False, markup=False)


# -- progress on a terminal (newsroom issue, feature 8) -------------------------------------------------------
STEP_NAMES = {"techniques": "finding techniques", "attributions": "finding who says so", "actors": "finding the cast"}


def progress_console() -> Console:
    """Where progress goes: stderr, made now (it may have been redirected since import)."""
    return Console(stderr=True)


@contextmanager
def progress_bar(console: Console) -> Iterator[Optional[ProgressCallback]]:
    """A progress bar on ``console`` while the analysis runs, fed by the analyzer's own reports (the step, and
    the encoder windows done of it), gone when it ends; None, and nothing drawn, where ``console`` is no
    terminal (a pipe, a file, a test), so redirected output never holds it."""
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[passages]}"),
               TimeElapsedColumn())
    # Drawn at each report rather than by a timer: every step shows, and the windows come often enough.
    with RichProgress(*columns, console=console, transient=True, auto_refresh=False) as bar:
        task = bar.add_task("Analysing", total=1.0, passages="")

        def report(progress: Progress) -> None:
            step = STEP_NAMES.get(progress.step, progress.step)
            where = f"Step {progress.step_number} of {progress.steps}: " if progress.steps > 1 else ""
            bar.update(task, completed=progress.fraction, description=f"{where}{step}",
                       passages=f"{progress.done}/{progress.total} passages" if progress.total else "")
            bar.refresh()

        yield report


def _write(analysis: Analysis, fmt: Format, target: Console, explain: bool = False) -> None:
    """Rich reports go through ``target`` (``explain``: with each span's reasons); the other formats are written
    verbatim to its file (JSON and HTML always carry the reasons)."""
    if fmt is Format.text:
        render_terminal(analysis, target, explain=explain)
        return
    doc = analysis.article.id
    if fmt is Format.json:
        body = to_json(analysis)
    elif fmt is Format.html:
        body = render_html(analysis, analysed_at=datetime.now(timezone.utc))  # analysed just now
    elif fmt is Format.si:
        # SI scores stretches, not techniques: two techniques on the same words are one SI span.
        body = format_si(sorted({(doc, s.start, s.end) for s in analysis.spans}, key=lambda r: r[1:]))
    else:
        body = format_tc([(doc, s.technique, s.start, s.end) for s in analysis.spans])
    target.file.write(body if not body or body.endswith("\n") else body + "\n")
    target.file.flush()
