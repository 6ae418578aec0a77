"""Progress moves per group of articles, not per part (newsroom issue, defect 3: a 30-article run showed
"0/30" until its only part was done). Checked through the callbacks the progress bar is drawn from, in the
order they come, never by timing."""

from __future__ import annotations

import pytest

from propwatch.batch import BatchConfig, Callbacks, run_batch
from propwatch.batch.work import ANALYSE_GROUP


def recorder() -> tuple[Callbacks, list[tuple[str, int]]]:
    events: list[tuple[str, int]] = []
    callbacks = Callbacks(progress=lambda n: events.append(("progress", n)),
                          part_done=lambda n: events.append(("part", n)))
    return callbacks, events


def test_progress_advances_within_a_part_in_process(tmp_path, corpora, analyzer):
    # 20 good articles and 2 bad records, in one part (the default part size, 64).
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(20),
                               [b'{"id": "blank", "text": " "}', b'{"id": "broken", '])
    callbacks, events = recorder()
    summary = run_batch(path, tmp_path / "run", BatchConfig(), callbacks, analyzer=analyzer)
    assert summary.parts == 1 and summary.records == 22
    first_part = events.index(("part", 22))
    before = [n for kind, n in events[:first_part] if kind == "progress"]
    assert len(before) >= 3 and all(0 < n <= ANALYSE_GROUP for n in before)  # 22 records: at least 3 groups
    assert sum(n for kind, n in events if kind == "progress") == 22  # every record counted once, failed ones too


def test_progress_from_worker_processes_adds_up_and_comes_before_each_part(tmp_path, corpora):
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(24))
    callbacks, events = recorder()
    summary = run_batch(path, tmp_path / "run", BatchConfig(workers=2, part_size=12), callbacks)
    assert summary.parts == 2 and summary.analysed == 24
    assert sum(n for kind, n in events if kind == "progress") == 24
    first_part = next(i for i, (kind, _) in enumerate(events) if kind == "part")
    assert any(kind == "progress" and n < 12 for kind, n in events[:first_part])  # a group, not a whole part


def test_a_resumed_run_counts_only_what_is_left(tmp_path, corpora, analyzer):
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6))
    run_batch(path, tmp_path / "run", BatchConfig(part_size=4), analyzer=analyzer)
    (tmp_path / "run" / "parts" / "part-000001.json").unlink()  # as if interrupted before the second part
    callbacks, events = recorder()
    started: list[tuple[int, int]] = []
    callbacks.started = lambda total, done: started.append((total, done))
    run_batch(path, tmp_path / "run", BatchConfig(part_size=4), callbacks, analyzer=analyzer)
    assert started == [(6, 4)]
    assert events == [("progress", 2), ("part", 2)]


def test_the_ray_engine_counts_each_part_by_its_commit(tmp_path, corpora):
    pytest.importorskip("ray")
    path = corpora.write_jsonl(tmp_path / "in.jsonl", corpora.articles(6))
    callbacks, events = recorder()
    run_batch(path, tmp_path / "run", BatchConfig(engine="ray", workers=1, part_size=4), callbacks)
    assert sorted(events) == sorted([("progress", 4), ("part", 4), ("progress", 2), ("part", 2)])
    assert all(kind == "progress" for kind, _ in events[0::2])  # each part counted before its part_done
