"""``split_sentences``: the rules of its docstring, the example article, and the coverage invariant on PTC."""

from __future__ import annotations

import pytest

from propwatch.sentences import sentence_at, split_sentences


def texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def check_invariants(text: str) -> None:
    bounds = split_sentences(text)
    covered = []
    previous_end = 0
    for start, end in bounds:
        piece = text[start:end]
        assert piece and piece == piece.strip(), (start, end, piece)
        assert start >= previous_end, "sentences overlap or are out of order"
        assert text[previous_end:start].strip() == "", "a non-whitespace character fell between sentences"
        covered.append(piece)
        previous_end = end
    assert text[previous_end:].strip() == ""
    # Ordered, disjoint, whitespace-only gaps: together, every non-whitespace character exactly once.
    assert "".join("".join(covered).split()) == "".join(text.split())


def test_empty_and_blank():
    assert split_sentences("") == []
    assert split_sentences("  \n\n \t ") == []


def test_offsets_are_stripped():
    text = "  Hello there.   General Kenobi!  \n"
    assert split_sentences(text) == [(2, 14), (17, 32)]
    assert texts(text) == ["Hello there.", "General Kenobi!"]


def test_newline_always_ends_a_sentence():
    assert texts("no full stop here\nand a lowercase line\r\nthird") == [
        "no full stop here", "and a lowercase line", "third"
    ]
    assert texts("Title\n\nBody line one. Body line two.") == ["Title", "Body line one.", "Body line two."]


def test_terminal_punctuation():
    assert texts("It rained. We stayed in! Why? Because… It rained.") == [
        "It rained.", "We stayed in!", "Why?", "Because…", "It rained."
    ]
    assert texts("Wait... What happened?! Nothing.") == ["Wait...", "What happened?!", "Nothing."]


def test_no_split_before_lowercase_or_without_space():
    assert texts("He said no. and left.") == ["He said no. and left."]
    assert texts("See example.com.It works.") == ["See example.com.It works."]
    assert texts('"Stop!" he shouted. Then silence.') == ['"Stop!" he shouted.', "Then silence."]


def test_split_before_digit_quote_and_bracket():
    assert texts("It ended. 2019 was worse.") == ["It ended.", "2019 was worse."]
    assert texts('It ended. "Never again," they said.') == ["It ended.", '"Never again," they said.']
    assert texts("It ended. (Or so we thought.) Then more.") == ["It ended.", "(Or so we thought.)", "Then more."]
    assert texts("It ended. [Editor's note.] More.") == ["It ended.", "[Editor's note.]", "More."]


def test_closing_quotes_and_brackets_stay_with_their_sentence():
    assert texts('He said "we will win." Nobody believed him.') == ['He said "we will win."', "Nobody believed him."]
    assert texts("He said “we will win.” Nobody believed him.") == ["He said “we will win.”", "Nobody believed him."]
    assert texts("He said ‘we will win.’ ‘Really?’ Yes.") == ["He said ‘we will win.’", "‘Really?’", "Yes."]
    assert texts("They left (finally.) Good.") == ["They left (finally.)", "Good."]


def test_unicode_opening_quotes_and_non_ascii_capitals():
    assert texts("Он ушёл. Она осталась.") == ["Он ушёл.", "Она осталась."]
    assert texts("It ended. «Never,» she said. „Nie,“ he said.") == [
        "It ended.", "«Never,» she said.", "„Nie,“ he said."
    ]
    assert texts("Vote now. Émile agrees.") == ["Vote now.", "Émile agrees."]


@pytest.mark.parametrize("abbreviation", [
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "St.", "Gen.", "Col.", "Lt.", "Sgt.", "Capt.", "Gov.", "Sen.", "Rep.",
    "Jan.", "Feb.", "Aug.", "Sept.", "Dec.", "U.S.", "U.K.", "U.N.", "e.g.", "i.e.", "etc.", "vs.", "Fr.",
])
def test_abbreviations_do_not_split(abbreviation):
    text = f"They met {abbreviation} Smith at noon. He left."
    assert texts(text) == [f"They met {abbreviation} Smith at noon.", "He left."]


def test_initials_decimals_and_numbers():
    assert texts("J. Smith and A. B. Jones came. They left.") == ["J. Smith and A. B. Jones came.", "They left."]
    assert texts("Prices rose 3.5 percent. Wages fell 0.2.") == ["Prices rose 3.5 percent.", "Wages fell 0.2."]
    assert texts("He lives at No. 10 Downing Street. Really.") == ["He lives at No. 10 Downing Street.", "Really."]
    # A bare "No." before a capital is the answer, not "number".
    assert texts("No. It is not.") == ["No.", "It is not."]
    assert texts("The D.C. office and the U.S.A. agreed. Fine.") == ["The D.C. office and the U.S.A. agreed.", "Fine."]
    assert texts("(Mr. Smith agreed.) Fine.") == ["(Mr. Smith agreed.)", "Fine."]


def test_example_article(example_text):
    found = texts(example_text)
    check_invariants(example_text)
    # Checked by hand: title, subtitle, then one sentence per sentence of each paragraph.
    assert found[0] == "The Americans left the Kurds at the mercy of ISIS"
    assert found[1].startswith("In Deir ez-Zore, terrorists") and found[1].endswith("withdraw their forces")
    assert found[3] == "It ended with the first victory in a long time, the religious sectarians."
    assert "How should the USA have behaved in this situation?" in found
    assert "Unexpected turn of events." in found
    assert "There are no relevant conditions." in found
    assert found[-1].startswith("But Russia and Syria will do everything necessary")
    assert len(found) == 50


def test_invariants_on_awkward_text():
    check_invariants(" \ufeffTitle\n\n\u00a0A. B. C.  D!  \t\n\n“E?” (F.) …G… h. I.\u2028J\r\nK ")


def test_every_ptc_article_is_covered(ptc_dir):
    paths = sorted((ptc_dir / "train" / "articles").glob("article*.txt"))
    assert paths
    for path in paths:
        text = path.read_text(encoding="utf-8")
        check_invariants(text)
        # PTC articles carry one sentence or paragraph per line: no sentence crosses a newline.
        assert all("\n" not in text[s:e] for s, e in split_sentences(text)), path.name


def test_a_megabyte_is_split_completely():
    # How fast this is lives in benchmarks/components.py (speed goals are benchmarks, not timed tests).
    paragraph = ("Mr. Smith said the U.S. would act. “We will win!” he said. Prices rose 3.5 percent (again). "
                 "Why? Nobody knows… The end.\n")
    text = paragraph * (1_000_000 // len(paragraph) + 1)
    bounds = split_sentences(text)
    assert len(bounds) == 6 * (len(text) // len(paragraph))
    assert texts(paragraph) == [text[s:e] for s, e in bounds[:6]]
    assert bounds[-1][1] == len(text.rstrip())


def test_sentence_at_finds_the_sentence_holding_an_offset():
    text = "One here.  Two there."
    sentences = split_sentences(text)
    assert sentence_at(sentences, text.index("here")) == (0, 9)
    assert sentence_at(sentences, text.index("Two")) == (11, 21)
    assert sentence_at(sentences, 9) is None  # the spaces between them
