"""The cue patterns for rare techniques: each finds its wording with its technique's extent, on whole words, and
stays quiet on a near miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from propwatch.evaluation.rare_cues import PATTERNS, PATTERNS_BY_ID, CueSpan, find_cue_spans, spans_to_add
from propwatch.words import cut_inside_word

OPED = Path(__file__).resolve().parents[3] / "shared" / "examples" / "destroying-our-nation.txt"

# pattern id: (a sentence it must find, the span it must give, a sentence it must not find)
CASES = {
    "authority_as_x_said": ("Title\n\nAs a senior intelligence official told me, the invasion has begun.",
                            "As a senior intelligence official told me, the invasion has begun.",
                            "Title\n\nHe was as tired as I was when we left."),
    "authority_according_to": ("Title\n\nThe dam will fail, according to experts in the region.",
                               "The dam will fail, according to experts in the region.",
                               "Title\n\nThe dam will fail, according to the plan."),
    "authority_studies_show": ("Title\n\nStudies show that the vaccine is useless.",
                               "Studies show that the vaccine is useless.",
                               "Title\n\nThe studies were shown to the board."),
    "authority_senior_official": ("Title\n\nA senior defence official confirmed the plan.",
                                  "A senior defence official confirmed the plan.",
                                  "Title\n\nThe senior class went on a trip."),
    "authority_told_me": ("Title\n\nThe mayor told me the bridge is safe.",
                          "The mayor told me the bridge is safe.",
                          "Title\n\nThe mayor told the council nothing."),
    "black_white_either_or": ("Title\n\nLook, either you are with us, or you are with them.",
                              "either you are with us, or you are with them.",
                              "Title\n\nNeither the mayor nor the council came."),
    "black_white_with_us": ("Title\n\nYou are with us or against us.",
                            "You are with us or against us.",
                            "Title\n\nYou are with us today."),
    "black_white_no_other_way": ("Title\n\nThere is no other way to save the country.",
                                 "There is no other way to save the country.",
                                 "Title\n\nThere is no way home tonight."),
    "black_white_the_only": ("Title\n\nA wall is the only solution.",
                             "A wall is the only solution.",
                             "Title\n\nShe was the only child."),
    "cliche_enough_is_enough": ("Title\n\nThey lied again. Enough is enough. We march.",
                                "Enough is enough.",
                                "Title\n\nThere is enough food for everyone."),
    "cliche_it_is_what_it_is": ("Title\n\nIt is what it is.",
                                "It is what it is.",
                                "Title\n\nIt is what the law says."),
    "cliche_end_of_story": ("Title\n\nHe is guilty, end of story.",
                            "He is guilty, end of story.",
                            "Title\n\nThe story ends in Rome."),
    "cliche_platitude": ("Title\n\nTime will tell.",
                         "Time will tell.",
                         "Title\n\nHe will tell the time."),
    "slogan_great_again": ("Title\n\nThey chanted: make America great again, all night.",
                           "make America great again",
                           "Title\n\nThey made a great effort again."),
    "slogan_x_first": ("Title\n\nThe crowd shouted America First at the rally.",
                       "America First",
                       "Title\n\nThe crowd came first to the rally."),
    "slogan_hashtag": ("Title\n\nShare it with #StopTheSynod today.",
                       "#StopTheSynod",
                       "Title\n\nIt was the #1 story."),
    "slogan_all_caps": ("Title\n\nThey will CLOSE OUR BORDER now.",
                        "CLOSE OUR BORDER",
                        "Title\n\nThe FBI and the CIA met."),
    "slogan_short_exclamation": ("Title\n\nWe met them. Wake up, people!",
                                 "Wake up, people!",
                                 "Title\n\nWe met them at noon."),
    "whatabout_what_about": ("Title\n\nAnd what about the emails she deleted?",
                             "And what about the emails she deleted?",
                             "Title\n\nThey talked about the emails."),
    "whatabout_double_standard": ("Title\n\nThe hypocrisy of the press is plain.",
                                  "The hypocrisy of the press is plain.",
                                  "Title\n\nThe standard of the press is high."),
    "whatabout_and_yet": ("Title\n\nThey shout about fraud, and yet they took the money.",
                          "and yet they took the money.",
                          "Title\n\nThey have not yet decided."),
    "reductio_like_hitler": ("Title\n\nJust like Hitler, they want total control.",
                             "Just like Hitler",
                             "Title\n\nThey like Hitchcock films."),
    "reductio_nazi_word": ("Title\n\nHe called the mayor a fascist.",
                           "fascist",
                           "Title\n\nHe called the mayor a fantasist."),
    "bandwagon_everyone_knows": ("Title\n\nEveryone knows the truth: they lied.",
                                 "Everyone knows the truth",
                                 "Title\n\nEveryone went home."),
    "bandwagon_more_and_more": ("Title\n\nMore and more people see through the lies.",
                                "More and more people see through the lies.",
                                "Title\n\nMore people came, and more food."),
}


def test_every_pattern_has_a_case():
    assert set(CASES) == set(PATTERNS_BY_ID)


@pytest.mark.parametrize("pattern_id", sorted(CASES))
def test_pattern_finds_its_wording_with_its_extent(pattern_id):
    positive, expected, negative = CASES[pattern_id]
    pattern = PATTERNS_BY_ID[pattern_id]
    found = find_cue_spans(positive, (pattern,))
    assert [positive[c.start:c.end] for c in found] == [expected]
    assert found[0].technique == pattern.technique and found[0].pattern == pattern_id
    assert found[0].words and all(w.strip() for w in found[0].words)
    assert find_cue_spans(negative, (pattern,)) == []


def test_spans_are_whole_words_inside_one_sentence():
    text = "Title\n\nThe pro-Nazis-style rally was loud. Either we fight or we lose. Make Britain great again!"
    for c in find_cue_spans(text):
        assert not cut_inside_word(text, c.start, c.end), text[c.start:c.end]
        assert "\n" not in text[c.start:c.end]
        assert text[c.start:c.end].count(". ") == 0


@pytest.mark.skipif(not OPED.exists(), reason="the invented op-ed is not at ../shared/examples")
def test_the_op_ed_cases_are_found_with_their_techniques():
    text = OPED.read_text(encoding="utf-8")
    found = {(text[c.start:c.end], c.technique) for c in find_cue_spans(text, PATTERNS)}
    assert ("As a senior intelligence official told me, the invasion has already begun.",
            "appeal_to_authority") in found
    assert ("either you are with us, or you are with the enemies of freedom.", "black_and_white") in found
    assert ("Enough is enough.", "thought_terminating_cliche") in found
    assert ("Just like Hitler", "bandwagon_reductio") in found
    assert not any(t == "appeal_to_fear" for _, t in found)


def test_a_cue_span_is_added_only_where_no_model_span_of_its_technique_overlaps():
    cues = [CueSpan(0, 10, "slogans", "slogan_x_first", ("America First",)),
            CueSpan(20, 30, "slogans", "slogan_x_first", ("Hungary First",)),
            CueSpan(40, 50, "slogans", "slogan_hashtag", ("#x",))]
    model = [(5, 8, "slogans"), (22, 25, "loaded_language")]
    added = spans_to_add(cues, model, {"slogan_x_first": 0.4})
    # the first overlaps a model slogan; the third's pattern was not kept
    assert [(c.start, score) for c, score in added] == [(20, 0.4)]


def test_overlapping_cue_spans_of_one_technique_keep_the_better_pattern():
    cues = [CueSpan(0, 20, "bandwagon_reductio", "reductio_nazi_word", ("Hitler",)),
            CueSpan(5, 15, "bandwagon_reductio", "reductio_like_hitler", ("like Hitler",))]
    added = spans_to_add(cues, [], {"reductio_nazi_word": 0.3, "reductio_like_hitler": 0.9})
    assert [(c.pattern, score) for c, score in added] == [("reductio_like_hitler", 0.9)]
