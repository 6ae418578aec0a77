"""From per-token probabilities to technique spans, sentence scores and the article score.

Spans come from three channels, each decided on labelled articles (``evaluation.tuning``: `fast`'s on
cross-validation folds of the train articles, `accurate`'s on the validation articles):

1. **Propaganda spans** (channel "labelled"): runs of tokens on the "any technique" channel, grown while the
   probability stays above ``any_low`` (bridging up to ``gap`` weaker tokens) and kept only when their peak
   reaches ``any_peak`` (hysteresis: long spans, few stray fragments). Each is labelled by the span classifier
   head, which sees the whole span in context (with the Repetition cue of ``DecodingConfig.repetition_cue``);
   its score is the span's mean propaganda probability times the technique's probability. Where a decoding has
   a sentence gate (``sentence_gate``; no shipped one has), a span whose sentence the sentence channel finds
   clean is dropped first.
2. **Second techniques** (channel "second"): for the techniques where it measurably helps, a kept propaganda
   span whose span head names that technique second, strongly enough (``second_labels``), carries it too: PTC's
   annotators often give one stretch of text two techniques (the same span on two lines).
3. **Nested technique spans** (channel "nested"): for the techniques where it measurably helps, that
   technique's own channel adds spans that no span of the same technique already covers: the loaded word
   inside a sentence of doubt. This is what makes overlapping spans of different techniques possible.

Spans never cross a paragraph or sentence boundary, are widened to whole words, and a span of function words
alone ("at", "the") is dropped. What readers see ends with the report floor (``REPORT_FLOOR``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np

from ..phrases import (
    MODALS,
    dangles,
    head_left_behind,
    link_first,
    modal_left_open,
    name_cut_at_start,
    name_left_open,
    opener_left_behind,
    phrase_left_open,
    verb_left_behind,
)
from ..techniques import TECHNIQUE_IDS
from ..words import FUNCTION_WORDS, NEXT_WORD, bare, has_letter, is_dangling, url_ranges, whole_words
from .calibration import Calibration
from .repeats import later_repeats
from .stacker import SpanStacker
from .windows import TokenizedText

ANY = len(TECHNIQUE_IDS)  # index of the "any technique" channel
SENTENCE = ANY + 1  # index of the "sentence holds propaganda" channel (models since 1.1 have it)

# Spans whose calibrated score, the model's probability that the span is right, is under this are not
# reported: a highlight the model itself gives less than a 1-in-10 chance only costs the reader's trust. A
# product rule, not a tuned figure: a round 1-in-10 chosen for readers, not searched on validation, so changing
# it needs no re-tuning (benchmarks/experiments.py records what it cost when it came). Offline steps that judge
# raw scores (fitting the calibration, tuning) decode with ``floor=0`` to see every span.
REPORT_FLOOR = 0.10


@dataclass(frozen=True)
class RawSpan:
    start: int
    end: int
    technique: str
    score: float
    # "labelled" (a propaganda span the span head labelled), "second" (the same span with the head's second
    # choice: ``second_choices``), "nested" (a technique channel's) or "repeated" (a highlighted phrase where it
    # comes back: ``repeats``)
    channel: str = "labelled"


@dataclass(frozen=True)
class NeighbourVote:
    """How the span head's answer is mixed with a vote of the training examples most like the span
    (``spans.neighbour_votes``): ``weight`` of the vote in the mix, the ``k`` most similar examples, the
    ``temperature`` of the softmax over their cosine similarities, and ``balance``, how far each technique's vote
    is divided by its share of the examples (0: not at all, 1: fully)."""

    weight: float
    k: int
    temperature: float
    balance: float = 0.0

    def __post_init__(self) -> None:
        # a hand-edited config must fail at load with a clear message, not divide by zero on the first span
        if not (0.0 <= self.weight <= 1.0 and self.k >= 1 and self.temperature > 0.0 and self.balance >= 0.0):
            raise ValueError(f"a neighbour vote needs 0 <= weight <= 1, k >= 1, temperature > 0 and balance >= 0, "
                             f"not {self}")

    @classmethod
    def from_dict(cls, d: dict) -> NeighbourVote:
        return cls(float(d["weight"]), int(d["k"]), float(d["temperature"]), float(d.get("balance", 0.0)))

    def to_dict(self) -> dict:
        return {"weight": self.weight, "k": self.k, "temperature": self.temperature, "balance": self.balance}


@dataclass(frozen=True)
class DecodingConfig:
    any_low: float = 0.3
    any_peak: float = 0.5
    gap: int = 2
    channels: dict[str, tuple[float, float]] = field(default_factory=dict)  # technique -> (low, peak)
    # SI spans: "any" (propaganda spans only) or "all" (with nested ones); stored as "si_source" in config.json.
    si_spans: str = "any"
    # Per-technique decision thresholds: a labelled span of technique t needs a raw score of min_scores[t].
    min_scores: dict[str, float] = field(default_factory=dict)
    # Second techniques: a kept labelled span whose span head names technique t second also carries t where the
    # span's score with t reaches second_labels[t] (``second_choices``); {} for models tuned before it existed, or
    # where it earned no place.
    second_labels: dict[str, float] = field(default_factory=dict)
    # Raw score -> probability maps ("labelled", "second", "nested", "sentence"), fitted at tuning where each helps
    # (``evaluation/calibration.py``).
    calibration: dict[str, Calibration] = field(default_factory=dict)
    # Repetition's log-probability bonus (phrase occurred earlier, per log(1 + earlier occurrences)) applied to
    # the span head's output (``spans.apply_repetition_cue``); (0, 0) for models tuned before it existed.
    repetition_cue: tuple[float, float] = (0.0, 0.0)
    # Log-probability offsets per technique (a prior correction, ``spans.apply_technique_offsets``) applied to the
    # span head's output; {} for models tuned before it existed, or where it earned no place.
    technique_offsets: dict[str, float] = field(default_factory=dict)
    # The vote of the nearest training examples mixed into the span head's output (``NeighbourVote``); None for
    # models tuned before it existed, or where it earned no place.
    neighbour_vote: NeighbourVote | None = None
    # A regression over the span head's answer and the signals beside it, fitted on unseen articles
    # (``stacker.SpanStacker``); where set, it replaces the vote's mix, the offsets and the Repetition cue (its
    # features carry them). None for models tuned before it existed, or where it earned no place.
    stacker: SpanStacker | None = None
    # Whether a highlighted phrase gives a Repetition span where it comes back unhighlighted (``repeats``). Judged
    # on the cross-validation folds and not adopted (BENCHMARKS.md, "Repetition where a highlighted phrase comes
    # back"): off in every shipped model, and the tuning never sets it (a judge sets it on a tuned decoding).
    repeats: bool = False
    # The sentence gate: a propaganda span is kept only where its sentence's mean sentence-channel probability
    # (``sentence_means``) reaches this; None where the tuning found no gate worth its place, or the model has no
    # sentence channel (``tuning.tune_decoding``, step 1).
    sentence_gate: float | None = None
    # Stored keys this version does not use, kept as read so that rewriting a config keeps them: models tuned
    # with propwatch 0.1 store the "report_floor" that is now the constant ``REPORT_FLOOR``.
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_dict(cls, d: dict | None) -> DecodingConfig:
        d = d or {}
        return cls(
            any_low=d.get("any_low", cls.any_low), any_peak=d.get("any_peak", cls.any_peak),
            gap=d.get("gap", cls.gap), si_spans=d.get("si_source", cls.si_spans),
            channels={t: (v["low"], v["peak"]) for t, v in d.get("channels", {}).items()},
            min_scores={t: float(v) for t, v in d.get("min_scores", {}).items()},
            second_labels={t: float(v) for t, v in d.get("second_labels", {}).items()},
            calibration={k: Calibration.from_dict(v) for k, v in d.get("calibration", {}).items()},
            repetition_cue=_pair(d.get("repetition_cue", cls.repetition_cue)),
            technique_offsets={t: float(v) for t, v in d.get("technique_offsets", {}).items()},
            neighbour_vote=NeighbourVote.from_dict(d["neighbour_vote"]) if d.get("neighbour_vote") else None,
            stacker=SpanStacker.from_dict(d["stacker"]) if d.get("stacker") else None,
            repeats=bool(d.get("repeats", False)),
            sentence_gate=float(d["sentence_gate"]) if d.get("sentence_gate") is not None else None,
            extra={k: v for k, v in d.items() if k not in _STORED_KEYS},
        )

    def to_dict(self) -> dict:
        return {"any_low": self.any_low, "any_peak": self.any_peak, "gap": self.gap, "si_source": self.si_spans,
                "channels": {t: {"low": lo, "peak": pk} for t, (lo, pk) in self.channels.items()},
                "min_scores": dict(self.min_scores),
                "calibration": {k: c.to_dict() for k, c in self.calibration.items()},
                "repetition_cue": list(self.repetition_cue),
                # written only where set, so a config tuned before it existed is rewritten byte for byte
                **({"technique_offsets": dict(self.technique_offsets)} if self.technique_offsets else {}),
                **({"second_labels": dict(self.second_labels)} if self.second_labels else {}),
                **({"neighbour_vote": self.neighbour_vote.to_dict()} if self.neighbour_vote else {}),
                **({"stacker": self.stacker.to_dict()} if self.stacker else {}),
                **({"repeats": True} if self.repeats else {}),
                **({"sentence_gate": self.sentence_gate} if self.sentence_gate is not None else {}),
                **self.extra}

    def uncalibrated(self) -> DecodingConfig:
        """The same decoding with raw scores (for fitting and judging the calibration; decode it with
        ``floor=0``: the report floor is a probability, so it only means something on calibrated scores)."""
        return replace(self, calibration={})


_STORED_KEYS = frozenset(
    {"any_low", "any_peak", "gap", "si_source", "channels", "min_scores", "calibration", "repetition_cue",
     "technique_offsets", "neighbour_vote", "stacker", "repeats", "second_labels", "sentence_gate"}
)


def _pair(values) -> tuple[float, float]:
    first, second = (float(x) for x in values)
    return first, second


def _runs(mask: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """Maximal runs (first, last inclusive) of ``mask``, joining runs separated by at most ``gap`` tokens."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    runs = []
    first = prev = int(idx[0])
    for i in idx[1:]:
        i = int(i)
        if i - prev - 1 <= gap:
            prev = i
            continue
        runs.append((first, prev))
        first = prev = i
    runs.append((first, prev))
    return runs


