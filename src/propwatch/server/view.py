"""What the result page draws, computed once on the server so the page works without JavaScript.

The article is cut into segments at every span boundary by ``render.segments`` (the same cutting the
terminal and HTML reports use), and at sentence starts so the margin strip can link to each sentence. Each
segment becomes nested elements, one per covering span, outermost first: every span keeps its own element
(its colour, hover target and tooltip), and stacked underlines keep nested and overlapping spans apart.
The first element of each span is its keyboard stop. Filters (confidence, techniques) mark spans hidden
rather than dropping them, so the page can show them again live; underline levels are counted over the spans
still shown, so hiding one never leaves a gap.

Attributions and actors are layers over the same text (``render.segments.Layer``): segments are also cut at their
boundaries, and each piece lists the layer keys over it (``data-a``, ``data-m``, ``data-e``), so the script can
mark a source's parts or an actor's mentions by toggling classes, without an element per layer and without
touching the technique highlights. The panels reuse the HTML report's grouping (``render.html``).

What a reader is told about a span (its strength, cues, examples; how often the model finds its technique) is
worded by ``render.reasons``, as in the HTML report. Each span's reason is also a hidden element its highlights
are described by (``aria-describedby``), so a screen reader hears what a tooltip shows. The summary (spans,
density, sentences flagged, most used techniques, mix) counts the spans the filters leave shown.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from ..render import reasons
from ..render.html import NESTED_CONTENT, CastGroup, SourceGroup, cast_groups, excerpt, named_as, source_groups
from ..render.reasons import Reliability
from ..render.segments import (
    Layer,
    analysis_layers,
    keys_ending,
    keys_over,
    keys_starting,
    layer_cuts,
    segments,
    title_end,
    visible,
)
from ..schema import Analysis, Attribution, TechniqueSpan
from ..techniques import TECHNIQUES, Technique, get

MAX_LEVEL = 6
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Mark:
    """One span's element inside one segment."""

    index: int
    technique: Technique
    score: float
    opens: bool
    hidden: bool
    level: int
    """Underline position counted from the text (1 = nearest) among the shown spans; 0 when hidden."""
    signal: str = ""
    """``strong signal``, or ``38% confidence`` for an analysis without strengths (``reasons.signal``)."""
    cues: tuple[str, ...] = ()
    closes: bool = False
    """Whether the span ends in this segment (its focus box is closed on the right here)."""

    @property
    def label(self) -> str:
        return f"{self.technique.name}, {self.signal}"

    @property
    def title(self) -> str:
        """The browser's own tooltip, for pages without JavaScript."""
        cues = f" Words that weighed most: {', '.join(self.cues)}." if self.cues else ""
        return f"{self.technique.name} · {self.signal}.{cues} {self.technique.definition}"


@dataclass(frozen=True)
class Piece:
    start: int
    text: str
    marks: tuple[Mark, ...] = ()
    tags: tuple[Mark, ...] = ()
    anchors: tuple[int, ...] = ()
    """Sentences starting here (their ``id="s-N"`` anchors go before the text)."""
    attribution_keys: str = ""
    """Attribution parts over it (``a0s a2x``, see ``render.segments``): the script styles them on demand."""
    actor_keys: str = ""
    evidence_keys: str = ""
    starts: str = ""
    ends: str = ""
    """Attribution parts that end here (the right side of a source's box)."""

    @property
    def layered(self) -> bool:
        return bool(self.attribution_keys or self.actor_keys or self.evidence_keys)


@dataclass
class Block:
    pieces: list[Piece] = field(default_factory=list)


STRIP_LEVELS = 6


def strip_level(score: float) -> int:
    """The shade of a sentence's bar, 0 (palest) to 5, from its score alone: darker always means a higher score,
    whether or not a highlight is shown in the sentence (``SentenceBar.flagged`` sets the bar's width instead)."""
    return min(STRIP_LEVELS - 1, int(score * STRIP_LEVELS))


