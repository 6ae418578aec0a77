"""Two analyses side by side (two outlets on the same event, say): what the web page, the API and
``propwatch compare`` all show, computed once here from the ``Analysis`` alone so the three always agree.

A comparison holds, for each side, the figures a reader compares (the article score, spans, spans per 1,000
words, sentences flagged), its sources (the attributions: how many named, anonymous and unsourced, the share
anonymous, the anonymous sources themselves) and its cast (the actors and their roles); and, across both, the
technique mix row by row and the cast matched by name. Spans per 1,000 words is the fair count for articles of
different lengths; words are counted as the result page counts them (whitespace-separated).
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field

from .schema import Actor, Analysis
from .techniques import TECHNIQUE_IDS, get


class SourceFigures(BaseModel):
    """Who the article says its claims come from (its attributions)."""

    named: int = Field(description="Claims attributed to a named person or organisation.")
    anonymous: int = Field(description="Claims attributed to unnamed authorities ('a source', 'officials').")
    unsourced: int = Field(description="Claims with no source at all ('reportedly').")
    total: int
    share_anonymous: Optional[float] = Field(
        description="Anonymous claims as a share of all attributed claims, 0..1; null without any.")
    anonymous_sources: list[str] = Field(
        description="The anonymous sources as the text words them, each once (case aside), in order of first "
                    "appearance.")


class CastMember(BaseModel):
    name: str
    kind: str
    main_role: Optional[str] = Field(description="Protagonist, Antagonist or Innocent; null when the article takes "
                                                 "no stance.")
    fine_roles: list[str]
    mentions: int


class ArticleFigures(BaseModel):
    """One side of a comparison."""

    id: Optional[str] = Field(default=None, description="The stored analysis's id (web and API); null in the CLI.")
    title: str
    source: Optional[str] = None
    outlet: Optional[str] = None
    score: float = Field(description="The article score, 0..1: the share of the text in propagandistic sentences.")
    words: int
    spans: int
    spans_per_1000_words: float
    sentences: int
    sentences_flagged: int
    technique_counts: dict[str, int] = Field(description="Spans per technique id, every technique listed.")
    has_sources: bool = Field(description="Whether the attributions analysis ran for this article.")
    sources: SourceFigures
    cast: list[CastMember]


class TechniqueRow(BaseModel):
    """One technique in either article: its spans on each side, and per 1,000 words."""

    technique: str
    name: str
    a: int
    b: int
    a_per_1000_words: float
    b_per_1000_words: float


class CastRow(BaseModel):
    """An actor of either article (matched by name, case aside) and the role each article gives it; ``None``
    where the side does not name it."""

    name: str
    a: Optional[CastMember] = None
    b: Optional[CastMember] = None


class Comparison(BaseModel):
    """Two analyses side by side. ``techniques`` lists the techniques found in either article, most spans
    first; ``cast`` is empty unless either article has actors."""

    a: ArticleFigures
    b: ArticleFigures
    techniques: list[TechniqueRow]
    cast: list[CastRow]

    @property
    def has_cast(self) -> bool:
        return bool(self.cast)

    @property
    def has_sources(self) -> bool:
        return self.a.has_sources or self.b.has_sources


def compare(a: Analysis, b: Analysis, a_id: str | None = None, b_id: str | None = None) -> Comparison:
    """The comparison of ``a`` and ``b`` (``a_id``/``b_id``: their stored ids, when they have them)."""
    left, right = figures(a, a_id), figures(b, b_id)
    rows = [
        TechniqueRow(technique=t, name=get(t).name, a=left.technique_counts[t], b=right.technique_counts[t],
                     a_per_1000_words=per_1000(left.technique_counts[t], left.words),
                     b_per_1000_words=per_1000(right.technique_counts[t], right.words))
        for t in TECHNIQUE_IDS if left.technique_counts[t] or right.technique_counts[t]
    ]
    rows.sort(key=lambda r: -(r.a_per_1000_words + r.b_per_1000_words))  # stable: taxonomy order on ties
    return Comparison(a=left, b=right, techniques=rows, cast=cast_rows(left.cast, right.cast))


def figures(analysis: Analysis, id: str | None = None) -> ArticleFigures:
    article = analysis.article
    words = len(article.text.split())
    counts = {t: analysis.technique_counts.get(t, 0) for t in TECHNIQUE_IDS}
    return ArticleFigures(
        id=id, title=article.title or article.id, source=article.source,
        outlet=getattr(article, "outlet", None),  # article metadata, where the analysis carries it
        score=analysis.score, words=words, spans=len(analysis.spans),
        spans_per_1000_words=per_1000(len(analysis.spans), words),
        sentences=len(analysis.sentences), sentences_flagged=len(analysis.flagged_sentences),
        technique_counts=counts,
        has_sources="attributions" in analysis.models or bool(analysis.attributions),
        sources=source_figures(analysis), cast=[cast_member(actor) for actor in analysis.actors],
    )


def per_1000(count: int, words: int) -> float:
    return round(1000.0 * count / words, 1) if words else 0.0


def source_figures(analysis: Analysis) -> SourceFigures:
    kinds = [a.source_type for a in analysis.attributions]
    total = len(kinds)
    anonymous = kinds.count("anonymous")
    seen: dict[str, str] = {}
    for attribution in analysis.attributions:
        if attribution.source_type == "anonymous" and attribution.source is not None:
            words = " ".join(attribution.source.text.split())
            seen.setdefault(words.casefold(), words)
    return SourceFigures(named=kinds.count("named"), anonymous=anonymous, unsourced=kinds.count("none"),
                         total=total, share_anonymous=round(anonymous / total, 3) if total else None,
                         anonymous_sources=list(seen.values()))


def cast_member(actor: Actor) -> CastMember:
    return CastMember(name=actor.name, kind=actor.kind, main_role=actor.main_role, fine_roles=list(actor.fine_roles),
                      mentions=len(actor.mentions))


def cast_rows(a: list[CastMember], b: list[CastMember]) -> list[CastRow]:
    """The actors of both sides matched by name (case aside), those of ``a`` first in its order, then those
    only ``b`` has."""
    rows: dict[str, CastRow] = {}
    for side, members in (("a", a), ("b", b)):
        for member in members:
            row = rows.setdefault(member.name.casefold(), CastRow(name=member.name))
            if getattr(row, side) is None:
                setattr(row, side, member)
    return list(rows.values())
