from dataclasses import replace

import numpy as np
import pytest

from propwatch.model.calibration import Calibration
from propwatch.model.decode import (
    DecodingConfig,
    NeighbourVote,
    article_score,
    decode_channel,
    detect_spans,
    propaganda_spans,
    sentence_means,
    sentence_scores,
)
from propwatch.model.windows import TokenizedText
from propwatch.techniques import TECHNIQUE_IDS


def _tokens(text):
    """Whitespace tokens with offsets: enough to test decoding without a tokenizer."""
    import re

    offsets = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    return TokenizedText(np.arange(len(offsets)), np.asarray(offsets, dtype=np.int64))


def test_runs_become_word_aligned_spans_with_mean_scores():
    text = "the evil regime lied again today"
    toks = _tokens(text)
    p = np.array([0.1, 0.9, 0.7, 0.2, 0.1, 0.1])
    spans = decode_channel(text, toks, p, 0.5, "loaded_language")
    assert [(text[s.start : s.end], round(s.score, 2)) for s in spans] == [("evil regime", 0.8)]


def test_gap_tokens_are_bridged_up_to_the_limit():
    text = "k b c d e f g"
    toks = _tokens(text)
    one_gap = np.array([0.9, 0.1, 0.9, 0, 0, 0, 0])
    assert [(s.start, s.end) for s in decode_channel(text, toks, one_gap, 0.5, "doubt", gap=1)] == [(0, 5)]
    two_gaps = np.array([0.9, 0.1, 0.1, 0.9, 0, 0, 0])
    assert [(s.start, s.end) for s in decode_channel(text, toks, two_gaps, 0.5, "doubt", gap=1)] == [(0, 1), (6, 7)]
    assert [(s.start, s.end) for s in decode_channel(text, toks, two_gaps, 0.5, "doubt", gap=2)] == [(0, 7)]


def test_hysteresis_keeps_only_runs_that_reach_the_peak():
    text = "k b c d e f g"
    toks = _tokens(text)
    p = np.array([0.35, 0.4, 0.0, 0.0, 0.35, 0.7, 0.35])
    spans = decode_channel(text, toks, p, 0.3, "doubt", peak=0.6, gap=0)
    assert [text[s.start : s.end] for s in spans] == ["e f g"]


def test_separator_punctuation_is_trimmed_from_span_edges():
    text = "Zore , terrorists will -"
    toks = _tokens(text)
    spans = decode_channel(text, toks, np.array([0.0, 0.9, 0.9, 0.9, 0.9]), 0.5, "appeal_to_fear")
    assert [text[s.start : s.end] for s in spans] == ["terrorists will"]


def test_function_words_alone_are_not_spans():
    text = "at the evil"
    toks = _tokens(text)
    assert decode_channel(text, toks, np.array([0.9, 0.0, 0.0]), 0.5, "loaded_language") == []
    assert [text[s.start : s.end] for s in decode_channel(text, toks, np.array([0.9, 0.9, 0.9]), 0.5, "x")] == [text]


def test_spans_never_cross_a_sentence_end():
    text = "the pseudo regime. For all"
    toks = _tokens(text)
    spans = decode_channel(text, toks, np.array([0.9, 0.9, 0.9, 0.9, 0.9]), 0.5, "loaded_language")
    assert [text[s.start : s.end] for s in spans] == ["the pseudo regime.", "For all"]


def test_spans_never_cross_a_line_break():
    text = "bad men\nworse men"
    toks = _tokens(text)
    spans = decode_channel(text, toks, np.array([0.9, 0.9, 0.9, 0.9]), 0.5, "loaded_language")
    assert [text[s.start : s.end] for s in spans] == ["bad men", "worse men"]


def test_subword_offsets_widen_to_whole_words():
    text = "pseudo-caliphate"
    toks = TokenizedText(np.arange(4), np.array([[0, 6], [6, 7], [7, 10], [10, 16]]))
    spans = decode_channel(text, toks, np.array([0.1, 0.1, 0.9, 0.1]), 0.5, "name_calling")
    assert text[spans[0].start : spans[0].end] == "pseudo-caliphate"  # a compound is one word