_TRAILING_JUNK = " \t,;:([{–—-"


_SENTENCE_END = ".!?…"
# A span ending on a dangling word ("the enemies of") may grow by this many words to reach the word it was
# about ("the enemies of freedom"); where none is that near, the dangling words go instead.
_REACH = 3


def _settle_end(text: str, start: int, end: int) -> tuple[int, int]:
    """The span with a phrase-final last word, as the PTC guidelines draw spans: grown to the next content word
    within ``_REACH`` words of the same clause (only spaces between), else cut back to its last content word;
    then, where that word is a modifier whose noun follows ("with their bare", "every patriotic") or a copula whose
    complement follows ("where no family is" before "safe"), grown to that word (``phrases.phrase_left_open``).
    ``end <= start`` where nothing is left. A span that stops inside a name takes in the rest of it ("a blow
    to the Prime" before "Minister"; ``phrases.name_left_open``), before those steps and after them (growing past a
    dangling word can stop inside a name: "disgust at" grown to "disgust at Pope" before "Francis"). An end grown
    onto a name or a noun can leave a phrase open again ("a blow to Theresa" grown to "Theresa May’s" before
    "rejigged Brexit deal", "in his notorious" grown to "Twitter" before "account."): up to ``_SETTLE_ROUNDS``
    more rounds close it."""
    start, end = _phrase_end(text, *_whole_name(text, start, end))
    for _ in range(_SETTLE_ROUNDS):
        named = _whole_name(text, start, end)[1]
        closed = phrase_left_open(text, start, named)
        grown = named if closed is None else closed
        if grown == end:
            break
        end = grown
    return start, end


