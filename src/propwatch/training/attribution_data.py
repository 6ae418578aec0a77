"""PolNeAR articles as training examples for the attribution tagger: BIO tags per encoder token, training windows,
batches, and the cheap dev figures that choose the epoch.

Tags are decided per *word* (the scorer's words, ``metrics.attributions.words_of``) and copied to the word's
tokens: the first token keeps the word's tag, the others continue it (``B-x`` becomes ``I-x``). PolNeAR gives a
word at most one role in nearly every case; where fragments of different roles cover the same word (a few words
in the whole corpus), the cue wins over the source and the source over the content, and the clash is counted.
The labels are the product decoder's (``components.attributions.decode.LABELS``), in its output order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import torch
from tokenizers import Tokenizer

from ..components.attributions.decode import LABELS, ROLES
from ..inputs.polnear import AttributedArticle
from ..metrics.attributions import Word, words_of
from ..model.windows import SpecialTokens, TokenizedText, tokenize, window_starts

PRIORITY = {"cue": 0, "source": 1, "content": 2}  # who keeps a word that fragments of two roles cover
IGNORE = -100  # the loss skips special tokens and padding

WordRange = tuple[int, int]  # word indices, end exclusive
Gold = dict[str, set[WordRange]]  # role -> word ranges


@dataclass
class TaggingStats:
    tokens: int = 0
    words: int = 0
    violating_words: int = 0  # words that fragments of two roles cover
    violating_spans: int = 0


@dataclass
class TaggedArticle:
    """One article ready to train on or to score: token ids and tags, each word's first token, gold word ranges."""

    name: str
    text: str
    tokens: TokenizedText  # no special tokens
    labels: np.ndarray  # [N] label index per token
    first: np.ndarray  # [words] index of each word's first token (-1: a word no token starts in)
    gold: Gold = field(default_factory=dict)

    @property
    def ids(self) -> np.ndarray:
        return self.tokens.ids


def word_range(words: list[Word], ends: np.ndarray, start: int, end: int) -> WordRange | None:
    """The words ``[start, end)`` touches, punctuation trimmed from both ends: ``metrics.attributions.word_range``
    with a binary search for the first word, which the scorer can do without but 22,000 attributions cannot."""
    i = int(np.searchsorted(ends, start, side="right"))
    idx = []
    while i < len(words) and words[i].start < end:
        if words[i].end > start:
            idx.append(i)
        i += 1
    while idx and not words[idx[0]].is_word:
        idx.pop(0)
    while idx and not words[idx[-1]].is_word:
        idx.pop()
    return (idx[0], idx[-1] + 1) if idx else None


def tag_article(article: AttributedArticle, tokenizer: Tokenizer, stats: TaggingStats | None = None) -> TaggedArticle:
    """Token ids, token tags and gold word ranges of one article."""
    stats = stats if stats is not None else TaggingStats()
    text = article.text
    words = words_of(text)
    ends = np.asarray([w.end for w in words], dtype=np.int64)
    word_tags = np.zeros(len(words), dtype=np.int64)
    owner = np.full(len(words), -1)
    gold: Gold = {r: set() for r in ROLES}
    fragments = []
    for attribution in article.attributions:
        for role in ROLES:
            for s, e in attribution.role(role):
                rng = word_range(words, ends, s, e)
                if rng:
                    gold[role].add(rng)
                    fragments.append((PRIORITY[role], rng[0], rng[1], role))
    for _, a, b, role in sorted(set(fragments)):
        k = LABELS.index("B-" + role)
        clash = owner[a:b] >= 0
        if clash.any():
            stats.violating_words += int(clash.sum())
            stats.violating_spans += 1
        for i in range(a, b):
            if owner[i] >= 0:
                continue
            owner[i] = k
            word_tags[i] = k if i == a or owner[i - 1] != k else k + 1
    tokens = tokenize(tokenizer, text)
    if len(words):
        token_word = np.clip(np.searchsorted(ends, tokens.offsets[:, 0], side="right"), 0, len(words) - 1)
    else:
        token_word = np.zeros(len(tokens), dtype=np.int64)
    labels = np.zeros(len(tokens), dtype=np.int64)
    first_token: dict[int, int] = {}
    for t in range(len(tokens)):
        w = int(token_word[t])
        if w in first_token:  # a later piece of the word: B-x continues as I-x
            tag = word_tags[w]
            labels[t] = tag + 1 if LABELS[tag].startswith("B-") else tag
        else:
            first_token[w] = t
            labels[t] = word_tags[w]
    first = np.full(len(words), -1, dtype=np.int64)
    for w, t in first_token.items():
        first[w] = t
    stats.tokens += len(tokens)
    stats.words += len(words)
    return TaggedArticle(article.name, text, tokens, labels, first, gold)


