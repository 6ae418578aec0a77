"""The terminal report: the article with every span highlighted in place, then a legend, the list of spans
with their strength (with ``explain``, also the words that weighed most and the annotated examples they are
like), who says so (the sources of its attributions, anonymous first), its cast (heroes, villains, victims),
the most propagandistic sentences, the article score and the model that produced it.

A span's strength (strong, moderate or weak signal) is shown rather than its score: "29%" beside a highlight
reads as "probably wrong" even where the span is among the model's better-supported ones. A model without
strength thresholds shows the score.

Colour is never the only cue (14 techniques cannot all be told apart by every reader, and pipes, files and
``NO_COLOR`` have none): every span is followed by its short code, e.g. ``[LOAD]``, and without colour each
span is also bracketed with ``{`` ... ``}`` so its start stays visible. Article text only ever enters rich as
``Text`` objects, never as markup, so an article containing ``[bold]`` prints literally.

Article text is untrusted, and a terminal obeys control characters: an escape sequence in an article could set
the window title, clear the screen or draw a link to another site (OSC 8). So every piece of the article this
report prints (title, text, spans, sentences, source) goes through ``printable``, which shows each control
character as a visible symbol instead (C0 but newline and tab, DEL, C1), with colour or without, on a terminal
or into a pipe. JSON and HTML keep the text exact: they are data, and HTML is escaped by its templates.
"""

from __future__ import annotations

import re

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..schema import Analysis, Attribution, SpanExample, TechniqueSpan
from ..techniques import TECHNIQUES, get
from .html import NESTED_CONTENT, named_as
from .reasons import ANONYMOUS_MEANS, UNSOURCED_MEANS, Reliability, reliability
from .segments import Segment, readable_on, segments, technique, title_end

MAX_WIDTH = 100
"""Prose wider than this is hard to read, so wide terminals still get a 100-column report."""

TOP_SENTENCES = 5
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ESC prints as ␛, BEL as ␇
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 controls have no pictures


def printable(text: str) -> str:
    """``text`` with every control character but newline and tab shown as a visible symbol, so no escape
    sequence from an article reaches the terminal. Same length for C0 and DEL (one symbol each)."""
    return _CONTROL.sub(_shown, text)


def render_terminal(analysis: Analysis, console: Console, explain: bool = False) -> None:
    """Print the whole report for ``analysis`` (already filtered by the caller) on ``console``; with
    ``explain``, each listed span also shows its cues and examples."""
    width = min(console.width, MAX_WIDTH)
    plain = console.no_color or console.color_system is None
    for part in (
        _header(analysis),
        article_text(analysis, plain=plain),
        Text(),
        _legend(analysis),
        span_list(analysis, explain=explain),
        _sources(analysis),
        _cast(analysis),
        _top_sentences(analysis),
        _score(analysis),
    ):
        if part is not None:
            console.print(part, width=width)


def label(span_technique: str) -> Text:
    """``[LOAD]``: the short code on the technique's colour; the brackets keep it apart from the span."""
    t = get(span_technique)
    return Text.assemble(("[", "dim"), (t.short, f"bold {readable_on(t.colour)} on {t.colour}"), ("]", "dim"))


def article_text(analysis: Analysis, plain: bool = False) -> Text:
    """The article as one ``Text``: each segment styled by the spans over it, labels after span ends.

    A segment takes the background of its innermost (shortest) span; when more spans cover it, it is also
    underlined (two) and bold (three or more), so nesting shows even where the colours are alike.
    """
    text = analysis.article.text
    head_end = title_end(text, analysis.article.title)
    crossing = _crossing(analysis.spans)
    out = Text()
    for seg in segments(text, analysis.spans, cuts=(head_end,) if head_end else ()):
        if plain:
            # Braces read as nesting; a span that only partly overlaps another ("have betrayed every" and
            # "every patriotic American") would be misread, so its opening brace names its technique too.
            out.append("".join("{" + (f"{technique(s).short}:" if id(s) in crossing else "") for s in seg.opens))
        piece = printable(_BLANK_LINES.sub("\n\n", text[seg.start : seg.end]))
        style = _segment_style(seg)
        if head_end is not None and seg.end <= head_end:
            style = f"bold {style}".strip()
        out.append(piece, style=style)
        for span in seg.closes:
            if plain:
                out.append("}")
            out.append_text(label(span.technique))
    out.rstrip()
    return out