def test_spans_never_end_inside_a_hyphenated_word_or_a_possessive():
    import re

    text = "the people’s self-defense units"
    # Word-piece-like tokens: "people", "’", "s", "self", "-", "defense" are separate tokens.
    offsets = np.asarray([(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)], dtype=np.int64)
    toks = TokenizedText(np.arange(len(offsets)), offsets)
    words = [text[a:b] for a, b in offsets]
    for hot, expected in (("self", "self-defense"), ("defense", "self-defense"), ("people", "people’s")):
        p = np.zeros(len(toks))
        p[words.index(hot)] = 0.9
        spans = decode_channel(text, toks, p, 0.5, "appeal_to_fear")
        assert [text[s.start : s.end] for s in spans] == [expected]



def _decoded(text, hot_words, low=0.5):
    """The spans of a channel that is high exactly on the words in ``hot_words`` (whitespace tokens)."""
    toks = _tokens(text)
    words = text.split()
    p = np.array([0.9 if w in hot_words else 0.0 for w in words])
    return [text[s.start : s.end] for s in decode_channel(text, toks, p, low, "loaded_language")]


def test_a_span_ending_on_a_dangling_word_grows_to_the_word_it_was_about():
    """"the enemies of" without "freedom" (the trust issue): a span never ends on a word that cannot end a
    phrase; it reaches the next content word of its clause."""
    assert _decoded("They are the enemies of freedom now", {"enemies", "of"}) == ["enemies of freedom"]
    assert _decoded("pure destruction and chaos followed", {"destruction", "and"}) == ["destruction and chaos"]
    assert _decoded("it was the likes of Trump", {"likes", "of"}) == ["likes of Trump"]


def test_a_span_does_not_start_with_the_tail_of_an_earlier_phrase():
    """"ez-Zore, terrorists will…" without "Deir" (the trust issue): the fragment before the comma belongs to
    the place name, so the span starts at the clause."""
    text = "In Deir ez-Zore, terrorists will destroy the units"
    assert _decoded(text, {"ez-Zore,", "terrorists", "will", "destroy"}) == ["terrorists will destroy"]
    # a span that starts a sentence, or after punctuation, keeps its start
    assert _decoded("Enough, they will destroy everything", {"Enough,", "they", "will", "destroy"}) == [
        "Enough, they will destroy"]


def test_a_verb_keeps_its_object_and_a_particle_its_verb():
    """"no one really even tried to destroy" without "them", and "up in a lawless wasteland" without "ended"
    (the example article and the op-ed): the decoded span closes the verb's phrase."""
    text = "no one really even tried to destroy them. The country ended up in a lawless wasteland."
    assert _decoded(text, {"tried", "to", "destroy"}) == ["tried to destroy them"]
    assert _decoded(text, {"up", "in", "a", "lawless", "wasteland."}) == ["ended up in a lawless wasteland."]
    # an "of" phrase keeps the noun it completes
    assert _decoded("a culture of cronyism and greed", {"of", "cronyism"}) == ["culture of cronyism"]
    # a clause keeps its one-word subject (the op-ed, `accurate`: "knows the truth" without "Everyone")
    assert _decoded("Everyone knows the truth: they lie.", {"knows", "the", "truth:"}) == ["Everyone knows the truth"]
    # one step after another: "of" onto its head, the head its sentence's second word (a PTC validation article)
    assert _decoded("The first of that host was Christ. Then", {"of", "that", "host"}) == ["The first of that host"]
    # a span starting inside its sentence on "and" starts after it
    assert _decoded("They lie and destroy the nation today", {"and", "destroy", "the", "nation"}) == [
        "destroy the nation"]


def test_a_span_ending_on_a_modifier_grows_to_its_noun():
    """"with their bare" and "have betrayed every patriotic" (the invented op-ed, issue 12): the noun is
    part of the phrase, whether the span stopped on the modifier or grew onto it past "every"."""
    text = "built with their bare hands and betrayed every patriotic American today"
    assert _decoded(text, {"with", "their", "bare"}) == ["with their bare hands"]
    assert _decoded(text, {"betrayed", "every"}) == ["betrayed every patriotic American"]
    assert _decoded("where no family is safe today", {"where", "no", "family", "is"}) == [
        "where no family is safe"]


