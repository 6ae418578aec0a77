"""The Ray engine on a local Ray (two CPUs, started and shut down by the run): its tables and errors file
equal the local engine's, part for part."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from propwatch.batch import BatchConfig, run_batch

pytest.importorskip("ray.data", reason="the Ray engine needs the [ray] extra")


def test_ray_engine_output_equals_the_local_engine(tmp_path, corpora, analyzer):
    import ray

    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6),
                               [b'{"id": "a02", "text": "duplicate"}', b'{"id": "empty", "text": ""}'])
    local = run_batch(path, tmp_path / "local", BatchConfig(part_size=2), analyzer=analyzer)
    distributed = run_batch(path, tmp_path / "ray", BatchConfig(part_size=2, engine="ray", workers=2))
    assert not ray.is_initialized()  # the run started its own local Ray and shut it down
    assert (distributed.parts, distributed.analysed, distributed.failed) == (local.parts, 6, 2)
    for table in ("articles", "spans", "analyses"):
        for name in sorted((tmp_path / "local" / f"{table}.parquet").iterdir()):
            ours = pq.read_table(name)
            theirs = pq.read_table(tmp_path / "ray" / f"{table}.parquet" / name.name)
            assert ours.equals(theirs), f"{table}/{name.name} differs between the engines"
    assert (tmp_path / "ray" / "errors.jsonl").read_bytes() == (tmp_path / "local" / "errors.jsonl").read_bytes()