@dataclass(frozen=True)
class SentenceBar:
    index: int
    y: float
    height: float
    score: float
    flagged: bool
    """A shown span lies in the sentence: its bar is drawn full width, the others narrow."""
    techniques: tuple[str, ...]

    @property
    def level(self) -> int:
        return strip_level(self.score)

    @property
    def x(self) -> float:
        return 0.0 if self.flagged else 2.5

    @property
    def width(self) -> float:
        return 10.0 if self.flagged else 5.0

    @property
    def label(self) -> str:
        names = ", ".join(get(t).name for t in self.techniques) or "no technique shown"
        return f"Sentence {self.index + 1}: score {self.score:.0%}, {names}"


@dataclass(frozen=True)
class MixPart:
    technique: Technique
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class LegendRow:
    technique: Technique
    total: int
    shown: int
    enabled: bool
    reliability: Reliability | None = None


@dataclass(frozen=True)
class StrengthOption:
    """One choice of the strength filter: spans from this score up (a strength threshold) are shown."""

    value: float
    label: str
    checked: bool

    @property
    def key(self) -> str:
        return self.label.split()[0].lower()


@dataclass(frozen=True)
class SpanReason:
    """What the page says about one span, in words: its tooltip's content and its accessible description."""

    index: int
    technique: Technique
    signal: str
    detail: str
    quote: list[tuple[str, bool]]
    cues: tuple[str, ...]
    examples: tuple[tuple[str, str, str], ...]
    """(before, text, after) of each annotated example."""
    reliability: str = ""


@dataclass
class ResultView:
    analysis: Analysis
    heading: Block | None
    paragraphs: list[Block]
    strip: list[SentenceBar]
    mix: list[MixPart]
    legend: list[LegendRow]
    words: int
    spans_per_1000_words: float
    flagged_sentences: int
    top_techniques: list[tuple[Technique, int]]
    min_score: float
    filtered: bool
    shown_spans: int
    data: dict
    sources: list[SourceGroup] = field(default_factory=list)
    cast: list[CastGroup] = field(default_factory=list)
    strengths: list[StrengthOption] = field(default_factory=list)
    """The strength filter's choices; empty for an analysis without strengths (the page shows a slider)."""
    slider_max: float = 1.0
    """The top of the confidence slider: the highest span score, so the slider spans the scores there are."""
    reasons: list[SpanReason] = field(default_factory=list)
    missed: list[tuple[Technique, Reliability]] = field(default_factory=list)
    """Techniques the model often misses that no span here shows: "not found" is not "not there"."""

    @property
    def source_counts(self) -> str:
        """``6 attributions: 3 anonymous, 1 unsourced, 2 named``."""
        n = len(self.analysis.attributions)
        parts = ", ".join(f"{len(g.items)} {g.title.lower()}" for g in self.sources)
        return f"{n} attribution{'' if n == 1 else 's'}: {parts}"

    def excerpt(self, attribution: Attribution) -> str:
        return excerpt(attribution)

    @property
    def nested_content(self) -> str:
        return NESTED_CONTENT

    def named_as(self, attribution: Attribution) -> str | None:
        return named_as(attribution)


