from __future__ import annotations

import pytest

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.asides import without_asides

from .conftest import tagged


def _trimmed(piece: str, before: str = "He noted that ") -> str:
    text = before + piece + " and left."
    start, end = without_asides(text, len(before), len(before) + len(piece))
    return text[start:end]


@pytest.mark.parametrize(("piece", "kept"), [
    ("This, by the way", "This"),
    ("the plan failed, however,", "the plan failed"),
    ("However, slower growth is offset", "slower growth is offset"),
    ("Of course, the plan failed, in fact", "the plan failed"),
    ("It’s over, of course", "It’s over"),  # an apostrophe inside a word is no quotation mark
])
def test_a_comma_set_aside_at_either_edge_is_the_writers(piece, kept):
    assert _trimmed(piece) == kept


@pytest.mark.parametrize("piece", [
    "however long it takes",   # no comma: not an aside
    "still undecided",
    "Stillwater, Okla., is next",  # a word that only starts like a marker
    "the talks went on, too",  # "too" stays: PolNeAR keeps it inside as often as not
    "However,",                # nothing would be left
])
def test_other_pieces_are_left_whole(piece):
    assert _trimmed(piece) == piece


@pytest.mark.parametrize("before", ["He said, “", "He said, '"])
def test_quoted_words_keep_their_asides(before):
    assert _trimmed("Of course, I pay federal taxes", before) == "Of course, I pay federal taxes"


def test_the_attribution_shows_content_without_the_aside():
    text = "Russian planes may strike soon. This, by the way, was also asked by the Iraqis."
    offsets, probs = tagged(text, [("content", "This, by the way"), ("cue", "was also asked by"),
                                   ("source", "the Iraqis")])
    (a,) = find_attributions(text, offsets, probs)
    assert [c.text for c in a.content] == ["This"]
    assert (a.source.text, a.cue.text) == ("the Iraqis", "was also asked by")
