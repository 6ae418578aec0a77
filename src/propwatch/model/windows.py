"""Whole articles through a fixed-length encoder: tokenise once, cut into overlapping windows, stitch back.

Articles are never truncated. Each window holds ``size`` article tokens (plus the encoder's special tokens) and
starts ``stride`` tokens after the previous one, so neighbouring windows share ``size - stride`` tokens. When
the windows' outputs are stitched back (``merge_windows``) every token's value is a weighted mean over the
windows that saw it, with weights that fall towards the window edges, where a token has the least context.

``run_windows`` is the one windowed inference: the runtime runs its ONNX graph through it and training its
network (the validation figures that choose the epoch), so both cut articles and stitch them back alike.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from tokenizers import Tokenizer

# An encoder over one batch of windows: (input ids [B, W], attention mask [B, W]) -> outputs, each [B, W, D].
WindowRunner = Callable[[np.ndarray, np.ndarray], Sequence[np.ndarray]]
# Told (windows done, windows in all) before the first window and after each batch: what progress bars show
# for a long article, counted from the work itself.
WindowProgress = Callable[[int, int], None]


@dataclass(frozen=True)
class TokenizedText:
    """Token ids of a text (no special tokens) and each token's character offsets into the text."""

    ids: np.ndarray  # [N] int64
    offsets: np.ndarray  # [N, 2] int64, start inclusive, end exclusive

    def __len__(self) -> int:
        return int(self.ids.shape[0])


@dataclass(frozen=True)
class SpecialTokens:
    cls: int
    sep: int
    pad: int

    @classmethod
    def of(cls, tokenizer: Tokenizer) -> "SpecialTokens":
        """Read the special ids from the tokenizer itself, so BERT ([CLS]/[SEP]) and MPNet (<s>/</s>)
        vocabularies both work without a table of names."""
        with_special = tokenizer.encode("", add_special_tokens=True).ids
        if len(with_special) < 2:
            raise ValueError("tokenizer adds no special tokens; cannot build encoder windows")
        pad = tokenizer.padding["pad_id"] if tokenizer.padding else tokenizer.token_to_id("[PAD]")
        if pad is None:
            pad = tokenizer.token_to_id("<pad>")
        return cls(cls=with_special[0], sep=with_special[-1], pad=int(pad or 0))


def load_tokenizer(path) -> Tokenizer:
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


def tokenize(tokenizer: Tokenizer, text: str) -> TokenizedText:
    enc = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(enc.ids, dtype=np.int64)
    offsets = np.asarray(enc.offsets, dtype=np.int64).reshape(-1, 2)
    return TokenizedText(ids=ids, offsets=offsets)


def window_starts(n_tokens: int, size: int, stride: int, shift: int = 0) -> list[int]:
    """Start indices of windows covering ``n_tokens`` tokens. ``shift`` (training only) moves the whole grid
    left by up to ``stride`` tokens so each epoch sees different cuts; the first window is clipped at 0."""
    if n_tokens <= size:
        return [0]
    starts = []
    s = -shift if shift else 0
    while True:
        starts.append(max(0, s))
        if s + size >= n_tokens:
            break
        s += stride
    return sorted(set(starts))


def count_windows(n_tokens: int, size: int, stride: int) -> int:
    """How many windows ``run_windows`` cuts a text of ``n_tokens`` tokens into (none for an empty text)."""
    return len(window_starts(n_tokens, size, stride)) if n_tokens else 0


def within(progress: WindowProgress, before: int, total: int) -> WindowProgress:
    """``progress`` for one part of a larger run: the part's windows counted after the ``before`` windows of the
    parts that ran first, out of the ``total`` of the whole run (an ensemble's members, a batch's articles)."""

    def told(done: int, _: int) -> None:
        progress(before + done, total)

    return told


