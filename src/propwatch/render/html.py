"""The HTML report: one self-contained file a reader can open anywhere, offline, with nothing to trust.

Everything is inline (CSS, no scripts, no fonts, no images, no links out), so the file cannot leak that it was
opened and reads the same in ten years. The article comes from the open web, so every piece of it (text,
title, source) reaches the page only through Jinja2 with autoescaping on; the only markup this module builds
itself is CSS from the fixed technique colours.

Nested and overlapping spans stay visible: each segment (see ``segments``) gets the tint of its innermost
span plus one coloured underline per covering span, stacked downwards (innermost nearest the text), and every
span gets a labelled tag after its end.

Readers are told a span's strength ("strong signal"), not its percentage, and why it was marked (the words that
weighed most, the annotated phrases it resembles) in a list the span's tag links to and its highlight is
described by (``aria-describedby``); the legend says how often the model finds each technique (``reasons``).
An analysis without strengths, cues or reliability reads as it did before they existed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache

import jinja2

from ..schema import Actor, Analysis, Attribution, TechniqueSpan
from ..techniques import TECHNIQUES, Technique, get
from . import reasons
from .reasons import ANONYMOUS_MEANS, UNSOURCED_MEANS
from .segments import (
    Layer,
    analysis_layers,
    keys_ending,
    keys_over,
    keys_starting,
    layer_cuts,
    readable_on,
    segments,
    title_end,
    visible,
)
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
    attribution_keys: str = ""
    """Parts of attributions over it (``a0s a2x``: see ``segments.Layer``), for the panel's hover styles."""
    actor_keys: str = ""
    """Actor mentions (``m1``) over it."""
    evidence_keys: str = ""
    """Actors (``e1``) whose role a sentence over it is evidence of."""
    starts: str = ""
    """Layers that start here (where the page labels a source, a cue, a content, an evidence sentence)."""
    ends: str = ""
    """Attribution parts that end here (the right side of a source's box)."""
    index: dict[int, int] = field(default_factory=dict)
    """Position in ``Analysis.spans`` of each span here, by ``id()`` (the ``why-{i}`` of its reason)."""
    cuts: tuple[float, float] | None = None
    """The strength thresholds (``reasons.thresholds``), None where the analysis has no strengths."""

    @property
    def layered(self) -> bool:
        return bool(self.attribution_keys or self.actor_keys or self.evidence_keys)

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
        return "; ".join(f"{get(s.technique).name} ({reasons.label(s, self.cuts)})" for s in self.spans)

    def signal(self, span: TechniqueSpan) -> str:
        return reasons.label(span, self.cuts)

    def why(self, span: TechniqueSpan) -> str:
        """The id of ``span``'s entry in the list of reasons."""
        return f"why-{self.index[id(span)]}"

    @property
    def technique_ids(self) -> str:
        return " ".join(s.technique for s in self.spans)

    @property
    def scores(self) -> str:
        return " ".join(f"{s.score:.4g}" for s in self.spans)

    def described_by(self, with_reasons: bool) -> str:
        """The reason of each span here (when the report lists reasons), then each technique's definition."""
        whys = [self.why(s) for s in reversed(self.spans)] if with_reasons else []
        return " ".join(dict.fromkeys([*whys, *(f"def-{s.technique}" for s in reversed(self.spans))]))


@dataclass(frozen=True)
class Reason:
    """One span in the list of reasons: what it is, how strong, and why."""

    index: int
    span: TechniqueSpan
    technique: Technique
    signal: str
    detail: str
    quote: list[tuple[str, bool]]
    """The span's words, cue words flagged (``reasons.cue_parts``)."""


@dataclass
class Paragraph:
    pieces: list[Piece] = field(default_factory=list)


def render_html(analysis: Analysis, analysed_at: datetime | str | None = None) -> str:
    """The report for ``analysis`` (already filtered by the caller) as one HTML document, headed by the article's
    title, its source and ``analysed_at`` (a datetime or an ISO 8601 string; left out when not given, since a
    report rendered later from a stored analysis cannot know it)."""
    article = analysis.article
    text = article.text
    head_end = title_end(text, article.title)
    layers = analysis_layers(analysis)
    spans = [visible(s, text) for s in analysis.spans]  # trimmed once, so segments() hands back these objects
    index = {id(s): i for i, s in enumerate(spans)}
    cuts = reasons.thresholds(analysis)
    paragraphs = _paragraphs(text, spans, start=head_end or 0, layers=layers, index=index, cuts=cuts)
    heading = (_paragraphs(text, spans, end=head_end, layers=layers, index=index, cuts=cuts)[0]
               if head_end else None)
    counts = sorted(
        ((t, analysis.technique_counts.get(t.id, 0)) for t in TECHNIQUES if analysis.technique_counts.get(t.id)),
        key=lambda tn: -tn[1],
    )
    present = {t.id for t, _ in counts}
    top = [
        (sent, [get(t) for t in sent.techniques], " ".join(text[sent.start : sent.end].split()))
        for sent in analysis.top_sentences(TOP_SENTENCES)
    ]
    reliable = reasons.reliability(analysis)
    listed = reasons.has_reasons(analysis)
    return _template().render(
        analysis=analysis,
        article=article,
        analysed=_when(analysed_at),
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
        sources=source_groups(analysis.attributions),
        cast=cast_groups(analysis.actors),
        layer_css=layer_css(analysis),
        excerpt=excerpt,
        named_as=named_as,
        nested_content=NESTED_CONTENT,
        reliability=reliable,
        missed=[t for t in TECHNIQUES if t.id not in present and t.id in reliable and reliable[t.id].often_missed],
        with_reasons=listed,
        reasons=_reasons(text, spans, cuts) if listed else [],
        strengths=cuts is not None,
        signal=lambda s: reasons.signal(s, cuts),
        why=lambda s: f"why-{index[id(s)]}",
    )


