"""Two analyses side by side in the terminal (``propwatch compare``): the figures, the technique mix, the
sources and, when either article has actors, the cast, as rich tables with a column per article.

Everything shown comes from ``comparison.Comparison``, which the web page and the API show too. Article text
(titles, sources, names) enters rich only as ``Text`` made ``printable``, never as markup or raw control
characters, as in the terminal report.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..comparison import ArticleFigures, CastMember, Comparison
from .terminal import MAX_WIDTH, printable

ROLE_NAMES = {"Protagonist": "hero", "Antagonist": "villain", "Innocent": "victim"}


def render_comparison(comparison: Comparison, console: Console) -> None:
    """Print ``comparison`` on ``console``: one table per part, column A and column B."""
    a, b = comparison.a, comparison.b
    width = min(console.width, MAX_WIDTH)
    console.print(_table("Articles", [
        ("title", Text(printable(a.title)), Text(printable(b.title))),
        ("source", _source(a), _source(b)),
    ]), width=width)
    console.print(_table("Scores", [
        ("article score", f"{a.score:.0%}", f"{b.score:.0%}"),
        ("spans", str(a.spans), str(b.spans)),
        ("spans per 1,000 words", f"{a.spans_per_1000_words:.1f}", f"{b.spans_per_1000_words:.1f}"),
        ("sentences flagged", _flagged(a), _flagged(b)),
        ("words", f"{a.words:,}", f"{b.words:,}"),
    ]), width=width)
    if comparison.techniques:
        console.print(_table("Technique mix (spans, and per 1,000 words)", [
            (row.name, f"{row.a} ({row.a_per_1000_words:.1f})", f"{row.b} ({row.b_per_1000_words:.1f})")
            for row in comparison.techniques
        ]), width=width)
    else:
        console.print(Text("Technique mix: no technique found in either article."), width=width)
    if comparison.has_sources:
        console.print(_table("Sources (who says so)", [
            ("named", *_both(a, b, lambda f: str(f.sources.named))),
            ("anonymous", *_both(a, b, lambda f: str(f.sources.anonymous))),
            ("unsourced", *_both(a, b, lambda f: str(f.sources.unsourced))),
            ("share anonymous", *_both(a, b, _share)),
            ("anonymous sources", *_both(a, b, _anonymous)),
        ]), width=width)
    if comparison.has_cast:
        console.print(_table("Cast (role in each article)", [
            (Text(printable(row.name)), _role(row.a), _role(row.b)) for row in comparison.cast
        ]), width=width)


def _table(title: str, rows) -> Table:
    # Every table as wide as the report, A and B in columns of one width: the tables read as one.
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("", style="bold", no_wrap=True)
    table.add_column("A", overflow="fold", ratio=1)
    table.add_column("B", overflow="fold", ratio=1)
    for row in rows:
        table.add_row(*row)
    return table


def _source(f: ArticleFigures) -> Text:
    return Text(printable(" · ".join(x for x in (f.outlet, f.source) if x) or "pasted text"))


def _flagged(f: ArticleFigures) -> str:
    share = f" ({f.sentences_flagged / f.sentences:.0%})" if f.sentences else ""
    return f"{f.sentences_flagged} of {f.sentences}{share}"


def _both(a: ArticleFigures, b: ArticleFigures, value) -> tuple:
    return tuple(value(f) if f.has_sources else "not analysed" for f in (a, b))


def _share(f: ArticleFigures) -> str:
    return "no attributed claims" if f.sources.share_anonymous is None else f"{f.sources.share_anonymous:.0%}"


def _anonymous(f: ArticleFigures) -> Text:
    return Text(printable("\n".join(f.sources.anonymous_sources) or "none"))


def _role(member: CastMember | None) -> Text:
    if member is None:
        return Text("not named", style="dim")
    role = ROLE_NAMES.get(member.main_role or "", "no role")
    fine = f" ({', '.join(member.fine_roles)})" if member.fine_roles else ""
    return Text(printable(f"{role}{fine} · {member.mentions} mention{'' if member.mentions == 1 else 's'}"))
