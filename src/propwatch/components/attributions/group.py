"""Grouping decoded role fragments into attributions, the way PolNeAR structures them.

Every cue anchors one attribution. PolNeAR puts an attribution's source in the cue's sentence, usually right
next to it ("X said", "said X", "according to X"), and its content anywhere around it, often in several pieces
("“A,” she said, “B.”") and sometimes across sentences and paragraphs (a long quote). So:

1. Sources: each source goes to the nearest cue of its sentence (distance in words between the spans); a cue
   left without one then shares the nearest source before it in its sentence with another cue between them
   ("he said ... and added ...", ``_shared``). A source
   with no cue in its sentence goes to the nearest cue of its paragraph that has no source yet, else nowhere.
2. Content pieces: each goes to the nearest cue of its paragraph; failing that, to the nearest preceding cue
   within ``content_reach`` paragraphs (a quote continued in the next paragraph), else the nearest cue anywhere
   but in a later paragraph. PolNeAR train has 29 content pieces of 23,288 in a paragraph before their cue's;
   such a piece is mostly a headline or the paragraph above ("Traitors everywhere" over "…, officials said"),
   and it is dropped (on dev: content and whole-attribution F1 level or up by a thousandth, nothing down).
   A sentence boundary between a piece and a cue counts as ``sentence_cost`` words of extra distance. A piece
   in a sentence before the cue's is dropped when the cue's own sentence holds content after the cue
   (``_without_stale_pieces`` says why).
   A piece more than ``content_sentences`` sentences from every cue it could go to belongs to none, unless it
   goes on from a piece already given to a cue with no cue between them (a long quote, ``_continued``): it is
   dropped rather than shown as what a far cue's source said. In PolNeAR train, 99.4% of the annotated content
   pieces start or end within two sentences of their cue (90.9% in its sentence, 7.9% in the next or previous
   one); the example article's "very silly to believe that the terrorists would not dare..." (whose cue the
   model misses) had gone to "also decided", three sentences before. A hedge ("reportedly") reaches only its
   own sentence: it qualifies the clause it stands in, and with no content there ``find_attributions`` gives it
   the rest of that sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from .decode import LEXICAL_CUES, RoleSpan


@dataclass
class Group:
    cue: RoleSpan
    source: RoleSpan | None = None
    content: list[RoleSpan] = field(default_factory=list)


def paragraph_starts(text: str) -> list[int]:
    """Start offsets of the paragraphs: a line break ends a paragraph."""
    return [0] + [m.end() for m in re.finditer(r"\n", text)]


CONTENT_SENTENCES = 2  # how far, in sentences, a content piece may lie from its cue (the docstring says why)


def _index(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1


def sentences_of(sentence_starts: list[int], span: RoleSpan) -> tuple[int, int]:
    """The indices of the sentences a span starts and ends in."""
    return _index(sentence_starts, span.start), _index(sentence_starts, max(span.start, span.end - 1))


def within_reach(sentences: tuple[int, int], cue_sentence: int, reach: int = CONTENT_SENTENCES) -> bool:
    """Whether a content piece in ``sentences`` (first, last) may belong to a cue in ``cue_sentence``."""
    first, last = sentences
    return min(abs(first - cue_sentence), abs(last - cue_sentence)) <= reach


def _not_after(piece_paragraph: int, cue_paragraph: int) -> bool:
    """Whether a piece may be the content of a cue in a later paragraph: no (the module docstring, step 2)."""
    return cue_paragraph <= piece_paragraph


def _shared(source: RoleSpan, cue: RoleSpan, cues: list[RoleSpan], held: list[RoleSpan]) -> bool:
    """Whether a cue left without a source may share ``source``: one that stands before it and speaks through
    another cue, between them ("X said … and added …") or already its own ("…,” said Rick, adding that …"). A
    source after the cue, or one of no cue, belongs to another clause: "The deal, which is expected to be
    defeated, worries the Brexiteers" is not what the Brexiteers expect. On PolNeAR dev the source F1 stayed
    level (0.812; 4 fewer sources shown) and the source type, where PolNeAR marks it, was right for 27 of 37
    attributions instead of 23; of the 17 sources it stopped lending in 40 PTC train articles, 14 were wrong."""
    if source.end > cue.start:
        return False
    return any(source.end <= c.start < cue.start for c in cues) or any(h is source for h in held)


def _gap(a: RoleSpan, b: RoleSpan) -> int:
    """Words strictly between two spans (0 when they touch or overlap)."""
    if a.last_word < b.first_word:
        return b.first_word - a.last_word - 1
    if b.last_word < a.first_word:
        return a.first_word - b.last_word - 1
    return 0


def group_roles(
    text: str, spans: list[RoleSpan], sentences: list[tuple[int, int]], content_reach: int = 2,
    sentence_cost: int = 10, content_sentences: int = CONTENT_SENTENCES,
) -> list[Group]:
    """Attributions from role fragments (``spans`` in reading order); ``sentences`` as ``(start, end)``."""
    cues = [s for s in spans if s.role == "cue"]
    groups = [Group(c) for c in cues]
    if not groups:
        return []
    sent_starts = [s for s, _ in sentences] or [0]
    para_starts = paragraph_starts(text)
    sentence_of = {id(s): _index(sent_starts, s.start) for s in spans}
    paragraph_of = {id(s): _index(para_starts, s.start) for s in spans}
    sent = lambda s: sentence_of[id(s)]  # noqa: E731
    para = lambda s: paragraph_of[id(s)]  # noqa: E731
    cue_sent = [sent(c) for c in cues]
    cue_para = [para(c) for c in cues]

    def nearest(span: RoleSpan, candidates: list[int]) -> int | None:
        if not candidates:
            return None
        return min(candidates, key=lambda k: (_gap(span, cues[k]) + sentence_cost * abs(sent(span) - cue_sent[k]),
                                              cues[k].start))

    sources = [s for s in spans if s.role == "source"]
    orphans: list[RoleSpan] = []
    cues_in_sentence: dict[int, list[int]] = {}
    cues_in_paragraph: dict[int, list[int]] = {}
    for c in range(len(cues)):
        cues_in_sentence.setdefault(cue_sent[c], []).append(c)
        cues_in_paragraph.setdefault(cue_para[c], []).append(c)
    for src in sources:
        found = nearest(src, cues_in_sentence.get(sent(src), []))
        if found is None:
            orphans.append(src)
            continue
        held = groups[found].source
        if held is None or _gap(src, cues[found]) < _gap(held, cues[found]):
            groups[found].source = src
    for g, cue, cue_sentence in zip(groups, cues, cue_sent):
        if g.source is None:
            speaking = [h.source for h in groups if h.source is not None]
            same = [s for s in sources if sent(s) == cue_sentence and _shared(s, cue, cues, speaking)]
            if same:
                g.source = min(same, key=lambda s: (_gap(s, cue), s.start))
    for src in orphans:
        found = nearest(src, [c for c in cues_in_paragraph.get(para(src), []) if groups[c].source is None])
        if found is not None:
            groups[found].source = src

    # A hedge ("reportedly") qualifies the clause it stands in, so it takes content from its own sentence only.
    reach = [0 if LEXICAL_CUES.fullmatch(text[c.start : c.end]) else content_sentences for c in cues]
    for piece in (s for s in spans if s.role == "content"):
        p = para(piece)
        spread = sentences_of(sent_starts, piece)
        near = [c for c in range(len(cues)) if within_reach(spread, cue_sent[c], reach[c])]
        found = nearest(piece, [c for c in cues_in_paragraph.get(p, []) if c in near])
        if found is None:
            found = nearest(piece, [c for c in near if p - content_reach <= cue_para[c] < p])
        if found is None:
            found = nearest(piece, [c for c in near if _not_after(p, cue_para[c])])
        if found is None:
            found = _continued(groups, reach, piece, spread, sent_starts, content_sentences)
        if found is not None:
            groups[found].content.append(piece)
    for g, cue_sentence in zip(groups, cue_sent):
        g.content = _without_stale_pieces(g, cue_sentence, sent_starts)
    return groups


def _continued(groups: list[Group], reach: list[int], piece: RoleSpan, spread: tuple[int, int],
               sent_starts: list[int], content_sentences: int) -> int | None:
    """The group whose content ``piece`` goes on from: its last piece ends within ``content_sentences`` sentences
    of ``piece`` and no cue stands between them. A long quote runs on past the cue's reach (the third sentence of
    a quoted statement, a quote's second paragraph); pieces are given out in reading order, so a quote of any
    length follows its cue piece by piece. One rule, no setting searched: on PolNeAR dev, content exact F1 rose
    from 0.686 to 0.690 (recall up, precision level), the other roles unchanged."""
    cue_starts = [g.cue.start for g in groups]
    found = None
    for i, g in enumerate(groups):
        if not g.content or not reach[i]:  # a hedge ("reportedly") keeps to its own sentence
            continue
        last = max(g.content, key=lambda p: p.end)
        if any(last.end <= c < piece.start for c in cue_starts):
            continue
        if within_reach(spread, sentences_of(sent_starts, last)[1], content_sentences):
            found = i
    return found


def _without_stale_pieces(group: Group, cue_sentence: int, sent_starts: list[int]) -> list[RoleSpan]:
    """``group``'s content without the pieces that end in a sentence before its cue's when the cue's own sentence
    holds content after the cue: "These traitors will stop at nothing. … Everyone knows the truth: …" is not what
    everyone knows. PolNeAR train has content both in an earlier sentence and after the cue in the cue's sentence
    in 12 of its 19,831 attributions with a cue and content: such a piece is the content of a cue the tagger
    missed, and showing it as this source's claim would put words in the wrong mouth. What dropping it is worth, on
    the half of PolNeAR dev it was not chosen on: BENCHMARKS.md, "Attributions: how the decoding's choices were
    made"."""
    cue = group.cue
    if not any(p.start >= cue.end and _index(sent_starts, p.start) == cue_sentence for p in group.content):
        return group.content
    return [p for p in group.content if sentences_of(sent_starts, p)[1] >= cue_sentence]