def test_a_dangling_word_is_cut_where_no_content_word_is_near():
    # punctuation ends the clause: nothing to grow into, so "of" goes
    assert _decoded("the enemies of, and then", {"enemies", "of,"}) == ["enemies"]
    assert _decoded("crushing defeat of the", {"crushing", "defeat", "of", "the"}) == ["crushing defeat"]
    # a subject pronoun with its verb next: grown to take the verb, or cut where nothing follows in the clause
    assert _decoded("give us everything we wanted today", {"everything", "we"}) == ["everything we wanted"]
    # a modal's verb phrase runs on (the example article): the span ends before the modal, never grows into it
    assert _decoded("but the departure of the Americans and Kurds will in any case bring them closer",
                    {"the", "departure", "of", "Americans", "and", "Kurds", "will"}) == [
        "the departure of the Americans and Kurds"]
    # a subject pronoun grows past its modal to the verb (an unlabelled PTC article), not onto the modal
    assert _decoded("it fails because we should allow the public", {"fails", "because", "we"}) == [
        "fails because we should allow"]
    # a relative pronoun opens a clause (an unlabelled PTC article): grown into it where it is near
    assert _decoded("much to the chagrin of those who oppose it", {"chagrin", "of", "those", "who"}) == [
        "chagrin of those who oppose"]


def test_a_span_never_stops_or_starts_inside_a_name():
    """"a blow to the Prime" without "Minister", and "disgust at" grown past its dangling "at" onto "Pope"
    without "Francis" (PTC validation articles): the span takes in the whole name, on either side."""
    text = "It was a blow to the Prime Minister and his party. Victims felt disgust at Pope Francis for it."
    assert _decoded(text, {"blow", "to", "the", "Prime"}) == ["blow to the Prime Minister"]
    assert _decoded(text, {"disgust", "at"}) == ["disgust at Pope Francis"]
    assert _decoded("Despite Theresa May’s desperate attempts", {"May’s", "desperate", "attempts"}) == [
        "Theresa May’s desperate attempts"]
    # a noun grown onto leaves the sentence's last word behind: a second round takes it in
    assert _decoded("loves to mock in his notorious Twitter account. Then", {"mock", "in", "his", "notorious"}) == [
        "mock in his notorious Twitter account"]
    # the name grown last leaves a possessive open: its noun follows
    assert _decoded("a fatal blow to Theresa May’s rejigged deal today", {"fatal", "blow", "to", "Theresa"}) == [
        "fatal blow to Theresa May’s rejigged deal"]
    # a span starting on "of" moves onto its head, a name's last word, and from there to the name's start, its
    # title included (`accurate` on an unlabelled PTC article)
    assert _decoded("accused by Tory MP Jacob Rees-Mogg of treachery today", {"of", "treachery"}) == [
        "Tory MP Jacob Rees-Mogg of treachery"]


def test_no_span_without_a_letter_or_inside_a_web_address():
    """A lone "!" tagged loaded language, an apostrophe tagged flag-waving, "Y6TKLTGGPy" of a t.co link (the
    trust issue): never highlighted."""
    assert _decoded("what a shame ! indeed", {"!"}) == []
    assert _decoded("he said ’ then", {"’"}) == []
    assert _decoded("read https://t.co/Y6TKLTGGPy now", {"https://t.co/Y6TKLTGGPy"}) == []
    assert _decoded("read t.co/Y6TKLTGGPy now", {"t.co/Y6TKLTGGPy"}) == []
    assert _decoded("read www.example.com/evil now", {"www.example.com/evil"}) == []
    assert _decoded("the evil regime!", {"regime!"}) == ["regime!"]


