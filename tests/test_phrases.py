"""Where a highlighted phrase begins and ends (``propwatch.phrases``): the rules the span decoding applies and the
boundary measures count."""

from propwatch.phrases import (
    dangles,
    head_left_behind,
    link_first,
    modal_left_open,
    name_cut_at_start,
    name_left_open,
    noun_left_behind,
    opener_left_behind,
    phrase_left_open,
    subject_left_open,
    verb_left_behind,
)
from propwatch.words import (
    DANGLING_WORDS,
    is_dangling,
)


def test_a_stranded_preposition_that_ends_its_sentence_does_not_dangle():
    text = "be careful what they wish for. The enemies of freedom, and what they wish for 17.4 million"
    assert not dangles(text, 0, text.index("."))  # "wish for." ends its sentence
    assert dangles(text, text.index("The"), text.index("The") + len("The enemies of"))
    assert dangles(text, 0, len(text) - len(" 17.4 million"))  # "17.4" is no sentence end


def _left_behind(text: str, span: str) -> str | None:
    start = text.index(span)
    end = noun_left_behind(text, start, start + len(span))
    return None if end is None else text[start:end]


def _closed(text: str, span: str) -> str | None:
    start = text.index(span)
    end = phrase_left_open(text, start, start + len(span))
    return None if end is None else text[start:end]


def _started(rule, text: str, span: str) -> str | None:
    """The span as ``rule`` (one of the start rules) would start it, or None where it starts whole."""
    start = text.index(span)
    end = start + len(span)
    moved = rule(text, start, end)
    return None if moved is None else text[moved:end]


def test_a_modifier_after_a_determiner_leaves_its_noun_behind():
    """"with their bare" without "hands" (issue 12): the noun that closes the phrase is found."""
    text = "who built this great country with their bare hands. They betrayed every patriotic American who"
    assert _left_behind(text, "with their bare") == "with their bare hands"
    assert _left_behind(text, "betrayed every patriotic") == "betrayed every patriotic American"
    assert _left_behind("The corrupt, spineless bureaucrats lied", "The corrupt, spineless") == (
        "The corrupt, spineless bureaucrats")
    assert _left_behind("a truly lawless, violent wasteland", "a truly lawless") is None  # a comma follows
    assert _left_behind("the righteous should act", "the righteous") is None  # a verb follows: used as a noun
    assert _left_behind("the worst is over", "the worst") is None  # a function word follows
    assert _left_behind("their bare hands", "their bare hands") is None  # whole already
    assert _left_behind("it was massive hands", "was massive") is None  # no determiner before the modifier


def test_a_copula_leaves_its_complement_behind():
    text = "If we do nothing, no family is safe. Pressure is mounting. I know who we are. The point is that"
    assert _closed(text, "no family is") == "no family is safe"
    assert _closed(text, "Pressure is") == "Pressure is mounting"
    assert _closed(text, "who we are") is None and _closed(text, "The point is") is None


def test_a_participle_after_a_determiner_leaves_its_noun_behind():
    """"this unexpected" without "breakthrough" (the example article); "the injured" names people."""
    text = "greatly disturbed by this unexpected breakthrough of the IS. The injured said the so-called rebels fled"
    assert _left_behind(text, "by this unexpected") == "by this unexpected breakthrough"
    assert _left_behind(text, "said the so-called") == "said the so-called rebels"
    assert _left_behind(text, "The injured") is None  # a noun: the injured people
    assert _left_behind(text, "greatly disturbed") is None  # no determiner before it


def test_a_possessive_leaves_its_noun_behind():
    """Read on an unlabelled PTC article: "keen as the party's" without "members"."""
    text = "not as keen as the party's members. Tories prefer it to Mrs May's plan. It's what it's about"
    assert _left_behind(text, "keen as the party's") == "keen as the party's members"
    assert _closed(text, "prefer it to Mrs May's") == "prefer it to Mrs May's plan"
    assert _closed(text, "It's what it's") is None  # "it's" is "it is", no possessive
    # a participle after the possessive modifies the noun that follows it
    text = "a blow to Theresa May’s rejigged deal, and the country’s wounded were many"
    assert _closed(text, "a blow to Theresa May’s") == "a blow to Theresa May’s rejigged deal"
    assert _closed(text, "and the country’s") == "and the country’s wounded"  # people: the noun itself


