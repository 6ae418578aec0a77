"""Closing the quotation marks a piece of content opened: "He said ‘she said “they said ‘no" is shown as "He said
‘she said “they said ‘no’” ’".

The tagger decides words, and the quotation marks after a content piece's last word are punctuation it often leaves
out. The scorer trims punctuation from both ends of a span (CofeNet's protocol), so no figure moves; what changes is
what a reader sees in the "Who says so" panel and in the highlight: a nested quotation with its closing marks
instead of a dangling opening one. Only marks that close one opened inside the piece are taken, so the outer
quotation marks around a whole quoted piece, which PolNeAR's annotators leave out, stay out.
"""

from __future__ import annotations

_PAIRS = {"“": "”", "‘": "’", "«": "»"}
_CLOSERS = frozenset(_PAIRS.values())
# What may stand between the piece's last word and a closing mark it takes: "‘no,’" and "‘no’ ”".
_BETWEEN = frozenset(" ,.!?")
_MAX_BETWEEN = 3


def _is_apostrophe(text: str, i: int) -> bool:
    """``text[i]`` (a ’) between two letters: an elision ("country’s"), not a closing mark."""
    return 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()


def _unclosed(text: str, start: int, end: int) -> list[str]:
    """The opening marks of ``text[start:end]`` that nothing inside it closes, innermost last."""
    stack: list[str] = []
    for i in range(start, end):
        c = text[i]
        if c in _PAIRS:
            stack.append(c)
        elif c in _CLOSERS and stack and _PAIRS[stack[-1]] == c and not _is_apostrophe(text, i):
            stack.pop()
    return stack


def close_quotes(text: str, start: int, end: int) -> int:
    """The end of the content piece ``text[start:end]`` moved past the closing marks of the quotations it opened,
    innermost first, over at most ``_MAX_BETWEEN`` spaces or stops before each; ``end`` where it opened none or
    what follows is not their closing."""
    stack = _unclosed(text, start, end)
    new_end = end
    while stack:
        i = new_end
        while i < len(text) and i - new_end < _MAX_BETWEEN and text[i] in _BETWEEN:
            i += 1
        if i < len(text) and text[i] == _PAIRS[stack[-1]]:
            stack.pop()
            new_end = i + 1
        else:
            break
    return new_end
