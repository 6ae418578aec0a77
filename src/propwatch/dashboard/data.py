"""Reading a run folder and computing every table the dashboard shows, with pyarrow only (no pandas), so a
dashboard over a million articles needs the memory of its columns, not of Python objects.

Each ``Table`` here is shown in the HTML dashboard and exported as CSV unchanged: the dashboard draws what
these tables hold, and a test reads the dashboard back and checks it against the Parquet files.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from ..errors import DataError
from ..techniques import TECHNIQUES, get

SCORE_BINS = 20
GROUPS_SHOWN = 12
PHRASES_SHOWN = 25
ARTICLES_SHOWN = 10
MIN_WORDS_RANKED = 100
"""Articles shorter than this are left out of the most/least lists (when enough longer ones exist): the score
of a five-sentence brief swings with a single sentence, so it would crowd out the articles worth reading."""
TOP_SPANS = 3
PHRASE_TECHNIQUES = ("loaded_language", "name_calling")
_TRIM = " \"'“”‘’«».,;:!?()[]-–—"
NO_GROUP = {"source": "(no source)", "month": "(no date)"}
MIN_GROUP_ATTRIBUTIONS = 20
"""A source or month with fewer attributions than this gets counts but no shares: three quotes are no
sourcing habit, and a 67% that rests on them would mislead."""
MIN_GROUP_ARTICLES = 5
"""Likewise for casting: an actor in fewer articles of a source or month than this gets counts but no shares."""
ACTORS_SHOWN = 10
MIN_GROUP_SIZE = 5
"""A source or month with fewer analysed articles than this keeps its counts and figures in the tables but gets
no interval, is drawn muted and is left out of the heat map: two articles can reach any rate by chance."""
ARTICLES_LISTED = 2_000
"""At most this many articles (the highest scoring first) are rows of the page's article table and get a written
highlighted page (a page takes a moment to draw and some 100 kB); ``articles.csv`` always holds every article,
and with ``--server`` or ``--article-link`` every row of it has its link."""
_ORDER = {t.id: i for i, t in enumerate(TECHNIQUES)}
SOURCE_TYPES = (("anonymous", "anonymous"), ("none", "unsourced"), ("named", "named"))
ROLES = (("Protagonist", "hero"), ("Antagonist", "villain"), ("Innocent", "victim"))


@dataclass
class Table:
    """A table of the dashboard: ``name`` is its CSV file name and HTML id; ``rows`` hold plain values."""

    name: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    note: str = ""

    def column(self, name: str) -> list[Any]:
        at = self.columns.index(name)
        return [row[at] for row in self.rows]


@dataclass
class ArticleView:
    """A row of the most/least propagandistic tables, with its top spans for display."""

    id: str
    title: str
    source: str | None
    published: str | None
    score: float
    spans: int
    per_1k: float
    top_spans: list[dict] = field(default_factory=list)
    link: str | None = None
    stored_id: str | None = None
    """Its id in the web app's history when the run was stored (``propwatch batch --store``)."""
    words: int = 0
    month: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    """Spans of each technique that it uses (technique id → count)."""

    @property
    def top_technique(self) -> str:
        """The name of its most used technique (ties: the taxonomy's order), or "" without spans."""
        if not self.counts:
            return ""
        return get(max(self.counts, key=lambda t: (self.counts[t], -_ORDER[t]))).name

    @property
    def techniques_text(self) -> str:
        ranked = sorted(self.counts.items(), key=lambda item: (-item[1], _ORDER[item[0]]))
        return "; ".join(f"{get(t).name} {n}" for t, n in ranked)


@dataclass
class RunData:
    folder: Path
    run: dict
    articles: pa.Table  # analysed articles only (no error)
    failed: int
    spans_dataset: ds.Dataset
    attributions: pa.Table | None = None
    """``attributions.parquet`` of the analysed articles; None for a run made before it existed."""
    actors: pa.Table | None = None


