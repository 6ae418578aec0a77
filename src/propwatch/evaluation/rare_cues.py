"""Cue patterns for the rare techniques: phrases the PTC annotation guidelines describe as typical of a technique.

The technique model misses techniques it saw few examples of (appeal to authority, black-and-white, thought-
terminating clichés, slogans, whataboutism, bandwagon and reductio ad Hitlerum), even in blatant cases ("Enough
is enough", "Either you are with us, or…"). Each pattern here is a wording the guidelines describe, written for
this project, with the extent the guidelines ask for its technique: the phrase, its clause or its sentence,
always on whole words (``words.whole_words``) and never across a sentence.

``benchmarks/rare_cues.py`` chooses patterns on the train articles (precision over a bar fixed in advance;
that precision would be a kept pattern's score, so that a cue span's score means what a calibrated model span's
score means) and judges them on the validation articles against a rule fixed in advance; it also chooses the
precision bar by cross-validation over the train articles with the fold models of ``propwatch crossval``. No
choice passed the rule (BENCHMARKS.md, "Cue patterns for rare techniques"), so the detector does not use them:
they are kept here, tested, in the offline wing (the product never imports them), for that benchmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..sentences import split_sentences
from ..words import bare, whole_words

Extent = Literal["phrase", "clause", "sentence", "short_sentence"]
SHORT_SENTENCE_WORDS = 12  # a cliché or slogan is the whole sentence only when the sentence is that short
_CLAUSE_BREAKS = ",;:—–()\"“”"


@dataclass(frozen=True)
class CuePattern:
    id: str
    technique: str
    pattern: re.Pattern[str]
    extent: Extent


@dataclass(frozen=True)
class CueSpan:
    start: int
    end: int
    technique: str
    pattern: str  # the CuePattern's id
    words: tuple[str, ...]  # the matched cue words, shown to readers as the span's reason


def _p(id: str, technique: str, regex: str, extent: Extent, case_sensitive: bool = False) -> CuePattern:
    return CuePattern(id, technique, re.compile(regex, 0 if case_sensitive else re.IGNORECASE), extent)


_NAME = r"(?:[\w.’'-]+ ){1,6}?"
_SAYS = (r"(?:told|tells|said|says|notes|noted|explained|explains|put it|pointed out|warned|warns|wrote|writes|"
         r"observed|argued|argues|urged|urges|advises|advised|reminds us|has shown|showed)")

# Every candidate. The benchmark measures each on the train articles; a model folder lists the ones it keeps.
PATTERNS: tuple[CuePattern, ...] = (
    # Appeal to authority: the claim rests on who says it.
    _p("authority_as_x_said", "appeal_to_authority", rf"\bas {_NAME}{_SAYS}\b", "sentence"),
    _p("authority_according_to", "appeal_to_authority",
       r"\baccording to (?:the |some |many |leading |top )?(?:experts?|officials?|scientists?|researchers?|analysts?|"
       r"sources?|doctors|(?:a |one )?(?:senior|top|high-ranking|former|leading) [\w-]+(?: [\w-]+)?)\b", "sentence"),
    _p("authority_studies_show", "appeal_to_authority",
       r"\b(?:studies|research|science|experts|scientists|doctors) (?:show|shows|have shown|has shown|prove|proves|"
       r"have proven|agree|confirm|confirms)\b", "sentence"),
    _p("authority_senior_official", "appeal_to_authority",
       r"\b(?:a|one) (?:senior|top|high-ranking|high-level) (?:[\w-]+ ){0,2}(?:official|source|officer|adviser|"
       r"advisor|aide)\b", "sentence"),
    _p("authority_told_me", "appeal_to_authority", r"\btold (?:me|us)\b", "sentence"),
    # Black-and-white: two options presented as the only ones.
    _p("black_white_either_or", "black_and_white", r"\beither\b[^.!?;\n]{1,150}?\bor\b", "clause"),
    _p("black_white_with_us", "black_and_white",
       r"\b(?:with us|for us)\W+or\b[^.!?\n]{0,40}?\bagainst\b|\bwith us\W+or (?:you are |you're )?with the\b",
       "sentence"),
    _p("black_white_no_other_way", "black_and_white",
       r"\bthere (?:is|was|’s|'s) no (?:other|third|middle) (?:way|choice|option|alternative|ground)\b|"
       r"\bno alternative\b|\b(?:only )?two (?:choices|options)\b", "sentence"),
    _p("black_white_the_only", "black_and_white",
       r"\bthe only (?:way|choice|option|answer|solution|alternative|hope)\b", "sentence"),
    # Thought-terminating clichés: short phrases that end the thinking.
    _p("cliche_enough_is_enough", "thought_terminating_cliche", r"\benough is enough\b", "short_sentence"),
    _p("cliche_it_is_what_it_is", "thought_terminating_cliche", r"\bit(?: is|’s|'s) what it is\b",
       "short_sentence"),
    _p("cliche_end_of_story", "thought_terminating_cliche",
       r"\bend of (?:story|discussion|debate)\b|\bcase closed\b|\benough said\b|\bnothing more to (?:say|it)\b",
       "short_sentence"),
    _p("cliche_platitude", "thought_terminating_cliche",
       r"\bat the end of the day\b|\btime will tell\b|\bso be it\b|\bit goes without saying\b|"
       r"\bthe rest is history\b|\bwho am I to judge\b|\beverything happens for a reason\b|\bthat[’']?s all\b|"
       r"\bthat[’']?s (?:just )?the way it is\b|\bno more games\b|\bmake no mistake\b|\bthink about it\b",
       "short_sentence"),
    # Slogans: brief rallying phrases.
    _p("slogan_great_again", "slogans",
       r"\b(?:make|keep) (?:[\w-]+ ){1,3}(?:great|safe|strong|free|proud) again\b", "phrase"),
    _p("slogan_x_first", "slogans", r"\b(?:[A-Z][a-z]+ )?[A-Z][a-z]+ First\b", "phrase", case_sensitive=True),
    _p("slogan_hashtag", "slogans", r"#[A-Za-z]\w{2,}", "phrase", case_sensitive=True),
    _p("slogan_all_caps", "slogans", r"\b[A-Z][A-Z’'-]+(?: [A-Z][A-Z’'-]+){2,}\b", "phrase", case_sensitive=True),
    _p("slogan_short_exclamation", "slogans", r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:[\w’'-]+,? ){0,4}[\w’'-]+!",
       "phrase"),
    # Whataboutism: answering a charge by pointing at the opponent.
    _p("whatabout_what_about", "whataboutism_strawman", r"\bwhat about\b", "sentence"),
    _p("whatabout_double_standard", "whataboutism_strawman",
       r"\bdouble standards?\b|\bhypocri(?:sy|tes?|tical)\b|\b(?:nobody|no one) (?:ever )?(?:mentions|talks about)\b|"
       r"\bwhere (?:was|were) (?:the|their|his|her)\b", "sentence"),
    _p("whatabout_and_yet", "whataboutism_strawman", r"\band yet\b|\byet they\b", "clause"),
    # Reductio ad Hitlerum and bandwagon (one PTC label).
    _p("reductio_like_hitler", "bandwagon_reductio",
       r"\b(?:just |much )?like (?:the )?(?:Hitler|Nazis?|Stalin|Mussolini|the Gestapo|Goebbels)\b|"
       r"\b(?:Nazi|Gestapo|Stalinist|fascist)[- ](?:like|style|tactics)\b|\b(?:new|next|another|modern) Hitler\b",
       "clause"),
    _p("reductio_nazi_word", "bandwagon_reductio",
       r"\b(?:Hitler|Nazis?|Nazism|fascists?|fascism|Stalin|Stalinists?|Gestapo|Third Reich|Goebbels|Mussolini)\b",
       "phrase"),
    _p("bandwagon_everyone_knows", "bandwagon_reductio",
       r"\b(?:everyone|everybody|all of us) (?:knows|agrees|understands|can see)\b|"
       r"\bmost (?:people|Americans|experts|voters) (?:agree|know|believe|think|support|want)\b|"
       r"\bjoin the (?:millions|growing)\b", "clause"),
    _p("bandwagon_more_and_more", "bandwagon_reductio",
       r"\bmore and more (?:people|Americans|voters|citizens|faithful|Catholics)\b|"
       r"\bmillions of (?:people|Americans)\b", "clause"),
)
PATTERNS_BY_ID = {p.id: p for p in PATTERNS}


def _sentence_of(sentences: list[tuple[int, int]], start: int, end: int) -> tuple[int, int]:
    for s, e in sentences:
        if s <= start < e:
            return s, max(e, min(end, e))
    return start, end


def _clause(text: str, sentence: tuple[int, int], start: int, end: int) -> tuple[int, int]:
    s, e = sentence
    left = max((text.rfind(c, s, start) for c in _CLAUSE_BREAKS), default=-1)
    right = min((i for i in (text.find(c, end, e) for c in _CLAUSE_BREAKS) if i >= 0), default=e)
    return (left + 1 if left >= s else s), right


def _extent(text: str, sentences: list[tuple[int, int]], p: CuePattern, start: int, end: int) -> tuple[int, int]:
    sentence = _sentence_of(sentences, start, end)
    if p.extent == "sentence":
        start, end = sentence[0], max(sentence[1], end)
    elif p.extent == "clause":
        start, end = _clause(text, sentence, start, end)
    elif p.extent == "short_sentence" and len(text[sentence[0]:sentence[1]].split()) <= SHORT_SENTENCE_WORDS:
        start, end = sentence
    return whole_words(text, start, end)


def cue_phrase(matched: str) -> str:
    """The matched words as readers are shown them: the phrase itself, or its first two words and its last
    where it runs longer than six words ("either you … or")."""
    words = [w for w in matched.split() if bare(w)]
    return " ".join(words) if len(words) <= 6 else " ".join(words[:2]) + " … " + words[-1]


def find_cue_spans(text: str, patterns: tuple[CuePattern, ...] | list[CuePattern] = PATTERNS,
                   sentences: list[tuple[int, int]] | None = None) -> list[CueSpan]:
    """Every match of ``patterns`` in ``text`` as a span with its technique's extent, inside one sentence, sorted
    by start; a pattern that matches the same stretch twice gives one span."""
    sentences = split_sentences(text) if sentences is None else sentences
    found: dict[tuple[int, int, str], CueSpan] = {}
    for p in patterns:
        for m in p.pattern.finditer(text):
            if not m.group(0).strip():
                continue
            start, end = _extent(text, sentences, p, m.start(), m.end())
            if end <= start:
                continue
            cue = CueSpan(start, end, p.technique, p.id, (cue_phrase(m.group(0)),))
            found.setdefault((start, end, p.technique), cue)
    return sorted(found.values(), key=lambda c: (c.start, -(c.end - c.start), c.technique))


def spans_to_add(cues: list[CueSpan], model_spans: list[tuple[int, int, str]],
                 scores: dict[str, float]) -> list[tuple[CueSpan, float]]:
    """The cue spans a reader gains: those that no model span of the same technique overlaps, each once (where
    cue spans of one technique overlap, the one whose pattern scores higher), with its pattern's score."""
    taken = list(model_spans)
    out: list[tuple[CueSpan, float]] = []
    for c in sorted(cues, key=lambda c: (-scores.get(c.pattern, 0.0), c.start)):
        if c.pattern not in scores:
            continue
        if any(t == c.technique and s < c.end and c.start < e for s, e, t in taken):
            continue
        taken.append((c.start, c.end, c.technique))
        out.append((c, scores[c.pattern]))
    return sorted(out, key=lambda x: (x[0].start, -(x[0].end - x[0].start)))