def build(analysis: Analysis, min_score: float = 0.0, techniques: frozenset[str] | None = None) -> ResultView:
    """The page for ``analysis`` with spans below ``min_score`` or outside ``techniques`` hidden."""
    text = analysis.article.text
    spans = [visible(s, text) for s in analysis.spans]  # trimmed once, so segments() hands back these objects
    index = {id(s): i for i, s in enumerate(spans)}
    hidden = [s.score < min_score or (techniques is not None and s.technique not in techniques) for s in spans]
    levels = reasons.thresholds(analysis)
    anchors = _sentence_anchors(text, analysis)
    layers = analysis_layers(analysis)

    def blocks(start: int, end: int) -> list[Block]:
        out = []
        for a, b in _stretches(text, start, end):
            cuts = tuple(sorted({*(p for p in anchors if a < p < b), *layer_cuts(layers, a, b)}))
            pieces = []
            for seg in segments(text, spans, a, b, cuts=cuts):
                piece = _piece(text, seg.start, seg.end, seg.spans, seg.opens, seg.closes, index, hidden,
                               anchors.get(seg.start, ()), levels)
                pieces.append(_layered(piece, layers, seg.start, seg.end) if layers else piece)
            out.append(Block(pieces))
        return out

    head_end = title_end(text, analysis.article.title)
    head = blocks(0, head_end) if head_end else []
    heading = head[0] if head else None
    paragraphs = blocks(head_end or 0, len(text))

    shown = [s for s, h in zip(spans, hidden) if not h]
    totals = analysis.technique_counts
    shown_counts = {t.id: 0 for t in TECHNIQUES}
    for s in shown:
        shown_counts[s.technique] += 1
    present = sorted((t for t in TECHNIQUES if totals.get(t.id)), key=lambda t: -totals[t.id])
    used = sorted((t for t in TECHNIQUES if shown_counts[t.id]), key=lambda t: -shown_counts[t.id])
    words = len(text.split())
    strip = _strip(text, analysis, shown)
    reliable = reasons.reliability(analysis)
    reasons_ = [_reason(text, i, s, levels, reliable.get(s.technique)) for i, s in enumerate(spans)]
    return ResultView(
        analysis=analysis,
        heading=heading,
        paragraphs=paragraphs,
        strip=strip,
        mix=_mix(present, shown_counts),
        legend=[LegendRow(t, totals[t.id], shown_counts[t.id], techniques is None or t.id in techniques,
                          reliable.get(t.id))
                for t in present],
        words=words,
        spans_per_1000_words=round(1000.0 * len(shown) / words, 1) if words else 0.0,
        flagged_sentences=sum(bar.flagged for bar in strip),
        top_techniques=[(t, shown_counts[t.id]) for t in used[:3]],
        min_score=min_score,
        filtered=min_score > 0 or techniques is not None,
        shown_spans=len(shown),
        data=_data(analysis, spans, reasons_, reliable, words, levels),
        sources=source_groups(analysis.attributions),
        cast=cast_groups(analysis.actors),
        strengths=_strength_options(levels, min_score),
        slider_max=max(0.05, math.ceil(max((s.score for s in spans), default=1.0) * 20) / 20),
        reasons=reasons_,
        missed=[(t, reliable[t.id]) for t in TECHNIQUES
                if t.id in reliable and reliable[t.id].often_missed and not totals.get(t.id)],
    )


def _mix(present: list[Technique], shown_counts: dict[str, int]) -> list[MixPart]:
    """The technique mix of the shown spans; every technique of the article keeps its part (width 0 when
    filtered out), so the script can redraw the bar as filters change."""
    total = sum(shown_counts[t.id] for t in present)
    mix, x = [], 0.0
    for t in present:
        width = 100.0 * shown_counts[t.id] / total if total else 0.0
        mix.append(MixPart(t, shown_counts[t.id], round(x, 3), round(width, 3)))
        x += width
    return mix


STRENGTH_CHOICES = (("All signals", None), ("Moderate and strong", 1), ("Strong only", 0))


def _strength_options(cuts: tuple[float, float] | None, min_score: float) -> list[StrengthOption]:
    """Filter by strength: each choice carries its threshold as the ``min_score`` the address already knows, so
    the downloads and the page without JavaScript filter the same way."""
    if cuts is None:
        return []
    values = [0.0 if k is None else reasons.level_floor(cuts[k]) for _, k in STRENGTH_CHOICES]
    chosen = max((v for v in values if v <= min_score + 1e-9), default=0.0)
    return [StrengthOption(v, label, v == chosen) for (label, _), v in zip(STRENGTH_CHOICES, values)]


def _reason(text: str, i: int, span: TechniqueSpan, cuts: tuple[float, float] | None,
            reliability: Reliability | None) -> SpanReason:
    return SpanReason(
        index=i,
        technique=get(span.technique),
        signal=reasons.signal(span, cuts),
        detail=reasons.score_detail(span),
        quote=reasons.cue_parts(" ".join(text[span.start : span.end].split()), span.cues),
        cues=tuple(span.cues),
        examples=tuple((e.before, e.text, e.after) for e in span.examples),
        reliability=reliability.sentence if reliability else "",
    )


