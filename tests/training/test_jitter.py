import numpy as np
import pytest

from propwatch.training.jitter import jittered_spans

TEXT = "The religious sectarians destroyed the city. They are truly evil people, the spokesman of the army said."


def _span(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def test_moved_extents_stay_on_words_inside_the_sentence_and_overlap_their_span():
    sectarians = _span("religious sectarians")
    annotated = {sectarians: {"name_calling"}}
    drawn = jittered_spans(TEXT, annotated, 5, np.random.default_rng(1))
    assert 1 <= len(drawn) <= 5
    full_stop = TEXT.index(".")
    for (s, e), target in drawn:
        assert (s, e) != sectarians
        assert s == 0 or not TEXT[s - 1].isalnum()  # word edges
        assert e == len(TEXT) or not TEXT[e].isalnum()
        assert e <= full_stop  # never past the sentence
        assert min(e, sectarians[1]) > max(s, sectarians[0])  # overlaps the annotated span
        assert target == {"name_calling": 1.0}
    assert len({extent for extent, _ in drawn}) == len(drawn)


def test_a_moved_extent_is_voted_for_by_every_span_it_overlaps():
    evil, whole = _span("evil people"), _span("They are truly evil people")
    annotated = {evil: {"loaded_language"}, whole: {"name_calling"}}
    for (s, e), target in jittered_spans(TEXT, annotated, 4, np.random.default_rng(3)):
        assert sum(target.values()) == pytest.approx(1.0)
        if min(e, evil[1]) > max(s, evil[0]):
            assert set(target) == {"loaded_language", "name_calling"}
            overlap = min(e, evil[1]) - max(s, evil[0])
            share_evil = overlap / (e - s) + overlap / (evil[1] - evil[0])
            overlap_whole = min(e, whole[1]) - max(s, whole[0])
            share_whole = overlap_whole / (e - s) + overlap_whole / (whole[1] - whole[0])
            assert target["loaded_language"] == pytest.approx(share_evil / (share_evil + share_whole))


def test_no_copies_no_words_or_no_room_draw_nothing():
    assert jittered_spans(TEXT, {_span("evil"): {"loaded_language"}}, 0, np.random.default_rng(0)) == []
    assert jittered_spans("!!! ...", {(0, 3): {"loaded_language"}}, 3, np.random.default_rng(0)) == []
    one_word = "Traitors!"
    assert jittered_spans(one_word, {(0, 8): {"name_calling"}}, 3, np.random.default_rng(0)) == []
