from propwatch.metrics.boundaries import StartWord, boundary_defects, start_words


def test_each_defect_is_counted_once_per_stretch():
    text = "the enemies of freedom! See t.co/Y6TKLTGGPy now"
    spans = [
        (4, 14),   # "enemies of": dangling
        (4, 14),   # the same stretch with another technique: counted once
        (4, 22),   # "enemies of freedom": fine
        (22, 23),  # "!": no letter
        (33, 43),  # a piece of the link
        (5, 11),   # "nemies": cut in a word
    ]
    d = boundary_defects([(text, spans)])
    assert (d.spans, d.cut_in_word, d.no_letter, d.in_url, d.dangling_end) == (5, 1, 1, 1, 1)
    assert d.rate(d.dangling_end) == 0.2
    assert boundary_defects([]).rate(0) == 0.0


def test_a_span_stopping_before_the_word_closing_its_phrase_is_counted():
    text = "built with their bare hands where no family is safe"
    assert boundary_defects([(text, [(6, 21)])]).open_phrase == 1  # "with their bare"
    assert boundary_defects([(text, [(6, 27)])]).open_phrase == 0  # "with their bare hands"
    assert boundary_defects([(text, [(28, 46)])]).open_phrase == 1  # "where no family is"


def test_a_name_cut_at_either_end_is_counted():
    text = "It was a blow to the Prime Minister. Despite Theresa May’s attempts, it failed."
    blow = text.index("a blow")
    may = text.index("May’s")
    assert boundary_defects([(text, [(blow, text.index(" Minister"))])]).name_cut == 1
    assert boundary_defects([(text, [(blow, text.index("."))])]).name_cut == 0
    assert boundary_defects([(text, [(may, text.index(","))])]).name_cut == 1


def test_a_span_starting_on_a_linking_word_is_counted():
    text = "They lie and destroy the nation."
    start = text.index("and")
    assert boundary_defects([(text, [(start, len(text) - 1)])]).link_start == 1
    assert boundary_defects([(text, [(start + 4, len(text) - 1)])]).link_start == 0


def test_start_words_count_spans_starting_on_a_word_and_after_it():
    text = "This brutal attack shocked us. They lie and destroy the nation and it."
    brutal, destroy, lie = text.index("brutal"), text.index("destroy"), text.index("lie")
    spans = [(brutal, brutal + len("brutal attack")), (0, brutal + len("brutal attack")),
             (destroy, destroy + len("destroy the nation")), (lie, lie + 3)]  # the last: one word, not counted
    opening = start_words([(text, spans)], opening=True)
    assert opening["this"] == StartWord(on=1, after=1)
    assert opening["this"].share_after == 0.5
    inner = start_words([(text, spans)], opening=False)
    assert inner["and"] == StartWord(on=0, after=1)
    assert "lie" not in inner  # no span of two words or more starts on it or after it