def load_run(folder: str | os.PathLike[str]) -> RunData:
    """The run in ``folder``; ``DataError`` when it is not a finished-or-partial propwatch run."""
    folder = Path(folder)
    run_file = folder / "run.json"
    if not run_file.is_file():
        raise DataError(f"{folder} is not a propwatch run folder (no run.json); make one with propwatch batch")
    try:
        run = json.loads(run_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read {run_file}: {exc}") from None
    try:
        articles = pq.read_table(folder / "articles.parquet")
        spans = ds.dataset(folder / "spans.parquet", format="parquet")
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"cannot read the tables of {folder}: {exc}") from None
    ok = pc.is_null(articles.column("error"))
    analysed = articles.filter(ok)
    if analysed.num_rows == 0:
        raise DataError(f"{folder} has no analysed article yet; run propwatch batch first")
    return RunData(folder, run, analysed, _failed(folder, articles.num_rows - analysed.num_rows), spans,
                   attributions=_optional(folder, "attributions", ["article_id", "source_type"], analysed),
                   actors=_optional(folder, "actors", ["article_id", "name", "main_role", "mentions"], analysed))


def _failed(folder: Path, in_table: int) -> int:
    """The records that failed: the lines of ``errors.jsonl``, which also lists those that never reached the
    articles table (malformed JSON, no id, a duplicate id, a skipped link), as ``propwatch batch`` counts them."""
    try:
        with open(folder / "errors.jsonl", encoding="utf-8") as f:
            listed = sum(1 for line in f if line.strip())
    except (OSError, UnicodeDecodeError):
        return in_table
    return max(listed, in_table)