_SETTLE_ROUNDS = 3


def _whole_name(text: str, start: int, end: int) -> tuple[int, int]:
    named = name_left_open(text, start, end) if end > start else None
    return (start, end) if named is None else (start, named)


def _phrase_end(text: str, start: int, end: int) -> tuple[int, int]:
    """``_settle_end`` without its name step."""
    if dangles(text, start, end):
        pos, grown = end, False
        # a modal's verb phrase runs on past the reach that closes a noun phrase ("will in any case bring them
        # closer"): the span ends before the modal instead
        for _ in range(0 if modal_left_open(text, start, end) else _REACH):
            match = NEXT_WORD.match(text, pos)
            if match is None:
                break
            pos = match.end()
            if not is_dangling(match.group(1)) and match.group(1) not in MODALS:  # "we should" is open again
                end, grown = pos, True
                break
        if not grown:
            while end > start and dangles(text, start, end):
                last = text.rfind(" ", start, end)
                end = start if last < 0 else last
                while end > start and text[end - 1] in _TRAILING_JUNK:
                    end -= 1
            return start, end
    closed = phrase_left_open(text, start, end)
    return (start, end) if closed is None else (start, closed)


_REACH_BACK = 3  # words: how far into a span a comma may be to mark its start as a cut-off fragment


