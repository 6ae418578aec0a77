import numpy as np
import pytest

from propwatch.model.windows import SpecialTokens, build_batch, edge_weights, merge_windows, window_starts


@pytest.mark.parametrize("n,size,stride", [(1, 10, 8), (10, 10, 8), (11, 10, 8), (100, 10, 8), (1000, 254, 192)])
def test_windows_cover_every_token(n, size, stride):
    starts = window_starts(n, size, stride)
    covered = np.zeros(n, dtype=bool)
    for s in starts:
        covered[s : s + size] = True
    assert covered.all()
    assert starts == sorted(set(starts)) and starts[0] == 0
    assert starts[-1] + size >= n


def test_shifted_grid_still_covers():
    for shift in range(8):
        starts = window_starts(50, 10, 8, shift)
        covered = np.zeros(50, dtype=bool)
        for s in starts:
            covered[s : s + 10] = True
        assert covered.all()


def test_build_batch_wraps_and_pads():
    special = SpecialTokens(cls=101, sep=102, pad=0)
    ids = np.arange(1000, 1013)
    batch, mask = build_batch(ids, [0, 8], 10, special)
    assert batch.shape == (2, 12)
    assert list(batch[0]) == [101, *range(1000, 1010), 102]
    assert list(batch[1][:7]) == [101, *range(1008, 1013), 102]
    assert list(mask[1]) == [1] * 7 + [0] * 5


def test_merge_is_exact_for_a_constant_and_weighted_towards_window_centres():
    n, size, stride = 30, 10, 6
    starts = window_starts(n, size, stride)
    outputs = np.ones((len(starts), size + 2, 1), dtype=np.float32)
    assert np.allclose(merge_windows(n, starts, outputs, size, stride), 1.0)
    # Window k outputs the value k: a token in the middle of window 1 and the edge of window 0 leans to 1.
    outputs = np.stack([np.full((size + 2, 1), k, np.float32) for k in range(len(starts))])
    merged = merge_windows(n, starts, outputs, size, stride)[:, 0]
    assert merged[0] == 0 and 0.5 < merged[9] < 1.0
    w = edge_weights(10, 2)
    assert w[0] < w[1] < w[2] == w[5] == 1.0


def test_progress_counts_every_window_and_changes_no_output():
    """``run_windows`` tells its progress callback (0, total) first and (done, total) after each batch, done
    rising to total; the stitched outputs are the same with and without it."""
    from propwatch.model.windows import TokenizedText, count_windows, run_windows

    special = SpecialTokens(cls=101, sep=102, pad=0)
    texts = [TokenizedText(ids=np.arange(n, dtype=np.int64) + 1000, offsets=np.zeros((n, 2), np.int64))
             for n in (37, 5, 120)]

    def run(ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray]:
        return ((ids[..., None] % 7).astype(np.float32) * mask[..., None],)

    total = sum(count_windows(len(t), 10, 8) for t in texts)
    for batch in (1, 3):
        told: list[tuple[int, int]] = []
        with_progress = run_windows(texts, 10, 8, special, run, batch,
                                    progress=lambda d, t, told=told: told.append((d, t)))
        plain = run_windows(texts, 10, 8, special, run, batch)
        assert all(np.array_equal(a[0], b[0]) for a, b in zip(with_progress, plain))
        assert told[0] == (0, total) and told[-1] == (total, total)
        assert [d for d, _ in told] == sorted(d for d, _ in told) and {t for _, t in told} == {total}
        assert len(told) == 1 + -(-total // batch)
    assert count_windows(0, 10, 8) == 0 and count_windows(10, 10, 8) == 1 and count_windows(11, 10, 8) == 2