def _crossing(spans: list[TechniqueSpan]) -> set[int]:
    """The ``id`` of each span that partly overlaps another (neither holds the other): braces alone cannot show
    them. By identity, since a span with cues or examples holds lists and cannot be hashed."""
    ordered = sorted(spans, key=lambda s: (s.start, -s.end))
    out: set[int] = set()
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            if a.start < b.start < a.end < b.end:
                out.update((id(a), id(b)))
    return out


def _segment_style(seg: Segment) -> str:
    if not seg.spans:
        return ""
    colour = technique(seg.spans[-1]).colour
    style = f"{readable_on(colour)} on {colour}"
    if seg.depth >= 2:
        style += " underline"
    if seg.depth >= 3:
        style += " bold"
    return style


def _header(analysis: Analysis) -> Group:
    article = analysis.article
    where = article.source or article.id
    parts: list[RenderableType] = [Rule(Text(f"propwatch · {printable(where)}", style="bold"), style="dim")]
    if title_end(article.text, article.title) is None and article.title:
        parts.append(Text(printable(article.title), style="bold"))
    return Group(*parts)


def _legend(analysis: Analysis) -> Table | Text:
    found = [(t, analysis.technique_counts.get(t.id, 0)) for t in TECHNIQUES]
    found = sorted(((t, n) for t, n in found if n), key=lambda tn: -tn[1])
    if not found:
        return Text("No propaganda techniques found.", style="bold")
    table = Table(title="Techniques found", title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False)
    table.add_column("", width=2)
    table.add_column("code", no_wrap=True)
    table.add_column("technique", overflow="fold")
    table.add_column("spans", justify="right")
    measured = reliability(analysis)
    if measured:
        table.add_column("the model finds", justify="right")
    for t, n in found:
        row: list[RenderableType] = [Text("  ", style=f"on {t.colour}"), label(t.id), Text(t.name), str(n)]
        if measured:
            row.append(_finds(measured, t.id))
        table.add_row(*row)
    table.add_section()
    table.add_row("", "", Text("total", style="bold"), Text(str(sum(n for _, n in found)), style="bold"))
    if measured:
        table.caption = ("the model finds: the share of annotated spans of the technique it found on articles it "
                         "was not tuned on; missing highlights mean \"not found\", not \"not there\"")
        table.caption_justify = "left"
    return table


def _finds(measured: dict[str, Reliability], technique_id: str) -> Text:
    """The legend's words for how much of a technique the model finds, as the web page and HTML report word it
    (``about 55%``, in steps of 5 points: an estimate; the terminal had printed 53% beside the page's 55%)."""
    r = measured.get(technique_id)
    if r is None or not r.support:
        return Text("-", style="dim")
    return Text(r.about)


STRENGTH_STYLES = {"strong": "bold", "moderate": "", "weak": "dim"}
STRENGTH_MEANING = ("strong: spans the model scores so were right at least about 60% of the time on articles it "
                    "was not tuned on; weak: less than a third of the time; moderate: between.")


def strength_word(span: TechniqueSpan) -> Text:
    """``strong`` / ``moderate`` / ``weak`` (the score, where the model gives no strength)."""
    if span.strength is None:
        return Text(f"{span.score:.0%}", style="dim")
    return Text(span.strength, style=STRENGTH_STYLES[span.strength])


