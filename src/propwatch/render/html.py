"""The HTML report: one self-contained file a reader can open anywhere, offline, with nothing to trust.

Everything is inline (CSS, no scripts, no fonts, no images, no links out), so the file cannot leak that it was
opened and reads the same in ten years. The article comes from the open web, so every piece of it (text,
title, source) reaches the page only through Jinja2 with autoescaping on; the only markup this module builds
itself is CSS from the fixed technique colours.

Nested and overlapping spans stay visible: each segment (see ``segments``) gets the tint of its innermost
span plus one coloured underline per covering span, stacked downwards (innermost nearest the text), and every
span gets a labelled tag after its end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import jinja2

from ..schema import Analysis, TechniqueSpan
from ..techniques import TECHNIQUES, Technique, get
from .segments import Segment, readable_on, segments, title_end
from .templating import template_environment

TOP_SENTENCES = 5
UNDERLINE_PX = 3
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass
class Piece:
    """One segment as the template draws it."""

    text: str
    spans: tuple[TechniqueSpan, ...] = ()
    closes: tuple[TechniqueSpan, ...] = ()

    @property
    def style(self) -> str:
        inner = get(self.spans[-1].technique).colour
        shadows = ", ".join(
            f"0 {UNDERLINE_PX * (depth + 1)}px 0 {get(s.technique).colour}"
            for depth, s in enumerate(reversed(self.spans))
        )
        return f"background-color:{inner}33;box-shadow:{shadows};padding-bottom:{len(self.spans)}px"

    @property
    def title(self) -> str:
        return "; ".join(f"{get(s.technique).name} ({s.score:.0%})" for s in self.spans)

    @property
    def technique_ids(self) -> str:
        return " ".join(s.technique for s in self.spans)

    @property
    def scores(self) -> str:
        return " ".join(f"{s.score:.4g}" for s in self.spans)

    @property
    def described_by(self) -> str:
        return " ".join(dict.fromkeys(f"def-{s.technique}" for s in self.spans))


@dataclass
class Paragraph:
    pieces: list[Piece] = field(default_factory=list)


def render_html(analysis: Analysis) -> str:
    """The report for ``analysis`` (already filtered by the caller) as one HTML document."""
    article = analysis.article
    text = article.text
    head_end = title_end(text, article.title)
    paragraphs = _paragraphs(text, analysis.spans, start=head_end or 0)
    heading = _paragraphs(text, analysis.spans, end=head_end)[0] if head_end else None
    counts = sorted(
        ((t, analysis.technique_counts.get(t.id, 0)) for t in TECHNIQUES if analysis.technique_counts.get(t.id)),
        key=lambda tn: -tn[1],
    )
    present = {t.id for t, _ in counts}
    top = [
        (sent, [get(t) for t in sent.techniques], " ".join(text[sent.start : sent.end].split()))
        for sent in analysis.top_sentences(TOP_SENTENCES)
    ]
    return _template().render(
        analysis=analysis,
        article=article,
        heading=heading,
        paragraphs=paragraphs,
        counts=counts,
        total=sum(n for _, n in counts),
        top=top,
        flagged=len(analysis.flagged_sentences),
        present=[t for t in TECHNIQUES if t.id in present],
        absent=[t for t in TECHNIQUES if t.id not in present],
        techniques=TECHNIQUES,
        total_ms=sum(analysis.timings_ms.values()),
        chip=chip_css,
        get_technique=get,
    )


def _paragraphs(text: str, spans: list[TechniqueSpan], start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Blank lines separate paragraphs; segments are cut there too, so a span across paragraphs is drawn in
    each and labelled once, at its end."""
    end = len(text) if end is None else end
    breaks = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text, start, end)]
    stretches, at = [], start
    for a, b in breaks:
        stretches.append((at, a))
        at = b
    stretches.append((at, end))
    out = []
    for a, b in stretches:
        chunk = text[a:b]
        a, b = a + len(chunk) - len(chunk.lstrip()), a + len(chunk.rstrip())
        if a >= b:
            continue
        out.append(Paragraph([_piece(text, seg) for seg in segments(text, spans, a, b)]))
    return out


def _piece(text: str, seg: Segment) -> Piece:
    return Piece(text=text[seg.start : seg.end], spans=seg.spans, closes=seg.closes)


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return template_environment("propwatch.render").get_template("report.html.j2")


def chip_css(t: Technique) -> str:
    """Inline style of a technique's tag: built from the fixed palette only, never from article data."""
    return f"background:{t.colour};color:{readable_on(t.colour)}"
