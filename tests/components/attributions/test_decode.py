from __future__ import annotations

import numpy as np

from propwatch.components.attributions.decode import (
    LABELS,
    decode_roles,
    transition_log_probs,
    viterbi,
    word_log_probs,
    words_of,
)

from .conftest import tagged


def test_viterbi_repairs_an_inside_tag_without_a_beginning():
    lp = np.log(np.full((3, len(LABELS)), 0.01))
    lp[0, LABELS.index("O")] = np.log(0.9)
    lp[1, LABELS.index("I-cue")] = np.log(0.6)
    lp[1, LABELS.index("B-cue")] = np.log(0.3)
    lp[2, LABELS.index("I-cue")] = np.log(0.9)
    path = [LABELS[i] for i in viterbi(lp)]
    assert path == ["O", "B-cue", "I-cue"]


def test_viterbi_never_starts_inside():
    lp = np.log(np.full((1, len(LABELS)), 0.01))
    lp[0, LABELS.index("I-source")] = np.log(0.9)
    assert LABELS[viterbi(lp)[0]] != "I-source"


def test_viterbi_weighs_how_often_tags_follow_each_other():
    """The tagger calls a word in the middle of a content piece ``O`` by a hair, and the next one a new beginning:
    PolNeAR's annotations almost never leave content for one word and come back, so with the transition prior the
    piece stays whole."""
    lp = np.log(np.full((5, len(LABELS)), 0.005))
    for t, label in enumerate(["B-content", "I-content", "I-content", "I-content", "I-content"]):
        lp[t, LABELS.index(label)] = np.log(0.95)
    lp[2, LABELS.index("O")], lp[2, LABELS.index("I-content")] = np.log(0.5), np.log(0.45)
    lp[3, LABELS.index("B-content")], lp[3, LABELS.index("I-content")] = np.log(0.5), np.log(0.45)
    assert [LABELS[i] for i in viterbi(lp, transition_weight=0.0)] == [
        "B-content", "I-content", "O", "B-content", "I-content"]
    assert [LABELS[i] for i in viterbi(lp)] == ["B-content"] + ["I-content"] * 4


def test_transition_log_probs_follow_the_labels_by_name():
    reordered = ("O", "B-cue", "I-cue", "B-source", "I-source", "B-content", "I-content", "B-other")
    mine, theirs = transition_log_probs(), transition_log_probs(reordered)
    assert theirs[reordered.index("B-cue"), reordered.index("I-cue")] == mine[LABELS.index("B-cue"),
                                                                              LABELS.index("I-cue")]
    assert not theirs[-1].any() and not theirs[:, -1].any()
    assert np.allclose(np.exp(mine).sum(1), 1.0)


def test_decode_roles_trims_punctuation():
    text = "“The plan is dead,” Smith said."
    offsets, probs = tagged(text, [("content", "“The plan is dead,”"), ("source", "Smith"), ("cue", "said")])
    spans = decode_roles(text, offsets, probs)
    assert [(s.role, text[s.start : s.end]) for s in spans] == [
        ("content", "The plan is dead"), ("source", "Smith"), ("cue", "said")]
    assert all(0.8 < s.score <= 1 for s in spans)


def test_content_pieces_that_touch_are_one_piece():
    """PolNeAR almost never has two content pieces with nothing between them: the tagger restarting content mid-clause
    ("B-content" after "I-content") cuts one piece in two. Pieces with punctuation between stay apart."""
    text = "She told police officials that she did not want it. “It is over.” He said."
    offsets, probs = tagged(text, [("source", "She"), ("cue", "told"), ("content", "police officials"),
                                   ("content", "that she did not want it"), ("content", "It is over")])
    spans = decode_roles(text, offsets, probs)
    assert [(s.role, text[s.start : s.end]) for s in spans] == [
        ("source", "She"), ("cue", "told"), ("content", "police officials that she did not want it"),
        ("content", "It is over")]
    joined = spans[2]
    assert (joined.first_word, joined.last_word) == (2, 9)