def test_propaganda_spans_are_labelled_and_nested_channels_add_overlaps():
    text = "so called experts lie"
    toks = _tokens(text)
    probs = np.zeros((4, len(TECHNIQUE_IDS) + 1), dtype=np.float32)
    probs[:, -1] = 0.8  # the whole sentence is propaganda
    probs[0:3, TECHNIQUE_IDS.index("name_calling")] = 0.9

    def classify(spans):  # the span head says: doubt
        out = np.zeros((len(spans), len(TECHNIQUE_IDS)))
        out[:, TECHNIQUE_IDS.index("doubt")] = 0.5
        out[:, 0] = 0.5 / 13
        return out

    plain = detect_spans(text, toks, probs, classify, DecodingConfig(any_low=0.5, any_peak=0.5))
    assert [(s.technique, text[s.start : s.end], round(s.score, 2)) for s in plain] == [
        ("doubt", "so called experts lie", 0.4)]
    cfg = DecodingConfig(any_low=0.5, any_peak=0.5, channels={"name_calling": (0.5, 0.5)})
    nested = detect_spans(text, toks, probs, classify, cfg)
    assert [(s.technique, text[s.start : s.end]) for s in nested] == [
        ("doubt", "so called experts lie"), ("name_calling", "so called experts")]
    # A nested span is not added where a span of the same technique already is.
    cfg = DecodingConfig(any_low=0.5, any_peak=0.5, channels={"doubt": (0.1, 0.1)})
    probs[:, TECHNIQUE_IDS.index("doubt")] = 0.9
    assert len(detect_spans(text, toks, probs, classify, cfg)) == 1


def test_a_kept_span_also_carries_the_span_heads_second_choice_from_its_threshold():
    text = "so called experts lie. plain words here"
    toks = _tokens(text)
    probs = np.zeros((len(toks), len(TECHNIQUE_IDS) + 1), dtype=np.float32)
    probs[0:4, -1] = 0.8  # the first sentence is propaganda

    def classify(spans):  # first choice doubt 0.5, second name calling 0.3, third loaded language 0.2
        out = np.zeros((len(spans), len(TECHNIQUE_IDS)))
        out[:, TECHNIQUE_IDS.index("doubt")] = 0.5
        out[:, TECHNIQUE_IDS.index("name_calling")] = 0.3
        out[:, TECHNIQUE_IDS.index("loaded_language")] = 0.2
        return out

    base = DecodingConfig(any_low=0.5, any_peak=0.5)
    found = [(s.technique, s.channel) for s in detect_spans(text, toks, probs, classify, base, floor=0.0)]
    assert found == [("doubt", "labelled")]
    # name calling's score there is 0.8 x 0.3 = 0.24: it reaches a threshold of 0.2, not one of 0.25
    second = replace(base, second_labels={"name_calling": 0.2})
    spans = detect_spans(text, toks, probs, classify, second, floor=0.0)
    assert [(s.technique, s.channel, text[s.start:s.end], round(s.score, 2)) for s in spans] == [
        ("doubt", "labelled", "so called experts lie.", 0.4),
        ("name_calling", "second", "so called experts lie.", 0.24)]
    assert len(detect_spans(text, toks, probs, classify, replace(base, second_labels={"name_calling": 0.25}),
                            floor=0.0)) == 1
    # only the second choice, never the third, and only a technique with a threshold
    assert len(detect_spans(text, toks, probs, classify, replace(base, second_labels={"loaded_language": 0.0}),
                            floor=0.0)) == 1
    # only beside a span that is shown: where doubt's own threshold drops the span, no second label stands alone
    dropped = replace(second, min_scores={"doubt": 0.5})
    assert detect_spans(text, toks, probs, classify, dropped, floor=0.0) == []
    # the second label is calibrated on its own channel's map, then meets the report floor
    low = replace(second, calibration={"second": Calibration(x=(0.0, 1.0), y=(0.0, 0.2))})
    assert [s.technique for s in detect_spans(text, toks, probs, classify, low)] == ["doubt"]