def _settle_start(text: str, start: int, end: int) -> int:
    """A span that starts inside a phrase the text began earlier ("Deir [ez-Zore, terrorists will ...") and
    crosses a comma within its first ``_REACH_BACK`` words starts after that comma instead: the fragment before
    it belongs to the earlier phrase, and annotators start such spans at the clause ("terrorists will ...")."""
    before = text[:start].rstrip(" \t")
    if len(before) == start or not before or not before[-1].isalnum():
        return start  # the span starts a line, follows punctuation, or is not preceded by a space
    comma = text.find(",", start, end)
    if comma < 0 or len(text[start:comma].split()) > _REACH_BACK:
        return start
    rest = comma + 1
    while rest < end and text[rest] in " \t":
        rest += 1
    return rest if len(text[rest:end].split()) >= 2 else start


def _verb_first(text: str, start: int, end: int) -> int:
    """A span that starts on a phrasal verb's particle starts on its verb instead ("up in a lawless wasteland" of
    "ended up in a lawless wasteland"; ``phrases.verb_left_behind``), one that starts on "of" starts on the noun it
    completes ("culture" before "of cronyism"; ``phrases.head_left_behind``), one that starts on its sentence's
    second word after a determiner or subject pronoun starts on that word ("This" before "brutal attack";
    ``phrases.opener_left_behind``), one that starts inside its sentence on a linking word starts after it ("and
    destroy the nation" as "destroy the nation"; ``phrases.link_first``), and one that starts inside a name starts
    where the name does ("Theresa" before "May’s desperate attempts"; ``phrases.name_cut_at_start``). Each step
    starts where the one before left the span, as a head can be a name's last word ("of “treachery”" moved onto
    "Rees-Mogg" of "Jacob Rees-Mogg") or its sentence's second word ("of that numberless host" moved onto "first"
    after "The")."""
    for left_behind in (verb_left_behind, head_left_behind, opener_left_behind, link_first, name_cut_at_start):
        moved = left_behind(text, start, end)
        if moved is not None:
            start = moved
    return start


def _readable(text: str, start: int, end: int, urls: list[tuple[int, int]]) -> bool:
    """A highlight a reader can read: it holds a letter (not a lone "!" or an apostrophe) and is no piece of a
    web address (a t.co link is no loaded language)."""
    return has_letter(text[start:end]) and not any(a < end and start < b for a, b in urls)


def _breaks_between(text: str, offsets: np.ndarray, k: int) -> bool:
    """Whether a paragraph or sentence boundary lies between token ``k`` and ``k + 1``."""
    gap = text[offsets[k, 1] : offsets[k + 1, 0]]
    if "\n" in gap:
        return True
    ends_sentence = text[offsets[k, 1] - 1] in _SENTENCE_END and text[offsets[k + 1, 0]].isupper()
    return bool(gap) and not gap.strip() and ends_sentence


def _split_at_boundaries(text: str, offsets: np.ndarray, first: int, last: int) -> list[tuple[int, int]]:
    """Pieces of a token run that cross no paragraph or sentence boundary."""
    pieces, a = [], first
    for k in range(first, last):
        if _breaks_between(text, offsets, k):
            pieces.append((a, k))
            a = k + 1
    pieces.append((a, last))
    return pieces


def _only_function_words(text: str) -> bool:
    return all(bare(w) in FUNCTION_WORDS for w in text.split())


