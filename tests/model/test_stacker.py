"""The span stacker: the signals it reads are what they say, its weights survive the config, a broken stored
stacker is refused at load, and where a decoding has one it is what answers the TC task."""

import json
import re
from dataclasses import replace

import numpy as np
import pytest

from propwatch.errors import ModelError
from propwatch.model import OnnxModel
from propwatch.model.decode import DecodingConfig
from propwatch.model.stacker import N_TECHNIQUES, SIGNALS, SpanStacker, feature_names, stack_features
from propwatch.model.windows import TokenizedText
from propwatch.techniques import TECHNIQUE_IDS

TEXT = "Lock her up! They said it again. Lock her up, the crowd chanted. Is this “justice”?"
LOAD = TECHNIQUE_IDS.index("loaded_language")


def tokens_and_probs(text: str):
    matches = list(re.finditer(r"[\w'’]+|[^\w\s]", text))
    offsets = np.array([m.span() for m in matches], np.int64)
    probs = np.full((len(matches), N_TECHNIQUES + 1), 0.01, np.float32)
    for i, m in enumerate(matches):
        if m.group() == "justice":
            probs[i, LOAD] = 0.9
    return TokenizedText(np.arange(len(matches), dtype=np.int64), offsets), probs


def span(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = [m.start() for m in re.finditer(re.escape(phrase), text)][nth]
    return start, start + len(phrase)


def features(spans, votes=None):
    tokens, probs = tokens_and_probs(TEXT)
    head = np.full((len(spans), N_TECHNIQUES), 1 / N_TECHNIQUES, np.float32)
    return stack_features(TEXT, tokens, probs, spans, head, votes)


def signal(row: np.ndarray, name: str, with_vote: bool = False) -> float:
    return float(row[feature_names(with_vote).index(name)])


def test_the_signals_say_what_their_names_say():
    first, second = span(TEXT, "Lock her up", 0), span(TEXT, "Lock her up", 1)
    justice = span(TEXT, "justice")
    x = features([first, second, justice])
    assert x.shape == (3, len(feature_names(False)))
    assert signal(x[0], "repeated_before") == 0 and signal(x[1], "repeated_before") == 1
    assert signal(x[0], "log_others") == signal(x[1], "log_others") == pytest.approx(np.log1p(1))
    assert signal(x[0], "sentence_exclaims") == 1 and signal(x[1], "sentence_exclaims") == 0
    assert signal(x[2], "sentence_asks") == 1 and signal(x[2], "quoted") == 1 and signal(x[0], "quoted") == 0
    assert signal(x[0], "sentence_share") > 0.8  # "Lock her up" is nearly all of "Lock her up!"
    assert signal(x[0], "capitalised") == pytest.approx(1 / 3)
    # the token tagger's loaded-language channel over "justice": mean and max
    assert signal(x[2], "channel_max:loaded_language") == pytest.approx(0.9)
    assert signal(x[0], "channel_max:loaded_language") == pytest.approx(0.01)


def test_the_vote_is_a_block_of_its_own():
    votes = np.zeros((1, N_TECHNIQUES), np.float32)
    votes[0, LOAD] = 1.0
    x = features([span(TEXT, "justice")], votes)
    assert x.shape == (1, len(feature_names(True))) == (1, 4 * N_TECHNIQUES + len(SIGNALS))
    assert signal(x[0], "vote:loaded_language", with_vote=True) == 1.0


def stacker_preferring(feature: str, technique: str, with_vote: bool = False) -> SpanStacker:
    names = feature_names(with_vote)
    weights = np.zeros((len(names), N_TECHNIQUES), np.float32)
    weights[names.index(feature), TECHNIQUE_IDS.index(technique)] = 10.0
    return SpanStacker(names, np.zeros(len(names), np.float32), np.ones(len(names), np.float32), weights,
                       np.zeros(N_TECHNIQUES, np.float32), {"c": 0.1})


def test_the_stacker_answers_from_its_weights_and_survives_the_config():
    stacker = stacker_preferring("repeated_before", "repetition")
    probs = stacker.probabilities(features([span(TEXT, "Lock her up", 0), span(TEXT, "Lock her up", 1)]))
    assert probs.shape == (2, N_TECHNIQUES) and np.allclose(probs.sum(axis=1), 1)
    assert probs[1].argmax() == TECHNIQUE_IDS.index("repetition") and probs[0].max() < 0.2
    decoding = replace(DecodingConfig(), stacker=stacker)
    again = DecodingConfig.from_dict(json.loads(json.dumps(decoding.to_dict())))
    assert again == decoding and again.stacker is not None and not again.stacker.uses_vote
    assert "stacker" not in DecodingConfig().to_dict()  # a config without one is written as before


def test_a_broken_stored_stacker_is_refused_at_load():
    stored = stacker_preferring("repeated_before", "repetition").to_dict()
    with pytest.raises(ValueError, match="weights"):
        SpanStacker.from_dict({**stored, "weights": stored["weights"][:-1]})
    renamed = {**stored, "features": ["novel:" + stored["features"][0], *stored["features"][1:]]}
    with pytest.raises(ValueError, match="does not compute"):
        SpanStacker.from_dict(renamed)


def test_a_decoding_with_a_stacker_answers_the_tc_task_with_it():
    model = OnnxModel()
    text = "They betrayed us. They betrayed us again, the traitors!"
    pred = model.predict(text)
    spans = [span(text, "They betrayed us", 0), span(text, "They betrayed us", 1)]
    stacked = model.with_decoding(replace(model.decoding, neighbour_vote=None,
                                          stacker=stacker_preferring("repeated_before", "repetition")))
    answer = stacked.classify_spans(text, pred, spans)
    assert answer[1].argmax() == TECHNIQUE_IDS.index("repetition")
    assert not np.allclose(answer, model.classify_spans(text, pred, spans))
    voting = model.with_decoding(replace(model.decoding, neighbour_vote=None,
                                         stacker=stacker_preferring("vote:slogans", "slogans", with_vote=True)))
    with pytest.raises(ModelError, match="neighbour vote"):
        voting.classify_spans(text, pred, spans)
