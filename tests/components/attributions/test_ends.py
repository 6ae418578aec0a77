from __future__ import annotations

import numpy as np

from propwatch.components.attributions import LABELS, find_attributions
from propwatch.components.attributions.decode import decode_word_roles, word_log_probs, words_of
from propwatch.components.attributions.ends import DANGLING_ON, TAIL_ON, close_content_ends
from propwatch.sentences import split_sentences

from .conftest import tagged


def _go_on(text: str, probs: np.ndarray, word: str, p: float, occurrence: int = 0) -> None:
    """Give the ``occurrence``-th word ``word`` of ``text`` probability ``p`` (under a half) of continuing content,
    most of the rest on O, so the tagger's best reading leaves it out."""
    starts = [w.start for w in words_of(text) if text[w.start : w.end] == word]
    i = [w.start for w in words_of(text)].index(starts[occurrence])
    probs[i] = 0.001
    probs[i, LABELS.index("I-content")] = p
    probs[i, LABELS.index("O")] = 1 - p - 0.001 * (len(LABELS) - 2)


def _closed(text: str, offsets: np.ndarray, probs: np.ndarray) -> list[tuple[str, str]]:
    words = words_of(text)
    lp = word_log_probs(words, offsets, probs)
    spans = close_content_ends(text, decode_word_roles(text, words, lp), words, lp, split_sentences(text))
    return [(s.role, text[s.start : s.end]) for s in spans]


def test_a_piece_stopped_short_of_its_sentence_end_takes_the_last_words():
    """The example article: "the drained IS", where the tagger left "IS" out (O at 0.58)."""
    text = "The United States announced a big operation in Hadzhin, the capital of the drained IS. And they left."
    offsets, probs = tagged(text, [("source", "The United States"), ("cue", "announced"),
                                   ("content", "a big operation in Hadzhin, the capital of the drained")])
    _go_on(text, probs, "IS", 0.42)
    assert ("content", "a big operation in Hadzhin, the capital of the drained IS") in _closed(text, offsets, probs)
    _go_on(text, probs, "IS", TAIL_ON / 2)  # the tagger is sure it is no content: left as it is
    assert ("content", "a big operation in Hadzhin, the capital of the drained") in _closed(text, offsets, probs)


def test_the_tail_rule_never_swallows_a_later_cue_or_more_than_a_few_words():
    text = "The plan is dead for now, another source said."
    offsets, probs = tagged(text, [("content", "The plan is dead")])
    for w in ("for", "now", "another", "source", "said"):
        _go_on(text, probs, w, 0.4)
    # "for now" is followed by a comma and more words: not the sentence's last words
    assert _closed(text, offsets, probs) == [("content", "The plan is dead")]
    text = "Officials said the plan is dead for good and all of it."
    offsets, probs = tagged(text, [("source", "Officials"), ("cue", "said"), ("content", "the plan is dead")])
    for w in ("for", "good", "and", "all", "of", "it"):
        _go_on(text, probs, w, 0.4)
    assert ("content", "the plan is dead") in _closed(text, offsets, probs)  # six words left: too many


def test_a_short_piece_announcing_a_colon_takes_the_claim_after_it():
    """The op-ed: "Everyone knows the truth: the so-called experts are…", the tagger at 0.4-0.5 after the colon."""
    text = "Everyone knows the truth: the experts are paid puppets of the elites. Wake up."
    after = ("the", "experts", "are", "paid", "puppets", "of", "the", "elites")
    offsets, probs = tagged(text, [("source", "Everyone"), ("cue", "knows"), ("content", "the truth")])
    for k, w in enumerate(after):
        _go_on(text, probs, w, 0.45, occurrence=1 if w == "the" and k == 0 else (2 if w == "the" else 0))
    closed = _closed(text, offsets, probs)
    assert ("content", "the truth: the experts are paid puppets of the elites") in closed
    _go_on(text, probs, "puppets", TAIL_ON / 2)  # one word the tagger is sure is no content: left as it is
    assert ("content", "the truth") in _closed(text, offsets, probs)


