"""The grammatical subject of a cue as its source, where the tagger found none.

"Things are going so badly that the Kurds, following the example of their patron, also decided to leave certain
territories": the tagger tagged the cue "decided" and its content but no source, and a reader was told the claim
rested on no one's word. The subject of the cue's verb is who decided. In PolNeAR train's first 200 articles, where
an attribution has a source and its cue's head has a subject, the subject's subtree is that source in 91% of 2,778
cases.

Not shipped: ``find_attributions`` runs it only when given ``parse``, which the product does not. The rule was
written from those 200 articles and judged on the other 640 (``benchmarks/cue_subjects.py``, BENCHMARKS.md
"Attributions: a cue's grammatical subject as its source"). It raised source exact F1 there for ``fast`` and lowered
it a little for ``accurate``, whose tagger already finds more sources: fewer than half of the subjects it adds are the
annotated source word for word (a subject's subtree takes in an appositive or a relative clause the annotators leave
out). The rule asked both models to gain; it stays here, tested, for a better judge or a narrower rule.

Only the sentences of sourceless cues are parsed (spaCy's small English pipeline, the one the actors analysis
loads, on its parse thread: ``spacy_pipeline.parse``), not the whole article: a handful of sentences an article.
A hedge ("reportedly") has no subject of its own and is left alone, as is a subject that says nobody ("no one
knows"), an expletive ("it seems", "there is said to be"), or one the tagger gave another role.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ...sentences import sentence_at
from ...words import bare
from .decode import LEXICAL_CUES, RoleSpan

# A sentence's text in, its spaCy ``Doc`` out.
Parse = Callable[[str], Any]

_EXPLETIVES = frozenset({"it", "there"})
_NOBODY = frozenset({"nobody", "no one", "none", "nothing", "noone"})
_NEGATING_DETERMINERS = frozenset({"no", "neither"})
_OUTER = " \t\n,;:.!?—–-\"“”'’‘()"
# How far a verb joined by "and" climbs to find the subject of the verb it is joined to ("X said … and added").
_CONJ_STEPS = 3


def _head_token(doc: Any, start: int, end: int) -> Any | None:
    """The cue's head: its token whose syntactic head lies outside the cue (the first such, else the first token)."""
    inside = [t for t in doc if start <= t.idx < end]
    if not inside:
        return None
    for t in inside:
        if not start <= t.head.idx < end or t.head.i == t.i:
            return t
    return inside[0]


def _subject_of(head: Any) -> Any | None:
    for _ in range(_CONJ_STEPS + 1):
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
        if subjects:
            return subjects[0]
        if head.dep_ != "conj":
            return None
        head = head.head
    return None


def _according_to(doc: Any, start: int, end: int) -> Any | None:
    """X of "according to X": the object of the cue's "to"."""
    for t in doc:
        if start <= t.idx < end and t.lower_ == "to":
            objects = [c for c in t.children if c.dep_ == "pobj"]
            return objects[0] if objects else None
    return None


def _says_nobody(subject: Any) -> bool:
    phrase = " ".join(t.lower_ for t in subject.subtree)
    if subject.lower_ in _EXPLETIVES or subject.dep_ == "expl" or phrase in _NOBODY or subject.lower_ in _NOBODY:
        return True
    return any(c.lower_ in _NEGATING_DETERMINERS for c in subject.children if c.dep_ == "det")


def subject_source(
    text: str, cue: RoleSpan, sentences: list[tuple[int, int]], tagged: Sequence[RoleSpan], parse: Parse,
    no_source_words: frozenset[str] = frozenset(),
) -> RoleSpan | None:
    """The source of a sourceless ``cue``: its verb's subject (or X of "according to X"), as a ``RoleSpan`` scored
    as the cue; None where there is none worth taking (see the module's docstring). ``tagged``: every role span the
    tagger gave, none of which the subject may overlap; ``parse``: a sentence's spaCy parse (``spacy_pipeline.parse``);
    ``no_source_words``: words that are no source on their own ("the"), as the decoding drops them from the tagger's
    sources, so that a subject of only such words is not taken either."""
    if LEXICAL_CUES.fullmatch(text[cue.start : cue.end]):
        return None
    sentence = sentence_at(sentences, cue.start)
    if sentence is None:
        return None
    doc = parse(text[sentence[0] : sentence[1]])
    start, end = cue.start - sentence[0], cue.end - sentence[0]
    if text[cue.start : cue.end].lower().startswith("according to"):
        subject = _according_to(doc, start, end)
    else:
        head = _head_token(doc, start, end)
        subject = _subject_of(head) if head is not None else None
    if subject is None or _says_nobody(subject):
        return None
    left, right = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    piece = doc.text[left:right]
    left += len(piece) - len(piece.lstrip(_OUTER))
    right -= len(piece) - len(piece.rstrip(_OUTER))
    left, right = left + sentence[0], right + sentence[0]
    if right <= left or all(bare(w) in no_source_words for w in text[left:right].split()):
        return None
    if any(s.start < right and left < s.end for s in tagged) or not (cue.end <= left or right <= cue.start):
        return None
    return RoleSpan("source", left, right, -1, -1, cue.score)

