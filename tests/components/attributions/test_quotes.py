from __future__ import annotations

import pytest

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.quotes import close_quotes

from .conftest import tagged


def _closed(text: str, piece: str) -> str:
    start = text.index(piece)
    return text[start : close_quotes(text, start, start + len(piece))]


@pytest.mark.parametrize(("text", "piece", "shown"), [
    ("“He said ‘she said “they said ‘no’” ’ ” said Bob.", "He said ‘she said “they said ‘no",
     "He said ‘she said “they said ‘no’” ’"),
    ("He said the plan was ‘dead on arrival,’ and left.", "the plan was ‘dead on arrival",
     "the plan was ‘dead on arrival,’"),
    ("Officials called it «a farce» yesterday.", "it «a farce", "it «a farce»"),
])
def test_the_quotations_a_piece_opened_are_closed(text, piece, shown):
    assert _closed(text, piece) == shown


@pytest.mark.parametrize(("text", "piece"), [
    ("“We will win,” he said.", "We will win"),                    # the outer marks stay out, as PolNeAR has them
    ("He said the country’s future is bright.", "the country’s future is bright"),  # an apostrophe opens nothing
    ("He called it ‘a farce. Then he left’.", "it ‘a farce"),      # no closing mark right after: left as it is
    ("He said ‘no’ twice.", "He said ‘no’"),                        # already closed
])
def test_other_pieces_keep_their_end(text, piece):
    assert _closed(text, piece) == piece


def test_the_attribution_shows_a_nested_quotation_closed():
    text = "“He said ‘she said “they said ‘no’” ’ ” said Bob."
    offsets, probs = tagged(text, [("content", "He said ‘she said “they said ‘no"), ("cue", "said"),
                                   ("source", "Bob")])
    (a,) = find_attributions(text, offsets, probs)
    assert [c.text for c in a.content] == ["He said ‘she said “they said ‘no’” ’"]
    assert a.content[0].text == text[a.content[0].start : a.content[0].end]