def build_batch(
    ids: np.ndarray, starts: list[int], size: int, special: SpecialTokens
) -> tuple[np.ndarray, np.ndarray]:
    """Encoder input for the windows at ``starts``: ``[CLS] tokens [SEP]`` padded to one length."""
    n = len(ids)
    lengths = [min(size, n - s) for s in starts]
    width = max(lengths) + 2
    input_ids = np.full((len(starts), width), special.pad, dtype=np.int64)
    mask = np.zeros((len(starts), width), dtype=np.int64)
    for row, (s, length) in enumerate(zip(starts, lengths)):
        input_ids[row, 0] = special.cls
        input_ids[row, 1 : 1 + length] = ids[s : s + length]
        input_ids[row, 1 + length] = special.sep
        mask[row, : length + 2] = 1
    return input_ids, mask


def edge_weights(length: int, margin: int) -> np.ndarray:
    """Weights for a window's tokens: 1 in the middle, falling linearly to 1/(margin+1) at the edges."""
    pos = np.arange(length)
    dist = np.minimum(pos + 1, length - pos).astype(np.float32)
    return np.minimum(dist / (margin + 1), 1.0)


def merge_windows(
    n_tokens: int, starts: list[int], outputs: np.ndarray, size: int, stride: int
) -> np.ndarray:
    """Stitch per-window outputs ``[W, width, D]`` (special tokens included) into ``[n_tokens, D]``."""
    dim = outputs.shape[-1]
    total = np.zeros((n_tokens, dim), dtype=np.float32)
    weight = np.zeros((n_tokens, 1), dtype=np.float32)
    margin = max(1, (size - stride) // 2)
    for row, s in enumerate(starts):
        length = min(size, n_tokens - s)
        w = edge_weights(length, margin)[:, None]
        total[s : s + length] += outputs[row, 1 : 1 + length] * w
        weight[s : s + length] += w
    return total / np.maximum(weight, 1e-9)


def run_windows(
    texts: list[TokenizedText], size: int, stride: int, special: SpecialTokens, run: WindowRunner,
    batch_windows: int = 1, progress: WindowProgress | None = None,
) -> list[tuple[np.ndarray, ...]]:
    """Every output of ``run`` for every token of ``texts`` (each with at least one token): ``[N, D]`` per
    output, per text, stitched from its windows by ``merge_windows``.

    The windows of all texts are run ``batch_windows`` at a time, those of similar length together (the last
    window of an article is shorter, and padding costs time). ``progress``, when given, is told
    ``(0, total)`` first and ``(done, total)`` after each batch; it changes nothing in the results.
    """
    jobs = [(i, s) for i, toks in enumerate(texts) for s in window_starts(len(toks), size, stride)]
    jobs.sort(key=lambda j: min(size, len(texts[j[0]]) - j[1]))
    by_job: dict[tuple[int, int], tuple[np.ndarray, ...]] = {}
    if progress is not None:
        progress(0, len(jobs))
    for b in range(0, len(jobs), batch_windows):
        chunk = jobs[b : b + batch_windows]
        width = max(min(size, len(texts[i]) - s) for i, s in chunk) + 2
        ids = np.full((len(chunk), width), special.pad, dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for row, (i, s) in enumerate(chunk):
            one_ids, one_mask = build_batch(texts[i].ids, [s], size, special)
            ids[row, : one_ids.shape[1]] = one_ids[0]
            mask[row, : one_mask.shape[1]] = one_mask[0]
        outputs = run(ids, mask)
        for row, job in enumerate(chunk):
            by_job[job] = tuple(out[row] for out in outputs)
        if progress is not None:
            progress(len(by_job), len(jobs))
    results = []
    for i, toks in enumerate(texts):
        starts = window_starts(len(toks), size, stride)
        per_window = [by_job[(i, s)] for s in starts]
        width = max(w[0].shape[0] for w in per_window)
        merged = []
        for k in range(len(per_window[0])):
            stacked = np.zeros((len(starts), width, per_window[0][k].shape[-1]), np.float32)
            for row, window in enumerate(per_window):
                stacked[row, : window[k].shape[0]] = window[k]
            merged.append(merge_windows(len(toks), starts, stacked, size, stride))
        results.append(tuple(merged))
    return results
