"""Attributions: who says what in an article ("Our source ... reports that ...", "reportedly").

An attribution has a cue (the reporting word: "said", "reports", "according to", "believes"), an optional
source (who) and its content (what is attributed, possibly in several pieces), as annotated in PolNeAR (Newell,
Margolin and Ruths, LREC 2018), the corpus the model is trained on. ``find_attributions`` turns a model's
per-token tag probabilities into attributions: decoding to role spans (``decode``), closing content pieces the
tagger stopped short and cutting cues back from a determiner (``ends``), adding a headline's colon attribution
(``headlines``), grouping them around their cues (``group``), typing and naming each source (``sources``),
leaving the writer's asides out of the content's edges (``asides``), closing the quotations a piece opened
(``quotes``), giving a passive cue's subject to the content rather than the source (``passives``) and giving a
transcript's turns to their speakers (``transcripts``).
``AttributionModel`` (``model``) runs an exported attribution model folder with onnxruntime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from ...sentences import sentence_at, split_sentences
from ...words import FUNCTION_WORDS, bare
from .asides import without_asides
from .decode import (
    LABELS,
    LEXICAL_CUE_SCORE,
    LEXICAL_CUES,
    ROLES,
    RoleSpan,
    add_lexical_cues,
    decode_word_roles,
    word_log_probs,
    words_of,
)
from .ends import close_content_ends, trim_cue_ends
from .group import group_roles
from .headlines import add_headline_attribution
from .orphans import add_orphan_cues
from .passives import passive_subject
from .quotes import close_quotes
from .sources import ANONYMOUS, NAMED, NONE, SourceResolver
from .subjects import Parse, subject_source
from .transcripts import TRANSCRIPT_SCORE, Turn, transcript_turns

SOURCE_TYPES = (NAMED, ANONYMOUS, NONE)


@dataclass(frozen=True)
class Span:
    """Character offsets into the article (end exclusive) and the text they cover."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Attribution:
    cue: Span
    source: Span | None
    content: tuple[Span, ...]
    source_type: str  # named | anonymous | none
    source_name: str | None  # for a named source: the text of the name's first mention in the article
    score: float  # mean confidence of the attribution's role spans


# Words that are no source on their own ("the", "of", "no"). A pronoun is one, possessives included: PolNeAR marks
# "his" of "his obsession with Mexico" as the source of the cue "obsession with" (18 sources of dev), and "he",
# "that" or "those" alone often; no source of PolNeAR train is only "no", "not", "so" or "is", which the tagger
# has offered ("no | would ever dream of").
_NO_SOURCE_WORDS = FUNCTION_WORDS - frozenset(
    "he she it they we you i this that these those his her their our your my its".split())


def _only_function_words(text: str) -> bool:
    return all(bare(w) in FUNCTION_WORDS for w in text.split())


def _span(text: str, s: RoleSpan) -> Span:
    return Span(s.start, s.end, text[s.start : s.end])


def _source(text: str, s: RoleSpan) -> Span:
    """A source span, with the bracket it opened closed where the tagger stopped just before it: "Gov. Mike Pence
    (R-IN" shown as "Gov. Mike Pence (R-IN)" (the scorer trims brackets, so no figure moves)."""
    end = s.end
    if text.count("(", s.start, end) > text.count(")", s.start, end) and text[end : end + 1] == ")":
        end += 1
    return Span(s.start, end, text[s.start : end])


def _content(text: str, s: RoleSpan) -> Span:
    """A content piece without the writer's asides at its edges (``asides``) and with the quotation marks it opened
    closed (``quotes``)."""
    start, end = without_asides(text, s.start, s.end)
    end = close_quotes(text, start, end)
    return Span(start, end, text[start:end])