def decode_channel(
    text: str, tokens: TokenizedText, p: np.ndarray, low: float, technique: str,
    peak: float | None = None, gap: int = 1,
) -> list[RawSpan]:
    """Spans of one channel ``p`` (``[N]``): runs above ``low`` whose highest token reaches ``peak``."""
    peak = low if peak is None else peak
    spans = []
    urls = url_ranges(text)
    for first, last in _runs(p >= low, gap):
        for a, b in _split_at_boundaries(text, tokens.offsets, first, last):
            run = p[a : b + 1]
            if run.max() < peak:
                continue
            # Trim bridged weak tokens at the piece edges (a line cut can leave them there).
            inside = np.flatnonzero(run >= low)
            if inside.size == 0:
                continue
            a, b = a + int(inside[0]), a + int(inside[-1])
            start, end = whole_words(text, int(tokens.offsets[a, 0]), int(tokens.offsets[b, 1]))
            if end <= start or _only_function_words(text[start:end]):
                continue  # "at", "the": never a technique on their own
            start, end = _settle_end(text, _verb_first(text, _settle_start(text, start, end), end), end)
            if end <= start or not _readable(text, start, end, urls):
                continue  # "!", a piece of a link: nothing a reader can read as a technique
            spans.append(RawSpan(start, end, technique, float(p[a : b + 1].mean())))
    return spans


def propaganda_spans(text: str, tokens: TokenizedText, probs: np.ndarray, cfg: DecodingConfig) -> list[RawSpan]:
    """Technique-agnostic spans from the "any technique" channel (technique field "any"), those in a sentence the
    sentence channel finds clean left out where the decoding has a sentence gate."""
    spans = decode_channel(text, tokens, probs[:, ANY], cfg.any_low, "any", cfg.any_peak, cfg.gap)
    if cfg.sentence_gate is None or probs.shape[1] <= SENTENCE or not spans:
        return spans
    means = sentence_means(text, tokens, probs)
    return [s for s in spans if gate_score(tokens, means, s.start) >= cfg.sentence_gate]


def sentence_means(text: str, tokens: TokenizedText, probs: np.ndarray) -> np.ndarray:
    """Each token's sentence-channel probability averaged over its sentence: the run of tokens between the breaks
    that spans never cross (``_breaks_between``). The channel was trained on "this sentence holds propaganda", so
    its mean over the sentence reads the whole sentence, where a span comes from a peak of single tokens."""
    n = len(tokens)
    means = np.zeros(n)
    a = 0
    for k in range(n):
        if k == n - 1 or _breaks_between(text, tokens.offsets, k):
            means[a : k + 1] = probs[a : k + 1, SENTENCE].mean()
            a = k + 1
    return means


def gate_score(tokens: TokenizedText, means: np.ndarray, start: int) -> float:
    """The sentence mean (``sentence_means``) at the token where a span starting at ``start`` begins."""
    k = int(np.searchsorted(tokens.offsets[:, 0], start, side="right")) - 1
    return float(means[max(0, min(k, len(means) - 1))])


Classifier = Callable[[list[tuple[int, int]]], np.ndarray]


def span_rows(found: list[RawSpan], classify: Classifier) -> np.ndarray:
    """The span classifier's technique probabilities for each propaganda span ([spans, techniques])."""
    if not found:
        return np.zeros((0, len(TECHNIQUE_IDS)))
    return np.asarray(classify([(s.start, s.end) for s in found]))


def labelled_by(found: list[RawSpan], rows: np.ndarray) -> list[RawSpan]:
    """Each propaganda span with its most likely technique in ``rows`` (``span_rows``)."""
    out = []
    for s, row in zip(found, rows):
        k = int(np.argmax(row))
        out.append(RawSpan(s.start, s.end, TECHNIQUE_IDS[k], float(s.score * row[k])))
    return out


def label_spans(found: list[RawSpan], classify: Classifier) -> list[RawSpan]:
    """Give each propaganda span its most likely technique from the span classifier."""
    return labelled_by(found, span_rows(found, classify))


def second_choices(found: list[RawSpan], rows: np.ndarray, kept: list[RawSpan],
                   thresholds: dict[str, float]) -> list[RawSpan]:
    """For each propaganda span whose labelled span was kept, its second most likely technique as a span of its
    own (channel "second"), where that technique has a threshold in ``thresholds`` and the span's score with it
    reaches the threshold. Only beside a kept span: a second technique adds a label to a highlight, never a
    highlight of its own."""
    if not thresholds:
        return []
    shown = {(s.start, s.end) for s in kept}
    out = []
    for s, row in zip(found, rows):
        if (s.start, s.end) not in shown or len(row) < 2:
            continue
        k = int(np.argsort(row)[-2])
        technique, score = TECHNIQUE_IDS[k], float(s.score * row[k])
        if technique in thresholds and score >= thresholds[technique]:
            out.append(RawSpan(s.start, s.end, technique, score, channel="second"))
    return out