def _optional(folder: Path, table: str, columns: list[str], analysed: pa.Table) -> pa.Table | None:
    """A table a run made by an older propwatch does not have (None then), limited to the analysed articles."""
    path = folder / f"{table}.parquet"
    if not path.is_dir() or not any(path.glob("*.parquet")):
        return None
    try:
        data = ds.dataset(path, format="parquet").to_table(columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise DataError(f"cannot read {path}: {exc}") from None
    return data.filter(pc.is_in(data.column("article_id"), value_set=analysed.column("id")))


def summary_table(data: RunData) -> Table:
    a = data.articles
    scores = a.column("score")
    words = pc.sum(a.column("words")).as_py() or 0
    spans = pc.sum(a.column("spans")).as_py() or 0
    rows = [
        ["articles analysed", a.num_rows],
        ["records failed (errors.jsonl)", data.failed],
        ["spans found", spans],
        ["words analysed", words],
        ["mean article score", _r(pc.mean(scores).as_py())],
        ["median article score", _r(_quantile(scores, 0.5))],
        ["spans per 1,000 words", _r(1000 * spans / words if words else 0.0)],
        ["sentences flagged (share)", _r(_ratio(pc.sum(a.column("sentences_flagged")), pc.sum(a.column("sentences"))))],
    ]
    dates = a.column("published").drop_null()
    if len(dates):
        rows.append(["first published", pc.min(dates).as_py().date().isoformat()])
        rows.append(["last published", pc.max(dates).as_py().date().isoformat()])
    sources = a.column("source").drop_null()
    rows.append(["sources", pc.count_distinct(sources).as_py() if len(sources) else 0])
    return Table("summary", "Run summary", ["figure", "value"], rows)


def technique_table(data: RunData) -> Table:
    a = data.articles
    words = pc.sum(a.column("words")).as_py() or 0
    counts = {t.id: pc.sum(a.column(f"n_{t.id}")).as_py() or 0 for t in TECHNIQUES}
    total = sum(counts.values())
    rows = []
    for t in sorted(TECHNIQUES, key=lambda t: -counts[t.id]):
        using = pc.sum(pc.greater(a.column(f"n_{t.id}"), 0).cast(pa.int64())).as_py() or 0
        rows.append([
            t.name, counts[t.id], _r(counts[t.id] / total if total else 0.0), using,
            _r(using / a.num_rows), _r(1000 * counts[t.id] / words if words else 0.0),
        ])
    return Table(
        "techniques", "Technique mix",
        ["technique", "spans", "share of spans", "articles using it", "share of articles", "per 1,000 words"], rows,
    )


def group_keys(data: RunData, by: str) -> pa.Array:
    """The group of every analysed article: its source, or its month of publication (``YYYY-MM``)."""
    if by == "source":
        keys = data.articles.column("source")
    elif by == "month":
        published = data.articles.column("published")
        if published.null_count < len(published):
            keys = pc.strftime(published, format="%Y-%m")
        else:
            keys = published.cast(pa.string())
    else:
        raise ValueError(f"unknown grouping {by!r}")
    return pc.fill_null(keys.cast(pa.string()), NO_GROUP[by])


def group_tables(data: RunData, by: str, min_group: int = MIN_GROUP_SIZE) -> tuple[Table, Table]:
    """Per group: articles, scores and rates with their 95% intervals (``groups_by_<by>``), and spans per 1,000
    words of each technique (``techniques_by_<by>``). Sources: the largest first; months: in time order. A group
    of fewer than ``min_group`` articles keeps its figures but gets no interval."""
    keys = group_keys(data, by)
    a = data.articles.append_column("group", keys)
    aggregations = [("score", "mean"), ("id", "count"), ("words", "sum"),
                    ("spans", "sum"), ("sentences_flagged", "sum"), ("sentences", "sum")]
    aggregations += [(f"n_{t.id}", "sum") for t in TECHNIQUES]
    grouped = a.group_by("group").aggregate(aggregations).to_pylist()
    medians = _medians(a.column("group"), a.column("score"))
    members: dict[str, list[tuple[float, int, int]]] = {}
    for key, score, spans, words in zip(keys.to_pylist(), *(a.column(c).to_pylist() for c in ("score", "spans",
                                                                                                "words"))):
        members.setdefault(key, []).append((score, spans or 0, words or 0))
    if by == "month":
        grouped.sort(key=lambda g: (g["group"] == NO_GROUP[by], g["group"]))
    else:
        grouped.sort(key=lambda g: (-g["id_count"], g["group"]))
    rows, mix = [], []
    for g in grouped:
        words = g["words_sum"] or 0
        per_1k = {t.id: 1000 * (g[f"n_{t.id}_sum"] or 0) / words if words else 0.0 for t in TECHNIQUES}
        top = max(TECHNIQUES, key=lambda t: (g[f"n_{t.id}_sum"] or 0, -TECHNIQUES.index(t)))
        inside = members[g["group"]]
        big = len(inside) >= min_group
        score_ci = mean_interval([m[0] for m in inside]) if big else None
        rate_ci = rate_interval([m[1] for m in inside], [m[2] for m in inside]) if big else None
        rows.append([
            g["group"], g["id_count"], _r(g["score_mean"]), _r(medians[g["group"]]),
            _r(1000 * (g["spans_sum"] or 0) / words if words else 0.0),
            _r(_ratio(g["sentences_flagged_sum"], g["sentences_sum"])),
            top.name if g[f"n_{top.id}_sum"] else "",
            *(_r(x) for x in (score_ci or (None, None))), *(_r(x) for x in (rate_ci or (None, None))),
        ])
        mix.append([g["group"], g["id_count"], *[_r(per_1k[t.id]) for t in TECHNIQUES]])
    label = {"source": "source", "month": "month"}[by]
    groups = Table(
        f"groups_by_{by}", f"By {label}",
        [label, "articles", "mean score", "median score", "spans per 1,000 words", "sentences flagged (share)",
         "most used technique", *INTERVAL_COLUMNS], rows,
        note=f"Intervals are 95% intervals, over the articles of each {label}: for the mean score Student's t, for "
        "spans per 1,000 words the ratio estimator's standard error with articles as the units (spans cluster in "
        f"articles). A {label} with fewer than {min_group} articles keeps its figures but gets no interval, and its "
        "figures swing with a single article.",
    )
    techniques = Table(
        f"techniques_by_{by}", f"Technique mix by {label} (spans per 1,000 words)",
        [label, "articles", *[t.name for t in TECHNIQUES]], mix,
    )
    return groups, techniques


INTERVAL_COLUMNS = ("mean score, 95% from", "mean score, 95% to", "spans per 1,000 words, 95% from",
                    "spans per 1,000 words, 95% to")


def _with_groups(data: RunData, table: pa.Table, by: str) -> pa.Table:
    """``table`` (keyed by ``article_id``) with each row's article group (source or month) as ``group``."""
    keys = pa.table({"article_id": data.articles.column("id"), "group": group_keys(data, by)})
    return table.join(keys, keys="article_id", join_type="inner")


def sourcing_table(data: RunData, by: str, min_group: int = MIN_GROUP_ATTRIBUTIONS) -> Table | None:
    """Who says so, per source or month: attributions by source type, and the shares anonymous and unsourced
    (null for a group with fewer than ``min_group`` attributions). None when the run has no attributions."""
    if data.attributions is None or data.attributions.num_rows == 0:
        return None
    rows_in = _with_groups(data, data.attributions, by)
    counted = rows_in.group_by(["group", "source_type"]).aggregate([("article_id", "count")]).to_pylist()
    sizes = pa.table({"g": group_keys(data, by)}).group_by("g").aggregate([("g", "count")]).to_pydict()
    articles = dict(zip(sizes["g"], sizes["g_count"]))
    per: dict[str, dict[str, int]] = {}
    for r in counted:
        per.setdefault(r["group"], {})[r["source_type"]] = r["article_id_count"]
    groups = sorted(per, key=(lambda g: (g == NO_GROUP[by], g)) if by == "month"
                    else (lambda g: (-sum(per[g].values()), g)))
    rows = []
    for g in groups:
        n = sum(per[g].values())
        anonymous, unsourced, named = (per[g].get(k, 0) for k, _ in SOURCE_TYPES)
        big = n >= min_group
        rows.append([g, articles.get(g, 0), n, _r(1000 * n / max(1, _words(data, by, g))), anonymous, unsourced, named,
                     _r(anonymous / n) if big else None, _r(unsourced / n) if big else None])
    label = {"source": "source", "month": "month"}[by]
    return Table(
        f"sourcing_by_{by}", f"Who says so, by {label}",
        [label, "articles", "attributions", "attributions per 1,000 words", "anonymous", "unsourced", "named",
         "share anonymous", "share unsourced"], rows,
        note=f"Shares are of the attributions in each {label}: anonymous sources (“a source”, “officials”) and "
        f"claims with no source named (attributed to nobody, “reportedly”, the writer’s own impression, “it seems”, "
        f"or whose source the model missed: "
        f"BENCHMARKS.md, “Attributions”). Rules type the sources, anonymous ones less reliably than named ones, so "
        f"the shares are approximate (BENCHMARKS.md, “Attributions: source types and names against hand labels”). "
        f"A {label} with fewer than {min_group} attributions gets counts but no shares.",
    )


def _words(data: RunData, by: str, group: str) -> int:
    keys = group_keys(data, by)
    return pc.sum(data.articles.column("words").filter(pc.equal(keys, group))).as_py() or 0


def actor_key(name: str) -> str:
    """Actors are matched across articles by name, case- and spacing-insensitively, without a leading "the"."""
    words = name.lower().split()
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


def _actor_rows(data: RunData) -> tuple[list[dict], dict[str, str]]:
    """Actor rows with their ``key`` and the display name of each key (its most frequent spelling)."""
    assert data.actors is not None
    rows = data.actors.to_pylist()
    spellings: dict[str, dict[str, int]] = {}
    for r in rows:
        r["key"] = actor_key(r["name"])
        names = spellings.setdefault(r["key"], {})
        names[r["name"]] = names.get(r["name"], 0) + 1
    shown = {k: max(names, key=lambda n: (names[n], n)) for k, names in spellings.items()}
    return rows, shown


def actors_table(data: RunData, limit: int = ACTORS_SHOWN) -> Table | None:
    """The actors in the most articles, and how often each is cast as hero, villain or victim."""
    if data.actors is None or data.actors.num_rows == 0:
        return None
    rows, names = _actor_rows(data)
    by_key: dict[str, list[dict]] = {}
    for r in rows:
        by_key.setdefault(r["key"], []).append(r)
    order = sorted(by_key, key=lambda k: (-len({r["article_id"] for r in by_key[k]}), names[k]))
    out = []
    for k in order[:limit]:
        group = by_key[k]
        n = len(group)
        counts = [sum(r["main_role"] == role for r in group) for role, _ in ROLES]
        out.append([names[k], len({r["article_id"] for r in group}), sum(r["mentions"] or 0 for r in group),
                    *counts, n - sum(counts), *[_r(c / n) for c in counts]])
    return Table(
        "actors", f"The {min(limit, len(order))} most frequent actors and how they are cast",
        ["actor", "articles", "mentions", "hero", "villain", "victim", "no role", "share hero", "share villain",
         "share victim"], out,
        note=f"{len(order)} distinct actors in all, matched by name (case and a leading “the” ignored). Hero, "
        "villain and victim are the main roles Protagonist, Antagonist and Innocent; shares are of the articles "
        "that mention the actor.",
    )


def casting_table(data: RunData, by: str, limit: int = ACTORS_SHOWN,
                  min_group: int = MIN_GROUP_ARTICLES) -> Table | None:
    """Actor × source (or month): in how many articles each of the most frequent actors appears, and the share
    of them that cast it as hero, villain or victim (null under ``min_group`` articles)."""
    top = actors_table(data, limit)
    if top is None:
        return None
    rows, names = _actor_rows(data)
    wanted = {actor_key(n) for n in top.column("actor")}
    groups = dict(zip(data.articles.column("id").to_pylist(), group_keys(data, by).to_pylist()))
    cells: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        if r["key"] in wanted:
            cells.setdefault((r["key"], groups[r["article_id"]]), []).append(r)
    rank = {actor_key(n): i for i, n in enumerate(top.column("actor"))}

    def order(cell: tuple[str, str]):
        key, group = cell
        if by == "month":
            return (rank[key], group == NO_GROUP[by], group)
        return (rank[key], -len(cells[cell]), group)

    out = []
    for cell in sorted(cells, key=order):
        group = cells[cell]
        n = len(group)
        counts = [sum(r["main_role"] == role for r in group) for role, _ in ROLES]
        big = n >= min_group
        out.append([names[cell[0]], cell[1], n, *counts, n - sum(counts),
                    *[_r(c / n) if big else None for c in counts]])
    label = {"source": "source", "month": "month"}[by]
    return Table(
        f"casting_by_{by}", f"How each {label} casts the most frequent actors",
        ["actor", label, "articles", "hero", "villain", "victim", "no role", "share hero", "share villain",
         "share victim"], out,
        note=f"Per actor and {label}: the articles that mention it, and how many cast it in each main role. "
        f"Shares are left out where fewer than {min_group} articles mention the actor.",
    )


def score_histogram(data: RunData) -> Table:
    scores = data.articles.column("score").to_numpy()
    counts, edges = np.histogram(scores, bins=SCORE_BINS, range=(0.0, 1.0))
    rows = [[_r(edges[i]), _r(edges[i + 1]), int(counts[i])] for i in range(SCORE_BINS)]
    return Table("score_distribution", "Distribution of article scores", ["score from", "score to", "articles"], rows,
                 note="Bins include their lower bound; the last bin also includes 1.0.")


def over_time(data: RunData, min_group: int = MIN_GROUP_SIZE) -> Table | None:
    if data.articles.column("published").null_count == data.articles.num_rows:
        return None
    groups, _ = group_tables(data, "month", min_group)
    rows = [[*r[:5], *r[7:]] for r in groups.rows if r[0] != NO_GROUP["month"]]
    return Table("over_time", "Scores over time (by month of publication)",
                 ["month", "articles", "mean score", "median score", "spans per 1,000 words", *INTERVAL_COLUMNS], rows,
                 note=f"95% intervals as in the by-month table; a month with fewer than {min_group} articles gets none "
                 "and is drawn hollow.")


def phrase_table(data: RunData, technique: str) -> Table:
    """The most frequent phrases of a technique, compared case- and spacing-insensitively."""
    spans = data.spans_dataset.to_table(
        columns=["article_id", "text"], filter=ds.field("technique") == technique
    )
    ok_ids = data.articles.column("id")
    spans = spans.filter(pc.is_in(spans.column("article_id"), value_set=ok_ids))
    phrase = pc.utf8_lower(spans.column("text"))
    phrase = pc.replace_substring_regex(phrase, pattern=r"\s+", replacement=" ")
    phrase = pc.utf8_trim(phrase, characters=_TRIM)
    phrase = pc.replace_substring_regex(phrase, pattern=r"^(?:a|an|the) ", replacement="")
    phrase = pc.utf8_trim(phrase, characters=_TRIM)
    table = pa.table({"phrase": phrase, "article_id": spans.column("article_id")})
    table = table.filter(pc.greater(pc.utf8_length(table.column("phrase")), 0))
    counted = table.group_by("phrase").aggregate([("article_id", "count"), ("article_id", "count_distinct")])
    rows = sorted(counted.to_pylist(),
                  key=lambda r: (-r["article_id_count"], -r["article_id_count_distinct"], r["phrase"]))
    name = get(technique).name
    return Table(
        f"phrases_{technique}", f"Most frequent phrases: {name.lower()}", ["phrase", "spans", "articles"],
        [[r["phrase"], r["article_id_count"], r["article_id_count_distinct"]] for r in rows[:PHRASES_SHOWN]],
        note=f"{len(rows)} distinct phrases in all; case, spacing, surrounding punctuation and a leading a/an/the "
        "are ignored.",
    )


def extreme_articles(data: RunData, most: bool, limit: int = ARTICLES_SHOWN) -> list[ArticleView]:
    """The highest (or lowest) scoring articles of at least ``MIN_WORDS_RANKED`` words, ties broken by id."""
    a = data.articles
    long_enough = a.filter(pc.greater_equal(a.column("words"), MIN_WORDS_RANKED))
    if long_enough.num_rows >= min(limit, a.num_rows):
        a = long_enough
    order = [("score", "descending" if most else "ascending"), ("id", "ascending")]
    chosen = a.take(pc.sort_indices(a, sort_keys=order)[:limit]).to_pylist()
    ids = pa.array([r["id"] for r in chosen], pa.string())
    spans = data.spans_dataset.to_table(
        columns=["article_id", "start", "end", "technique", "score", "text"], filter=ds.field("article_id").isin(ids)
    ).to_pylist()
    # An article's best span of each technique, best first: three loaded words say less than three techniques.
    by_article: dict[str, list[dict]] = {}
    for s in sorted(spans, key=lambda s: (-s["score"], s["start"], s["technique"])):
        shown = by_article.setdefault(s["article_id"], [])
        if all(t["technique"] != s["technique"] for t in shown):
            shown.append(s)
    return [
        ArticleView(
            id=r["id"], title=r["title"] or r["id"], source=r["source"],
            published=r["published"].date().isoformat() if r["published"] else None,
            score=r["score"], spans=r["spans"], per_1k=r["spans_per_1k_words"],
            top_spans=by_article.get(r["id"], [])[:TOP_SPANS],
            stored_id=r.get("stored_id"),
        )
        for r in chosen
    ]


def all_articles(data: RunData) -> list[ArticleView]:
    """Every analysed article, the highest scoring first (ties by id), with what the article table shows."""
    a = data.articles
    a = a.take(pc.sort_indices(a, sort_keys=[("score", "descending"), ("id", "ascending")]))
    columns = ["id", "title", "source", "published", "score", "spans", "spans_per_1k_words", "words", "stored_id",
               *[f"n_{t.id}" for t in TECHNIQUES]]
    views = []
    for r in a.select([c for c in columns if c in a.column_names]).to_pylist():
        published = r["published"]
        views.append(ArticleView(
            id=r["id"], title=r["title"] or r["id"], source=r["source"],
            published=published.date().isoformat() if published else None, score=r["score"], spans=r["spans"],
            per_1k=r["spans_per_1k_words"], stored_id=r.get("stored_id"), words=r["words"],
            month=published.strftime("%Y-%m") if published else None,
            counts={t.id: r[f"n_{t.id}"] for t in TECHNIQUES if r[f"n_{t.id}"]},
        ))
    return views


def article_index_table(views: list[ArticleView]) -> Table:
    """Every article as a row (``articles.csv``), with its link when it has one (relative to the dashboard)."""
    return Table(
        "articles", "All articles",
        ["id", "title", "source", "published", "score", "words", "spans", "spans per 1,000 words",
         "most used technique", "techniques", "link"],
        [[v.id, v.title, v.source or "", v.published or "", v.score, v.words, v.spans, v.per_1k, v.top_technique,
          v.techniques_text, v.link or ""] for v in views],
    )


def articles_table(name: str, title: str, views: list[ArticleView]) -> Table:
    def spans_text(v: ArticleView) -> str:
        return " | ".join(f"{get(s['technique']).name} ({s['score']:.2f}): {' '.join(s['text'].split())}"
                          for s in v.top_spans)

    return Table(
        name, title, ["rank", "id", "title", "source", "published", "score", "spans", "spans per 1,000 words",
                      "top spans"],
        [[i + 1, v.id, v.title, v.source or "", v.published or "", v.score, v.spans, v.per_1k, spans_text(v)]
         for i, v in enumerate(views)],
    )


def analyses_for(data: RunData, ids: list[str]) -> dict[str, str]:
    """The stored Analysis JSON of ``ids`` (empty when the run was made with ``--no-analyses``)."""
    folder = data.folder / "analyses.parquet"
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        return {}
    table = ds.dataset(folder, format="parquet").to_table(filter=ds.field("id").isin(pa.array(ids, pa.string())))
    return dict(zip(table.column("id").to_pylist(), table.column("analysis").to_pylist()))


def safe_name(article_id: str) -> str:
    """A file name for an article page: readable, and unique even when ids differ only in odd characters."""
    import hashlib

    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", article_id).strip("._")[:60] or "article"
    return f"{stem}-{hashlib.sha256(article_id.encode('utf-8')).hexdigest()[:8]}.html"


# 97.5% quantiles of Student's t for 1..30 degrees of freedom; beyond, the Cornish-Fisher correction of the normal
# quantile (within 0.001 of the exact value). The dashboard's script holds the same numbers, so the intervals it
# draws when a technique filter changes equal the ones in these tables.
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
         2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom (a two-sided 95% interval)."""
    if df < 1:
        raise ValueError("an interval needs at least two articles")
    if df <= len(_T975):
        return _T975[df - 1]
    z = 1.959964
    return z + (z**3 + z) / (4 * df) + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)


def mean_interval(values: list[float]) -> tuple[float, float] | None:
    """95% interval of a mean (Student's t); None for fewer than two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    sd = (sum((v - mean) ** 2 for v in values) / (n - 1)) ** 0.5
    half = t975(n - 1) * sd / n**0.5
    return mean - half, mean + half


def rate_interval(counts: list[float], words: list[float], per: float = 1000.0) -> tuple[float, float] | None:
    """95% interval of a group's rate ``per * sum(counts) / sum(words)``, treating articles (not spans) as the
    units sampled: the ratio estimator's standard error with one residual per article, and Student's t.

    Why not a Poisson interval on the span count: spans come in clusters (one polemical article holds dozens), so
    the spans of a group are far more variable than Poisson's, and its interval would be too narrow. Why not the
    bootstrap: the page redraws intervals in its script when a filter changes, and a closed form gives the very
    same numbers there as here. The lower bound is clipped at zero. None for fewer than two articles or no words.
    """
    n, total_words = len(counts), sum(words)
    if n < 2 or total_words <= 0:
        return None
    rate = sum(counts) / total_words
    residuals = sum((c - rate * w) ** 2 for c, w in zip(counts, words))
    se = (n / (n - 1) * residuals) ** 0.5 / total_words
    half = t975(n - 1) * se
    return max(0.0, per * (rate - half)), per * (rate + half)


def _medians(keys: pa.ChunkedArray, scores: pa.ChunkedArray) -> dict[str, float]:
    """Exact median score per group (Arrow's group-by median is approximate)."""
    names, inverse = np.unique(np.asarray(keys.to_pylist(), dtype=object), return_inverse=True)
    values = scores.to_numpy()
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(names)))[:-1]
    return {str(n): float(np.median(chunk)) for n, chunk in zip(names, np.split(values[order], bounds))}


def _quantile(values: pa.ChunkedArray, q: float) -> float:
    return float(np.quantile(values.to_numpy(), q)) if len(values) else 0.0


def _ratio(a, b) -> float:
    a = a.as_py() if hasattr(a, "as_py") else a
    b = b.as_py() if hasattr(b, "as_py") else b
    return (a or 0) / b if b else 0.0


def _r(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)