def _hedged_claim(text: str, cue: RoleSpan, sentences: list[tuple[int, int]]) -> RoleSpan | None:
    """What a sourceless hedge ("reportedly") qualifies when the model tagged no content for it: the rest of its
    sentence ("…and, reportedly, almost fifty killed in two days"), or the sentence up to it when it comes last
    ("Fifty were killed, reportedly.")."""
    sentence = sentence_at(sentences, cue.start)
    if sentence is None:
        return None
    for start, end in ((cue.end, sentence[1]), (sentence[0], cue.start)):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip(" \t\n,;:—–-\"“”'’"))
        trail = len(piece) - len(piece.rstrip(" \t\n,;:.!?—–-\"“”'’"))
        start, end = start + lead, end - trail
        if end > start and len(text[start:end].split()) >= 2 and not _only_function_words(text[start:end]):
            return RoleSpan("content", start, end, -1, -1, LEXICAL_CUE_SCORE)
    return None


def _reports_a_later_attribution(cue: RoleSpan, cue_starts: list[int], sentences: list[tuple[int, int]]) -> bool:
    """Whether another cue follows ``cue`` in its sentence: "Smith said that Jones had told him …", where what
    Smith said is Jones's attribution, whose words the tagger gives to Jones (one role a word), leaving Smith's
    attribution without content of its own. It is kept: the chain of who said so starts with Smith."""
    sentence = sentence_at(sentences, cue.start)
    end = sentence[1] if sentence else cue.end
    return any(cue.end <= start < end for start in cue_starts)


# A cue with no source of the shape "very silly to believe", "hard to say", "fair to assume": the writer weighing an
# idea ("it's very silly to believe that the terrorists would not dare…", the example article), not a claim resting
# on no one's word. PolNeAR train has 8 whole cues of this shape, 7 with a source ("refused to say", "continued to
# believe"), which stay, and 1 without ("not to suggest").
_WEIGHING_AN_IDEA = re.compile(
    r"(?:(?:very|too|so|quite|rather|pretty)\s+)?\w+\s+to\s+"
    r"(?:believe|think|say|assume|suggest|imagine|expect|argue|claim)", re.IGNORECASE)

# Words that may stand before an imperative at a sentence's start ("So expect that …", "And remember that …").
_BEFORE_AN_IMPERATIVE = frozenset("so and but then now just".split())


def _imperative_opening(words: list[str]) -> bool:
    """Whether ``words`` are an opening "So", "And" or the like and one lower-case verb in its base form: "So
    expect", "And remember" (not "So reportedly", "And asked")."""
    if len(words) != 2 or bare(words[0]) not in _BEFORE_AN_IMPERATIVE:
        return False
    verb = words[1]
    return verb.isalpha() and verb.islower() and not verb.endswith(("s", "ed", "ing", "ly"))


def _told_to_the_reader(text: str, piece: RoleSpan, sentences: list[tuple[int, int]]) -> bool:
    """Whether a content piece follows nothing in its sentence but an imperative opening ("So expect that Damascus
    and the Russian … will begin to liberate …"): the writer telling the reader what to think. The tagger gave it
    no cue of its own (had it tagged "expect", ``_addresses_the_reader`` would drop the pair), and grouping had
    handed it to a source two sentences back ("the source believes, …"), as that source's claim."""
    sentence = sentence_at(sentences, piece.start)
    return sentence is not None and _imperative_opening(text[sentence[0] : piece.start].split())


def _addresses_the_reader(text: str, cue: RoleSpan, sentences: list[tuple[int, int]]) -> bool:
    """Whether a sourceless cue of one word is an imperative after its sentence's opening "So", "And" or the like
    ("So expect that Damascus will …", "And remember that …"): the author telling the reader what to think, the
    author's own claim rather than a claim resting on no one's word ("reportedly", "it is believed"). A
    lower-case verb in its base form only ("So reportedly", "And asked" are not); a cue opening its sentence is
    left alone, as it is as often a noun or an adjective ("Speculation about", "Confident") as an imperative."""
    sentence = sentence_at(sentences, cue.start)
    if sentence is None:
        return False
    return _imperative_opening(text[sentence[0] : cue.end].split())


# Words that open a question when they open their sentence as its subject ("Who then enforces these demands?").
_ASKING = frozenset({"Who", "What"})


