"""The score calibration at run time: monotone maps stored as breakpoints, applied to spans and sentences
(fitting them is ``tests/evaluation/test_calibration.py``)."""

import numpy as np
import pytest

from propwatch.model.calibration import Calibration
from propwatch.model.decode import DecodingConfig, RawSpan, calibrate_span, sentence_scores
from propwatch.model.windows import TokenizedText


def test_calibration_round_trips_through_the_decoding_config():
    cfg = DecodingConfig(calibration={"labelled": Calibration((0.1, 0.9), (0.0, 0.5))})
    back = DecodingConfig.from_dict(cfg.to_dict())
    assert back == cfg and back.uncalibrated().calibration == {}
    with pytest.raises(ValueError):
        Calibration.from_dict({"x": [0.5, 0.1], "y": [0.0, 1.0]})


def test_spans_and_sentences_are_mapped_by_their_channel():
    cfg = DecodingConfig(calibration={"labelled": Calibration((0.0, 1.0), (0.0, 0.5))})
    assert calibrate_span(RawSpan(0, 4, "doubt", 0.8), cfg).score == pytest.approx(0.4)
    assert calibrate_span(RawSpan(0, 4, "doubt", 0.8, channel="nested"), cfg).score == 0.8  # no map: raw

    text = "Evil thugs lie. Calm words."
    toks = TokenizedText(np.arange(5), np.array([[0, 4], [5, 10], [11, 15], [16, 20], [21, 27]]))
    probs = np.zeros((5, 16), dtype=np.float32)
    probs[:, 15] = [0.8, 0.8, 0.8, 0.2, 0.2]
    halve = Calibration((0.0, 1.0), (0.0, 0.5))
    assert np.allclose(sentence_scores(text, [(0, 15), (16, 27)], toks, probs, [], halve), [0.4, 0.1])
    # A span in the sentence lifts its score to at least the span's.
    assert np.allclose(sentence_scores(text, [(0, 15), (16, 27)], toks, probs, [RawSpan(0, 4, "doubt", 0.7)], halve),
                       [0.7, 0.1])