def keep_confident(spans: list[RawSpan], min_scores: dict[str, float]) -> list[RawSpan]:
    """Labelled spans that reach their technique's decision threshold (techniques without one: all)."""
    return [s for s in spans if s.score >= min_scores.get(s.technique, 0.0)]


def nested_spans(
    text: str, tokens: TokenizedText, probs: np.ndarray, existing: list[RawSpan], technique: str,
    low: float, peak: float, gap: int,
) -> list[RawSpan]:
    """Spans of ``technique``'s own channel that no existing span of that technique overlaps."""
    t = TECHNIQUE_IDS.index(technique)
    have = [(s.start, s.end) for s in existing if s.technique == technique]
    return [
        replace(s, channel="nested") for s in decode_channel(text, tokens, probs[:, t], low, technique, peak, gap)
        if not any(a < s.end and s.start < b for a, b in have)
    ]


def detect_spans(
    text: str, tokens: TokenizedText, probs: np.ndarray, classify: Classifier, cfg: DecodingConfig,
    floor: float = REPORT_FLOOR,
) -> list[RawSpan]:
    """All technique spans of an article whose calibrated score reaches ``floor``, sorted by start, longest
    first."""
    found = propaganda_spans(text, tokens, probs, cfg)
    rows = span_rows(found, classify)
    spans = keep_confident(labelled_by(found, rows), cfg.min_scores)
    spans += second_choices(found, rows, spans, cfg.second_labels)
    for technique, (low, peak) in cfg.channels.items():
        spans += nested_spans(text, tokens, probs, spans, technique, low, peak, cfg.gap)
    spans = [c for c in (calibrate_span(s, cfg) for s in spans) if c.score >= floor]
    if cfg.repeats:
        spans += [RawSpan(r.start, r.end, "repetition", r.score, channel="repeated")
                  for r in later_repeats(text, [(s.start, s.end, s.score) for s in spans]) if r.score >= floor]
    spans.sort(key=lambda s: (s.start, -(s.end - s.start), s.technique))
    return spans


def calibrate_span(span: RawSpan, cfg: DecodingConfig) -> RawSpan:
    """The span with its score mapped to a probability of being right, where the model has a map for its
    channel (models exported before calibration keep their raw scores)."""
    cal = cfg.calibration.get(span.channel)
    return span if cal is None else replace(span, score=float(np.clip(cal(span.score), 0.0, 1.0)))


def sentence_scores(
    text: str, sentences: list[tuple[int, int]], tokens: TokenizedText, probs: np.ndarray, spans: list[RawSpan],
    calibration: Calibration | None = None,
) -> list[float]:
    """A sentence's score: the mean of its tokens' sentence-channel probabilities (models without that channel:
    the highest "any technique" probability of its tokens), mapped by ``calibration`` to the probability that
    the sentence holds propaganda, and at least the score of any span found in it (if that span is right, so
    is the sentence), so a flagged sentence never scores below the span that flags it.

    A sentence without a letter or digit (a line of quotation marks, a dash) scores 0: no technique is made of
    punctuation alone, as no span may be, yet the calibrated mean of its tokens read about 0.2 ("20% likely to
    be propaganda" beside a row of quotation marks)."""
    scores = []
    starts = tokens.offsets[:, 0] if len(tokens) else np.zeros(0, dtype=np.int64)
    for s, e in sentences:
        a = int(np.searchsorted(starts, s, side="left"))
        b = int(np.searchsorted(starts, e, side="left"))
        if not any(ch.isalnum() for ch in text[s:e]):
            scores.append(0.0)
            continue
        if b <= a:
            score = 0.0
        elif probs.shape[1] > SENTENCE:
            score = float(probs[a:b, SENTENCE].mean())
        else:
            score = float(probs[a:b, ANY].max())
        if calibration is not None and b > a:
            score = float(calibration(score))
        for sp in spans:
            if sp.start < e and sp.end > s:
                score = max(score, sp.score)
        scores.append(min(1.0, max(0.0, score)))
    return scores


def article_score(sentences: list[tuple[int, int]], scores: list[float]) -> float:
    """Length-weighted mean of sentence scores: the expected share of the text in propagandistic sentences."""
    lengths = np.asarray([e - s for s, e in sentences], dtype=np.float64)
    if lengths.sum() == 0:
        return 0.0
    return float(np.clip((lengths * np.asarray(scores)).sum() / lengths.sum(), 0.0, 1.0))
