import random
import re

import numpy as np
import pytest

from propwatch.model.spans import (
    SpanHead,
    apply_repetition_cue,
    apply_technique_offsets,
    earlier_occurrences,
    extra_features,
    mix_neighbour_votes,
    neighbour_votes,
    normalise,
    pooled_features,
    token_range,
)
from propwatch.techniques import TECHNIQUE_IDS

REPETITION = TECHNIQUE_IDS.index("repetition")


def test_token_range_picks_overlapping_tokens():
    offsets = np.array([[0, 3], [4, 8], [8, 9], [10, 15]])
    assert token_range(offsets, 4, 9) == (1, 2)
    assert token_range(offsets, 5, 6) == (1, 1)
    assert token_range(offsets, 0, 15) == (0, 3)
    assert token_range(offsets, 9, 10) is None  # whitespace only


def test_repetition_feature_counts_other_occurrences():
    text = "Lock her up! They shouted: lock her up. Then they left."
    feats = extra_features(text, [(0, 11), (46, 54)], [3, 2])
    assert feats[0, 1] == pytest.approx(np.log1p(1))  # "lock her up" occurs once more
    assert feats[1, 1] == 0.0
    assert feats[0, 0] == pytest.approx(np.log1p(3))


def test_earlier_occurrences_count_whole_phrases_before_the_span():
    text = "Fake news! The fake   news media said: FAKE NEWS. fake-news, fake newsroom, fake news"
    spans = [(m.start(), m.end()) for m in re.finditer(r"(?i)fake\W+news\b", text)]
    assert [text[s:e] for s, e in spans][-1] == "fake news"
    # Case, spacing and punctuation do not matter; "fake newsroom" is another phrase.
    assert list(earlier_occurrences(text, spans)) == [0, 1, 2, 3, 4]
    assert list(earlier_occurrences(text, [(3, 4), (9, 10)])) == [0, 0]  # "e", "!": no phrase before / no words
    assert earlier_occurrences("", []).shape == (0,)


def test_earlier_occurrences_equal_the_word_by_word_definition():
    rng = random.Random(1)
    vocab = ["a", "b", "c", "Bb", "a.", "c!"]
    for _ in range(200):
        text = " ".join(rng.choice(vocab) for _ in range(40))
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        spans = []
        for _ in range(10):
            i = rng.randrange(len(words))
            spans.append((words[i][0], words[min(len(words) - 1, i + rng.randint(0, 2))][1]))
        expected = []
        for s, e in spans:
            phrase, before = normalise(text[s:e]).split(), normalise(text[:s]).split()
            k = len(phrase)
            expected.append(sum(before[p : p + k] == phrase for p in range(len(before) - k + 1)))
        assert list(earlier_occurrences(text, spans)) == expected


def test_repetition_cue_raises_only_repetition_and_only_for_recurring_phrases():
    probs = np.full((3, len(TECHNIQUE_IDS)), 0.5 / (len(TECHNIQUE_IDS) - 1), np.float32)
    probs[:, 0] = 0.5  # another technique leads
    earlier = np.array([0, 1, 4], np.float32)
    assert apply_repetition_cue(probs, earlier, (0.0, 0.0)) is probs
    cued = apply_repetition_cue(probs, earlier, (2.0, 1.0))
    assert np.allclose(cued.sum(axis=1), 1.0)
    assert np.allclose(cued[0], probs[0])  # first occurrence: unchanged
    assert cued[1, REPETITION] > probs[1, REPETITION] and cued[2, REPETITION] > cued[1, REPETITION]
    # The other techniques keep their order relative to each other.
    others = [k for k in range(len(TECHNIQUE_IDS)) if k != REPETITION]
    assert np.argmax(cued[1, others]) == np.argmax(probs[1, others])
    assert cued[2].argmax() == REPETITION
    assert apply_repetition_cue(np.zeros((0, len(TECHNIQUE_IDS)), np.float32), np.zeros(0), (2.0, 1.0)).shape[0] == 0


def test_numpy_span_head_matches_torch():
    torch = pytest.importorskip("torch")
    from torch import nn

    from propwatch.training.network import TechniqueTagger

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.config = type("C", (), {"hidden_size": 8})()

    tagger = TechniqueTagger(Enc(), span_hidden=16).eval()
    hidden = torch.randn(1, 12, 8)
    extra = torch.randn(2, 2)
    first, last = torch.tensor([1, 4]), torch.tensor([3, 9])
    with torch.no_grad():
        expected = torch.softmax(tagger.span_logits(hidden, torch.tensor([0, 0]), first, last, extra), -1).numpy()
    from propwatch.training.export import _span_head_arrays

    head = _span_head_arrays(tagger)
    feats = np.concatenate([pooled_features(hidden[0].numpy(), [(1, 3), (4, 9)]), extra.numpy()], axis=1)
    assert np.allclose(head.probabilities(feats), expected, atol=1e-5)


