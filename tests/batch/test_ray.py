"""The Ray engine on a local Ray (two CPUs, started and shut down by the run): its tables and errors file
equal the local engine's, part for part; and, both runs being stored (``--store``), its history equals the local
engine's, written by the driver alone. One Ray start for all of it: starting Ray takes seconds."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from propwatch.batch import BatchConfig, run_batch
from propwatch.batch.history import stored_id

pytest.importorskip("ray.data", reason="the Ray engine needs the [ray] extra")


def test_ray_engine_output_equals_the_local_engine(tmp_path, corpora, analyzer):
    import ray

    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6),
                               [b'{"id": "a02", "text": "duplicate"}', b'{"id": "empty", "text": ""}'])
    local = run_batch(path, tmp_path / "local", BatchConfig(part_size=2, store=tmp_path / "local.sqlite3"),
                      analyzer=analyzer)
    distributed = run_batch(path, tmp_path / "ray", BatchConfig(part_size=2, engine="ray", workers=2,
                                                               store=tmp_path / "ray.sqlite3"))
    assert not ray.is_initialized()  # the run started its own local Ray and shut it down
    assert (distributed.parts, distributed.analysed, distributed.failed) == (local.parts, 6, 2)
    # Each run has its own key, so stored ids differ by design; everything else is equal part for part, and
    # each run's ids are its key's (the same key would give the same ids: they depend on nothing else).
    keys = {run: bytes.fromhex(json.loads((tmp_path / run / "run.json").read_text())["history_key"])
            for run in ("local", "ray")}
    for table in ("articles", "spans", "analyses"):
        for name in sorted((tmp_path / "local" / f"{table}.parquet").iterdir()):
            ours = pq.read_table(name)
            theirs = pq.read_table(tmp_path / "ray" / f"{table}.parquet" / name.name)
            if table == "articles":
                for run, t in (("local", ours), ("ray", theirs)):
                    expected = [stored_id(keys[run], i) if e is None else None
                                for i, e in zip(t.column("id").to_pylist(), t.column("error").to_pylist())]
                    assert t.column("stored_id").to_pylist() == expected, f"{run}: {name.name}"
                ours, theirs = ours.drop_columns(["stored_id"]), theirs.drop_columns(["stored_id"])
            assert ours.equals(theirs), f"{table}/{name.name} differs between the engines"
    assert (tmp_path / "ray" / "errors.jsonl").read_bytes() == (tmp_path / "local" / "errors.jsonl").read_bytes()
    by_ray, by_local = corpora.history(tmp_path / "ray.sqlite3"), corpora.history(tmp_path / "local.sqlite3")
    assert len(by_ray) == 6 and corpora.without_ids(by_ray) == corpora.without_ids(by_local)
    ray_ids = {r["id"]: r["stored_id"] for r in pq.read_table(tmp_path / "ray" / "articles.parquet").to_pylist()}
    assert {i: r["id"] for i, r in by_ray.items()} == {i: s for i, s in ray_ids.items() if s}
