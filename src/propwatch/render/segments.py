"""Cut an article into segments at every span boundary, the one thing the terminal and HTML views share.

Spans overlap and nest (loaded language inside a doubt-raising clause; two techniques on the same words), so
a view cannot wrap each span in its own highlight. Cutting the text at every start and end gives stretches
whose covering spans never change inside them: each segment is drawn once, styled by everything over it, and
each span's label goes after the segment where that span ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Analysis, TechniqueSpan
from ..techniques import TECHNIQUE_IDS, Technique, get

_ORDER = {t: i for i, t in enumerate(TECHNIQUE_IDS)}


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    spans: tuple[TechniqueSpan, ...]
    """The spans covering the segment, outermost (longest) first, so ``spans[-1]`` is the innermost."""
    opens: tuple[TechniqueSpan, ...]
    """Spans starting at ``start``, outermost first (the order their opening markers nest in)."""
    closes: tuple[TechniqueSpan, ...]
    """Spans ending at ``end``, innermost first (the order their labels and closing markers nest in)."""

    @property
    def depth(self) -> int:
        return len(self.spans)


def nesting_key(span: TechniqueSpan) -> tuple:
    """Longer spans sit outside shorter ones; equal stretches keep taxonomy order so views are stable."""
    return (-(span.end - span.start), _ORDER[span.technique], -span.score)


def visible(span: TechniqueSpan, text: str) -> TechniqueSpan:
    """The span without surrounding whitespace, so a highlight never ends on a blank line where its
    label would be lost between paragraphs (a span that is only whitespace is left as it is)."""
    chunk = text[span.start : span.end]
    stripped = chunk.strip()
    if not stripped or stripped == chunk:
        return span
    start = span.start + (len(chunk) - len(chunk.lstrip()))
    return span.model_copy(update={"start": start, "end": start + len(stripped), "text": stripped})


def segments(
    text: str, spans: list[TechniqueSpan], start: int = 0, end: int | None = None, cuts: tuple[int, ...] = ()
) -> list[Segment]:
    """Segments covering ``text[start:end]`` entirely (uncovered stretches have no spans).

    ``cuts`` adds boundaries of the caller's own (the end of the title line, paragraph breaks).
    """
    end = len(text) if end is None else end
    shown = sorted((visible(s, text) for s in spans), key=lambda s: (s.start, nesting_key(s)))
    bounds = {start, end, *(c for c in cuts if start < c < end)}
    for s in shown:
        bounds.update(b for b in (s.start, s.end) if start < b < end)
    points = sorted(bounds)
    out = []
    for a, b in zip(points, points[1:]):
        covering = tuple(sorted((s for s in shown if s.start <= a and s.end >= b), key=nesting_key))
        out.append(Segment(
            start=a,
            end=b,
            spans=covering,
            opens=tuple(s for s in covering if s.start == a),
            closes=tuple(sorted((s for s in covering if s.end == b), key=nesting_key, reverse=True)),
        ))
    return out


def technique(span: TechniqueSpan) -> Technique:
    return get(span.technique)


def readable_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (#RRGGBB), by WCAG relative luminance."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if luminance > 0.179 else "#FFFFFF"


def title_end(text: str, title: str) -> int | None:
    """Where the title line ends in ``text`` when the text starts with it (PTC articles do), else None."""
    lead = len(text) - len(text.lstrip())
    if title and text[lead : lead + len(title)] == title:
        return lead + len(title)
    return None


# -- layers: attribution parts, actor mentions and evidence sentences ---------------------------------------
# They overlap technique spans and each other, and are drawn on demand (hover a source, select an actor), so a
# view does not nest an element per layer: it cuts its segments at layer boundaries too (``layer_cuts``) and
# tags each segment with the keys of the layers over it (``keys_over``), as data attributes a stylesheet or
# script can select. Keys: ``a{i}s``/``a{i}c``/``a{i}x`` the source, cue and content of attribution ``i``;
# ``m{j}`` a mention of actor ``j``; ``e{j}`` a sentence that is evidence of actor ``j``'s role.


@dataclass(frozen=True)
class Layer:
    start: int
    end: int
    key: str


ATTRIBUTION_PARTS = (("s", "source"), ("c", "cue"), ("x", "content"))


def analysis_layers(analysis: Analysis, text: str | None = None) -> list[Layer]:
    """Every layer of ``analysis``, trimmed of surrounding whitespace like technique spans."""
    text = analysis.article.text if text is None else text
    out = []
    for i, a in enumerate(analysis.attributions):
        if a.source is not None:
            out.append(_trimmed(text, a.source.start, a.source.end, f"a{i}s"))
        out.append(_trimmed(text, a.cue.start, a.cue.end, f"a{i}c"))
        out.extend(_trimmed(text, c.start, c.end, f"a{i}x") for c in a.content)
    for j, actor in enumerate(analysis.actors):
        out.extend(_trimmed(text, m.start, m.end, f"m{j}") for m in actor.mentions)
        for k in actor.evidence:
            if 0 <= k < len(analysis.sentences):
                sent = analysis.sentences[k]
                out.append(_trimmed(text, sent.start, sent.end, f"e{j}"))
    return [layer for layer in out if layer.start < layer.end]


def layer_cuts(layers: list[Layer], start: int, end: int) -> tuple[int, ...]:
    """The layer boundaries inside ``(start, end)``, for ``segments(cuts=...)``."""
    return tuple(sorted({b for layer in layers for b in (layer.start, layer.end) if start < b < end}))


def keys_over(layers: list[Layer], start: int, end: int, prefix: str = "") -> tuple[str, ...]:
    """Keys (starting with ``prefix``) of the layers covering all of ``[start, end)``, each once, in order."""
    return tuple(dict.fromkeys(
        layer.key for layer in layers
        if layer.start <= start and layer.end >= end and layer.key.startswith(prefix)
    ))


def keys_starting(layers: list[Layer], start: int, prefix: str = "") -> tuple[str, ...]:
    """Keys of the layers that start at ``start`` (where a view puts a part's label)."""
    return tuple(dict.fromkeys(layer.key for layer in layers if layer.start == start and layer.key.startswith(prefix)))


def keys_ending(layers: list[Layer], end: int, prefix: str = "") -> tuple[str, ...]:
    """Keys of the layers that end at ``end``: a source cut into several segments (by an actor's mention inside
    it) is drawn as one box, closed on the right only by its last segment."""
    return tuple(dict.fromkeys(layer.key for layer in layers if layer.end == end and layer.key.startswith(prefix)))


def _trimmed(text: str, start: int, end: int, key: str) -> Layer:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return Layer(start, end, key)
    a = start + len(chunk) - len(chunk.lstrip())
    return Layer(a, a + len(stripped), key)
