"""Tiny corpora for the batch and report tests, written in every input format from the same articles.

The articles are stretches of the bundled example article (real news prose, so the model finds real spans),
each with its own title, outlet and date. Loaded by path from the conftest files (``load_corpora``).
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from pathlib import Path

EXAMPLE = resources.files("propwatch").joinpath("examples/deir-ez-zor.txt").read_text(encoding="utf-8")
PARAGRAPHS = [p.strip() for p in EXAMPLE.split("\n\n") if p.strip()][2:]

SOURCES = ["alpha.example", "beta.example", "alpha.example", "gamma.example", "beta.example", "alpha.example"]
DATES = ["2019-01-05", "2019-01-20T10:00:00Z", "2019-02-11", "2019-02-28", "2019-03-02", "2019-03-15"]


def articles(n: int = 6) -> list[dict]:
    """``n`` articles (id, title, text, source, published): two paragraphs each, cycling through the example."""
    rows = []
    for i in range(n):
        body = "\n\n".join(PARAGRAPHS[(2 * i + k) % len(PARAGRAPHS)] for k in range(2))
        rows.append({
            "id": f"a{i:02d}",
            "title": f"Report {i} from the front",
            "text": body,
            "source": SOURCES[i % len(SOURCES)],
            "published": DATES[i % len(DATES)],
        })
    return rows


def write_jsonl(path: Path, rows: list[dict], extra_lines: list[bytes] = ()) -> Path:
    """Rows as JSON Lines; ``extra_lines`` (raw bytes, possibly broken) are appended after them."""
    data = b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in rows)
    path.write_bytes(data + b"".join(line + b"\n" for line in extra_lines))
    return path


def write_csv(path: Path, rows: list[dict], columns=("id", "title", "text", "source", "published")) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c, "") for c in columns])
    return path


def write_folder(root: Path, rows: list[dict]) -> Path:
    """One sub-folder per source; even-numbered articles as .txt (PTC layout), odd ones as .html pages."""
    for i, r in enumerate(rows):
        folder = root / r["source"]
        folder.mkdir(parents=True, exist_ok=True)
        if i % 2 == 0:
            (folder / f"{r['id']}.txt").write_text(f"{r['title']}\n\n{r['text']}\n", encoding="utf-8")
        else:
            paragraphs = "".join(f"<p>{p}</p>" for p in r["text"].split("\n\n"))
            (folder / f"{r['id']}.html").write_text(
                f"<!doctype html><html><head><title>{r['title']}</title><script>var x = 1;</script></head>"
                f"<body><nav>Home | World</nav><article><h1>{r['title']}</h1>{paragraphs}</article>"
                "<footer>© Example</footer></body></html>",
                encoding="utf-8",
            )
    return root


def write_ptc(root: Path, rows: list[dict]) -> Path:
    (root / "articles").mkdir(parents=True)
    for i, r in enumerate(rows):
        (root / "articles" / f"article{700 + i}.txt").write_text(f"{r['title']}\n\n{r['text']}\n", encoding="utf-8")
    return root


def sorted_rows(table, keys=("id",)) -> list[dict]:
    return sorted(table.to_pylist(), key=lambda r: tuple(str(r[k]) for k in keys))


def history(db: Path) -> dict[str, dict]:
    """A history database read back through the history store the web app uses, keyed by article id: each row's
    history columns and ``Analysis``. Fails on two rows of one article (a duplicate left by a redone part)."""
    from propwatch.history import AnalysisStore

    store = AnalysisStore(db)
    try:
        summaries, total = store.list(limit=1_000_000)
        rows = {}
        for s in summaries:
            analysis = store.get(s.id).analysis
            assert analysis.article.id not in rows, f"two history rows for article {analysis.article.id}"
            rows[analysis.article.id] = {**s.__dict__, "analysis": analysis}
        assert len(rows) == total
        return rows
    finally:
        store.close()


def without_ids(rows: dict[str, dict]) -> dict[str, dict]:
    """History rows as two runs of the same input must agree on them: all but the id and the run they came from
    (each run has its own key and folder) and the time they were stored."""
    own = ("id", "created_at", "run_id", "run_name")
    return {k: {c: v for c, v in r.items() if c not in own} for k, r in rows.items()}