def test_a_colon_after_a_longer_piece_or_a_heading_is_no_announcement():
    text = "He said the campaign has one big problem now: the voters are tired of it."
    offsets, probs = tagged(text, [("source", "He"), ("cue", "said"),
                                   ("content", "the campaign has one big problem now")])
    for w in ("voters", "are", "tired", "of", "it"):
        _go_on(text, probs, w, 0.45)
    _go_on(text, probs, "the", 0.45, occurrence=1)
    assert ("content", "the campaign has one big problem now") in _closed(text, offsets, probs)  # seven words
    text = "She said Campaign funding: the donors are tired of it."
    offsets, probs = tagged(text, [("source", "She"), ("cue", "said"), ("content", "Campaign funding")])
    for w in ("the", "donors", "are", "tired", "of", "it"):
        _go_on(text, probs, w, 0.45)
    assert ("content", "Campaign funding") in _closed(text, offsets, probs)  # opens on no determiner


def test_a_piece_ending_on_a_dangling_word_runs_on_while_the_tagger_lets_it():
    text = "Sources said Hillary Clinton was headed to an emergency room after the ceremony. She left."
    offsets, probs = tagged(text, [("source", "Sources"), ("cue", "said"),
                                   ("content", "Hillary Clinton was headed to")])
    for w, p in (("an", 0.3), ("emergency", 0.2), ("room", 0.1), ("after", DANGLING_ON / 2)):
        _go_on(text, probs, w, p)
    assert ("content", "Hillary Clinton was headed to an emergency room") in _closed(text, offsets, probs)


def test_a_dangling_piece_takes_in_the_content_piece_it_runs_into_but_stops_at_a_source():
    text = "He said the parents and grandparents who pay are confused."
    offsets, probs = tagged(text, [("source", "He"), ("cue", "said"), ("content", "the parents and"),
                                   ("content", "grandparents who pay are confused")])
    assert _closed(text, offsets, probs) == [("source", "He"), ("cue", "said"),
                                             ("content", "the parents and grandparents who pay are confused")]
    text = "He said it was headed to Smith said nothing."
    offsets, probs = tagged(text, [("source", "He"), ("cue", "said"), ("content", "it was headed to"),
                                   ("source", "Smith"), ("cue", "said")])
    assert ("content", "it was headed to") in _closed(text, offsets, probs)


def test_a_preposition_that_ends_its_sentence_stays_the_end():
    """"which ones he'd like to have sex with." ends on a preposition, and rightly: nothing follows to take."""
    text = "They said he asked which ones he would like to talk with. Then he left."
    offsets, probs = tagged(text, [("source", "They"), ("cue", "said"),
                                   ("content", "he asked which ones he would like to talk with")])
    assert ("content", "he asked which ones he would like to talk with") in _closed(text, offsets, probs)


def test_find_attributions_closes_content_ends():
    text = "The United States announced a big operation in the drained IS."
    offsets, probs = tagged(text, [("source", "The United States"), ("cue", "announced"),
                                   ("content", "a big operation in the drained")])
    _go_on(text, probs, "IS", 0.42)
    (a,) = find_attributions(text, offsets, probs)
    assert [c.text for c in a.content] == ["a big operation in the drained IS"]


def test_a_cue_is_cut_back_from_a_determiner_it_ends_on():
    text = "He said in his interview that it failed. She offered no comment. They said that it rained."
    offsets, probs = tagged(text, [("source", "He"), ("cue", "said in his"), ("content", "that it failed"),
                                   ("source", "She"), ("cue", "offered no"), ("content", "comment"),
                                   ("source", "They"), ("cue", "said that"), ("content", "it rained")])
    assert [a.cue.text for a in find_attributions(text, offsets, probs)] == ["said in", "offered", "said that"]