def test_a_span_ended_before_an_apostrophe_stays_there_and_one_cut_inside_a_word_grows():
    """"they" of "they’re saying" is the source (PolNeAR ends it there); "s" of "it’s" grows to the whole word."""
    from propwatch.components.attributions.decode import role_extent

    text = "They’re saying it’s over."
    assert role_extent(text, 0, 4) == (0, 4)  # "They", not "They’re"
    s = text.index("s over")
    assert text[slice(*role_extent(text, s, s + 1))] == "it’s"
    offsets, probs = tagged(text, [("source", "They"), ("cue", "saying"), ("content", "it’s over")])
    assert [text[x.start : x.end] for x in decode_roles(text, offsets, probs)] == ["They", "saying", "it’s over"]


def test_touching_cues_are_left_apart():
    text = "Smith said reportedly so."
    offsets, probs = tagged(text, [("source", "Smith"), ("cue", "said"), ("cue", "reportedly")])
    assert [text[s.start : s.end] for s in decode_roles(text, offsets, probs) if s.role == "cue"] == [
        "said", "reportedly"]


def test_words_without_a_token_continue_the_span():
    text = "Smith said ✓ ok"
    words = words_of(text)
    offsets = np.asarray([[0, 5], [6, 10], [13, 15]])  # the tokenizer dropped the check mark
    probs = np.full((3, len(LABELS)), 0.01)
    probs[0, LABELS.index("B-source")] = 0.9
    probs[1, LABELS.index("B-cue")] = 0.9
    probs[2, LABELS.index("O")] = 0.9
    lp = word_log_probs(words, offsets, probs)
    assert LABELS[int(lp[2].argmax())] == "I-cue"


def test_empty_text():
    assert decode_roles("", np.zeros((0, 2)), np.zeros((0, len(LABELS)))) == []


def test_reportedly_becomes_a_cue_when_the_model_misses_it():
    from propwatch.components.attributions.decode import add_lexical_cues

    text = "Fifty were reportedly killed. Smith reportedly said so."
    offsets, probs = tagged(text, [("source", "Smith"), ("cue", "reportedly said")])
    spans = add_lexical_cues(text, decode_roles(text, offsets, probs))
    assert [(s.role, text[s.start : s.end]) for s in spans] == [
        ("cue", "reportedly"), ("source", "Smith"), ("cue", "reportedly said")]


def test_pieces_of_one_role_inside_one_written_word_are_one_span():
    """The tagger began a second source at "U" of "E.U. leaders": a reader sees one source, not "E" and "U. leaders".
    Pieces with a space between them stay apart."""
    text = "E.U. leaders weigh plans. Smith Jones said no."
    offsets, probs = tagged(text, [("source", "E."), ("source", "U. leaders"), ("cue", "weigh"), ("content", "plans"),
                                   ("source", "Smith"), ("source", "Jones"), ("cue", "said"), ("content", "no")])
    spans = [(s.role, text[s.start : s.end]) for s in decode_roles(text, offsets, probs)]
    assert spans[0] == ("source", "E.U. leaders")
    assert ("source", "Smith") in spans and ("source", "Jones") in spans


def test_a_source_run_on_into_a_relative_pronoun_is_the_pronoun():
    from propwatch.components.attributions import find_attributions

    text = "He met Mr. Obama, who said the plan is dead."
    offsets, probs = tagged(text, [("source", "Mr. Obama, who"), ("cue", "said"), ("content", "the plan is dead")])
    assert [(s.role, text[s.start : s.end]) for s in decode_roles(text, offsets, probs)][0] == ("source", "who")
    (a,) = find_attributions(text, offsets, probs)
    assert (a.source.text, a.source_name) == ("who", "Mr. Obama")


def test_a_span_is_cut_at_a_line_break():
    """The tagger's "I-source" ran on from the paragraph before: Macron is the source of "acknowledged", and
    "a party" is no source of anything."""
    text = "They met ahead of a party\nFrench President Emmanuel Macron acknowledged it can be better."
    offsets, probs = tagged(text, [("source", "a party\nFrench President Emmanuel Macron"), ("cue", "acknowledged"),
                                   ("content", "it can be better")])
    spans = decode_roles(text, offsets, probs)
    assert [(s.role, text[s.start : s.end]) for s in spans][:2] == [
        ("source", "a party"), ("source", "French President Emmanuel Macron")]
    from propwatch.components.attributions import find_attributions

    (a,) = find_attributions(text, offsets, probs)
    assert (a.source.text, a.cue.text) == ("French President Emmanuel Macron", "acknowledged")


