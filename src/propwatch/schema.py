"""The typed results every part of propwatch reads and writes (the ``Doc``/``Span`` of this project).

Offsets are Python string indices into ``Article.text`` (start inclusive, end exclusive), exactly as in the
PTC label files, so ``article.text[span.start:span.end] == span.text`` always holds and survives a JSON round
trip (``Analysis.model_validate_json(a.model_dump_json()) == a``). ``Article.text`` is the whole original text,
title line included (PTC convention: line 1 title, line 2 blank), because that is what the offsets index.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .techniques import TECHNIQUE_IDS


class Article(BaseModel):
    """One input document. ``title`` is derived for display; offsets always index ``text``."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str = ""
    text: str
    source: Optional[str] = Field(default=None, description="Where it came from: a path, a URL or 'stdin'.")
    # What a web page says about itself (trafilatura reads its meta tags and byline). None when unknown: plain
    # text carries none, and analyses stored before these fields existed load with None.
    outlet: Optional[str] = Field(
        default=None, description="The site or publication it appeared in: the page's og:site_name (or "
                                  "publisher), else its host name when the page came from a URL.")
    author: Optional[str] = Field(default=None, description="Its author or authors, as the page names them "
                                                            "(several are joined by '; ').")
    published: Optional[str] = Field(
        default=None, pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Its publication date as the page gives it, ISO 8601 (YYYY-MM-DD).", examples=["2021-06-14"])

    @classmethod
    def from_ptc_text(cls, text: str, id: str = "article", source: str | None = None) -> "Article":
        """The article in plain text, with its title when line 1 is a headline (the PTC layout: title, blank
        line, paragraphs), and a short label from its first words when it is not.

        A pasted article often has no headline, and taking its first paragraph as one drew a paragraph-long
        heading; so line 1 (the first non-blank line) is a headline only when all of these hold:

        - something follows it, and it is short: at most 30 words and 250 characters (PTC titles reach 31 words;
          a lead paragraph is longer);
        - it does not end like a clause that goes on (``,`` ``;`` ``:``);
        - it ends without a full stop, or, if it has one (PTC titles such as "Assange Never Met Manafort."), it
          is at most 15 words in Title Case (three in four of its words of four or more letters capitalised,
          which a sentence of a lead paragraph is not) and at most half as long as the paragraphs after it;
        - a blank line follows it, or, when the body follows on the next line, it is at most half as long (in
          words) as the median of the next lines: clearly shorter than the body's paragraphs.

        Otherwise ``title`` is the first few words (at most 8) followed by "…": a label for lists and page
        titles, which never equals the start of the text, so no renderer draws the first paragraph as a
        heading (they draw ``title`` as a heading only when the text starts with it). The text and its
        offsets are never changed.
        """
        import statistics

        stripped = text.lstrip("\ufeff").lstrip()  # a UTF-8 BOM is no part of the title
        line, _, rest = stripped.partition("\n")
        line = line.strip()
        words = line.split()

        def is_headline() -> bool:
            if not words or len(words) > 30 or len(line) > 250 or not rest.strip():
                return False
            end = line.rstrip("\"'’”)»]")
            if end.endswith((",", ";", ":")):
                return False
            following = [p for p in rest.split("\n") if p.strip()][:20]
            shorter = 2 * len(words) <= statistics.median(len(p.split()) for p in following)
            if end.endswith(".") and not end.endswith(("...", "…")):
                long_words = [w for w in words if sum(c.isalpha() for c in w) >= 4]
                capitalised = sum(w[0].isupper() for w in long_words)
                if len(words) > 15 or not long_words or capitalised < 0.75 * len(long_words) or not shorter:
                    return False
            return not rest.split("\n", 1)[0].strip() or shorter

        if is_headline():
            title = line
        else:
            first = stripped.split()
            title = " ".join(first[: min(8, max(1, len(first) - 1))]) + "…" if first else ""
            if title and stripped.startswith(title):  # the text itself goes on with "…" there: no label
                title = ""
        return cls(id=id, title=title, text=text, source=source)


Strength = Literal["strong", "moderate", "weak"]


class SpanExample(BaseModel):
    """An annotated span of the same technique from the model's training articles, shown as a reason: "the
    annotators marked phrases like this one". ``before``/``after`` are a few words of its context."""

    model_config = ConfigDict(frozen=True)

    text: str
    before: str = ""
    after: str = ""
    article: str = Field(default="", description="The corpus article it comes from (PTC article id).")
    similarity: float = Field(default=0.0, ge=-1.0, le=1.0)


class TechniqueSpan(BaseModel):
    """A stretch of text that uses one technique. Overlapping spans are normal (nested loaded language
    inside a doubt-raising sentence); the same stretch may carry two techniques as two spans.

    ``score`` is the calibrated probability (kept for JSON and the API); ``strength`` is what readers are
    shown instead of a percentage, because "18%" next to a highlight reads as "probably wrong" even where
    the span is among the model's better-supported ones. ``cues`` are the words inside the span that weighed
    most; ``examples`` the most similar annotated spans of the same technique."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    technique: str
    score: float = Field(ge=0.0, le=1.0, description="The model's confidence that this span uses the technique.")
    text: str = ""
    strength: Optional[Strength] = None
    # Tuples, not lists: spans are frozen and hashed (renderers keep them in sets).
    cues: tuple[str, ...] = ()
    examples: tuple[SpanExample, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> "TechniqueSpan":
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be after start {self.start}")
        if self.technique not in TECHNIQUE_IDS:
            raise ValueError(f"unknown technique {self.technique!r}")
        return self


class SentenceResult(BaseModel):
    """A sentence, its propaganda score (probability-like, 0..1) and the techniques of the spans in it."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    score: float = Field(ge=0.0, le=1.0)
    techniques: list[str] = Field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """A sentence is flagged when at least one detected span overlaps it."""
        return bool(self.techniques)


class TextSpan(BaseModel):
    """A stretch of the article's text: a part of an attribution, or a mention of an actor."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    text: str

    @model_validator(mode="after")
    def _check(self) -> "TextSpan":
        if self.end <= self.start:
            raise ValueError(f"span end {self.end} must be after start {self.start}")
        return self


SourceType = Literal["named", "anonymous", "none"]


class Attribution(BaseModel):
    """A claim the article attributes to someone: who says so (``source``, None when nobody is named:
    "reportedly"), the reporting words (``cue``: "said", "according to") and what is attributed (``content``,
    possibly in several pieces around the cue).

    ``source_type``: ``named`` (a person or organisation named in the text, or a pronoun or description that
    refers back to one; ``source_name`` is that name's first mention, or the first mentions of names a source
    joins with "and": "Chuck Schumer and Nancy Pelosi"), ``anonymous`` (unnamed people presented
    as authorities: "a source", "officials", "our specialists"), ``none`` (no source at all)."""

    model_config = ConfigDict(frozen=True)

    source: Optional[TextSpan] = None
    cue: TextSpan
    content: list[TextSpan] = Field(default_factory=list)
    source_type: SourceType
    source_name: Optional[str] = None
    score: float = Field(ge=0.0, le=1.0, description="The model's confidence in this attribution.")

    @property
    def parts(self) -> list[TextSpan]:
        return [p for p in (self.source, self.cue, *self.content) if p is not None]


MainRole = Literal["Protagonist", "Antagonist", "Innocent"]
ActorKind = Literal["person", "organisation", "state", "group"]


class Actor(BaseModel):
    """Someone the article talks about (a person, organisation, state or group of people), with all its mentions
    merged across aliases ("the USA", "the Americans", "Washington"), and the role the article casts it in:
    ``main_role`` (None when the article takes no stance) and the ``fine_roles`` under it (SemEval-2025 Task 10's
    taxonomy, ``propwatch.roles``). ``evidence``: indices into ``Analysis.sentences`` of the sentences that cast
    it so."""

    model_config = ConfigDict(frozen=True)

    name: str
    kind: ActorKind
    mentions: list[TextSpan]
    main_role: Optional[MainRole] = None
    fine_roles: list[str] = Field(default_factory=list)
    score: float = Field(ge=0.0, le=1.0, description="The model's confidence in the main role.")
    evidence: list[int] = Field(default_factory=list)


class TechniqueReliability(BaseModel):
    """How often the model finds a technique, measured on articles it was not tuned on: what the legend tells
    readers so that a missing highlight reads as "not found", not "not there"."""

    model_config = ConfigDict(frozen=True)

    recall: float = Field(ge=0.0, le=1.0)
    precision: float = Field(ge=0.0, le=1.0)
    support: int = Field(default=0, ge=0, description="Annotated spans the figures were measured on.")


class ModelInfo(BaseModel):
    """The model behind one analysis. ``reliability`` (per technique id) and ``strength_thresholds`` (the
    lowest score of a ``strong`` and of a ``moderate`` span) are filled for technique models that carry them."""

    model_config = ConfigDict(frozen=True)

    name: str
    version: str
    reliability: dict[str, TechniqueReliability] = Field(default_factory=dict)
    strength_thresholds: Optional[tuple[float, float]] = None


class Analysis(BaseModel):
    """Everything propwatch says about one article.

    ``score`` is the article score: the length-weighted mean of the sentence scores, i.e. the expected share of
    the article's text that sits in propagandistic sentences. It rises with every sentence score, is 0 for an
    article with no propaganda signal and 1 when every sentence is certainly propaganda.
    """

    article: Article
    spans: list[TechniqueSpan]
    sentences: list[SentenceResult]
    score: float = Field(ge=0.0, le=1.0)
    technique_counts: dict[str, int]
    model: ModelInfo
    timings_ms: dict[str, float] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)
    # Filled by the attributions and actors components; empty where they were left out or found nothing.
    attributions: list[Attribution] = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    # The model behind each analysis that ran, by its name ("techniques", "attributions", "actors"): which
    # analyses an Analysis holds, and with what. ``model`` is the technique model's, kept where it always was.
    models: dict[str, ModelInfo] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _offsets_index_the_text(self) -> "Analysis":
        n = len(self.article.text)
        for end in [s.end for s in self.spans] + [s.end for s in self.sentences]:
            if end > n:
                raise ValueError(f"offset {end} is past the end of the article ({n} characters)")
        parts = [p for a in self.attributions for p in a.parts] + [m for a in self.actors for m in a.mentions]
        stretches = [(s.start, s.end, s.text) for s in self.spans] + [(p.start, p.end, p.text) for p in parts]
        for start, end, text in stretches:
            if text and self.article.text[start:end] != text:
                raise ValueError(f"span {start}-{end} text does not match the article text")
        for actor in self.actors:
            if any(not 0 <= i < len(self.sentences) for i in actor.evidence):
                raise ValueError(f"the evidence of {actor.name!r} names a sentence the analysis does not have")
        return self

    @property
    def flagged_sentences(self) -> list[SentenceResult]:
        return [s for s in self.sentences if s.flagged]

    def top_sentences(self, k: int = 5) -> list[SentenceResult]:
        """The ``k`` flagged sentences with the highest scores, most propagandistic first."""
        return sorted(self.flagged_sentences, key=lambda s: -s.score)[:k]

    def filtered(self, min_score: float = 0.0, techniques: frozenset[str] | None = None) -> "Analysis":
        """The same analysis showing only spans with ``score >= min_score`` of the given techniques.

        Sentence techniques and counts are recomputed so every view stays consistent; scores are kept, since
        they describe the article, not the filter.
        """
        spans = [
            s for s in self.spans
            if s.score >= min_score and (techniques is None or s.technique in techniques)
        ]
        sentences = [
            sent.model_copy(update={"techniques": techniques_in(spans, sent.start, sent.end)})
            for sent in self.sentences
        ]
        return self.model_copy(
            update={"spans": spans, "sentences": sentences, "technique_counts": count_techniques(spans)}
        )


def techniques_in(spans: list[TechniqueSpan], start: int, end: int) -> list[str]:
    """Technique ids of the spans overlapping ``[start, end)``, in taxonomy order, each once."""
    found = {s.technique for s in spans if s.start < end and s.end > start}
    return [t for t in TECHNIQUE_IDS if t in found]


def count_techniques(spans: list[TechniqueSpan]) -> dict[str, int]:
    counts = {t: 0 for t in TECHNIQUE_IDS}
    for s in spans:
        counts[s.technique] += 1
    return counts
