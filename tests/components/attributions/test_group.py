from __future__ import annotations

from propwatch.components.attributions import find_attributions

from .conftest import tagged


def roles(text, spans):
    offsets, probs = tagged(text, spans)
    return [
        (a.source.text if a.source else None, a.cue.text, [c.text for c in a.content])
        for a in find_attributions(text, offsets, probs)
    ]


def test_no_attributions():
    text = "The river rose. Nobody is quoted in this article.\n\nIt rained."
    assert roles(text, []) == []


def test_quote_split_around_its_cue():
    text = "“The plan is dead,” she said, “and nobody will revive it.”"
    got = roles(text, [("content", "The plan is dead"), ("source", "she"), ("cue", "said"),
                       ("content", "and nobody will revive it")])
    assert got == [("she", "said", ["The plan is dead", "and nobody will revive it"])]


def test_only_quotes_without_sources():
    text = "“We will win,” a banner read.\n“Never again,” reportedly was chanted."
    got = roles(text, [("content", "We will win"), ("cue", "read"), ("content", "Never again"),
                       ("cue", "reportedly")])
    assert got == [(None, "read", ["We will win"]), (None, "reportedly", ["Never again"])]


def test_nested_quotes():
    text = "Smith said that Jones had told him “the plan is dead.”"
    got = roles(text, [("source", "Smith"), ("cue", "said"), ("content", "that"), ("source", "Jones"),
                       ("cue", "had told"), ("content", "the plan is dead")])
    # Smith's content is the nested attribution, of which only "that" is left to tag: a function word alone is
    # no content, so nothing is shown as what Smith said beyond the nested claim itself.
    assert got == [("Smith", "said", []), ("Jones", "had told", ["the plan is dead"])]


def test_a_source_and_cue_with_nothing_attributed_are_no_attribution():
    """PolNeAR has content in all but one of its 2,193 dev attributions; a nested one keeps its outer cue."""
    text = "The city fell. This was also asked by the Iraqis, who were disturbed."
    assert roles(text, [("cue", "was also asked"), ("source", "the Iraqis")]) == []


def test_a_function_word_tagged_as_a_later_cue_does_not_keep_an_empty_attribution():
    """accurate's tagger marks "were" as a cue after "the Iraqis … was also asked": "were" is no reporting word,
    so it is no nested attribution that would keep the outer one."""
    text = "The city fell. This, by the way, was also asked by the Iraqis, who were disturbed."
    spans = [("content", "This"), ("cue", "was also asked"), ("source", "the Iraqis"), ("cue", "were")]
    assert roles(text, spans) == []


def test_a_later_cue_with_nothing_attributed_does_not_keep_an_empty_attribution():
    """accurate's tagger reads "who were greatly disturbed" as a source and cue of their own with no content: no
    nested attribution, so "the Iraqis … was also asked" (its content only "This") is not shown as an empty claim."""
    text = "The city fell. This, by the way, was also asked by the Iraqis, who were greatly disturbed by it."
    spans = [("content", "This"), ("cue", "was also asked"), ("source", "the Iraqis"), ("source", "who"),
             ("cue", "were greatly disturbed")]
    assert roles(text, spans) == []


def test_a_possessive_pronoun_is_a_source_that_refers_back():
    """PolNeAR marks "His" of "His obsession with Mexico" as the source; a bare "the" is no source."""
    text = "Bernie Sanders has said his piece. His obsession with Mexico is seen as a weakness."
    offsets, probs = tagged(text, [("source", "His"), ("cue", "obsession with"), ("content", "Mexico")])
    [a] = find_attributions(text, offsets, probs)
    assert (a.source.text, a.source_type, a.source_name) == ("His", "named", "Bernie Sanders")
    text = "The vote was close. The said the result would stand."
    assert roles(text, [("source", "The"), ("cue", "said"), ("content", "the result would stand")]) == [
        (None, "said", ["the result would stand"])]


def test_two_cues_share_a_source():
    text = "Smith said the vote was rigged and added that courts would agree."
    got = roles(text, [("source", "Smith"), ("cue", "said"), ("content", "the vote was rigged"),
                       ("cue", "added"), ("content", "that courts would agree")])
    assert got == [("Smith", "said", ["the vote was rigged"]), ("Smith", "added", ["that courts would agree"])]


