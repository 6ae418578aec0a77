"""Attribution scores: exact-match and overlap P/R/F1 per role, source-type accuracy, grouping.

The role figures follow CofeNet's protocol on PolNeAR (Wang et al., 2022): every contiguous fragment of a
role is one span; spans are compared as ranges of word tokens (runs of letters and digits, or one other
non-space character) with punctuation trimmed from both ends, so ``“like this,”`` and ``like this`` are the
same span; spans are pooled over all articles as sets (a source shared by two attributions counts once).
Overlap F1 gives partial credit the SemEval-2020 way: a predicted span earns the largest share of its words
covered by one gold span of the same role, and symmetrically for recall.

An attribution is given as any object (or mapping) with ``source`` (a span, or None), ``cue`` (a span, a list
of spans, or None), ``content`` (a list of spans) and optionally ``source_type``; a span is ``(start, end)``
character offsets or an object with ``.start``/``.end``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("source", "cue", "content")
_WORD = re.compile(r"\w+|[^\w\s]")

WordRange = tuple[int, int]  # word indices, end exclusive


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    is_word: bool  # letters or digits (not punctuation)


def words_of(text: str) -> list[Word]:
    """The word tokens of ``text`` as the scorer counts them."""
    return [Word(m.start(), m.end(), m.group()[0].isalnum() or m.group()[0] == "_") for m in _WORD.finditer(text)]


def word_range(words: list[Word], start: int, end: int) -> WordRange | None:
    """The words that ``[start, end)`` touches, punctuation trimmed from both ends; None when nothing is left."""
    idx = [i for i, w in enumerate(words) if w.start < end and w.end > start]
    while idx and not words[idx[0]].is_word:
        idx.pop(0)
    while idx and not words[idx[-1]].is_word:
        idx.pop()
    return (idx[0], idx[-1] + 1) if idx else None


def _span(value: Any) -> tuple[int, int]:
    if hasattr(value, "start") and hasattr(value, "end"):
        return int(value.start), int(value.end)
    s, e = value[0], value[1]
    return int(s), int(e)


def _get(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name)
    return getattr(obj, name, None)


def role_spans(attribution: Any, role: str) -> list[tuple[int, int]]:
    """The character fragments of ``role`` in one attribution."""
    value = _get(attribution, role)
    if value is None:
        return []
    if hasattr(value, "start") or (isinstance(value, (tuple, list)) and value and isinstance(value[0], int)):
        return [_span(value)]
    return [_span(v) for v in value]


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    gold: int
    predicted: int

    @classmethod
    def of(cls, hit_p: float, n_p: int, hit_r: float, n_g: int) -> PRF:
        p = hit_p / n_p if n_p else 0.0
        r = hit_r / n_g if n_g else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, n_g, n_p)


@dataclass
class AttributionScores:
    exact: dict[str, PRF]
    overlap: dict[str, PRF]
    source_type_accuracy: float | None  # over predicted attributions whose cue matches a gold cue exactly
    source_type_pairs: int
    attribution: PRF  # whole attributions: same cue, source and content fragments (exact, trimmed)
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold type -> predicted type -> count
    # what the predicted attributions without a source are, by the annotated attribution their cue overlaps:
    # "unsourced" (it has no source either), "source missed" (it has one), "not annotated" (none overlaps)
    unsourced: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict:
        row = lambda p: {"precision": round(p.precision, 4), "recall": round(p.recall, 4),  # noqa: E731
                         "f1": round(p.f1, 4), "gold": p.gold, "predicted": p.predicted}
        return {
            "exact": {r: row(v) for r, v in self.exact.items()},
            "overlap": {r: row(v) for r, v in self.overlap.items()},
            "source_type_accuracy": None if self.source_type_accuracy is None else round(self.source_type_accuracy, 4),
            "source_type_pairs": self.source_type_pairs,
            "attribution": row(self.attribution),
            "source_type_confusion": self.confusion,
            "unsourced": self.unsourced,
        }


def _ranges(words: list[Word], spans: Iterable[tuple[int, int]]) -> list[WordRange]:
    out = []
    for s, e in spans:
        r = word_range(words, s, e)
        if r:
            out.append(r)
    return out


def _overlap(a: WordRange, b: WordRange) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _coverage(spans: set[WordRange], others: set[WordRange]) -> float:
    return sum(max([_overlap(x, y) for y in others] or [0]) / (x[1] - x[0]) for x in spans)


def _key(words: list[Word], attribution: Any) -> tuple:
    """An attribution as comparable word ranges: (source ranges, cue ranges, content ranges)."""
    return tuple(tuple(sorted(set(_ranges(words, role_spans(attribution, r))))) for r in ROLES)


def score_attributions(
    texts: Mapping[str, str], gold: Mapping[str, list[Any]], predicted: Mapping[str, list[Any]],
    gold_types: Mapping[str, list[str | None]] | None = None,
) -> AttributionScores:
    """Score ``predicted`` against ``gold`` (both ``{article: [attribution]}``) over the articles of ``texts``.

    Source types are compared where a predicted attribution's cue equals a gold cue; the gold type is
    ``gold_types[article][i]`` for gold attribution ``i`` when given, else the gold attribution's own
    ``source_type``, else ``"none"`` for a gold attribution without a source (the one type PolNeAR marks)."""
    exact_hits: dict[str, list[float]] = {r: [0, 0, 0] for r in ROLES}  # tp, n_pred, n_gold
    cover: dict[str, list[float]] = {r: [0.0, 0, 0.0, 0] for r in ROLES}
    type_right = type_pairs = 0
    confusion: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    att_tp = att_p = att_g = 0
    unsourced = {"unsourced": 0, "source missed": 0, "not annotated": 0}
    for article, text in texts.items():
        words = words_of(text)
        g_atts, p_atts = list(gold.get(article, [])), list(predicted.get(article, []))
        for role in ROLES:
            g = {r for a in g_atts for r in _ranges(words, role_spans(a, role))}
            p = {r for a in p_atts for r in _ranges(words, role_spans(a, role))}
            exact_hits[role][0] += len(g & p)
            exact_hits[role][1] += len(p)
            exact_hits[role][2] += len(g)
            cover[role][0] += _coverage(p, g)
            cover[role][1] += len(p)
            cover[role][2] += _coverage(g, p)
            cover[role][3] += len(g)

        g_keys = [_key(words, a) for a in g_atts]
        p_keys = [_key(words, a) for a in p_atts]
        att_tp += len(set(g_keys) & set(p_keys))
        att_p += len(set(p_keys))
        att_g += len(set(g_keys))
        for k in p_keys:
            if k[0] or not k[1]:
                continue
            cue_words = {w for r in k[1] for w in range(*r)}
            touched = [g for g in g_keys if cue_words & {w for r in g[1] for w in range(*r)}]
            unsourced["not annotated" if not touched else "unsourced" if any(not g[0] for g in touched)
                      else "source missed"] += 1
        by_cue: dict[tuple, int] = {}
        for i, k in enumerate(g_keys):
            if k[1]:
                by_cue.setdefault(k[1], i)
        for a, k in zip(p_atts, p_keys):
            if not k[1] or k[1] not in by_cue:
                continue
            i = by_cue[k[1]]
            predicted_type = _get(a, "source_type")
            if predicted_type is None:
                continue
            if gold_types is not None:
                gold_type = gold_types[article][i]
            else:
                gold_type = _get(g_atts[i], "source_type") or (None if g_keys[i][0] else "none")
            if gold_type is None:
                continue
            type_pairs += 1
            type_right += int(predicted_type == gold_type)
            confusion[gold_type][predicted_type] += 1
    exact = {r: PRF.of(v[0], int(v[1]), v[0], int(v[2])) for r, v in exact_hits.items()}
    overlap = {r: PRF.of(v[0], int(v[1]), v[2], int(v[3])) for r, v in cover.items()}
    return AttributionScores(
        exact=exact,
        overlap=overlap,
        source_type_accuracy=type_right / type_pairs if type_pairs else None,
        source_type_pairs=type_pairs,
        attribution=PRF.of(att_tp, att_p, att_tp, att_g),
        confusion={k: dict(v) for k, v in confusion.items()},
        unsourced=unsourced,
    )
