"""The ``propwatch`` command: a registry of subcommands, one module each (``cli/analyze.py``, ...).

Keep this file thin: a new command is written in its own module and registered here with one line.
"""

from __future__ import annotations

from typing import Optional

import typer

from .analyze import analyze_command
from .batch import batch_command
from .compare import compare_command
from .crossval import crossval_command
from .ensemble import ensemble_command
from .evaluate import evaluate_command
from .predict import predict_command
from .reasons import examples_command, reliability_command
from .report import report_command
from .serve import serve_command
from .ship import ship_command
from .train import train_command
from .tune import tune_command

app = typer.Typer(
    help="Find propaganda techniques in news articles, span by span, and show them to readers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"propwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Optional[bool] = typer.Option(
        None, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Find propaganda techniques in news articles, span by span, and show them to readers."""


app.command("analyze")(analyze_command)
app.command("batch")(batch_command)
app.command("compare")(compare_command)
app.command("crossval")(crossval_command)
app.command("ensemble")(ensemble_command)
app.command("evaluate")(evaluate_command)
app.command("examples")(examples_command)
app.command("predict")(predict_command)
app.command("reliability")(reliability_command)
app.command("report")(report_command)
app.command("serve")(serve_command)
app.command("ship")(ship_command)
app.command("train")(train_command)
app.command("tune")(tune_command)


def main() -> None:
    """Console-script entry point (``propwatch = "propwatch.cli.app:main"``)."""
    app()


if __name__ == "__main__":
    main()
