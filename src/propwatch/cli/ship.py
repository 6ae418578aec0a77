"""``propwatch ship``: put a finished technique model into the package's shipped models
(``propwatch/models/NAME``), its weights in pieces of at most 45 MB so that every file stays under the
repository's 50 MB cap (``training.ship`` says how). ``make accurate-model`` ships all-mpnet-base-v2 with it;
maintainers then commit the folder.
"""

from __future__ import annotations

from pathlib import Path

import typer

from ..training.ship import ship_model
from ._util import err_console, handle_errors


def ship_command(
    model: Path = typer.Argument(..., help="A finished technique model folder (config.json, model.onnx, ...)."),
    name: str = typer.Option(..., "--as", help="Its name in the package: propwatch/models/NAME."),
) -> None:
    """Copy MODEL into the package's shipped models as NAME, its ONNX weights in pieces of at most 45 MB."""
    with handle_errors():
        folder = ship_model(model, name)
        sizes = {p.name: p.stat().st_size for p in sorted(folder.iterdir())}
        err_console.print(f"shipped as {folder} ({sum(sizes.values()) / 1e6:.1f} MB in {len(sizes)} files; the "
                          f"largest {max(sizes.values()) / 1e6:.1f} MB)", highlight=False, markup=False)