def _asks(text: str, source: RoleSpan, sentences: list[tuple[int, int]]) -> bool:
    """Whether ``source`` is a question's "Who" or "What" opening its sentence ("Who can blame the North Koreans?",
    "Who knows exactly what they mean."): a question attributes nothing to anyone. PolNeAR train marks one such
    source in its 840 articles; the tagger gave four in PTC's 371 labelled articles, each a question. "WHO" in
    capitals (the World Health Organization) and a "who" inside its sentence (a relative pronoun) are sources."""
    if text[source.start : source.end] not in _ASKING:
        return False
    sentence = sentence_at(sentences, source.start)
    return sentence is not None and not text[sentence[0] : source.start].strip(" \t\n\"“'‘")


def find_attributions(
    text: str, token_offsets: np.ndarray, probs: np.ndarray, labels: tuple[str, ...] = LABELS,
    sentences: list[tuple[int, int]] | None = None, parse: Parse | None = None,
) -> list[Attribution]:
    """Attributions of ``text`` from per-token tag probabilities ``probs`` ``[N, len(labels)]`` over tokens at
    ``token_offsets`` ``[N, 2]``, in the order of their cues. ``parse`` (``spacy_pipeline.parse``) gives a
    sourceless cue its verb's subject (``subjects``); None, the default and what the product runs, leaves it
    sourceless: the rule did not pass its judge (``benchmarks/cue_subjects.py``)."""
    sentences = sentences if sentences is not None else split_sentences(text)
    words = words_of(text)
    lp = word_log_probs(words, token_offsets, probs, labels)
    spans = close_content_ends(text, decode_word_roles(text, words, lp, labels), words, lp, sentences, labels)
    spans = trim_cue_ends(text, spans, words)
    spans = add_orphan_cues(text, add_lexical_cues(text, add_headline_attribution(text, spans)), sentences)
    # "So expect that Damascus will …": the writer telling the reader, no one's attributed claim
    spans = [s for s in spans if s.role != "content" or not _told_to_the_reader(text, s, sentences)]
    # "was", "is": no reporting word a reader would recognise, so no attribution, nor a later cue that would keep
    # an earlier one without content as the outer part of a nested attribution
    groups = [g for g in group_roles(text, spans, sentences) if not _only_function_words(text[g.cue.start : g.cue.end])]
    for g in groups:
        # a lone function word ("to", "that") is a fragment the tagger split off, not content ("It is over" is)
        g.content = [c for c in g.content
                     if len(text[c.start : c.end].split()) > 1 or not _only_function_words(text[c.start : c.end])]
    # only a later cue with content of its own makes an earlier one the outer part of a nested attribution: "the
    # Iraqis, who were greatly disturbed" had kept "the Iraqis … was also asked" with nothing attributed
    cue_starts = sorted(g.cue.start for g in groups if g.content)
    resolver = SourceResolver(text, sentences)
    out = []
    for g in groups:
        if g.source and all(bare(w) in _NO_SOURCE_WORDS for w in text[g.source.start : g.source.end].split()):
            g.source = None  # "the": no source ("he", "they", "his" are: they refer back to one)
        if g.source is not None and passive_subject(text, g.source, g.cue):
            # "He has been criticized": talked about, not talking
            g.content = [replace(g.source, role="content"), *g.content]
            g.source = None
        elif g.source is None and parse is not None:
            # "the Kurds, following the example of their patron, also decided to leave …": who decided
            g.source = subject_source(text, g.cue, sentences, spans, parse, _NO_SOURCE_WORDS)
        if g.source is None and not g.content and LEXICAL_CUES.fullmatch(text[g.cue.start : g.cue.end]):
            claim = _hedged_claim(text, g.cue, sentences)
            g.content = [claim] if claim else []
        if g.source is not None and _asks(text, g.source, sentences):
            continue  # "Who then enforces these demands?": a question, no one's claim
        if g.source is None and _addresses_the_reader(text, g.cue, sentences):
            continue  # "So expect that …": the author's own word, which the whole article is
        if g.source is None and _WEIGHING_AN_IDEA.fullmatch(text[g.cue.start : g.cue.end]):
            continue  # "it's very silly to believe that …": the writer weighing an idea, no one's claim
        if g.source is None and not any(not _only_function_words(text[c.start : c.end]) for c in g.content):
            continue  # a cue alone ("refused", "chose"): no one says anything, so nothing is attributed
        if not g.content and not _reports_a_later_attribution(g.cue, cue_starts, sentences):
            continue  # a source and a cue with nothing attributed ("the Iraqis … was also asked"): PolNeAR has
            # content in 2,192 of its 2,193 dev attributions, and a reader can do nothing with an empty claim
        source = (g.source.start, g.source.end) if g.source else None
        identity = resolver.identify(source)
        parts = [g.cue] + ([g.source] if g.source else []) + g.content
        out.append(Attribution(
            cue=_span(text, g.cue),
            source=_source(text, g.source) if g.source else None,
            content=tuple(_content(text, c) for c in sorted(g.content, key=lambda c: c.start)),
            source_type=identity.source_type,
            source_name=identity.name,
            score=float(np.mean([p.score for p in parts])),
        ))
    return _with_turns(text, out, transcript_turns(text), resolver)