def test_decoding_config_round_trips():
    cfg = DecodingConfig(any_low=0.2, any_peak=0.6, gap=3, channels={"doubt": (0.2, 0.7)}, si_spans="all",
                         repetition_cue=(2.5, 2.0))
    assert DecodingConfig.from_dict(cfg.to_dict()) == cfg
    assert DecodingConfig.from_dict(None) == DecodingConfig()
    # Configs written before the Repetition cue existed read as "no cue".
    old = {k: v for k, v in cfg.to_dict().items() if k != "repetition_cue"}
    assert DecodingConfig.from_dict(old).repetition_cue == (0.0, 0.0)
    # The report floor that models tuned by propwatch 0.1 store is read and written back, and steers nothing.
    stored = {**cfg.to_dict(), "report_floor": 0.0}
    assert DecodingConfig.from_dict(stored) == cfg and DecodingConfig.from_dict(stored).to_dict() == stored
    assert "report_floor" not in cfg.to_dict()
    # The technique offsets round-trip, and a decoding without them is written as before they existed.
    offsets = replace(cfg, technique_offsets={"slogans": 0.5, "loaded_language": -0.5})
    assert DecodingConfig.from_dict(offsets.to_dict()) == offsets
    assert "technique_offsets" not in cfg.to_dict() and DecodingConfig.from_dict(old).technique_offsets == {}
    # So does the neighbour vote, written only where a model has one.
    voted = replace(cfg, neighbour_vote=NeighbourVote(0.4, 10, 0.05, 0.5))
    assert DecodingConfig.from_dict(voted.to_dict()) == voted
    assert voted.to_dict()["neighbour_vote"] == {"weight": 0.4, "k": 10, "temperature": 0.05, "balance": 0.5}
    assert "neighbour_vote" not in cfg.to_dict() and DecodingConfig.from_dict(old).neighbour_vote is None
    # So do the second techniques' thresholds, written only where a model has some.
    seconds = replace(cfg, second_labels={"name_calling": 0.2})
    assert DecodingConfig.from_dict(seconds.to_dict()) == seconds
    assert seconds.to_dict()["second_labels"] == {"name_calling": 0.2}
    assert "second_labels" not in cfg.to_dict() and DecodingConfig.from_dict(old).second_labels == {}
    # So does the sentence gate, written only where a model has one.
    gated = replace(cfg, sentence_gate=0.25)
    assert DecodingConfig.from_dict(gated.to_dict()) == gated and gated.to_dict()["sentence_gate"] == 0.25
    assert "sentence_gate" not in cfg.to_dict() and DecodingConfig.from_dict(old).sentence_gate is None
    for bad in ({"weight": 1.5, "k": 10, "temperature": 0.05}, {"weight": 0.4, "k": 0, "temperature": 0.05},
                {"weight": 0.4, "k": 10, "temperature": 0.0}, {"weight": 0.4, "k": 10, "temperature": 0.1,
                                                               "balance": -1}):
        with pytest.raises(ValueError, match="neighbour vote"):
            DecodingConfig.from_dict({**cfg.to_dict(), "neighbour_vote": bad})


def test_spans_under_the_report_floor_are_not_reported_after_calibration():
    from propwatch.model.calibration import Calibration
    from propwatch.model.decode import REPORT_FLOOR

    text = "so called experts lie"
    toks = _tokens(text)
    probs = np.zeros((4, len(TECHNIQUE_IDS) + 1), dtype=np.float32)
    probs[:, -1] = 0.8

    def classify(spans):  # raw span score 0.8 * 0.5 = 0.4
        out = np.zeros((len(spans), len(TECHNIQUE_IDS)))
        out[:, TECHNIQUE_IDS.index("doubt")] = 0.5
        return out

    # The calibration map says a raw 0.4 is right 5% of the time: under the 10% floor it goes.
    assert REPORT_FLOOR == 0.10
    low = {"labelled": Calibration(x=(0.0, 1.0), y=(0.0, 0.125))}
    cfg = DecodingConfig(any_low=0.5, any_peak=0.5, calibration=low)
    assert [round(s.score, 2) for s in detect_spans(text, toks, probs, classify, cfg, floor=0.0)] == [0.05]
    assert detect_spans(text, toks, probs, classify, cfg) == []
    # The floor is a product rule, not part of a model's decoding: a stored floor changes nothing.
    stored = DecodingConfig.from_dict({**cfg.to_dict(), "report_floor": 0.0})
    assert detect_spans(text, toks, probs, classify, stored) == []
    # The floor is a probability, so it is judged on calibrated scores: raw 0.4 passes it...
    assert len(detect_spans(text, toks, probs, classify, replace(cfg, calibration={}))) == 1
    # ...and the uncalibrated decoding, with no floor (for fitting the calibration), keeps every span.
    assert cfg.uncalibrated().calibration == {}
    assert len(detect_spans(text, toks, probs, classify, cfg.uncalibrated(), floor=0.0)) == 1


