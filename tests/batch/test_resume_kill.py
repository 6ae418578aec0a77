"""A real interruption: ``propwatch batch`` is killed with SIGKILL (and, separately, interrupted with Ctrl-C)
in the middle of a run; running the same command again finishes it, and the final tables and errors file
equal those of a run that was never interrupted. The same for a run stored in the web app's history
(``--store``): after the kill and the rerun, the history holds each article once, as an uninterrupted run's."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from propwatch.batch import BatchConfig, run_batch

PARTS = 24  # long enough that a loaded CI machine cannot finish before the signal arrives


@pytest.fixture
def long_jsonl(tmp_path, corpora):
    """Full-length articles (the example, its paragraphs rotated) and two bad lines: one part each."""
    paragraphs = corpora.PARAGRAPHS
    rows = [
        {"id": f"long{i:02d}", "title": f"Dispatch {i}", "source": corpora.SOURCES[i % 6],
         "text": "\n\n".join(paragraphs[i % len(paragraphs):] + paragraphs[: i % len(paragraphs)])}
        for i in range(PARTS - 2)
    ]
    return corpora.write_jsonl(tmp_path / "long.jsonl", rows, [b'{"id": "long03", "text": "dup"}', b"{oops"])


def batch(args: list[str]) -> subprocess.Popen:
    # The child starts with Ctrl-C's default action, as from a terminal: a test run started in the background of
    # a script (`pytest &`) ignores SIGINT, and a child inherits that, so it would finish instead of stopping.
    return subprocess.Popen(
        [sys.executable, "-m", "propwatch.cli.app", "batch", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True, env={**os.environ, "NO_COLOR": "1"},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for_parts(run, at_least: int, process: subprocess.Popen, limit: float = 300) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done = markers(run)
        if done >= at_least or process.poll() is not None:
            return done
        time.sleep(0.02)
    raise AssertionError("the run made no progress")


def markers(run) -> int:
    """Completed parts (a kill may leave a hidden temporary file beside them)."""
    folder = run / "parts"
    return sum(1 for n in os.listdir(folder) if not n.startswith(".")) if folder.is_dir() else 0


def tables(run, drop: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    out = {}
    for name, keys in (("articles", ("id",)), ("spans", ("article_id", "start", "end", "technique")),
                       ("analyses", ("id",))):
        rows = [{k: v for k, v in r.items() if k not in drop}
                for r in pq.read_table(run / f"{name}.parquet").to_pylist()]
        out[name] = sorted(rows, key=lambda r: tuple(r[k] for k in keys))
    return out


@pytest.fixture
def uninterrupted(tmp_path, long_jsonl, analyzer):
    run = tmp_path / "whole"
    run_batch(long_jsonl, run, BatchConfig(part_size=1), analyzer=analyzer)
    return run


def test_kill_9_midway_then_the_same_command_finishes_with_equal_output(tmp_path, long_jsonl, uninterrupted):
    run = tmp_path / "killed"
    args = [str(long_jsonl), "--out", str(run), "--part-size", "1"]
    process = batch(args)
    done = wait_for_parts(run, 3, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    done = markers(run)
    assert 3 <= done < PARTS, f"killed after {done} of {PARTS} parts: not midway"

    resumed = batch(args + ["--workers", "2"])  # the worker count may change between attempts
    _, stderr = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, stderr
    assert f"resuming: {done} of {PARTS} records already done" in stderr
    assert f"2 of {PARTS} records failed" in stderr
    assert tables(run) == tables(uninterrupted)
    assert (run / "errors.jsonl").read_bytes() == (uninterrupted / "errors.jsonl").read_bytes()


def test_ctrl_c_stops_with_one_line_and_keeps_the_finished_parts(tmp_path, long_jsonl, uninterrupted):
    run = tmp_path / "interrupted"
    args = [str(long_jsonl), "--out", str(run), "--part-size", "1"]
    process = batch(args)
    wait_for_parts(run, 2, process)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Error: interrupted" in stderr and "Traceback" not in stderr
    done = markers(run)
    assert done < PARTS

    finish = batch(args)
    _, stderr = finish.communicate(timeout=600)
    assert finish.returncode == 0, stderr
    assert tables(run) == tables(uninterrupted)
    assert (run / "errors.jsonl").read_bytes() == (uninterrupted / "errors.jsonl").read_bytes()


def test_kill_9_in_a_stored_run_leaves_no_duplicate_in_the_history(tmp_path, long_jsonl, analyzer, corpora):
    whole = tmp_path / "whole"
    run_batch(long_jsonl, whole, BatchConfig(part_size=1, store=tmp_path / "whole.sqlite3"), analyzer=analyzer)
    run, db = tmp_path / "killed", tmp_path / "killed.sqlite3"
    args = [str(long_jsonl), "--out", str(run), "--part-size", "1", "--db", str(db)]
    process = batch(args)
    wait_for_parts(run, 3, process)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    done = markers(run)
    assert 3 <= done < PARTS, f"killed after {done} of {PARTS} parts: not midway"
    # One worker does the parts in order: the first `done` are in the history (a part is stored before its
    # marker), and so is the next one when the kill fell between its history write and its marker. The last
    # two parts hold only a failed record each.
    good = min(done, PARTS - 2)
    assert good <= len(corpora.history(db)) <= min(good + 1, PARTS - 2)

    resumed = batch(args + ["--workers", "2"])
    _, stderr = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, stderr
    history, expected = corpora.history(db), corpora.history(tmp_path / "whole.sqlite3")  # no duplicates in either
    assert corpora.without_ids(history) == corpora.without_ids(expected) and len(history) == PARTS - 2
    assert tables(run, drop=("stored_id",)) == tables(whole, drop=("stored_id",))
    stored = {r["id"]: r["stored_id"] for r in tables(run)["articles"]}
    assert {i: r["id"] for i, r in history.items()} == {i: s for i, s in stored.items() if s is not None}
