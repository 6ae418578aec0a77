"""The writer's asides at the edge of a piece of content: "This, by the way, was also asked by the Iraqis" is the
Iraqis' "This", not "This, by the way".

A discourse adverbial set off by a comma ("however", "of course", "by the way") is the writer talking, not the
source: PolNeAR train's annotators leave it out of the content. Counted there, such a marker right after a content
piece (", however,") stands outside the piece 54 times and inside it 5 times; right before one ("Still, …") outside
42 times and inside 11. ``ASIDES`` keeps the markers that were outside far more often than inside; "too", "also",
"then", "so", "but" and "instead" were not (or are not asides at all), so they stay. Only a marker set off by its
comma from the rest of the piece is trimmed, so "however long it takes" and "still undecided" are untouched. Quoted
words are the source's own, asides included ("“Of course, I pay federal taxes,” he said" keeps its "Of course"), so
a piece with a quotation mark in or right before it is left whole.
"""

from __future__ import annotations

import re

ASIDES = ("however", "though", "of course", "by the way", "incidentally", "indeed", "in fact", "meanwhile",
          "moreover", "nevertheless", "nonetheless", "still", "after all")
_MARKER = "|".join(a.replace(" ", r"\s+") for a in ASIDES)
_LEADING = re.compile(rf"(?:{_MARKER})\s*,\s*", re.IGNORECASE)
_QUOTATION_MARK = re.compile(r"[\"“”]|(?<![^\W\d_])['‘’]|['‘’](?![^\W\d_])")  # an apostrophe sits between letters
_TRAILING = re.compile(rf"\s*,\s*(?:{_MARKER})[\s,]*$", re.IGNORECASE)


def _quoted(text: str, start: int, end: int) -> bool:
    return _QUOTATION_MARK.search(text, start, end) is not None


def without_asides(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` of a content piece with a comma-set aside removed from either edge; the piece unchanged
    when nothing would be left of it."""
    piece = text[start:end]
    if _quoted(text, max(0, start - 2), end):
        return start, end
    lead = _LEADING.match(piece)
    if lead and lead.end() < len(piece):
        start += lead.end()
        piece = piece[lead.end():]
    trail = _TRAILING.search(piece)
    if trail and trail.start() > 0:
        end = start + trail.start()
    return start, end