def _turn_at(turns: list[Turn], offset: int) -> int | None:
    """The index of the turn whose extent (label to last content piece) holds ``offset``; None outside them all."""
    for i, t in enumerate(turns):
        if t.source[0] <= offset < t.content[-1][1]:
            return i
    return None


def _outside_other_turns(a: Attribution, turns: list[Turn]) -> Attribution | None:
    """``a`` with the content pieces it takes from a turn other than its cue's, or from a speaker's label, left
    out; None where its cue or source lies on a label (the turn is the attribution there), or where no content is
    left. The tagger spreads a cue's content over a transcript ("The Wall Street Journal wrote" in one turn had
    pieces of six others): a piece of another speaker's turn is never what this cue's source said."""
    def on_a_label(span: Span) -> bool:
        return any(span.start < t.cue[1] and t.source[0] < span.end for t in turns)

    if on_a_label(a.cue) or (a.source is not None and on_a_label(a.source)):
        return None
    turn = _turn_at(turns, a.cue.start)
    content = tuple(c for c in a.content if not on_a_label(c) and _turn_at(turns, c.start) == turn
                    and _turn_at(turns, c.end - 1) == turn)
    if not content:
        return None
    return a if content == a.content else replace(a, content=content)


def _with_turns(text: str, found: list[Attribution], turns: list[Turn], resolver: SourceResolver) -> list[Attribution]:
    """``found`` (``_outside_other_turns``) with each transcript turn as an attribution of its speaker, in the order
    of their cues. Attributions inside a turn stay: "PENCE: Well, look, Hillary Clinton apparently thinks …" holds
    Clinton's too."""
    if not turns:
        return found
    out = [kept for a in found if (kept := _outside_other_turns(a, turns)) is not None]
    for t in turns:
        # the resolver names the speaker from the label's last word, which it finds in any case ("PENCE" is the
        # article's "Gov. Mike Pence"); a label it cannot link is still a named speaker, under the label
        name = resolver.name_of(text[t.source[0] : t.source[1]].split()[-1].strip(".'’"), t.source[0])
        out.append(Attribution(
            cue=Span(t.cue[0], t.cue[1], text[t.cue[0] : t.cue[1]]),
            source=Span(t.source[0], t.source[1], text[t.source[0] : t.source[1]]),
            content=tuple(Span(s, e, text[s:e]) for s, e in t.content),
            source_type=NAMED,
            source_name=name or text[t.source[0] : t.source[1]],
            score=TRANSCRIPT_SCORE,
        ))
    return sorted(out, key=lambda a: a.cue.start)


__all__ = ["ANONYMOUS", "Attribution", "LABELS", "NAMED", "NONE", "ROLES", "SOURCE_TYPES", "Span",
           "find_attributions"]
