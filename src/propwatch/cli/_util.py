"""What every command shares: the consoles, ``warn`` and ``handle_errors``.

A person running propwatch should see one line saying what went wrong, never a traceback: every error
propwatch raises on purpose is a ``PropwatchError`` whose message is written for them, so commands wrap their
body in ``handle_errors()`` and that is the only place errors become exit codes (1 for failures, 2 for usage
errors, which click reports itself).
"""

from __future__ import annotations

import errno
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, NoReturn

import click
import typer
from rich.console import Console
from rich.text import Text

from ..analyzer import DEFAULT_MAX_WORDS
from ..components import COMPONENTS, REQUIRED
from ..components.registry import check_exclude
from ..errors import InputError, ModelError, PrivateAddressError, PropwatchError, TooLargeError, TooLongError
from ..inputs import DEFAULT_MAX_BYTES

console = Console()
"""Reports go to stdout (rich looks up ``sys.stdout`` at each write, so redirection and tests work)."""

err_console = Console(stderr=True)
"""Errors, warnings and progress go to stderr, so stdout stays clean for ``--format json`` and pipes."""


def _stderr() -> Console:
    # A fresh console per message: rich decides on colour when a console is made, and stderr may have been
    # redirected since import (pytest, CliRunner), which must not get escape codes.
    return Console(stderr=True)


def error(message: str, code: int = 1) -> NoReturn:
    """Print ``Error: message`` as one red line on stderr and exit with ``code``."""
    _stderr().print(Text(f"Error: {message}", style="bold red"), soft_wrap=True, highlight=False)
    raise typer.Exit(code)


def warn(message: str) -> None:
    """Print ``Warning: message`` as one yellow line on stderr; the command goes on."""
    _stderr().print(Text(f"Warning: {message}", style="yellow"), soft_wrap=True, highlight=False)


@contextmanager
def handle_errors(size_flag: str | None = None, private_flag: str | None = None,
                  length_flag: str | None = None) -> Iterator[None]:
    """Turn the errors a person can meet into one line on stderr and an exit code.

    ``size_flag``: the command's option that raises the input size cap, named in the too-large error.
    ``private_flag``: the command's option that lets URLs reach private addresses, named in that refusal.
    ``length_flag``: the command's option that raises the words-per-article bound, named in the too-long error.

    Click's own exceptions (usage errors such as ``typer.BadParameter``, ``typer.Exit``) pass through, so
    click prints usage errors with the usage line and exit code 2.
    """
    try:
        yield
    except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except TooLongError as exc:
        error(f"{exc}{f' (or raise the limit with {length_flag})' if length_flag else ''}")
    except TooLargeError as exc:
        error(f"{exc}{f' (or raise the limit with {size_flag})' if size_flag else ''}")
    except PrivateAddressError as exc:
        error(f"{exc.refusal} unless {private_flag} is given" if private_flag else exc.refusal)
    except PropwatchError as exc:
        error(str(exc) or type(exc).__name__)
    except KeyboardInterrupt:
        error("interrupted", code=130)
    except BrokenPipeError:
        # The reader (``| head``) has gone: nothing to tell it. Point stdout at devnull so the interpreter's
        # final flush does not raise again, and exit without a message, as Unix tools do.
        _silence_stdout()
        raise typer.Exit(1) from None
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            _silence_stdout()
            raise typer.Exit(1) from None
        # Input errors arrive as InputError already; a bare OSError is writing --out or a disk problem.
        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}")


def check_out_path(out: Path) -> None:
    """Refuse an ``--out`` that cannot be written before any work is done: its nearest existing folder must be
    a folder (``report.html`` under a file is no path), and writable. Missing folders below it are made when
    the report is written."""
    ancestor = out.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise InputError(f"cannot write {out}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {out}: the folder {ancestor} is not writable")


def write_report(out: Path, text: str) -> None:
    """``text`` into ``out`` (its missing folders made), an error naming the file if the disk refuses it."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (tests, IDEs)
        pass


def analyses_to_leave_out(value: List[str]) -> List[str]:
    """``--without`` callback: an unknown or required analysis is a usage error naming the option (exit 2)."""
    try:
        return sorted(check_exclude(value))
    except ModelError as exc:
        raise typer.BadParameter(str(exc)) from None


# The options of every command that reads and analyses an article (analyze, compare): defined once so the two
# commands cannot drift apart (typer copies an option's settings into each command that uses it).
WITHOUT = typer.Option(
    [], "--without", metavar="ANALYSIS", callback=analyses_to_leave_out,
    help=f"Leave an analysis out (repeatable): {', '.join(n for n in COMPONENTS if n not in REQUIRED)} "
         f"({', '.join(sorted(REQUIRED))} always runs).",
)
ALLOW_PRIVATE = typer.Option(False, "--allow-private", help="Allow URLs that resolve to private or loopback addresses.")
MAX_BYTES = typer.Option(DEFAULT_MAX_BYTES, "--max-bytes", min=1, help="Refuse larger inputs (bytes).")
MAX_WORDS = typer.Option(DEFAULT_MAX_WORDS, "--max-words", min=1,
                         help="Refuse articles with more words and symbols than this.")
TIMEOUT = typer.Option(10.0, "--timeout", min=0.1, help="Seconds to wait for a URL.")
