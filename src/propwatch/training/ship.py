"""Shipping a model in the package: copy a finished model folder into ``propwatch/models/<name>``, with its ONNX
graph's weights cut into pieces that git and the package index accept.

Why pieces: DEVELOPERS.md caps every file in the repository at 50 MB, and all-mpnet-base-v2 is about 113 MB
even in int8. ONNX keeps large weights outside the graph file ("external data": each weight names a file, an
offset and a length), and onnxruntime reads them from beside ``model.onnx`` when it loads the graph from its
path, as ``model.runtime`` does. So the graph is written with its weights spread over ``model.onnx.data-0``,
``model.onnx.data-1``, ..., each at most ``MAX_PIECE_BYTES``; nothing at inference changes, and the
weights are the same bytes (a test checks the outputs are identical).

A weight is never cut in two (ONNX cannot point one weight at two files): one larger than a piece is an error,
which a quantised model of this size never meets (mpnet's largest, its int8 word embeddings, is 23 MB).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import ModelError
from ..model.registry import SHIPPED, resolve_model

MAX_PIECE_BYTES = 45_000_000  # under the 50 MB cap, with room for the graph file itself
PIECE_PREFIX = "model.onnx.data-"
SMALL_TENSOR_BYTES = 1024  # smaller weights stay inside the graph file


def write_in_pieces(source: Path, model_file: Path, max_piece_bytes: int = MAX_PIECE_BYTES) -> list[Path]:
    """Write the ONNX graph ``source`` to ``model_file`` with its weights in pieces of at most
    ``max_piece_bytes`` beside it (``model.onnx.data-K``); return the pieces. Weights are placed in graph order,
    so a load reads each piece front to back."""
    import onnx
    from onnx.external_data_helper import set_external_data

    model_file = Path(model_file)
    model = onnx.load(str(source))  # with any external data the source had: every weight is in memory now
    pieces: list[Path] = []
    handle = None
    used = 0
    try:
        for tensor in _initializers(model.graph):
            if len(tensor.raw_data) < SMALL_TENSOR_BYTES:  # small, or stored in typed fields: stays inline
                continue
            size = len(tensor.raw_data)
            if size > max_piece_bytes:
                raise ModelError(f"the weight {tensor.name} of {source} is {size / 1e6:.1f} MB, more than a "
                                 f"piece may hold ({max_piece_bytes / 1e6:.0f} MB): quantise the model first")
            if handle is None or used + size > max_piece_bytes:
                if handle is not None:
                    handle.close()
                pieces.append(model_file.parent / f"{PIECE_PREFIX}{len(pieces)}")
                handle = pieces[-1].open("wb")
                used = 0
            handle.write(tensor.raw_data)
            set_external_data(tensor, location=pieces[-1].name, offset=used, length=size)
            tensor.data_location = onnx.TensorProto.EXTERNAL
            tensor.ClearField("raw_data")
            used += size
    finally:
        if handle is not None:
            handle.close()
    model_file.write_bytes(model.SerializeToString())
    return pieces


def _initializers(graph):
    """Every initializer of ``graph`` and of the graphs inside its nodes (If and Loop bodies)."""
    yield from graph.initializer
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.HasField("g"):
                yield from _initializers(attribute.g)
            for sub in attribute.graphs:
                yield from _initializers(sub)


def ship_model(folder: str | Path, name: str, root: Path = SHIPPED,
               max_piece_bytes: int = MAX_PIECE_BYTES) -> Path:
    """Copy the technique model ``folder`` (a name or a folder) into ``root/name`` (the package's shipped models
    by default), its graph's weights in pieces; the fp32 graph an export may leave beside the int8 one is not
    copied. Built beside the target and renamed into place, so a failure never leaves half a model."""
    if not name or "/" in name or name.startswith("."):
        raise ModelError(f"{name!r} cannot be a model name")
    source = resolve_model(folder)
    target = Path(root) / name
    staging = target.with_name(f".{name}.shipping")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(source, staging, ignore=lambda _dir, names: [
            n for n in names if n.endswith(".onnx") or n.startswith(PIECE_PREFIX)])
        write_in_pieces(source / "model.onnx", staging / "model.onnx", max_piece_bytes)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
