import importlib.util
import sys
from pathlib import Path

import pytest


def _load(name: str, path: Path):
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


corpora = _load("propwatch_test_corpora", Path(__file__).parents[1] / "batch" / "corpora.py")

HOSTILE_TITLE = '<script>alert("title")</script> & friends'
HOSTILE_SOURCE = "<b>evil</b> $news$"


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory, analyzer):
    """A finished run: six articles from three outlets over three months, one with a hostile title and source,
    and two failed records."""
    from propwatch.batch import BatchConfig, run_batch

    folder = tmp_path_factory.mktemp("report-run")
    rows = corpora.articles(6)
    rows[2]["title"] = HOSTILE_TITLE
    rows[3]["source"] = HOSTILE_SOURCE
    # two failed records: one with an id (a row of the articles table), one without (only in errors.jsonl)
    path = corpora.write_jsonl(folder / "in.jsonl", rows, [b'{"id": "empty", "text": " "}', b'{"text": "no id"}'])
    run_batch(path, folder / "run", BatchConfig(part_size=4), analyzer=analyzer)
    return folder / "run"


@pytest.fixture(scope="session")
def stored_run(tmp_path_factory, analyzer):
    """A run stored in a history database (``propwatch batch --store``): four articles; returns (run, database)."""
    from propwatch.batch import BatchConfig, run_batch

    folder = tmp_path_factory.mktemp("stored-run")
    path = corpora.write_jsonl(folder / "in.jsonl", corpora.articles(4))
    run_batch(path, folder / "run", BatchConfig(part_size=2, store=folder / "history.sqlite3"), analyzer=analyzer)
    return folder / "run", folder / "history.sqlite3"
