"""How well highlights sit on word and phrase boundaries: the defects a reader sees at a glance, counted the
same way for the model's spans and the annotators' (``propwatch.words`` and ``propwatch.phrases`` define them
for both).

- ``cut_in_word``: the span starts or ends inside a word ("ez-Zore" without "Deir" is whole words; "ez-Zor"
  of "ez-Zore" is not). The product must have none.
- ``no_letter``: the span holds no letter (a lone "!" or apostrophe). None either.
- ``in_url``: the span lies in a web address (a t.co link tagged loaded language). None either.
- ``dangling_end``: the span ends on a word that cannot end a phrase ("the enemies of", "destruction and",
  "those who"), on a subject pronoun before its verb ("because he" before "was") or on a modal before its verb
  ("Kurds will" before "in any case bring") where its sentence goes on
  ("what they wish for." ends whole; ``phrases.dangles``). Annotators do this rarely;
  the product should not do it more often than they do.
- ``open_phrase``: the span stops before the word that closes its phrase: a modifier's or a possessive's noun
  ("with their bare" before "hands", "this unexpected" before "breakthrough", "as the party's" before
  "members"), a copula's complement ("where no family is" before "safe"), the word an adverb of degree grades
  ("before it's too" before "late"), a verb's object pronoun ("tried to destroy" before "them") or, for a span
  of two words or more, its sentence's last word ("the petulant" before "President."; ``phrases.phrase_left_open``),
  or it starts on a phrasal verb's particle after its verb ("up in a lawless wasteland"; ``phrases.verb_left_behind``)
  or on "of" after the noun it completes ("culture" before "of cronyism"; ``phrases.head_left_behind``), or on its
  sentence's second word after a determiner or subject pronoun ("This" before "brutal attack";
  ``phrases.opener_left_behind``).
  Annotators almost never do.
- ``name_cut``: the span starts or ends inside a name of running text ("a blow to the Prime" before
  "Minister", "Theresa" before "May’s desperate attempts"; ``phrases.name_left_open``, ``phrases.name_cut_at_start``).
  Annotators rarely do (mostly where a capital marks an adjective: "Nazi" before "Germany").
- ``link_start``: a span of three words or more starts inside its sentence on a linking word ("and destroy the
  nation", "is nothing but a puppet"; ``phrases.link_first``). Annotators sometimes do, far less often than the
  model did before its decoding started such spans after the link (BENCHMARKS.md, "Span boundaries").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..phrases import (
    dangles,
    head_left_behind,
    link_first,
    name_cut_at_start,
    name_left_open,
    opener_left_behind,
    phrase_left_open,
    verb_left_behind,
)
from ..words import cut_inside_word, has_letter, url_ranges


@dataclass(frozen=True)
class BoundaryDefects:
    spans: int
    cut_in_word: int
    no_letter: int
    in_url: int
    dangling_end: int
    open_phrase: int = 0
    name_cut: int = 0
    link_start: int = 0

    def rate(self, count: int) -> float:
        return count / self.spans if self.spans else 0.0

    def to_json_dict(self) -> dict[str, float]:
        return {
            "spans": self.spans, "cut_in_word": self.cut_in_word, "no_letter": self.no_letter, "in_url": self.in_url,
            "dangling_end": self.dangling_end, "dangling_end_rate": round(self.rate(self.dangling_end), 4),
            "open_phrase": self.open_phrase, "name_cut": self.name_cut, "link_start": self.link_start,
        }


def boundary_defects(articles: Iterable[tuple[str, Iterable[tuple[int, int]]]]) -> BoundaryDefects:
    """The defects of the spans ``(start, end)`` of each article's text; a stretch listed twice (two techniques
    on the same words) is counted once."""
    spans = cut = no_letter = in_url = dangling = open_phrase = name_cut = link_start = 0
    for text, article_spans in articles:
        urls = url_ranges(text)
        for start, end in sorted(set(article_spans)):
            piece = text[start:end]
            spans += 1
            cut += cut_inside_word(text, start, end)
            no_letter += not has_letter(piece)
            in_url += any(a < end and start < b for a, b in urls)
            dangling += dangles(text, start, end)
            open_phrase += (phrase_left_open(text, start, end) is not None
                            or verb_left_behind(text, start, end) is not None
                            or head_left_behind(text, start, end) is not None
                            or opener_left_behind(text, start, end) is not None)
            name_cut += (name_left_open(text, start, end) is not None
                         or name_cut_at_start(text, start, end) is not None)
            link_start += link_first(text, start, end) is not None
    return BoundaryDefects(spans, cut, no_letter, in_url, dangling, open_phrase, name_cut, link_start)


# A sentence's first word (after a line break, a full stop, question or exclamation mark, or a colon, and any opening
# quote), followed by spaces; and a lower-case word inside a sentence, followed by spaces.
_OPENING_WORD = re.compile(r"(?:^|(?<=\n)|(?<=[.!?…:][ \t])|(?<=[.!?…][\"”’'][ \t]))[\"“‘']?([A-Z][\w'’]*)[ \t]+")
_INNER_WORD = re.compile(r"(?<=[a-z,][ \t])([a-z][\w'’]*)[ \t]+")


@dataclass(frozen=True)
class StartWord:
    """How spans of two words or more meet one word: ``on`` start on it, ``after`` start on the word after it."""

    on: int = 0
    after: int = 0

    @property
    def share_after(self) -> float:
        return self.after / (self.on + self.after) if self.on + self.after else 0.0


def start_words(articles: Iterable[tuple[str, Iterable[tuple[int, int]]]], opening: bool) -> dict[str, StartWord]:
    """For each word (lower-cased) that opens a sentence (``opening``) or stands inside one, how many spans start on
    it and how many on the word after it: whether a span leaves that word behind as often as annotators do (the
    evidence behind ``phrases.OPENERS`` and ``phrases.LINKS``)."""
    pattern = _OPENING_WORD if opening else _INNER_WORD
    on: Counter[str] = Counter()
    after: Counter[str] = Counter()
    for text, article_spans in articles:
        starts = {start for start, end in set(article_spans) if len(text[start:end].split()) >= 2}
        for match in pattern.finditer(text):
            word = match.group(1).lower()
            on[word] += match.start(1) in starts
            after[word] += match.end() in starts
    return {w: StartWord(on[w], after[w]) for w in on if on[w] or after[w]}
