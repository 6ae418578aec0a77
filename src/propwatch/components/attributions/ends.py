"""Where a piece of content or a cue ends: closing the pieces the tagger stops a word or two short, and cutting a
cue back to its last word that is no determiner.

The tagger decides each word's tag on its own, and content is where its boundaries go most often wrong (exact
content F1 is far below overlap F1 on PolNeAR dev). Two kinds of short ending are plain to a reader and are
closed here, with the tagger's own probabilities as the guard:

- a piece that ends on a word that cannot end a phrase ("was headed to", "business practices at", "the parents
  and") runs on through the next words the tagger gives at least ``DANGLING_ON`` probability of continuing the
  content, within the sentence;
- a piece that stops at most ``TAIL_WORDS`` words before the end of its sentence ("a big operation in Hadzhin,
  the temporary capital of the drained | IS.") takes those words when the tagger gives each at least ``TAIL_ON``
  probability of continuing the content and nothing but the closing punctuation follows them (so "…, another
  source said." is never swallowed);
- a short piece that announces what follows a colon ("Everyone knows the truth: | the so-called experts are…",
  "one thing: | …") takes the rest of its sentence after the colon, when it opens on a determiner or "one", holds
  at most ``TAIL_WORDS`` words and the tagger gives each word after the colon at least ``TAIL_ON`` probability of
  continuing the content. Written from a reader's report (the op-ed's "the truth" alone, the claim after the
  colon lost) and PolNeAR train's counts: gold content pieces of at most four words reaching a colon cross it 50
  times and stop before it 18 (mostly headings, "Campaign funding:"); those opening on a determiner or "one" cross
  it about 10 times to 4. Checked once on dev, which holds three such pieces.

Neither runs over a word another decoded span holds, except that a dangling piece that runs into the next piece of
content in its sentence takes it in ("the parents and | grandparents who are confounded…"): PolNeAR almost never
has two pieces of one sentence's content joined only by "and" or "at", so the tagger cut one piece in two. The
three settings were chosen on one half of PolNeAR dev (the articles at even places in name order) and checked on
the other; BENCHMARKS.md, "Attributions: how the decoding's choices were made" (``benchmarks/attribution_choices.py``)
gives both halves with and without this step. Trimming the dangling word instead lost content F1 on both halves
(a one-off trial, no script), because a phrase can end on a preposition at the end of a sentence ("which ones
he'd like to have sex with.").

A cue never ends on a determiner or a possessive: of PolNeAR train's 19,665 cues, 18 do ("offered no", "said in
his", "referring the" are the tagger's, with the word after it left out). ``trim_cue_ends`` cuts such a word off
a cue of two words or more; the word then belongs to no role. Written from those counts and checked once on dev
(BENCHMARKS.md, "Attributions: how the decoding's choices were made").
"""

from __future__ import annotations

import numpy as np

from ...sentences import sentence_at
from ...words import DANGLING_WORDS, DETERMINERS, bare
from .decode import LABELS, RoleSpan, Word, is_punctuation

DANGLING_ON = 0.05
TAIL_WORDS = 4
TAIL_ON = 0.2
# The words no cue ends on (the module docstring): articles, possessives, demonstratives and quantifiers that only
# open a noun phrase. Not "that" ("said that" is a cue in 12 of train's) nor "her" as an object ("told her").
CUE_NEVER_ENDS_ON = frozenset("the a an his their its our my your no this these those some any".split())
# The words a content piece announcing what follows its colon opens on ("the truth:", "one thing:").
ANNOUNCERS = DETERMINERS | {"one"}


def trim_cue_ends(text: str, spans: list[RoleSpan], words: list[Word]) -> list[RoleSpan]:
    """``spans`` with each cue of two words or more cut back past the words of ``CUE_NEVER_ENDS_ON`` it ends on;
    other spans unchanged."""
    def word(i: int) -> str:
        return bare(text[words[i].start : words[i].end])

    out = []
    for s in spans:
        last = s.last_word
        while s.role == "cue" and last > s.first_word and word(last) in CUE_NEVER_ENDS_ON:
            last -= 1
        cut = RoleSpan(s.role, s.start, words[last].end, s.first_word, last, s.score)
        out.append(s if last == s.last_word else cut)
    return out


