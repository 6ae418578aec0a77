"""The attribution task of ``propwatch train`` (the tagger of who says what, on PolNeAR): checking the options and
printing; the work is in ``training.attribution_train`` and ``training.attribution_export``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ModelError
from ..inputs.polnear import compartment
from ._util import err_console, handle_errors


def _log(message: str) -> None:
    """A progress line kept whole (a log file of a long run is read with grep)."""
    err_console.print(message, soft_wrap=True, highlight=False, markup=False)


def train_attribution_command(data: Path, out: Path, install_as: str | None, **settings: Any) -> None:
    """``settings``: the fields of ``AttributionTrainConfig`` the command line gave (None: the default)."""
    with handle_errors():
        compartment(data, "train")  # a clear error before torch loads
        compartment(data, "dev")
        try:
            from ..training.attribution_export import export_attribution
            from ..training.attribution_train import AttributionTrainConfig, train_attribution
        except ImportError as exc:  # torch or transformers missing
            raise ModelError(f"training needs the [train] extra ({exc.name} is missing): "
                             "pip install 'propwatch[train]'") from exc
        given = {k: v for k, v in settings.items() if v is not None}
        cfg = AttributionTrainConfig(data=str(data), out=str(out), **given)
        run = train_attribution(cfg, log=_log)
        folder = export_attribution(run, cfg, compartment(data, "dev"), log=_log)
        if install_as:
            from ..model.loader import install_folder

            folder = install_folder(folder, install_as)
            err_console.print(f"installed as {install_as!r} in {folder.parent}")
        err_console.print(f"use it with: propwatch evaluate --task attribution --data {data} --split dev "
                          f"--model {install_as or folder}")
