"""``propwatch compare A B``: two articles (files, URLs or ``-`` for stdin, read as ``propwatch analyze`` reads
them) analysed and shown side by side: scores, technique mix, sources and cast (``comparison.py``, which the
web app's compare page and ``GET /api/v1/compare`` show too).

Both inputs are read before the model is loaded, so a typo in the second path fails at once.
"""

from __future__ import annotations

from typing import List, Optional

import typer
from rich.console import Console

from ..analyzer import DEFAULT_MAX_WORDS, check_length, load_analyzer
from ..comparison import compare
from ..components import COMPONENTS
from ..errors import InputError
from ..inputs import DEFAULT_MAX_BYTES, read_input
from ..render.compare import render_comparison
from ._util import handle_errors, warn
from .analyze import _analyses


def compare_command(
    first: str = typer.Argument(..., metavar="A", help="The first article: a file, an http(s) URL, or - for stdin."),
    second: str = typer.Argument(..., metavar="B", help="The second article, read the same way."),
    as_json: bool = typer.Option(False, "--json", help="Print the comparison as JSON (as the API answers it)."),
    model: Optional[str] = typer.Option(
        None, "--model", help="fast (default, shipped), accurate (built by make accurate-model), a model name or "
        "a folder."),
    without: List[str] = typer.Option(
        [], "--without", metavar="ANALYSIS", callback=_analyses,
        help=f"Leave an analysis out (repeatable). Analyses: {', '.join(COMPONENTS)}.",
    ),
    allow_private: bool = typer.Option(
        False, "--allow-private", help="Allow URLs that resolve to private or loopback addresses."
    ),
    max_bytes: int = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse larger inputs (bytes)."),
    max_words: int = typer.Option(
        DEFAULT_MAX_WORDS, "--max-words", min=1, help="Refuse articles with more words and symbols than this."
    ),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for a URL."),
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
