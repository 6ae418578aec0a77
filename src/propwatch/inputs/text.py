"""Plain-text files: read with the size cap first, then the shared decoder, then the PTC title convention."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from ..errors import InputError
from ..schema import Article
from .article import parse_article
from .charset import DEFAULT_MAX_BYTES, check_size, decode_bytes


def read_text_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Article:
    """The article in a text file: id is the file's stem, source its path, line 1 the title if line 2 is blank."""
    path = Path(path)
    return parse_article(read_text(path, max_bytes=max_bytes), id=path.stem, source=str(path), html=False)


def read_text(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES, keep_bom: bool = False) -> str:
    """The decoded text of a file; ``keep_bom`` for corpus files, whose offsets count a UTF-8 BOM."""
    return decode_bytes(read_bytes(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes, keep_bom=keep_bom)


def read_bytes(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, refusing files over ``max_bytes`` before reading them.

    The size comes from ``fstat`` on the opened file (no race with a rename); the read itself is also capped,
    because pipes and special files report size 0.
    """
    name = str(path)
    try:
        with open(path, "rb") as f:
            check_size(os.fstat(f.fileno()).st_size, name, max_bytes)
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"No such file: {name}") from None
    except IsADirectoryError:
        raise InputError(
            f"{name} is a folder, not an article; to analyse every article in it, run "
            f"propwatch batch {shlex.quote(name)} --out RUN_FOLDER (and propwatch report RUN_FOLDER for a dashboard)"
        ) from None
    except PermissionError:
        raise InputError(f"cannot read {name}: permission denied") from None
    except OSError as e:
        raise InputError(f"cannot read {name}: {e.strerror or e}") from None
    if len(data) > max_bytes:
        check_size(None, name, max_bytes)
    return data