def _when(analysed_at: datetime | str | None) -> tuple[str, str] | None:
    """(machine-readable, shown) forms of the analysis time, in UTC."""
    if analysed_at is None:
        return None
    try:
        moment = datetime.fromisoformat(analysed_at) if isinstance(analysed_at, str) else analysed_at
    except ValueError:  # a stored time this version cannot read: say nothing rather than something wrong
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds"), f"{moment.day} {moment:%B %Y, %H:%M} UTC"


def _reasons(text: str, spans: list[TechniqueSpan], cuts: tuple[float, float] | None) -> list[Reason]:
    """Every span in reading order, with what the report says about it."""
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, -spans[i].end))
    return [
        Reason(i, s, get(s.technique), reasons.signal(s, cuts), reasons.score_detail(s),
               reasons.cue_parts(" ".join(text[s.start : s.end].split()), s.cues))
        for i, s in ((i, spans[i]) for i in order)
    ]


def _paragraphs(text: str, spans: list[TechniqueSpan], start: int = 0, end: int | None = None,
                layers: list[Layer] | None = None, index: dict[int, int] | None = None,
                cuts: tuple[float, float] | None = None) -> list[Paragraph]:
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
        found = layers or []
        out.append(Paragraph([
            Piece(text=text[seg.start : seg.end], spans=seg.spans, closes=seg.closes,
                  attribution_keys=" ".join(keys_over(found, seg.start, seg.end, "a")),
                  actor_keys=" ".join(keys_over(found, seg.start, seg.end, "m")),
                  evidence_keys=" ".join(keys_over(found, seg.start, seg.end, "e")),
                  starts=" ".join(keys_starting(found, seg.start)), ends=" ".join(keys_ending(found, seg.end, "a")),
                  index=index or {}, cuts=cuts)
            for seg in segments(text, spans, a, b, cuts=layer_cuts(found, a, b))
        ]))
    return out


SOURCE_TYPES = (
    ("anonymous", "Anonymous", ANONYMOUS_MEANS),
    ("none", "Unsourced", UNSOURCED_MEANS),
    ("named", "Named", "a person or organisation the text names"),
)
MAIN_ROLES = (("Protagonist", "Heroes"), ("Antagonist", "Villains"), ("Innocent", "Victims"))


@dataclass
class SourceGroup:
    kind: str
    title: str
    what: str
    items: list[tuple[int, Attribution]]


@dataclass
class CastGroup:
    role: str | None
    title: str
    items: list[tuple[int, Actor]]


def source_groups(attributions: list[Attribution]) -> list[SourceGroup]:
    """Attributions by source type, anonymous first (the ones a reader should weigh), each in text order;
    indices are positions in ``Analysis.attributions`` (the ``a{i}`` of the layers)."""
    out = []
    for kind, title, what in SOURCE_TYPES:
        items = sorted(((i, a) for i, a in enumerate(attributions) if a.source_type == kind),
                       key=lambda ia: ia[1].cue.start)
        if items:
            out.append(SourceGroup(kind, title, what, items))
    return out


def cast_groups(actors: list[Actor]) -> list[CastGroup]:
    """Heroes, villains and victims (the strongest first), then the actors cast in no role ("also mentioned")."""
    out = []
    for role, title in MAIN_ROLES:
        items = sorted(((j, a) for j, a in enumerate(actors) if a.main_role == role),
                       key=lambda ja: (-ja[1].score, ja[1].name))
        if items:
            out.append(CastGroup(role, title, items))
    others = sorted(((j, a) for j, a in enumerate(actors) if a.main_role is None),
                    key=lambda ja: (-len(ja[1].mentions), ja[1].name))
    if others:
        out.append(CastGroup(None, "Also mentioned", others))
    return out


