"""Which arithmetic a training runs in on this CPU.

bf16 autocast halves the memory traffic of a training step where the CPU computes bf16 in hardware (oneDNN's
AVX-512 and AMX kernels), but where it has no AVX-512 oneDNN emulates it, and the same step takes several times
as long as in fp32: on a 2-core AMD EPYC with AVX2 only, one fold of `propwatch crossval` was a job of many hours
in bf16. So bf16 is the default only where oneDNN says it supports it; the choice is stored in the run's config
(and checked when a run resumes), so a model's training report says which arithmetic made it.
"""

from __future__ import annotations

import torch


def bf16_native() -> bool:
    """Whether oneDNN runs bf16 on this CPU's own instructions (AVX-512 or AMX) rather than emulating it."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):  # a torch built without oneDNN: no fast bf16 either
        return False