def close_content_ends(
    text: str, spans: list[RoleSpan], words: list[Word], lp: np.ndarray, sentences: list[tuple[int, int]],
    labels: tuple[str, ...] = LABELS,
) -> list[RoleSpan]:
    """``spans`` (decoded from ``words`` and their ``[W, L]`` log-probabilities ``lp``, the decoding's own) with
    content pieces that stop short closed as the module says; other spans unchanged."""
    if not any(s.role == "content" for s in spans):
        return spans
    go_on = np.exp(lp[:, labels.index("I-content")])
    owner = np.full(len(words), -1, dtype=np.int64)
    for k, s in enumerate(spans):
        owner[s.first_word : s.last_word + 1] = k
    out: dict[int, RoleSpan] = dict(enumerate(spans))
    for k, s in enumerate(spans):
        if s.role != "content" or k not in out:
            continue
        last, absorbed = _closed_end(text, words, go_on, owner, spans, k, sentences)
        if absorbed is not None:
            del out[absorbed]
        if last != s.last_word:
            owner[s.last_word + 1 : last + 1] = k
            out[k] = RoleSpan(s.role, s.start, words[last].end, s.first_word, last, s.score)
    return [out[k] for k in sorted(out)]


def _closed_end(text: str, words: list[Word], go_on: np.ndarray, owner: np.ndarray, spans: list[RoleSpan], k: int,
                sentences: list[tuple[int, int]]) -> tuple[int, int | None]:
    """The index of the last word ``spans[k]`` should cover, and the index of a later content piece it runs
    into and takes in (or None)."""
    span = spans[k]
    sentence = sentence_at(sentences, words[span.last_word].start)
    end = sentence[1] if sentence else len(text)
    rest = []
    for j in range(span.last_word + 1, len(words)):
        if words[j].start >= end or owner[j] >= 0:
            break
        rest.append(j)
    last_word = text[words[span.last_word].start : words[span.last_word].end]
    if span.last_word > span.first_word and bare(last_word) in DANGLING_WORDS:
        last = span.last_word
        for j in range(span.last_word + 1, len(words)):
            if words[j].start >= end:
                break
            if owner[j] >= 0:
                other = int(owner[j])
                if spans[other].role == "content":
                    return spans[other].last_word, other
                break
            if go_on[j] < DANGLING_ON:
                break
            if not is_punctuation(text, words[j]):
                last = j
        return last, None
    lead = []
    for j in rest:
        if is_punctuation(text, words[j]):
            break
        lead.append(j)
    reaches_end = all(is_punctuation(text, words[j]) for j in rest[len(lead) :])
    whole_rest = len(rest) == 0 or rest[-1] + 1 >= len(words) or words[rest[-1] + 1].start >= end
    if lead and len(lead) <= TAIL_WORDS and reaches_end and whole_rest and all(go_on[j] >= TAIL_ON for j in lead):
        return lead[-1], None
    across = _across_colon(text, words, go_on, span, rest) if whole_rest else None
    return (span.last_word if across is None else across), None


def _across_colon(text: str, words: list[Word], go_on: np.ndarray, span: RoleSpan, rest: list[int]) -> int | None:
    """The last word of the sentence after a colon that ``span`` announces ("the truth: | …"), or None where it
    announces nothing. ``rest``: the indices of the words after ``span`` to the end of its sentence."""
    first = bare(text[words[span.first_word].start : words[span.first_word].end])
    if first not in ANNOUNCERS or span.last_word - span.first_word >= TAIL_WORDS:
        return None
    if not rest or text[words[rest[0]].start : words[rest[0]].end] != ":":
        return None
    after = [j for j in rest[1:] if not is_punctuation(text, words[j])]
    return after[-1] if after and all(go_on[j] >= TAIL_ON for j in after) else None