def named_as(attribution: Attribution) -> str | None:
    """The name a source refers to, when it says more than the source's own words ("The Americans" refers to
    "United States"; "the United States" to itself, and "Republican vice-presidential nominee Gov. Mike Pence
    (R-IN)" holds its name "Gov. Mike Pence", which the panel had repeated after it). For a "they" or "he" the
    rules tied to no name, ``NO_NAME_FOUND``."""
    def bare(name: str) -> str:
        words = name.lower().split()
        return " ".join(words[1:] if words[:1] == ["the"] else words)

    name, source = attribution.source_name, attribution.source
    if source is None:
        return None
    if not name:
        # a pronoun typed named that the rules could tie to no name ("a senior official told me … they want"):
        # listed under named sources, it read as if the article said who
        pronoun = attribution.source_type == "named" and source.text.strip().lower() in UNRESOLVED_PRONOUNS
        return NO_NAME_FOUND if pronoun else None
    return None if f" {bare(name)} " in f" {bare(source.text)} " else name


# Third-person pronouns a source may be; with no name resolved, ``named_as`` says so. Not "I" or "we": outside
# quotation marks they are the writer, whom the reader knows without a name.
UNRESOLVED_PRONOUNS = frozenset("he she they it him her them who".split())
NO_NAME_FOUND = "no name found"


# What the views show for an attribution kept without content of its own: one kept because another attribution
# follows in its sentence ("Smith said that Jones had told him…": what Smith said is Jones's attribution, whose
# words the tagger gives to Jones). A blank read as a broken entry.
NESTED_CONTENT = "(what follows in the sentence)"


def excerpt(attribution: Attribution, limit: int = 160) -> str:
    """The attributed content on one line, its pieces joined by an ellipsis, cut at ``limit`` characters."""
    flat = " … ".join(" ".join(c.text.split()) for c in attribution.content)
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def layer_css(analysis: Analysis) -> str:
    """The report's hover and selection styles: a source entry hovered or focused shows its parts, an actor
    ticked shows its mentions and evidence. Built from indices only (never from article data), with ``:has()``
    so the report still needs no script."""
    def rule(selectors: list[str], style: str) -> str:
        return f"{', '.join(selectors)} {{ {style} }}\n" if selectors else ""

    on = [f"main:has(#src-{i}:hover, #src-{i}:focus)" for i in range(len(analysis.attributions))]
    picked = [f"main:has(#actor-{j}:checked)" for j in range(len(analysis.actors))]
    return "".join([
        rule([f'{h} [data-a~="a{i}s"]' for i, h in enumerate(on)], SOURCE_BOX),
        rule([f'{h} [data-as~="a{i}s"]' for i, h in enumerate(on)], "--sl: -2px;"),
        rule([f'{h} [data-ae~="a{i}s"]' for i, h in enumerate(on)], "--sr: 2px;"),
        rule([f'{h} [data-a~="a{i}c"]' for i, h in enumerate(on)], "text-decoration: underline double var(--cue); "
             "text-decoration-thickness: 2px; text-underline-offset: .28em; font-weight: 700;"),
        rule([f'{h} [data-a~="a{i}x"]' for i, h in enumerate(on)], "text-decoration: underline dotted var(--say); "
             "text-decoration-thickness: 2px; text-underline-offset: .28em;"),
        *(rule([f'{h} [data-as~="a{i}{k}"]::before' for i, h in enumerate(on)], f'content: "{name}"; ' + LABEL_STYLE)
          for k, name in (("s", "source"), ("c", "cue"), ("x", "says"))),
        rule([f'{h} [data-m~="m{j}"]' for j, h in enumerate(picked)], "outline: 2px dashed var(--actor); "
             "outline-offset: 1px; font-weight: 700;"),
        rule([f'{h} [data-e~="e{j}"]' for j, h in enumerate(picked)], "border-top: 3px solid var(--actor);"),
        rule([f'{h} [data-as~="e{j}"]::before' for j, h in enumerate(picked)],
             'content: "evidence ▸"; ' + LABEL_STYLE),
    ])


SOURCE_BOX = ("--sl: 0px; --sr: 0px; border-radius: 0; box-shadow: var(--sl) -2px 0 0 var(--src), "
              "var(--sl) 2px 0 0 var(--src), var(--sr) -2px 0 0 var(--src), var(--sr) 2px 0 0 var(--src);")
"""A source's box, drawn as the web page draws it (app.css, ``.lay.at-s``): top and bottom on each of its segments,
the sides on its first and last, so that a source cut by an actor's mention inside it stays one box."""
LABEL_STYLE = ("font: 700 .62rem/1 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em; "
               "background: var(--fg); color: var(--bg); border-radius: 3px; padding: .1rem .25rem; "
               "margin-right: .2rem; vertical-align: .35em; display: inline-block; text-decoration: none;")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    return template_environment("propwatch.render").get_template("report.html.j2")


def chip_css(t: Technique) -> str:
    """Inline style of a technique's tag: built from the fixed palette only, never from article data."""
    return f"background:{t.colour};color:{readable_on(t.colour)}"