def test_span_head_round_trips_through_npz(tmp_path):
    rng = np.random.default_rng(0)
    head = SpanHead(rng.normal(size=(4, 5)), rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3))
    head.save(tmp_path / "h.npz")
    again = SpanHead.load(tmp_path / "h.npz")
    x = rng.normal(size=(2, 5))
    assert np.allclose(head.probabilities(x), again.probabilities(x))
    assert np.allclose(head.probabilities(x).sum(1), 1.0)


def test_technique_offsets_shift_log_probabilities_and_keep_rows_normalised():
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(len(TECHNIQUE_IDS)), size=4).astype(np.float32)
    assert apply_technique_offsets(probs, {}) is probs  # no offsets: the head's answer as it is
    shifted = apply_technique_offsets(probs, {"slogans": 1.0, "loaded_language": -1.0})
    assert np.allclose(shifted.sum(axis=1), 1.0)
    slogans, loaded = TECHNIQUE_IDS.index("slogans"), TECHNIQUE_IDS.index("loaded_language")
    # the odds of slogans against loaded language grow by e^2, and no other pair's odds move
    assert np.allclose(shifted[:, slogans] / shifted[:, loaded], np.e**2 * probs[:, slogans] / probs[:, loaded],
                       rtol=1e-4)
    assert np.allclose(shifted[:, 0] / shifted[:, 1], probs[:, 0] / probs[:, 1], rtol=1e-4)
    # a common shift changes nothing
    common = apply_technique_offsets(probs, {t: 0.7 for t in TECHNIQUE_IDS})
    assert np.allclose(common, probs, atol=1e-6)
    assert apply_technique_offsets(np.zeros((0, len(TECHNIQUE_IDS)), np.float32), {"slogans": 1.0}).shape[0] == 0


def test_neighbour_votes_weigh_the_nearest_examples_by_similarity():
    loaded, slogans, doubt = (TECHNIQUE_IDS.index(t) for t in ("loaded_language", "slogans", "doubt"))
    similarities = np.array([[0.9, 0.8, 0.7], [0.5, 0.5, 0.1]], np.float32)
    techniques = np.array([[loaded, slogans, doubt], [slogans, slogans, loaded]])
    shares = np.full(len(TECHNIQUE_IDS), 1 / len(TECHNIQUE_IDS))
    votes = neighbour_votes(similarities, techniques, shares, k=3, temperature=0.1)
    assert np.allclose(votes.sum(axis=1), 1.0)
    # softmax of similarity / temperature: each step of 0.1 in similarity is a factor e
    assert np.isclose(votes[0, loaded] / votes[0, slogans], np.e, rtol=1e-5)
    assert np.isclose(votes[0, slogans] / votes[0, doubt], np.e, rtol=1e-5)
    assert votes[1, slogans] > 0.9 and votes[1].argmax() == slogans
    # only the k nearest vote
    two = neighbour_votes(similarities, techniques, shares, k=2, temperature=0.1)
    assert votes[0, doubt] > 0 and two[0, doubt] == 0
    # balance divides by each technique's share: a technique with a quarter of the examples' share counts double
    # at balance 0.5 against one with them all alike
    skewed = shares.copy()
    skewed[slogans] /= 4
    balanced = neighbour_votes(similarities[:1], techniques[:1], skewed, k=3, temperature=0.1, balance=0.5)
    assert np.isclose((balanced[0, slogans] / balanced[0, loaded]) / (votes[0, slogans] / votes[0, loaded]), 2.0)
    assert neighbour_votes(similarities[:0], techniques[:0], shares, k=3, temperature=0.1).shape == (0, 14)


def test_mixing_the_vote_keeps_rows_normalised_and_weight_zero_is_the_head():
    rng = np.random.default_rng(5)
    probs = rng.dirichlet(np.ones(len(TECHNIQUE_IDS)), size=3).astype(np.float32)
    votes = rng.dirichlet(np.ones(len(TECHNIQUE_IDS)), size=3)
    assert mix_neighbour_votes(probs, votes, 0.0) is probs
    mixed = mix_neighbour_votes(probs, votes, 0.4)
    assert mixed.dtype == probs.dtype and np.allclose(mixed.sum(axis=1), 1.0, atol=1e-6)
    assert np.allclose(mixed, 0.6 * probs + 0.4 * votes, atol=1e-6)