def span_list(analysis: Analysis, explain: bool = False) -> Group | None:
    """Every span on one line: its code, its strength and its words. With ``explain``, under each: the words
    inside it that weighed most, and the annotated spans of the same technique it is most like."""
    if not analysis.spans:
        return None
    width = max(len(strength_word(s).plain) for s in analysis.spans)
    code_width = max(len(get(s.technique).short) for s in analysis.spans)
    lines: list[RenderableType] = [Text("Why these highlights" if explain else "Spans", style="bold")]
    if any(s.strength for s in analysis.spans):
        lines.append(Text(STRENGTH_MEANING, style="dim"))
    # Two columns: what wraps (the span's words, its reasons) stays under its own column on a narrow terminal
    # instead of running back to the left edge under the codes.
    grid = Table.grid()
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    for span in analysis.spans:
        word = strength_word(span)
        word.pad_right(width - len(word.plain))
        code = label(span.technique)
        code.pad_right(code_width + 2 - len(code.plain))
        grid.add_row(Text.assemble(code, " ", word, "  "), Text(printable(f"«{_one_line(span.text, 160)}»")))
        for reason in _reasons(span) if explain else []:
            grid.add_row("", reason)
    return Group(*lines, grid, Text())


def _reasons(span: TechniqueSpan) -> list[RenderableType]:
    out: list[RenderableType] = []
    if span.cues:
        out.append(Text.assemble(("weighed most: ", "dim"), printable(", ".join(span.cues))))
    if span.examples:
        out.append(Text.assemble(("annotators marked: ", "dim")))
        out += [Padding(_example(e), (0, 0, 0, 2)) for e in span.examples]  # each example indented as a block
    return out


def _example(example: SpanExample) -> Text:
    """``…before «text» after…``: the context as the builder kept it (a few words), no space before
    punctuation that followed the span directly."""
    before = printable(_one_line(example.before, 80))
    after = printable(_one_line(example.after, 80))
    gap = "" if after[:1] in _CLOSING else " "
    return Text.assemble(("…" + before + " " if before else "", "dim"),
                         printable(f"«{_one_line(example.text, 160)}»"),
                         (gap + after + ("" if after.endswith(_ENDS) else "…") if after else "", "dim"))


_CLOSING = tuple(",.;:!?)]}’”\"'")
_ENDS = tuple(".!?…’”\"'")  # context that ends a sentence needs no ellipsis after it


def _top_sentences(analysis: Analysis) -> Table | None:
    top = analysis.top_sentences(TOP_SENTENCES)
    if not top:
        return None
    table = Table(title=f"Most propagandistic sentences (top {len(top)})", title_justify="left",
                  title_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("score", justify="right")
    table.add_column("techniques")
    table.add_column("sentence", ratio=1)
    text = analysis.article.text
    for sent in top:
        codes = Text(" ").join(label(t) for t in sent.techniques)
        table.add_row(f"{sent.score:.0%}", codes, Text(printable(_one_line(text[sent.start : sent.end]))))
    return table


def _score(analysis: Analysis) -> Group:
    flagged, total = len(analysis.flagged_sentences), len(analysis.sentences)
    score = Text.assemble(
        ("Article score ", "bold"), (f"{analysis.score:.0%}", "bold reverse"),
        f"  ({flagged} of {total} sentences flagged)",
    )
    meaning = Text(
        "The length-weighted mean of the sentence scores: the share of the article's text expected to sit "
        "in propagandistic sentences.", style="dim",
    )
    timing = ", ".join(f"{k} {v:.0f} ms" for k, v in analysis.timings_ms.items())
    model = Text(printable(f"model {analysis.model.name} {analysis.model.version}"), style="dim")
    if analysis.timings_ms:
        model.append(f" · {sum(analysis.timings_ms.values()):.0f} ms ({timing})")
    return Group(score, meaning, model)


SOURCE_GROUPS = (
    ("anonymous", "Anonymous sources", ANONYMOUS_MEANS),
    ("none", "Unsourced", UNSOURCED_MEANS),
    ("named", "Named sources", ""),
)
ROLE_GROUPS = (("Protagonist", "Heroes"), ("Antagonist", "Villains"), ("Innocent", "Victims"))


def _sources(analysis: Analysis) -> Group | None:
    """Who says so: attributions grouped by source type, anonymous first (the ones a reader should weigh)."""
    if not analysis.attributions:
        return None
    counts = {kind: sum(a.source_type == kind for a in analysis.attributions) for kind, _, _ in SOURCE_GROUPS}
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False, show_header=True)
    # On a narrow terminal every text column gives way, and a word too long for its column folds rather than
    # losing its end to an ellipsis ("authoritie…").
    table.add_column("source", ratio=2, min_width=10, overflow="fold")
    table.add_column("cue", ratio=1, min_width=6, overflow="fold")
    table.add_column("what is attributed", ratio=3, min_width=12, overflow="fold")
    table.add_column("conf.", justify="right", no_wrap=True)
    for kind, title, what in SOURCE_GROUPS:
        group = [a for a in analysis.attributions if a.source_type == kind]
        if not group:
            continue
        table.add_row(Text(f"{title} ({len(group)})", style="bold"), "", Text(what, style="dim"), "")
        for a in sorted(group, key=lambda a: a.cue.start):
            table.add_row(_source_cell(a), Text(printable(a.cue.text), style="italic"),
                          _excerpt_cell(a), f"{a.score:.0%}")
        table.add_section()
    summary = ", ".join(f"{counts[k]} {title.split()[0].lower()}" for k, title, _ in SOURCE_GROUPS)
    n = len(analysis.attributions)
    head = Text.assemble(("Who says so", "bold"), f"  {n} attribution{'' if n == 1 else 's'}: {summary}")
    return Group(head, table)