def tag_transitions(articles: list[TaggedArticle]) -> np.ndarray:
    """``[L, L]`` counts of each word tag followed by each other, word after word within an article (the tags of
    the words' first tokens; a word no token starts in is skipped): the counts the product's decoding keeps as
    ``components.attributions.decode.TAG_TRANSITIONS``."""
    counts = np.zeros((len(LABELS), len(LABELS)), dtype=np.int64)
    for article in articles:
        tags = article.labels[article.first[article.first >= 0]]
        np.add.at(counts, (tags[:-1], tags[1:]), 1)
    return counts


def epoch_windows(lengths: list[int], window: int, stride: int, rng: np.random.Generator) -> list[tuple[int, int]]:
    """``(article, first token)`` of every training window of an epoch, in random order; each article's window
    grid is shifted by a random offset so every epoch sees different cuts."""
    out: list[tuple[int, int]] = []
    for k, n in enumerate(lengths):
        shift = int(rng.integers(0, stride)) if n > window else 0
        out.extend((k, s) for s in window_starts(n, window, stride, shift))
    order = rng.permutation(len(out))
    return [out[j] for j in order]


def collate(rows: list[tuple[np.ndarray, np.ndarray]], special: SpecialTokens
            ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(input ids, attention mask, labels)`` for windows given as ``(token ids, token labels)``: ``[CLS] tokens
    [SEP]`` padded to the longest; special tokens and padding are labelled ``IGNORE``."""
    width = max(len(ids) for ids, _ in rows) + 2
    input_ids = np.full((len(rows), width), special.pad, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    labels = np.full((len(rows), width), IGNORE, dtype=np.int64)
    for i, (ids, lab) in enumerate(rows):
        input_ids[i, 0] = special.cls
        input_ids[i, 1 : 1 + len(ids)] = ids
        input_ids[i, 1 + len(ids)] = special.sep
        mask[i, : len(ids) + 2] = 1
        labels[i, 1 : 1 + len(ids)] = lab
    return torch.from_numpy(input_ids), torch.from_numpy(mask), torch.from_numpy(labels)


def soft_batch(rows: list[np.ndarray], width: int) -> torch.Tensor:
    """``[B, width, L]`` teacher probabilities placed as ``collate`` places the tokens (after ``[CLS]``); zero at
    special tokens and padding, which the loss skips."""
    out = np.zeros((len(rows), width, rows[0].shape[1]), dtype=np.float32)
    for i, probs in enumerate(rows):
        out[i, 1 : 1 + len(probs)] = probs
    return torch.from_numpy(out)


def decode_words(word_labels: np.ndarray) -> Gold:
    """Word label ids to ``{role: word ranges}`` by plain BIO reading; an ``I`` without a ``B`` of its role starts
    a span. Epoch selection only: the product decodes with constraints (``components.attributions.decode``)."""
    spans: Gold = {r: set() for r in ROLES}
    current: str | None = None
    start = 0
    for i, lab in enumerate([*[int(v) for v in word_labels], 0]):
        name = LABELS[lab]
        role = name[2:] if lab else None
        if current is not None and (lab == 0 or name.startswith("B-") or role != current):
            spans[current].add((start, i))
            current = None
        if lab and current is None:
            current, start = role, i
    return spans


def selection_scores(predicted: Mapping[str, Gold], gold: Mapping[str, Gold]) -> dict[str, float]:
    """Exact F1 per role over word ranges pooled over the articles of ``gold``, and their mean (the figure that
    chooses the epoch)."""
    out: dict[str, float] = {}
    for role in ROLES:
        tp = n_pred = n_gold = 0
        for name, g in gold.items():
            p = predicted.get(name, {}).get(role, set())
            tp += len(p & g[role])
            n_pred += len(p)
            n_gold += len(g[role])
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        out[role] = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    out["mean"] = round(sum(out[r] for r in ROLES) / len(ROLES), 4)
    return out
