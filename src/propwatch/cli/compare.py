"""``propwatch compare A B``: two articles (files, URLs or ``-`` for stdin, read as ``propwatch analyze`` reads
them) analysed and shown side by side: scores, technique mix, sources and cast (``comparison.py``, which the
web app's compare page and ``GET /api/v1/compare`` show too).

Both inputs are read before the model is loaded, so a typo in the second path fails at once.
"""

from __future__ import annotations

from typing import List, Optional

import typer
from rich.console import Console

from ..analyzer import check_length, load_analyzer
from ..comparison import compare
from ..errors import InputError
from ..inputs import read_input
from ..render.compare import render_comparison
from ._util import ALLOW_PRIVATE, MAX_BYTES, MAX_WORDS, TIMEOUT, WITHOUT, handle_errors, warn


def compare_command(
    first: str = typer.Argument(..., metavar="A", help="The first article: a file, an http(s) URL, or - for stdin."),
    second: str = typer.Argument(..., metavar="B", help="The second article, read the same way."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON (as the API answers it)."),
    model: Optional[str] = typer.Option(
        None, "--model", help="fast (default, shipped), accurate (larger, shipped), a model name or "
        "a folder."),
    without: List[str] = WITHOUT,
    allow_private: bool = ALLOW_PRIVATE,
    max_bytes: int = MAX_BYTES,
    max_words: int = MAX_WORDS,
    timeout: float = TIMEOUT,
) -> None:
    """Compare two articles side by side: scores, technique mix, sources and cast."""
    with handle_errors(size_flag="--max-bytes", private_flag="--allow-private", length_flag="--max-words"):
        if first == "-" and second == "-":
            raise InputError("only one of A and B can be read from stdin (-)")
        articles = []
        for source in (first, second):
            article = read_input(source, allow_private=allow_private, max_bytes=max_bytes, timeout=timeout)
            check_length(article, max_words)  # both before the model loads
            articles.append(article)
        analyzer = load_analyzer(model, exclude=without, max_words=max_words)
        analyses = [analyzer.analyze(article) for article in articles]
        for label, analysis in zip("AB", analyses):
            for message in analysis.warnings:
                warn(f"{label}: {message}")
        comparison = compare(analyses[0], analyses[1])
        console = Console()  # made now, so colour follows where stdout points now
        if as_json:
            console.file.write(comparison.model_dump_json(indent=2) + "\n")
            console.file.flush()
        else:
            render_comparison(comparison, console)
