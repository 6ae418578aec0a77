"""Exact int8 kernels where the CPU's fast ones overflow: without them ``accurate`` answered nonsense on an AVX2
CPU (SI F1 0.036 on PTC validation), so every session the runtime builds must ask for them there."""

from __future__ import annotations

import pytest

from propwatch.model import runtime
from propwatch.model.registry import SHIPPED


@pytest.mark.parametrize(("flags", "needed"), [
    ("fpu sse2 avx avx2 fma", True),  # AVX2 alone: 16-bit pair sums saturate
    ("fpu avx2 avx512f avx512bw", True),  # AVX-512 without VNNI: the same
    ("fpu avx2 avx512f avx512_vnni", False),  # VNNI sums in 32 bits
    ("fpu avx2 avx_vnni", False),
])
def test_the_cpu_flags_decide(tmp_path, flags, needed):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: {flags}\n\nprocessor\t: 1\n")
    assert runtime.int8_needs_exact_kernels(str(cpuinfo)) is needed


def test_exactness_wins_where_the_flags_cannot_be_read(tmp_path):
    assert runtime.int8_needs_exact_kernels(str(tmp_path / "missing")) is True
    (tmp_path / "no-flags").write_text("model name\t: Apple M2\n")
    assert runtime.int8_needs_exact_kernels(str(tmp_path / "no-flags")) is True


@pytest.mark.parametrize("needed", [True, False])
def test_every_session_asks_for_exact_kernels_where_needed(monkeypatch, needed):
    monkeypatch.setattr(runtime, "int8_needs_exact_kernels", lambda: needed)
    session = runtime.onnx_session(SHIPPED / "attributions-v1" / "model.onnx", threads=1)
    options = session.get_session_options()
    if needed:
        assert options.get_session_config_entry(runtime.EXACT_INT8) == "1"
    else:
        with pytest.raises(RuntimeError):
            options.get_session_config_entry(runtime.EXACT_INT8)

