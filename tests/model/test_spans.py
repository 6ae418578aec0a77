import numpy as np
import pytest

from propwatch.model.spans import SpanHead, extra_features, pooled_features, token_range


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


def test_numpy_span_head_matches_torch():
    torch = pytest.importorskip("torch")
    from torch import nn

    from propwatch.model.training.network import TechniqueTagger

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
    from propwatch.model.training.export import _span_head_arrays

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