def _source_cell(a: Attribution) -> Text:
    if a.source is None:
        return Text("(no source)", style="dim")
    cell = Text(printable(_one_line(a.source.text, 80)))
    name = named_as(a)
    if name:
        cell.append(printable(f" ({_one_line(name, 60)})"), style="dim")
    return cell


def _excerpt(a: Attribution, limit: int = 160) -> str:
    return _one_line(" … ".join(c.text for c in a.content), limit) if a.content else ""


def _excerpt_cell(a: Attribution) -> Text:
    return Text(printable(_excerpt(a))) if a.content else Text(NESTED_CONTENT, style="dim")


# The role model is far from its targets (BENCHMARKS.md, "Who is cast as what"): every view says so beside the
# cast, as the legend does for techniques the model often misses.
ROLES_CAVEAT = ("Roles are a first reading by a model that is often wrong (docs/models.md): check each against "
                "the sentences that cast it.")


def _cast(analysis: Analysis) -> Group | None:
    """The cast: who the article makes heroes, villains and victims of, strongest first."""
    if not analysis.actors:
        return None
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("actor", overflow="fold")
    table.add_column("kind", overflow="fold")
    table.add_column("roles", ratio=1, overflow="fold")
    table.add_column("conf.", justify="right")
    table.add_column("mentions", justify="right")
    cast = 0
    for role, title in ROLE_GROUPS:
        group = sorted((a for a in analysis.actors if a.main_role == role), key=lambda a: (-a.score, a.name))
        if not group:
            continue
        cast += len(group)
        table.add_row(Text(f"{title} ({len(group)})", style="bold"), Text(role.lower(), style="dim"), "", "", "")
        for actor in group:
            table.add_row(Text(printable(_one_line(actor.name, 60))), actor.kind,
                          Text(printable(", ".join(actor.fine_roles)) or "-"), f"{actor.score:.0%}",
                          str(len(actor.mentions)))
        table.add_section()
    others = sorted((a for a in analysis.actors if a.main_role is None), key=lambda a: (-len(a.mentions), a.name))
    parts: list[RenderableType] = [Text("Cast", style="bold")]
    if cast:
        parts.append(table)
        parts.append(Text(ROLES_CAVEAT, style="dim"))
    if others:
        also = Text("Also mentioned: ", style="bold")
        also.append(printable(", ".join(f"{_one_line(a.name, 60)} ({len(a.mentions)})" for a in others)))
        parts.append(also)
    return Group(*parts, Text())


def _one_line(sentence: str, limit: int = 300) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