def test_a_sentence_without_letters_or_digits_scores_zero():
    text = "“ ” — Evil thugs lie."
    toks = _tokens(text)
    probs = np.full((len(toks), len(TECHNIQUE_IDS) + 1), 0.6, dtype=np.float32)
    sentences = [(0, 5), (6, 21)]
    halve = Calibration((0.0, 1.0), (0.0, 0.5))
    assert np.allclose(sentence_scores(text, sentences, toks, probs, [], halve), [0.0, 0.3])
    assert np.allclose(sentence_scores(text, [(0, 21)], toks, probs, []), [0.6])  # one word is enough


def _two_sentences():
    """Two sentences, each with one hot token in the "any" channel; the sentence channel finds only the second
    propagandistic."""
    text = "Calm words here. Evil thugs lie."
    toks = _tokens(text)
    probs = np.zeros((6, len(TECHNIQUE_IDS) + 2), dtype=np.float32)
    probs[:, len(TECHNIQUE_IDS)] = [0.1, 0.9, 0.1, 0.9, 0.8, 0.1]
    probs[:, -1] = [0.1, 0.2, 0.3, 0.8, 0.9, 0.7]
    return text, toks, probs


def test_sentence_means_average_the_sentence_channel_over_each_sentence():
    text, toks, probs = _two_sentences()
    assert np.allclose(sentence_means(text, toks, probs), [0.2, 0.2, 0.2, 0.8, 0.8, 0.8])


def test_the_sentence_gate_drops_spans_in_sentences_the_sentence_channel_finds_clean():
    text, toks, probs = _two_sentences()
    ungated = DecodingConfig(any_low=0.5, any_peak=0.5, gap=0)
    assert [text[s.start : s.end] for s in propaganda_spans(text, toks, probs, ungated)] == ["words", "Evil thugs lie"]
    for gate, kept in ((0.2, ["words", "Evil thugs lie"]), (0.25, ["Evil thugs lie"]), (0.85, [])):
        spans = propaganda_spans(text, toks, probs, replace(ungated, sentence_gate=gate))
        assert [text[s.start : s.end] for s in spans] == kept
    # A model without the sentence channel cannot be gated: its spans stay.
    assert len(propaganda_spans(text, toks, probs[:, :-1], replace(ungated, sentence_gate=0.85))) == 2


def test_sentence_and_article_scores():
    text = "Calm words here. Evil thugs lie."
    toks = _tokens(text)
    probs = np.zeros((6, len(TECHNIQUE_IDS) + 1), dtype=np.float32)
    probs[:, -1] = [0.1, 0.1, 0.2, 0.9, 0.8, 0.3]
    sentences = [(0, 16), (17, 32)]
    scores = sentence_scores(text, sentences, toks, probs, [])
    assert np.allclose(scores, [0.2, 0.9])
    # Length-weighted: (16 * 0.2 + 15 * 0.9) / 31
    assert abs(article_score(sentences, scores) - (16 * 0.2 + 15 * 0.9) / 31) < 1e-6
    assert article_score([], []) == 0.0
    # Monotone: raising one sentence's score never lowers the article score.
    assert article_score(sentences, [0.3, 0.9]) > article_score(sentences, scores)


def test_per_technique_thresholds_drop_only_weak_spans_of_that_technique():
    from propwatch.model.decode import RawSpan, keep_confident

    spans = [RawSpan(0, 4, "doubt", 0.2), RawSpan(5, 9, "doubt", 0.6), RawSpan(10, 14, "slogans", 0.1)]
    kept = keep_confident(spans, {"doubt": 0.5})
    assert [(s.technique, s.score) for s in kept] == [("doubt", 0.6), ("slogans", 0.1)]
    cfg = DecodingConfig(min_scores={"doubt": 0.5})
    assert DecodingConfig.from_dict(cfg.to_dict()) == cfg
