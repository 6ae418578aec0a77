"""The SemEval-2020 Task 11 submission formats, byte for byte what the official scorers read.

SI (span identification): ``article_id<TAB>start<TAB>end``. TC (technique classification):
``article_id<TAB>TECHNIQUE<TAB>start<TAB>end`` with the PTC label (``Name_Calling,Labeling``), never
propwatch's id. One line per span, ``\\n`` line ends, UTF-8. TC files read back with ``read_labels``, which is
also how gold label files are read, so predictions and gold go through one parser.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..errors import DataError
from ..techniques import TECHNIQUE_IDS, get
from .corpus import GoldSpan, parse_label_lines


def format_si(rows: Iterable[tuple[str, int, int]]) -> str:
    """SI lines for ``(article_id, start, end)`` rows."""
    return "".join(f"{article_id}\t{_offset(start)}\t{_offset(end)}\n" for article_id, start, end in rows)


def format_tc(rows: Iterable[tuple[str, str, int, int]]) -> str:
    """TC lines for ``(article_id, technique, start, end)`` rows; ``technique`` is an id or a PTC label."""
    return "".join(
        f"{article_id}\t{_ptc_label(technique)}\t{_offset(start)}\t{_offset(end)}\n"
        for article_id, technique, start, end in rows
    )


def write_si(rows: Iterable[tuple[str, int, int]], path_or_file: str | os.PathLike | TextIO) -> None:
    """Write an SI submission file (a path, or an open text file such as ``sys.stdout``)."""
    _write(format_si(rows), path_or_file)


def write_tc(rows: Iterable[tuple[str, str, int, int]], path_or_file: str | os.PathLike | TextIO) -> None:
    """Write a TC submission file (a path, or an open text file such as ``sys.stdout``)."""
    _write(format_tc(rows), path_or_file)


def read_labels(path: str | os.PathLike) -> dict[str, list[GoldSpan]]:
    """The spans of a TC labels file (gold or predicted), by article ID, in file order."""
    try:
        content = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"No such labels file: {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise DataError(f"cannot read {path}: {e}") from None
    spans: dict[str, list[GoldSpan]] = {}
    for _, article_id, span in parse_label_lines(content, str(path)):
        spans.setdefault(article_id, []).append(span)
    return spans


def _ptc_label(technique: str) -> str:
    try:
        return get(technique).ptc_label
    except KeyError:
        raise DataError(f"unknown technique {technique!r}; expected one of {', '.join(TECHNIQUE_IDS)}") from None


def _offset(value: int) -> int:
    # Scorers parse integers; a float such as 12.0 would be rejected by them, so refuse it here instead.
    try:
        whole = int(value)
    except (TypeError, ValueError):
        whole = None
    if isinstance(value, (bool, str)) or whole is None or whole != value or whole < 0:
        raise DataError(f"span offsets must be non-negative whole numbers, got {value!r}")
    return whole


def _write(content: str, path_or_file: str | os.PathLike | TextIO) -> None:
    if isinstance(path_or_file, (str, os.PathLike)):
        with open(path_or_file, "w", encoding="utf-8", newline="\n") as f:
            f.write(content)
    elif hasattr(path_or_file, "write"):
        path_or_file.write(content)
    else:
        raise TypeError(f"expected a path or a text file, got {type(path_or_file).__name__}")
