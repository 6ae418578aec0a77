from __future__ import annotations

from propwatch.components.attributions import find_attributions
from propwatch.components.attributions.decode import decode_roles
from propwatch.components.attributions.headlines import add_headline_attribution

from .conftest import tagged

BODY = "\n\nThe vice-presidential candidate spoke on Sunday."


def _roles(text: str, spans) -> list[tuple[str, str]]:
    return [(s.role, text[s.start : s.end]) for s in spans]


def test_a_name_before_a_headline_colon_is_the_source_and_the_rest_the_content():
    text = "Pence: Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp." + BODY
    offsets, probs = tagged(text, [("content", "Gennifer Flowers Won’t Be at Debate")])  # the tagger stops at the comma
    spans = add_headline_attribution(text, decode_roles(text, offsets, probs))
    assert _roles(text, spans) == [
        ("source", "Pence"), ("cue", ":"),
        ("content", "Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp")]
    (a,) = find_attributions(text, offsets, probs)
    assert (a.source.text, a.cue.text, [c.text for c in a.content]) == (
        "Pence", ":", ["Gennifer Flowers Won’t Be at Debate, Trump Was ‘Mocking’ Clinton Camp"])
    assert a.source_type == "named"


def test_content_the_tagger_marked_in_the_headline_gives_way_to_the_headline_content():
    text = "Poll: Trump leads, a survey says.\nBody text."
    offsets, probs = tagged(text, [("content", "Trump leads, a survey"), ("content", "Body")])
    assert _roles(text, add_headline_attribution(text, decode_roles(text, offsets, probs))) == [
        ("source", "Poll"), ("cue", ":"), ("content", "Trump leads, a survey says"), ("content", "Body")]


def test_quotes_around_the_content_are_left_out():
    text = "Elizabeth Warren: ‘You Should Be Criminally Investigated.’" + BODY
    offsets, probs = tagged(text, [])
    assert _roles(text, add_headline_attribution(text, decode_roles(text, offsets, probs)))[2] == (
        "content", "You Should Be Criminally Investigated")


def test_labels_long_names_body_lines_and_headlines_with_a_cue_are_left_alone():
    for headline in ("The Latest: Trump urges supporters to monitor polling places.",
                     "Breaking: Federal Judge Rules On Ballots.",
                     "A Curious Plan to Fight Climate Change: Buy Mines, Sell Coal.",
                     "the senator: a profile.",
                     "Editor’s note: this article was updated.",
                     "Day 3: The trial goes on.",
                     "Understanding Mueller: what the report says.",
                     "BREXIT OR BRINO: the choice ahead.",
                     "EXPOSED: the plot against the vote."):
        text = headline + BODY
        offsets, probs = tagged(text, [])
        assert add_headline_attribution(text, decode_roles(text, offsets, probs)) == [], headline
    text = "Ted Cruz said this: we will win." + BODY  # the tagger found the headline's cue: it stands
    offsets, probs = tagged(text, [("source", "Ted Cruz"), ("cue", "said"), ("content", "we will win")])
    assert _roles(text, add_headline_attribution(text, decode_roles(text, offsets, probs))) == [
        ("source", "Ted Cruz"), ("cue", "said"), ("content", "we will win")]
    text = "Pence: the debate is on."  # one line, no body: not a headline
    offsets, probs = tagged(text, [])
    assert add_headline_attribution(text, decode_roles(text, offsets, probs)) == []
    text = "We went there.\nPence: the debate is on." + BODY  # a colon in the body is no headline
    offsets, probs = tagged(text, [])
    assert add_headline_attribution(text, decode_roles(text, offsets, probs)) == []