def test_a_cue_in_another_clause_does_not_borrow_a_source():
    """Only a source before the cue, with another cue between them, is shared: the Brexiteers expect nothing."""
    text = "The deal, which is expected to be defeated, worries the Brexiteers, who said it was a betrayal."
    got = roles(text, [("cue", "is expected"), ("content", "to be defeated"), ("source", "the Brexiteers"),
                       ("cue", "said"), ("content", "it was a betrayal")])
    assert got == [(None, "is expected", ["to be defeated"]), ("the Brexiteers", "said", ["it was a betrayal"])]
    text = "“He was kind,” said Rick, adding that he saw him every day."
    got = roles(text, [("content", "He was kind"), ("cue", "said"), ("source", "Rick"), ("cue", "adding"),
                       ("content", "that he saw him every day")])
    assert got == [("Rick", "said", ["He was kind"]), ("Rick", "adding", ["that he saw him every day"])]


def test_quote_continued_in_the_next_paragraph():
    text = "“It is over,” Jones said.\n“We lost the war.”"
    got = roles(text, [("content", "It is over"), ("source", "Jones"), ("cue", "said"),
                       ("content", "We lost the war")])
    assert got == [("Jones", "said", ["It is over", "We lost the war"])]


def test_source_types_of_the_example_article_sentences():
    text = (
        "Then the United States announced a big operation in Hadzhin.\n"
        "They suffered a crushing defeat and, reportedly, almost fifty killed in just two days.\n"
        "Our source in the military leadership of the Russian Federation reports that the withdrawal of the "
        "Americans is due to the military activity of the Turkish army. The Americans believe that these actions "
        "are dangerous. The militants maintain limited activity, but our specialists recorded the movement of "
        "their large forces.\nHowever, the source believes, the United States intends to return here."
    )
    spans = [("source", "the United States"), ("cue", "announced"), ("content", "a big operation in Hadzhin"),
             ("cue", "reportedly"), ("content", "almost fifty killed in just two days"),
             ("source", "Our source in the military leadership of the Russian Federation"), ("cue", "reports"),
             ("content", "that the withdrawal of the Americans is due to the military activity of the Turkish army"),
             ("source", "The Americans"), ("cue", "believe"), ("content", "that these actions are dangerous"),
             ("source", "our specialists"), ("cue", "recorded"), ("content", "the movement of their large forces"),
             ("source", "the source"), ("cue", "believes"), ("content", "the United States intends to return here")]
    offsets, probs = tagged(text, spans)
    got = [(a.cue.text, a.source_type, a.source_name) for a in find_attributions(text, offsets, probs)]
    assert got == [
        ("announced", "named", "United States"),
        ("reportedly", "none", None),
        ("reports", "anonymous", None),
        ("believe", "named", "Americans"),
        ("recorded", "anonymous", None),
        ("believes", "anonymous", None),
    ]


def test_a_cue_with_neither_source_nor_content_attributes_nothing():
    # The example article's "instead they chose to leave": a cue tagged alone is no attribution a reader can use.
    text = "They could have fought, but instead they chose to leave. Reportedly, fifty were killed."
    got = roles(text, [("cue", "chose"), ("cue", "Reportedly"), ("content", "fifty were killed")])
    assert got == [(None, "Reportedly", ["fifty were killed"])]


def test_reportedly_without_tagged_content_qualifies_the_rest_of_its_sentence():
    text = "They suffered a defeat and, reportedly, almost fifty killed in two days. Fifty more fled, reportedly."
    got = roles(text, [])  # the model tagged nothing: "reportedly" is the lexical cue
    assert got == [(None, "reportedly", ["almost fifty killed in two days"]), (None, "reportedly", ["Fifty more fled"])]


def test_content_far_from_every_cue_is_not_given_to_one():
    """The example article's "very silly to believe that the terrorists would not dare..." (its cue untagged)
    had gone to "also decided", sentences before: content more than two sentences from every cue is no one's."""
    text = ("The Kurds also decided to leave. It rained. It was cold. The river rose. "
            "It is silly that the terrorists would not dare to cross.")
    got = roles(text, [("cue", "decided"), ("content", "to leave"),
                       ("content", "the terrorists would not dare to cross")])
    assert got == [(None, "decided", ["to leave"])]


