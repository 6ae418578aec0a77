"""What counts as a word, a function word and a web address (``propwatch.words``)."""

from propwatch.words import (
    bare,
    cut_inside_word,
    ends_dangling,
    has_letter,
    url_ranges,
    whole_words,
)


def test_dangling_ends_are_words_that_cannot_end_a_phrase():
    assert ends_dangling("the enemies of") and ends_dangling("destruction and") and ends_dangling("with their")
    assert ends_dangling("they have betrayed every")  # the invented op-ed's "have betrayed every" (issue 12)
    assert not ends_dangling("destroy them") and not ends_dangling("the enemies of freedom")
    assert not ends_dangling("Yes we can") and not ends_dangling("who we are")
    assert not ends_dangling("Down with the.")  # a sentence that ends is complete whatever its last word
    assert not ends_dangling("")


def test_cuts_inside_words_letters_and_urls():
    text = "Deir ez-Zore, terrorists"
    assert cut_inside_word(text, 1, 4) and cut_inside_word(text, 0, 3)
    assert not cut_inside_word(text, 0, 4) and not cut_inside_word(text, 5, 12)
    assert has_letter("’s") and not has_letter("’!") and not has_letter("2024")
    text = "see https://t.co/Y6TKLTGGPy and www.example.org/a?b=c or bit.ly/xyz."
    assert [text[a:b] for a, b in url_ranges(text)] == ["https://t.co/Y6TKLTGGPy", "www.example.org/a?b=c",
                                                         "bit.ly/xyz."]
    assert bare("“Of,") == "of"


def test_an_editors_bracketed_capital_belongs_to_its_word():
    """A quotation that starts mid-sentence is edited as "[W]hile EU leaders met": a span the model starts at
    "hile" is shown from "[W]", and a bracket standing alone ("[a] b") joins nothing."""
    text = "He said “[W]hile EU leaders met” and [a] b"
    start = text.index("hile")
    assert text[slice(*whole_words(text, start, start + 4))] == "[W]hile"
    start = text.index(" b") + 1
    assert text[slice(*whole_words(text, start, start + 1))] == "b"


def test_an_initialism_is_one_word():
    """The tagger began a source at "U" of "E.U. leaders"; a reader sees one word, "E.U."."""
    text = "Then the E.U. leaders warn, and Mr. Smith said B. Jones left."
    for part, whole in (("U. leaders", "E.U. leaders"), ("Smith", "Smith"), ("B. Jones", "B. Jones")):
        start = text.index(part)
        assert text[slice(*whole_words(text, start, start + len(part)))] == whole


def test_an_initialism_at_the_end_is_one_word():
    text = "They came to Canada and the U.K. last week."
    start = text.index("Canada and the U")
    assert text[slice(*whole_words(text, start, start + len("Canada and the U")))] == "Canada and the U.K."