def test_a_span_stopping_one_word_before_its_sentence_ends_takes_that_word():
    """Read on unlabelled PTC articles: "the petulant" without "President.", "what they wish" without "for."."""
    text = ("Squirming, the petulant President. They should be careful what they wish for! I got one in five "
            "minutes.” A catastrophic defeat. \"The good,\" Theresa May said. It fell when 17.4 million voted")
    assert _closed(text, "the petulant") == "the petulant President"
    assert _closed(text, "careful what they wish") == "careful what they wish for"
    assert _closed(text, "one in five") == "one in five minutes"
    assert _closed(text, "catastrophic") is None  # one word: a loaded adjective alone
    assert _closed(text, "Theresa May") is None  # a quotation's reporting verb
    assert _closed(text, "It fell when") is None  # "17.4" ends no sentence
    assert _closed(text, "the petulant President") is None  # whole


def test_an_adverb_of_degree_leaves_the_word_it_grades_behind():
    text = "seize this chance before it's too late. He voted for it too. It is too. Quite extremely dangerous men"
    assert _closed(text, "seize this chance before it's too") == "seize this chance before it's too late"
    assert _closed(text, "He voted for it too") is None  # a full stop follows
    assert _closed(text, "Quite extremely") == "Quite extremely dangerous"


def test_a_verb_leaves_its_object_pronoun_behind():
    text = "no one really even tried to destroy them. They will crush us all. Washington betrayed him, and he said it"
    assert _closed(text, "tried to destroy") == "tried to destroy them"
    assert _closed(text, "will crush") == "will crush us"
    assert _closed(text, "Washington betrayed") == "Washington betrayed him"
    assert _closed(text, "he said") is None  # "it" may start what he said
    assert _closed(text, "tried to destroy them") is None  # whole already


def test_a_span_starting_on_a_particle_has_lost_its_verb():
    text = "The country ended up in a lawless wasteland. Prices went up. We are up in arms."
    def verb(span: str) -> str | None:
        return _started(verb_left_behind, text, span)
    assert verb("up in a lawless wasteland") == "ended up in a lawless wasteland"
    assert verb("up in arms") is None  # "are" before it: no phrasal verb
    assert verb("ended up in a lawless wasteland") is None
    long_word = "x" * 50 + " up in arms"  # longer than the look-back: never half a word
    assert verb_left_behind(long_word, 51, len(long_word)) is None


NAMES = ("His remarks are a blow to the Prime Minister, who is trying. It sounds like fearmongering by Theresa May. "
         "Despite Theresa May’s desperate attempts to polish her deal, the attack by Donald Trump’s top man failed. "
         "They came to Canada and the U.K. last week.\nBlack Death Patients Are Escaping The Hospital Over Fear\n"
         "The Daily Beast said no.")


def _name_end(span: str) -> str | None:
    start = NAMES.index(span)
    end = name_left_open(NAMES, start, start + len(span))
    return None if end is None else NAMES[start:end]


def _name_start(span: str) -> str | None:
    return _started(name_cut_at_start, NAMES, span)


def test_a_span_that_stops_inside_a_name_takes_in_the_rest_of_it():
    """Read on unlabelled PTC articles: "a blow to the Prime" without "Minister", "by Theresa" without "May"."""
    assert _name_end("a blow to the Prime") == "a blow to the Prime Minister"
    assert _name_end("fearmongering by Theresa") == "fearmongering by Theresa May"
    assert _name_end("The Daily") == "The Daily Beast"
    assert _name_end("the Prime Minister") is None  # whole
    assert _name_end("Black Death") is None  # a headline in title case: its capitals mark no name
    assert _name_end("who is trying. It") is None  # "It" opens its sentence: no name


def test_a_span_that_starts_inside_a_name_starts_where_it_does():
    assert _name_start("May’s desperate attempts") == "Theresa May’s desperate attempts"  # not "Despite"
    assert _name_start("Trump’s top man") == "Donald Trump’s top man"
    assert _name_start("Beast said no") == "Daily Beast said no"  # not onto "The", which opens its sentence
    assert _name_start("attempts to polish") is None


def test_a_span_starting_on_of_has_lost_the_noun_it_completes():
    """Read on unlabelled PTC articles: "of cronyism" without "culture", "of the key players" without "many"."""
    text = "the culture of cronyism, and many of the key players. They accused her of lying, it is of little use"
    def head(span: str) -> str | None:
        return _started(head_left_behind, text, span)
    assert head("of cronyism") == "culture of cronyism"
    assert head("of the key players") == "many of the key players"
    assert head("of lying") is None  # "her" heads nothing
    assert head("of little use") is None  # nor does "is"
    assert head("of") is None  # a lone word: nothing to complete