def test_a_reporting_word_right_before_orphan_content_becomes_its_cue():
    text = ("The Kurds also decided to leave. It rained. It was cold. The river rose. "
            "It is reported that the terrorists would not dare to cross.")
    got = roles(text, [("cue", "decided"), ("content", "to leave"),
                       ("content", "that the terrorists would not dare to cross")])
    assert got == [(None, "decided", ["to leave"]),
                   (None, "reported", ["that the terrorists would not dare to cross"])]


def test_a_reporting_word_after_to_is_the_writer_weighing_an_idea_not_a_cue():
    """The example article's "it's very silly to believe that the terrorists would not dare...": listed as an
    unsourced claim, it told the reader someone had said so."""
    text = ("The Kurds also decided to leave. It rained. It was cold. The river rose. "
            "It is very silly to believe that the terrorists would not dare to cross.")
    got = roles(text, [("cue", "decided"), ("content", "to leave"),
                       ("content", "that the terrorists would not dare to cross")])
    assert got == [(None, "decided", ["to leave"])]


def test_a_hedge_takes_content_from_its_own_sentence_only():
    """The example article: with "also decided" untagged, its content "to leave certain territories" had gone to
    the "reportedly" of the sentence before, and the hedge lost the claim it qualifies."""
    text = ("They suffered a defeat and, reportedly, almost fifty killed in two days. "
            "The Kurds also decided to leave certain territories.")
    got = roles(text, [("cue", "reportedly"), ("content", "to leave certain territories")])
    assert got == [(None, "reportedly", ["almost fifty killed in two days"])]
    # a reporting cue still reaches the next sentence
    got = roles(text.replace("reportedly", "Smith said"), [("source", "Smith"), ("cue", "said"),
                                                             ("content", "to leave certain territories")])
    assert got == [("Smith", "said", ["to leave certain territories"])]


def test_a_piece_before_the_cues_sentence_is_not_its_content_when_the_cue_has_its_own():
    """The op-ed's "Everyone knows the truth: …" took "These radical globalist traitors" from two sentences before,
    the content of a cue the tagger missed. A quote that ends before its cue's sentence still goes to it."""
    text = "These radical globalist traitors will stop at nothing. Wake up! Everyone knows the truth: they lie."
    got = roles(text, [("content", "These radical globalist traitors"), ("source", "Everyone"), ("cue", "knows"),
                       ("content", "the truth: they lie")])
    assert got == [("Everyone", "knows", ["the truth: they lie"])]
    text = "“The plan is dead.” She said it on Sunday."
    got = roles(text, [("content", "The plan is dead"), ("source", "She"), ("cue", "said")])
    assert got == [("She", "said", ["The plan is dead"])]


def test_a_source_of_function_words_alone_is_no_source():
    """The tagger offered "no" of "no parent would ever dream of" as a source; PolNeAR train has no such source."""
    text = "Yet no parent would ever dream of putting a child behind the wheel."
    got = roles(text, [("source", "no"), ("cue", "would ever dream of"),
                       ("content", "putting a child behind the wheel")])
    assert got == [(None, "would ever dream of", ["putting a child behind the wheel"])]


def test_a_long_quote_follows_its_cue_piece_by_piece_until_another_cue():
    """A quote runs on past the cue's two-sentence reach: each piece goes on from the one before it. A piece
    after another cue, or after a gap of more than two sentences with nothing tagged, is not the long quote's."""
    text = ("The minister said: “We will build it. It will cost a lot. It will take years. It will be worth it. "
            "Nobody will stop us.” It rained. It was cold. The river rose. The bridge will fall, it was feared.")
    got = roles(text, [("source", "The minister"), ("cue", "said"), ("content", "We will build it"),
                       ("content", "It will cost a lot"), ("content", "It will take years"),
                       ("content", "It will be worth it"), ("content", "Nobody will stop us"),
                       ("content", "The bridge will fall"), ("cue", "was feared")])
    assert got == [("The minister", "said", ["We will build it", "It will cost a lot", "It will take years",
                                              "It will be worth it", "Nobody will stop us"]),
                   (None, "was feared", ["The bridge will fall"])]