def test_an_imperative_to_the_reader_is_the_authors_own_word():
    """"So expect that Damascus … will begin to liberate the territory" (the example article) is the author's
    prediction, not a claim resting on no one's word; "It is believed" is one, and a sourced "we expect" keeps its
    source."""
    from propwatch.components.attributions import find_attributions

    text = "So expect that Damascus will move. It is believed that they left. So we expect that it ends."
    offsets, probs = tagged(text, [("cue", "expect"), ("content", "that Damascus will move"),
                                   ("cue", "It is believed"), ("content", "that they left"),
                                   ("source", "we"), ("cue", "expect that"), ("content", "it ends")])
    found = [(a.cue.text, a.source_type) for a in find_attributions(text, offsets, probs)]
    assert ("expect", "none") not in found
    assert ("It is believed", "none") in found
    assert any(cue.startswith("expect") and kind != "none" for cue, kind in found)


def test_what_an_imperative_tells_the_reader_goes_to_no_earlier_source():
    """The example article with `accurate`: "the source believes, the United States intends to return…" had taken
    the writer's "So expect that Damascus … will begin to liberate…", two sentences on and with no cue tagged, as a
    second piece of what the source believes."""
    from propwatch.components.attributions import find_attributions

    text = ("However, the source believes, the United States intends to return here. They do not go anywhere. "
            "So expect that Damascus will begin to liberate the territory.")
    offsets, probs = tagged(text, [("source", "the source"), ("cue", "believes"),
                                   ("content", "the United States intends to return here"),
                                   ("content", "that Damascus will begin to liberate the territory")])
    found = {a.cue.text: [c.text for c in a.content] for a in find_attributions(text, offsets, probs)}
    assert found == {"believes": ["the United States intends to return here"]}


def test_a_sourceless_cue_weighing_an_idea_is_the_writers_own():
    """The example article's "it's very silly to believe that the terrorists would not dare…", which the tagger
    tags as a cue with no source, had been listed as a claim resting on no one's word; "refused to say" with its
    source stays."""
    from propwatch.components.attributions import find_attributions

    text = ("For all, it's very silly to believe that the terrorists would not dare to cross. "
            "The minister refused to say whether the talks failed.")
    offsets, probs = tagged(text, [("cue", "very silly to believe"),
                                   ("content", "that the terrorists would not dare to cross"),
                                   ("source", "The minister"), ("cue", "refused to say"),
                                   ("content", "whether the talks failed")])
    found = [(a.source.text if a.source else None, a.cue.text) for a in find_attributions(text, offsets, probs)]
    assert found == [("The minister", "refused to say")]


def test_a_question_opened_by_who_attributes_nothing():
    from propwatch.components.attributions import find_attributions

    text = "The talks failed. Who then enforces these demands? Nobody knows."
    offsets, probs = tagged(text, [("source", "Who"), ("cue", "then enforces"), ("content", "these demands")])
    assert find_attributions(text, offsets, probs) == []


def test_a_relative_who_and_the_who_in_capitals_stay_sources():
    from propwatch.components.attributions import find_attributions

    text = "The minister, who said the talks failed, left. WHO said the outbreak is over."
    offsets, probs = tagged(text, [("source", "who"), ("cue", "said"), ("content", "the talks failed"),
                                   ("source", "WHO"), ("cue", "said"), ("content", "the outbreak is over")])
    found = find_attributions(text, offsets, probs)
    assert [(a.source.text, a.source_type) for a in found] == [("who", "named"), ("WHO", "named")]


def test_a_source_that_stops_before_its_closing_bracket_is_shown_with_it():
    from propwatch.components.attributions import find_attributions

    text = "Gov. Mike Pence (R-IN) said the tweet was a joke."
    offsets, probs = tagged(text, [("source", "Gov. Mike Pence (R-IN"), ("cue", "said"), ("content", "the tweet")])
    (found,) = find_attributions(text, offsets, probs)
    assert found.source.text == "Gov. Mike Pence (R-IN)"
