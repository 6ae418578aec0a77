"""Shared by the corpus commands (``evaluate``, ``predict``, ``tune``, ``ensemble``): pick the corpus articles the
user asked for, with a progress bar."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..errors import DataError
from ..evaluation.run import ArticleProgress
from ..inputs import read_corpus, read_ids, read_split


def select_articles(data: Path, ids_file: Path | None, split: str | None, split_file: Path | None):
    if ids_file and split:
        raise DataError("give either --ids or --split, not both")
    ids = None
    if ids_file:
        ids = read_ids(ids_file)
    elif split:
        split_file = split_file or data.parent / "splits.json"
        if not split_file.exists():
            raise DataError(f"--split needs a split file: {split_file} does not exist (use --split-file)")
        ids = read_split(split_file, split)
    articles = read_corpus(data, ids)
    if not articles:
        raise DataError(f"no articles found in {data}/articles")
    return articles


def article_progress(console: Console, total: int, label: str):
    """A progress bar over articles with rate and ETA (disabled when stderr is not a terminal)."""
    return Progress(
        TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True,
    )


def article_bar(console: Console, label: str) -> ArticleProgress:
    """``article_progress`` for a recipe that runs a model over articles among other steps
    (``evaluation.run.ArticleProgress``): the bar shows while the model runs, and goes when it is done."""

    @contextlib.contextmanager
    def bar(total: int) -> Iterator[Callable[[int], None]]:
        with article_progress(console, total, label) as progress:
            task = progress.add_task("run", total=total)
            yield lambda n: progress.advance(task, n)

    return bar
