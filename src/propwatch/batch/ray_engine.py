"""The Ray engine: the same parts and the same ``process_part`` as the local engine, run on Ray Data.

The pending parts become a dataset with one row per part; ``map_batches`` sends them to an actor pool whose
actors each load the model once (one onnxruntime thread per actor, one CPU each), and the driver commits each
finished part to the run folder as it streams back. The driver is the only writer (of the run folder, and with
``--store`` of the history database, which stays on the driver's machine), so the run folder may be local to
the driver or in object storage, and the resume rules are exactly the local engine's. Records are
read on the actors: on a cluster the input must be reachable from every node (object storage such as
``s3://``, or a shared filesystem); ``--model`` must name a shipped model or a path present on every node.

Needs the ``[ray]`` extra (``pip install 'propwatch[ray]'``).
"""

from __future__ import annotations

import logging
import os
import pickle
from typing import Callable

from ..errors import PropwatchError
from .plan import Part
from .readers import Reader
from .work import PartResult, process_part

Commit = Callable[[Part, PartResult], None]


class PartActor:
    """A Ray Data actor: the model is loaded once, in ``__init__``, then every part sent to it reuses it."""

    def __init__(self, model: str | None, reader: bytes, keep_analyses: bool):
        from ..analyzer import load_analyzer

        self.analyzer = load_analyzer(model, threads=1)
        self.reader = pickle.loads(reader)
        self.keep_analyses = keep_analyses

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        results = [
            pickle.dumps(process_part(pickle.loads(blob), self.reader, self.analyzer, self.keep_analyses))
            for blob in batch["part"]
        ]
        return {"result": np.array(results, dtype=object)}


def run_ray(
    pending: list[Part],
    reader: Reader,
    commit: Commit,
    *,
    model: str | None = None,
    workers: int | None = None,
    address: str | None = None,
    keep_analyses: bool = True,
) -> None:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise PropwatchError(
            f"--engine ray needs the [ray] extra ({exc.name} is missing): pip install 'propwatch[ray]'"
        ) from None
    if not pending:
        return
    started_here = not ray.is_initialized()
    if started_here:
        # Ray's own chatter (C++ core warnings, per-dataset INFO lines) would bury the progress bar; real
        # failures still arrive as Python exceptions. A user who sets these variables gets their own choice.
        os.environ.setdefault("RAY_DEDUP_LOGS", "0")
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        try:
            ray.init(
                address=address, num_cpus=workers if address is None else None, include_dashboard=False,
                log_to_driver=False, logging_level=logging.ERROR, configure_logging=True,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            where = f"the Ray cluster at {address}" if address else "a local Ray instance"
            raise PropwatchError(f"cannot start or reach {where}: {' '.join(str(exc).split())[:300]}") from None
    try:
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        actors = workers or max(1, int(ray.available_resources().get("CPU", 1)))
        by_index = {p.index: p for p in pending}
        dataset = ray.data.from_items(
            [{"part": pickle.dumps(p)} for p in pending], override_num_blocks=len(pending)
        ).map_batches(
            PartActor,
            fn_constructor_kwargs={"model": model, "reader": pickle.dumps(reader), "keep_analyses": keep_analyses},
            batch_size=1,
            batch_format="numpy",
            compute=ray.data.ActorPoolStrategy(size=min(actors, len(pending))),
            num_cpus=1,
        )
        try:
            for batch in dataset.iter_batches(batch_size=1, batch_format="numpy", prefetch_batches=0):
                for blob in batch["result"]:
                    result: PartResult = pickle.loads(blob)
                    commit(by_index[result.index], result)
        except (ray.exceptions.RayError, ray.exceptions.UserCodeException) as exc:
            # A part failed beyond Ray's retries (an unreadable input on a node, a lost cluster): the parts
            # committed so far are kept, as after any interruption.
            reason = " ".join(str(exc).split())[:400]
            raise PropwatchError(f"the Ray run stopped: {reason}; run the same command again to resume") from None
    finally:
        if started_here:
            ray.shutdown()
