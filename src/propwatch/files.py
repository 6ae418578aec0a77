"""Writing files so that a crash or a kill never leaves half of one: the one atomic-write helper.

Every durable file propwatch writes (a model's ``config.json``, training checkpoints, batch tables, installed
model folders) goes through here. The new content is written to a hidden temporary file in the same folder,
flushed to disk, and renamed over the target: on POSIX a rename within one file system is atomic, so a reader
(or a resumed run) sees the old file or the new one, never a mixture.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], object], *, durable: bool = True) -> None:
    """Call ``write(f)`` on a temporary file beside ``path``, then rename it over ``path``.

    ``durable`` also flushes the file to disk before the rename (a power cut then keeps the new content, not an
    empty file). A failure removes the temporary file and leaves ``path`` as it was.
    """
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    atomic_write(path, lambda f: f.write(data), durable=durable)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, durable: bool = True) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def replace_folder(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Copy the folder ``source`` to ``target``, replacing what is there, without a moment where ``target`` holds
    half a copy: the copy is made beside it and renamed into place."""
    target = Path(target)
    staging = target.with_name(f".{target.name}.staging")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target
