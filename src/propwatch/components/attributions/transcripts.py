"""Transcripts: each speaker's turn in a printed interview or debate ("PENCE: Well, look, …").

A transcript puts each speaker's name in capitals before a colon at the start of a paragraph, and what they said
after it. PolNeAR marks every such turn as an attribution: the name is the source, the colon the cue and the
turn's words the content (in its `train` part, all 11 turns of the two transcripts annotated; a third, whose
speakers take only one or two turns each, is not). The tagger never finds them: a cue of punctuation alone is
trimmed away when tags become spans, as with a headline's colon (``headlines``). So they are found by form.

A paragraph label in capitals is a speaker only in a transcript: an article where at least two speakers take at
least two turns each (a speaker known by the last word of the label: "KATE BOULDUAN", later "BOULDUAN"). In
other articles such labels are column heads ("BREAKING:", "WATCH:") or datelines ("WASHINGTON:"), which PTC's
articles hold often; column labels (``headlines.LABELS``) are no speaker even inside a transcript.

A turn's content is the rest of its paragraph. Where the turn opens with a quotation mark (a transcript quoted
as a whole, a paragraph a quote, as Breitbart prints them), the paragraphs after it that open with the same mark
carry on the turn up to the next one; a stage direction ("(CROSSTALK.)") is nobody's words; paragraphs after the
last turn are left out, as a transcript ends where the article goes on ("Follow Pam Key on Twitter").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .headlines import LABELS

TRANSCRIPT_SCORE = 0.5  # a rule, not the tagger: the score of the lexical cues and headlines
MIN_SPEAKERS = 2  # a dialogue: at least two speakers ...
MIN_TURNS = 2  # ... taking at least two turns each
_QUOTES = "\"“'‘"
# A paragraph's opening label: up to three words of capitals (an initial, "O'NEILL", "JEAN-LUC"), then a colon.
_LABEL = re.compile(r"(?m)^[ \t]*([\"“]?)[ \t]*([A-Z][A-Z.'’-]*[A-Z](?:[ \t]+[A-Z][A-Z.'’-]*[A-Z.]){0,2})[ \t]*:[ \t]+")
_STAGE_DIRECTION = re.compile(r"^\s*[\"“]?\s*[(\[]")
_TRAILING = " \t\"”'’"


@dataclass(frozen=True)
class Turn:
    """One speaker's turn: the label (the source), its colon (the cue) and the content pieces, as offsets."""

    source: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[tuple[int, int], ...]


def _speaker(label: str) -> str:
    return label.split()[-1].strip(".'’").upper()


def _paragraph_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def _piece(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``text[start:end]`` without the quotation marks and spaces at its edges; None when nothing is left."""
    while start < end and (text[start].isspace() or text[start] in _QUOTES):
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return (start, end) if end > start and any(c.isalnum() for c in text[start:end]) else None


def transcript_turns(text: str) -> list[Turn]:
    """The speakers' turns of ``text`` in reading order; none where ``text`` is no transcript (module docstring)."""
    labels = [m for m in _LABEL.finditer(text) if m.group(2).lower().rstrip(".") not in LABELS]
    turns = Counter(_speaker(m.group(2)) for m in labels)
    if sum(1 for n in turns.values() if n >= MIN_TURNS) < MIN_SPEAKERS:
        return []
    out = []
    for i, m in enumerate(labels):
        end = _paragraph_end(text, m.end())
        pieces = [_piece(text, m.end(), end)]
        quote = m.group(1)
        next_turn = labels[i + 1].start() if i + 1 < len(labels) else None
        while quote and next_turn is not None:
            start = end + 1
            while start < next_turn and text[start].isspace():
                start += 1
            if start >= next_turn or not text.startswith(quote, start):
                break
            end = _paragraph_end(text, start)
            if not _STAGE_DIRECTION.match(text[start:end]):
                pieces.append(_piece(text, start, end))
        content = tuple(p for p in pieces if p is not None)
        if content:
            colon = text.index(":", m.end(2))
            out.append(Turn((m.start(2), m.end(2)), (colon, colon + 1), content))
    return out