def test_a_span_starting_on_its_sentences_second_word_has_lost_its_subject_or_determiner():
    """Read on unlabelled PTC articles and the op-ed: "brutal attack" without "This", "knows the truth" without
    "Everyone"; a conjunction left out is how annotators often start too."""
    text = "This brutal attack shocked us. Everyone knows the truth. But they lied. In the face of it, “I cannot go.”"
    def opener(span: str) -> str | None:
        return _started(opener_left_behind, text, span)
    assert opener("brutal attack") == "This brutal attack"
    assert opener("knows the truth") == "Everyone knows the truth"
    assert opener("cannot go") == "I cannot go"  # after an opening quote
    assert opener("they lied") is None  # "But" is no opener
    assert opener("the face of it") == "In the face of it"  # annotators start on "In" too
    assert opener("Everyone knows") is None  # starts whole
    assert opener("attack shocked us") is None  # "brutal" does not open the sentence
    assert opener("brutal") is None  # a lone word stays as marked
    assert opener_left_behind("the evil regime fell", 4, 15) is None  # a fragment's lower-case first word


def test_a_span_starting_inside_its_sentence_on_a_linking_word_starts_after_it():
    """Counted on PTC: annotators start a span on "and", "is", "are" or "that" inside a sentence far less often
    than the model did ("is nothing but a puppet" is drawn "nothing but a puppet")."""
    text = "They lie and destroy the nation. He is nothing but a puppet. That is clear, and so."
    def link(span: str) -> str | None:
        return _started(link_first, text, span)
    assert link("and destroy the nation") == "destroy the nation"
    assert link("is nothing but a puppet") == "nothing but a puppet"
    assert link("and destroy") is None  # one word would be left: the span stays as drawn
    assert link("That is clear") is None  # the sentence's own first word
    assert link("destroy the nation") is None
    said = "He said so, and that the group was waiting."
    assert link_first(said, said.index("and"), len(said) - 1) == said.index("the")  # links in a row go together


def test_a_relative_pronoun_cannot_end_a_span_inside_its_sentence():
    """"much to the evident chagrin of those who" (an unlabelled PTC article) has lost its clause; a question
    ending on one is whole."""
    text = "much to the chagrin of those who oppose it. Guess who? The plan which"
    assert dangles(text, 0, text.index(" oppose"))
    assert not dangles(text, text.index("Guess"), text.index("?"))
    assert is_dangling("which") and is_dangling("Who,") and not is_dangling("they")
    assert "who" not in DANGLING_WORDS  # the attribution decoding's list stays as measured


def test_a_span_ending_on_its_next_clauses_subject_dangles():
    """"more consequential than anyone realized because he" before "was overshadowed" (an unlabelled PTC
    article): the pronoun belongs to the clause that goes on; followed by punctuation it ends a phrase."""
    text = "it mattered because he was overshadowed. They saw he, and we. Leave it alone."
    assert subject_left_open(text, 0, text.index(" was"))
    assert dangles(text, 0, text.index(" was"))
    assert not subject_left_open(text, text.index("They"), text.index(","))  # "he," ends its phrase
    assert not subject_left_open(text, text.index("Leave"), text.index(" alone"))  # "it" is as often an object
    assert not subject_left_open(text, text.index("he was"), text.index(" was"))  # a lone word stays as marked


def test_a_span_ending_on_a_modal_before_its_verb_dangles():
    """"departure of the Americans and Kurds will" before "in any case bring" (the example article): the modal's
    verb phrase goes on without the span. "May" the name and "the can" the noun are no modals."""
    text = "the Kurds will in any case leave. Theresa May said so. They kick the can down. We must."
    assert modal_left_open(text, 0, text.index(" in any"))
    assert dangles(text, 0, text.index(" in any"))
    assert not modal_left_open(text, text.index("Theresa"), text.index(" said"))
    assert not modal_left_open(text, text.index("They"), text.index(" down"))
    assert not dangles(text, text.index("We"), text.index("."))  # "We must." ends its sentence
    assert not modal_left_open(text, text.index("will"), text.index(" in any"))  # a lone word stays as marked
