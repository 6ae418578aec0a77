"""The words that weighed most: inside the span, content words only, strongest first."""

import re

import numpy as np

from propwatch.model.cues import MAX_CUES, span_cues
from propwatch.model.windows import TokenizedText
from propwatch.techniques import TECHNIQUE_IDS

TEXT = "They have betrayed the nation and its brave soldiers, it's said."
LOAD = TECHNIQUE_IDS.index("loaded_language")


def tokens_and_probs(text: str, weights: dict[str, float], channel: int = LOAD):
    """One token per word or punctuation mark; ``weights`` by word (others get 0.01)."""
    matches = list(re.finditer(r"[\w'’]+|[^\w\s]", text))
    offsets = np.array([m.span() for m in matches], np.int64)
    probs = np.full((len(matches), len(TECHNIQUE_IDS) + 1), 0.01, np.float32)
    for i, m in enumerate(matches):
        probs[i, channel] = weights.get(m.group(), 0.01)
    return TokenizedText(np.arange(len(matches), dtype=np.int64), offsets), probs


def test_cues_are_the_strongest_content_words_inside_the_span():
    tokens, probs = tokens_and_probs(TEXT, {"betrayed": 0.9, "the": 0.95, "brave": 0.6, "nation": 0.5,
                                            "They": 0.99, ",": 0.97, "it's": 0.96})
    start = TEXT.index("betrayed")
    end = TEXT.index(",")
    cues = span_cues(TEXT, tokens, probs, start, end, "loaded_language")
    assert cues == ["betrayed", "brave", "nation"]  # "They" is outside; "the", ",", "it's" are never cues
    assert all(c in TEXT[start:end] for c in cues)


def test_weak_words_are_left_out_and_at_most_three_are_given():
    tokens, probs = tokens_and_probs(TEXT, {"betrayed": 0.9, "nation": 0.2, "brave": 0.3})
    assert span_cues(TEXT, tokens, probs, 0, len(TEXT), "loaded_language") == ["betrayed"]
    tokens, probs = tokens_and_probs(TEXT, {w: 0.8 for w in ("betrayed", "nation", "brave", "soldiers", "said")})
    assert len(span_cues(TEXT, tokens, probs, 0, len(TEXT), "loaded_language")) == MAX_CUES


def test_the_spans_own_technique_channel_decides():
    tokens, probs = tokens_and_probs(TEXT, {"soldiers": 0.9}, channel=TECHNIQUE_IDS.index("flag_waving"))
    probs[:, LOAD] = 0.01
    probs[3, LOAD] = 0.7  # "the"... index 3 is "the": a function word, never a cue
    assert span_cues(TEXT, tokens, probs, 0, len(TEXT), "flag_waving") == ["soldiers"]


def test_no_tokens_or_only_function_words_give_no_cues():
    empty = TokenizedText(np.zeros(0, np.int64), np.zeros((0, 2), np.int64))
    assert span_cues(TEXT, empty, np.zeros((0, 15), np.float32), 0, 10, "doubt") == []
    tokens, probs = tokens_and_probs(TEXT, {"the": 0.9, "and": 0.9})
    start = TEXT.index("the nation")
    assert span_cues(TEXT, tokens, probs, start, start + 3, "loaded_language") == []
