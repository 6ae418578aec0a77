from __future__ import annotations

from propwatch.components.attributions.mentions import Mention, name_mentions, organisation_name


def test_a_mention_is_a_run_of_capitalised_words_with_inner_of_and_titles():
    assert [m.text for m in name_mentions("The Department of State and Mr. Smith met.")] == [
        "Department of State", "Mr. Smith"]


def test_a_title_case_headline_and_a_sentences_opening_function_word_name_no_one():
    text = "Sanders Vows To Eliminate Tax Breaks\nThe plan won. Then Jane Doe spoke."
    assert [m.text for m in name_mentions(text)] == ["Jane Doe"]


def test_a_name_keeps_its_particles_and_an_initialisms_last_dot():
    text = "Bill de Blasio met Ursula von der Leyen in the U.S. on Monday. They left the U.S."
    assert [m.text for m in name_mentions(text)] == ["Bill de Blasio", "Ursula von der Leyen", "U.S.", "Monday", "U.S."]


def test_a_possessive_is_left_out_of_the_name():
    (mention,) = name_mentions("It was Trump’s plan.")
    assert mention == Mention(7, 12, "Trump")


def test_an_organisation_has_an_organisation_word_or_is_an_acronym():
    assert organisation_name("the Justice Department") and organisation_name("FBI")
    assert not organisation_name("Jane Doe") and not organisation_name("Smith")
