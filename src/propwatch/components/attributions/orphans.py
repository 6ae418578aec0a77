"""Cues for content the model found without one: "it is reported that the terrorists would not dare..." with
the content tagged and "reported" left untagged. Such a piece used to join whatever cue was nearest in its
paragraph, sentences away (``group``), and was shown as what that cue's source said; now ``group`` drops it,
and this step first looks for its reporting word right before it.

``REPORTING_WORDS`` comes from PolNeAR train alone (never dev): words that were part of the cue in at least
half of their occurrences among the three words before an annotated content piece (at least 8 times), and in at
least a fifth of all their occurrences; function words and adverbs other than "reportedly" removed.

A reporting word after "to" is left alone: "it's very silly to believe that…", "it's unrealistic to think that…"
is the writer weighing an idea, not anyone's report. In PolNeAR train "to believe/think/say/argue… that" is a cue
without a source once in 46 occurrences (13 times the cue of a named source the tagger would have tagged, 32 times
no attribution at all).
"""

from __future__ import annotations

import re

from .decode import LEXICAL_CUE_SCORE, RoleSpan, word_at, words_of
from .group import CONTENT_SENTENCES, sentences_of, within_reach

REPORTING_WORDS = frozenset("""
according accused accuses accusing acknowledge acknowledged acknowledging added adding admitted agree agreed
alleged announce announced announcing appear appeared appears argue argued argues arguing ask asked asking asserted
assured believe believes blame blamed blasted boasted call called calling calls challenged charged cited citing
claim claimed claiming claims complained concluded condemned confirmed considered continued convinced criticized
criticizing decided declared declaring declined decried deemed defend defended denied denounced describe described
describes describing dismissed doubt doubts echoed emphasized endorsed estimated estimates expect expected
expecting explain explained explaining express expressed fear fears felt finds hope hoped hopes hoping indicated
insist insisted insisting joked knew knows learned mention mentioned mocked note noted notes noting offered oppose
opposed pledged pointed pointing posted praised predicted predicting promise promised promises promising proposed
questioned recalled recalling referred referring refused reiterated rejected remember reminded repeated replied
reported reportedly reports respond responded reveal revealed said say saying says seem seemed seems sees shared
show showed showing shown shows signaled slammed stated stating stressed suggest suggested suggesting suggests
tell telling tells thinks think threatened told touted tweeted tweeting urged urging viewed voiced vowed vows
warned warning worried worry writes writing wrote
""".split())
REACH = 3  # words before the piece, in its sentence
_WORD = re.compile(r"[\w’']+")
_INFINITIVE = re.compile(r"\bto\s+$", re.IGNORECASE)


def add_orphan_cues(text: str, spans: list[RoleSpan], sentences: list[tuple[int, int]],
                    content_sentences: int = CONTENT_SENTENCES) -> list[RoleSpan]:
    """``spans`` plus a cue for each content piece more than ``content_sentences`` sentences from every cue
    (``group``'s reach), where one of ``REPORTING_WORDS`` stands among the ``REACH`` words before it in its
    sentence and no span holds it: the nearest such word."""
    starts = [s for s, _ in sentences] or [0]
    cue_sentences = [sentences_of(starts, s)[0] for s in spans if s.role == "cue"]
    extra: list[RoleSpan] = []
    words = None
    for piece in (s for s in spans if s.role == "content"):
        spread = sentences_of(starts, piece)
        if any(within_reach(spread, c, content_sentences) for c in cue_sentences):
            continue
        first = spread[0]
        lead = text[max(starts[first], 0) : piece.start]
        for match in reversed(list(_WORD.finditer(lead))[-REACH:]):
            begin, end = starts[first] + match.start(), starts[first] + match.end()
            if match.group().lower() not in REPORTING_WORDS:
                continue
            held = any(s.start < end and begin < s.end for s in spans + extra)
            if held or _INFINITIVE.search(lead, 0, match.start()):
                break
            words = words if words is not None else words_of(text)
            k = word_at(words, begin)
            extra.append(RoleSpan("cue", begin, end, k, k, LEXICAL_CUE_SCORE))
            cue_sentences.append(first)
            break
    if not extra:
        return spans
    return sorted(spans + extra, key=lambda sp: (sp.start, sp.end))
