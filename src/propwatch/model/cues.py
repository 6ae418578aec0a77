"""The words inside a span that weighed most for its technique: a reason a reader can check.

The model tags every token with a probability per technique (``runtime.TokenPredictions.probs``); a span's cues
are the words inside it whose tokens carry the highest probability of the span's technique ("betrayed" in a
loaded-language span, "allegedly" in a doubt span). A word's weight is the highest probability of its tokens,
since a word split into pieces ("un", "##patriotic") is one word to a reader. Function words, punctuation and
digits are never cues: "the" explains nothing. For an ensemble, ``probs`` is already the members' weighted mix,
so its cues are the words the members together weighed most.
"""

from __future__ import annotations

import re

import numpy as np

from ..techniques import TECHNIQUE_IDS
from ..words import FUNCTION_WORDS, bare, has_letter
from .spans import token_range
from .windows import TokenizedText

MAX_CUES = 3
# A word is a cue only where its weight is at least this share of the strongest word's: a span whose weight sits
# on one word gets that word alone, not two more that merely happen to be in it.
MIN_SHARE = 0.5
# Beyond ``words.FUNCTION_WORDS`` (which the decoding also uses): auxiliaries, pronouns and contractions carry a
# technique's weight for the model ("will" in a threat) but tell a reader nothing on their own.
NOT_CUES = FUNCTION_WORDS | frozenset(
    "will would shall should can could may might must do does did done has have had having am being its it's "
    "it’s i'm i’m we're we’re they're they’re you're you’re he's he’s she's she’s that's that’s there's "
    "there’s what which who whom when where why how them him us me our ours their theirs also only just even "
    "all any some more most other such own same too every each many much".split()
)
_WORD = re.compile(r"[\w'’-]*\w[\w'’-]*")


def span_cues(text: str, tokens: TokenizedText, probs: np.ndarray, start: int, end: int, technique: str,
              limit: int = MAX_CUES) -> list[str]:
    """Up to ``limit`` words of ``text[start:end]``, as they are written there, strongest first: those whose
    tokens carry the highest probability of ``technique`` (at least ``MIN_SHARE`` of the strongest's); none
    where the span holds no content word or the text has no tokens."""
    if len(tokens) == 0:
        return []
    channel = TECHNIQUE_IDS.index(technique)
    weights: dict[str, tuple[float, str]] = {}  # bare word -> (weight, first spelling)
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        key = bare(word)
        if not has_letter(word) or key in NOT_CUES or len(key) < 2:
            continue
        rng = token_range(tokens.offsets, match.start(), match.end())
        if rng is None:
            continue
        weight = float(probs[rng[0] : rng[1] + 1, channel].max())
        if key not in weights or weight > weights[key][0]:
            weights[key] = (weight, weights[key][1] if key in weights else word)
    ranked = sorted(weights.values(), key=lambda ws: -ws[0])
    if not ranked:
        return []
    top = ranked[0][0]
    return [word for weight, word in ranked[:limit] if weight >= MIN_SHARE * top]
