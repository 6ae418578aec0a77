"""Sentence boundaries as character offsets into the original text.

A small rule-based splitter rather than a library. The two candidates were weighed: pySBD (pure Python, the
"Golden Rules", last release 2021) takes seconds per megabyte (its own 2020 benchmark: 13 s on a 0.6 MB novel),
reserves private marker characters that break it when they occur in the input, and has had character offsets
that did not match the original text; BlingFire is fast but is a native library whose sentence offsets are
UTF-8 byte offsets and whose idea of whitespace differs from Python's (it counts U+FEFF, which PTC's offsets
keep as a character). News text with one paragraph per line needs few rules, and offsets that index the
original string exactly are what every caller here relies on.

Rules:
- a line break always ends a sentence (PTC articles have one sentence or paragraph per line);
- inside a line, a sentence ends after ``.``, ``!``, ``?`` or ``…`` (a run of them, then any closing quotes or
  brackets) when whitespace follows and then an uppercase letter, a digit, or an opening quote or bracket;
- except after a common abbreviation (``Mr.``, ``Gen.``, ``Jan.``, ``e.g.``, ``etc.``, ...), a dotted
  initialism (``U.S.``, ``U.N.``), a single capital initial (``J. Smith``) or ``No.`` before a number.
  Decimal numbers never split: no whitespace follows their point.
"""

from __future__ import annotations

import re
from bisect import bisect_right

# Title-case abbreviations and lowercase Latin ones, compared lowercased with their final dot.
_ABBREVIATIONS = frozenset(
    """
    mr. mrs. ms. messrs. dr. prof. st. mt. ft. gen. col. lt. sgt. capt. cmdr. adm. maj. gov. sen. rep. pres.
    rev. hon. jr. sr. fr. msgr. mgr. insp. det. supt. cpl. pvt. brig. lieut. gens.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec.
    mon. tue. tues. wed. thu. thur. thurs. fri. sat. sun.
    e.g. i.e. etc. vs. v. cf. approx. al. inc. ltd. corp. co. bros. dept. univ. ave. blvd. est. fig. vol.
    """.split()
)
_OPENERS = frozenset("\"'“‘„‚«([{")
_STRIP_LEADING = "\"'“‘„‚«([{"
_INITIALISM = re.compile(r"(?:[A-Z]\.){2,}\Z")

# A word (from the previous whitespace), its final run of terminal punctuation, closing quotes/brackets, and
# (in the lookahead) the first character of the next word.
_CANDIDATE = re.compile(r"(?<!\S)(\S*?)([.!?…]+)([”\"’'»)\]}]*)(?=\s+(\S))")
_LINE = re.compile(r"[^\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]+")


def _ends_sentence(word: str, punct: str, following: str) -> bool:
    if not (following.isupper() or following.isdigit() or following in _OPENERS or following.istitle()):
        return False
    if punct != ".":
        return True
    word = word.lstrip(_STRIP_LEADING)
    if len(word) == 1 and word.isupper():
        return False  # an initial: "J. Smith"
    token = word.lower() + "."
    if token in _ABBREVIATIONS or _INITIALISM.match(word + "."):
        return False
    if token == "no." and following.isdigit():
        return False  # "No. 10 Downing Street"; a bare "No." before a capital is the answer no.
    return True


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    left = len(piece) - len(piece.lstrip())
    if left == len(piece):
        return None
    return start + left, start + len(piece.rstrip())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the sentences of ``text`` in order: non-overlapping, stripped of surrounding
    whitespace, never empty, together covering every non-whitespace character exactly once."""
    cuts = [m.end() for m in _CANDIDATE.finditer(text) if _ends_sentence(m.group(1), m.group(2), m.group(4))]
    sentences = []
    for line in _LINE.finditer(text):
        start, line_end = line.span()
        i = bisect_right(cuts, start)
        while i < len(cuts) and cuts[i] < line_end:
            piece = _stripped(text, start, cuts[i])
            if piece:
                sentences.append(piece)
            start = cuts[i]
            i += 1
        piece = _stripped(text, start, line_end)
        if piece:
            sentences.append(piece)
    return sentences


def sentence_at(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The sentence of ``sentences`` (as ``split_sentences`` gives them) that holds the character at ``offset``,
    or None where it falls between two (whitespace)."""
    return next(((s, e) for s, e in sentences if s <= offset < e), None)
