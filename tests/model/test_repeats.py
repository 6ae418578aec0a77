import numpy as np

from propwatch.model.decode import DecodingConfig, detect_spans
from propwatch.model.repeats import REPEAT_RATE, later_repeats, phrase_words
from propwatch.model.windows import TokenizedText
from propwatch.techniques import TECHNIQUE_IDS


def _found(text, spans):
    return [(text[r.start:r.end], round(r.score, 3), r.source) for r in later_repeats(text, spans)]


def test_a_highlighted_phrase_is_repetition_where_it_comes_back():
    text = "The autonomous cars. Autonomous cars again, and AUTONOMOUS  cars once more."
    first = text.index("autonomous cars")
    found = _found(text, [(first, first + len("autonomous cars"), 0.5)])
    assert found == [("Autonomous cars", round(0.5 * REPEAT_RATE, 3), first),
                     ("AUTONOMOUS  cars", round(0.5 * REPEAT_RATE, 3), first)]


def test_only_later_unhighlighted_whole_word_places_on_one_line():
    text = "terror before. The terror, terrorists, self-terror, terror's\nterror\ncars, the terror."
    at = text.index("terror,")
    later = text.rindex("terror.")
    spans = [(at, at + 6, 0.4), (later - 4, later + 6, 0.9)]  # the last place is inside another highlight
    # not the earlier "terror", not inside "terrorists", "self-terror" or "terror's", not the highlighted one
    assert [(r.start, r.end) for r in later_repeats(text, spans)] == [(text.index("\nterror\n") + 1,
                                                                         text.index("\nterror\n") + 7)]
    # a two-word phrase is never matched across a line break
    text = "bare hands and bare\nhands"
    assert _found(text, [(0, 10, 0.5)]) == []


def test_function_words_and_punctuation_repeat_nothing():
    assert phrase_words("“the”") == [] and phrase_words("we are") == [] and phrase_words("!!") == []
    assert phrase_words("“No one is safe.”") == ["no", "one", "is", "safe"]
    text = "we are here and we are there"
    assert _found(text, [(0, 6, 0.9)]) == []


def test_offsets_hold_where_lower_casing_would_move_them():
    text = "İstanbul: the traitors. The traitors"
    at = text.index("traitors")
    assert _found(text, [(at, at + 8, 1.0)]) == [("traitors", REPEAT_RATE, at)]


def test_decoding_adds_repeats_only_where_the_config_says_so():
    text = "evil men came . evil men left"
    offsets = np.asarray([(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)], dtype=np.int64)
    toks = TokenizedText(np.arange(len(offsets)), offsets)
    probs = np.zeros((len(offsets), len(TECHNIQUE_IDS) + 1), dtype=np.float32)
    probs[0:2, -1] = 0.9  # only the first "evil men" is a propaganda span

    def classify(spans):
        out = np.full((len(spans), len(TECHNIQUE_IDS)), 0.01)
        out[:, TECHNIQUE_IDS.index("loaded_language")] = 0.9
        return out

    cfg = DecodingConfig(any_low=0.5, any_peak=0.5)
    assert [text[s.start:s.end] for s in detect_spans(text, toks, probs, classify, cfg)] == ["evil men"]
    on = DecodingConfig(any_low=0.5, any_peak=0.5, repeats=True)
    spans = detect_spans(text, toks, probs, classify, on)
    assert [(text[s.start:s.end], s.technique, s.channel, s.start > 5) for s in spans] == [
        ("evil men", "loaded_language", "labelled", False), ("evil men", "repetition", "repeated", True)]
    assert spans[1].score == spans[0].score * REPEAT_RATE
    # under the report floor, a repeat is not reported either
    assert len(detect_spans(text, toks, probs, classify, on, floor=spans[0].score * REPEAT_RATE + 0.01)) == 1
    assert DecodingConfig.from_dict(on.to_dict()) == on and "repeats" not in cfg.to_dict()