def _layered(piece: Piece, layers: list[Layer], start: int, end: int) -> Piece:
    return replace(
        piece,
        attribution_keys=" ".join(keys_over(layers, start, end, "a")),
        actor_keys=" ".join(keys_over(layers, start, end, "m")),
        evidence_keys=" ".join(keys_over(layers, start, end, "e")),
        starts=" ".join(keys_starting(layers, start)),
        ends=" ".join(keys_ending(layers, end, "a")),
    )


def _piece(text, start, end, covering, opens, closes, index, hidden, anchors, cuts) -> Piece:
    shown = [s for s in covering if not hidden[index[id(s)]]]
    level = {id(s): min(MAX_LEVEL, len(shown) - k) for k, s in enumerate(shown)}
    opening = {id(s) for s in opens}
    ending = {id(s) for s in closes}

    def mark(s: TechniqueSpan) -> Mark:
        i = index[id(s)]
        return Mark(i, get(s.technique), s.score, id(s) in opening, hidden[i], level.get(id(s), 0),
                    reasons.signal(s, cuts), tuple(s.cues), id(s) in ending)

    return Piece(start, text[start:end], tuple(mark(s) for s in covering), tuple(mark(s) for s in closes), anchors)


def _stretches(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs (blank-line separated) inside ``[start, end)``, without surrounding whitespace."""
    out, at = [], start
    for m in _PARAGRAPH_BREAK.finditer(text, start, end):
        out.append((at, m.start()))
        at = m.end()
    out.append((at, end))
    trimmed = []
    for a, b in out:
        chunk = text[a:b]
        a, b = a + len(chunk) - len(chunk.lstrip()), a + len(chunk.rstrip())
        if a < b:
            trimmed.append((a, b))
    return trimmed


def _sentence_anchors(text: str, analysis: Analysis) -> dict[int, tuple[int, ...]]:
    """Where each sentence's anchor goes: its first non-space character."""
    anchors: dict[int, tuple[int, ...]] = {}
    for i, sent in enumerate(analysis.sentences):
        chunk = text[sent.start : sent.end]
        pos = sent.start + len(chunk) - len(chunk.lstrip())
        if pos < sent.end:
            anchors[pos] = anchors.get(pos, ()) + (i,)
    return anchors


def _strip(text: str, analysis: Analysis, shown: list[TechniqueSpan]) -> list[SentenceBar]:
    """One bar per sentence, placed and sized by its share of the text, so the strip is a map of the article."""
    n = max(1, len(text))
    bars = []
    for i, sent in enumerate(analysis.sentences):
        inside = {s.technique for s in shown if s.start < sent.end and s.end > sent.start}
        ordered = tuple(t.id for t in TECHNIQUES if t.id in inside)
        height = max(0.35, 100.0 * (sent.end - sent.start) / n - 0.2)
        y = round(100.0 * sent.start / n, 3)
        bars.append(SentenceBar(i, y, round(height, 3), sent.score, bool(ordered), ordered))
    return bars


def _data(analysis: Analysis, spans: list[TechniqueSpan], reasons_: list[SpanReason],
          reliable: dict[str, Reliability], words: int, cuts: tuple[float, float] | None) -> dict:
    """What the page's script needs, embedded as JSON (escaped by ``tojson``, never run as code; the script
    writes it into the page with ``textContent`` only)."""
    return {
        "spans": [
            {"technique": s.technique, "score": s.score, "start": s.start, "end": s.end,
             "strength": reasons.strength_of(s, cuts), "signal": r.signal,
             "detail": r.detail, "quote": r.quote, "cues": list(r.cues), "examples": [list(e) for e in r.examples]}
            for s, r in zip(spans, reasons_)
        ],
        "sentences": [{"start": s.start, "end": s.end, "score": s.score} for s in analysis.sentences],
        "techniques": {
            t.id: {"name": t.name, "short": t.short, "definition": t.definition, "example": t.example,
                   "reliability": reliable[t.id].sentence if t.id in reliable else ""}
            for t in TECHNIQUES
        },
        "words": words,
        "strip_levels": STRIP_LEVELS,
    }
